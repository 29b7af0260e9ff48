"""A compressed dataset file or a workbook is named for what it is, whatever its name."""

import bz2
import gzip
import lzma
import zipfile
from pathlib import Path

import pytest

from labelwright.apply.stream import iter_frames
from labelwright.data.formats import read_frame
from labelwright.errors import DataError

CSV = b"id,text\n1,hello\n2,world\n"


def gzipped(path):
    path.write_bytes(gzip.compress(CSV))


def bzipped(path):
    path.write_bytes(bz2.compress(CSV))


def xzipped(path):
    path.write_bytes(lzma.compress(CSV))


def workbook(path):
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")


@pytest.mark.parametrize(("name", "write", "what", "advice"), [
    ("items.csv.gz", gzipped, "gzip-compressed (it starts with the bytes 1f 8b)",
     "gunzip -k items.csv.gz) and set [data] path to the file it gives, or read it with "
     "pandas, which decompresses, and pass the frame: run_project(path, "
     "data=pd.read_csv('items.csv.gz'))"),
    ("items.jsonl.gz", gzipped, "gzip-compressed", "pd.read_json('items.jsonl.gz', lines=True)"),
    ("items.csv.bz2", bzipped, "bzip2-compressed", "bunzip2 -k items.csv.bz2"),
    ("items.csv.xz", xzipped, "xz-compressed", "unxz -k items.csv.xz"),
    ("book.xlsx", workbook, "a zip archive: an Excel workbook (.xlsx)",
     "save the sheet as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8), or read it with "
     "pandas and pass the frame: run_project(path, data=pd.read_excel('book.xlsx'))"),
])
@pytest.mark.parametrize("fmt", [None, "csv", "jsonl"])
def test_a_packed_file_is_named_for_what_it_is(tmp_path, name, write, what, advice, fmt):
    path = tmp_path / name
    write(path)
    # by its suffix, or named a CSV or JSONL file: the bytes say what it is, not a suffix
    # that names no format nor bytes that are "not UTF-8"
    for read in (lambda: read_frame(path, fmt), lambda: list(iter_frames(Path(path), fmt))):
        with pytest.raises(DataError) as err:
            read()
        said = str(err.value)
        assert said.startswith(f"{path}: the file is {what}") and advice in said
        assert "UTF-8 (byte" not in said and "suffix" not in said


def test_a_file_that_only_looks_packed_by_name_is_read(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(b"id,text\nPK,zip-like\n")
    assert read_frame(path)["id"].tolist() == ["PK"]
