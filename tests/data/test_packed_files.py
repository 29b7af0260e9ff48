"""A compressed dataset file or a workbook is named for what it is, whatever its name."""

import bz2
import gzip
import json
import zipfile
from pathlib import Path

import pytest

from labelwright.apply.file_blocks import iter_frames
from labelwright.data.formats import read_frame
from labelwright.data.packed_files import _PACKED
from labelwright.errors import DataError

CSV = b"id,text\n1,hello\n2,world\n"


@pytest.fixture(autouse=True)
def _copies_here(tmp_path, monkeypatch):
    """Decompressed copies go to this test's folder, not the machine's temporary one."""
    monkeypatch.setattr("labelwright.data.compressed._temp_folder", lambda: tmp_path / "copies")
    monkeypatch.setattr("labelwright.data.compressed._FOUND", {})  # copies of other tests


def workbook(path):
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")


def zstd(path):
    """A zstd frame's magic number and header (Python brings no zstd module to write one)."""
    path.write_bytes(b"\x28\xb5\x2f\xfd\x24\x19\x89\x00\x00" + CSV)


@pytest.mark.parametrize(("name", "write", "what", "advice"), [
    ("items.csv.zst", zstd, "zstd-compressed (it starts with the bytes 28 b5 2f fd)",
     "unzstd -k items.csv.zst) and set [data] path to the file it gives, or read it with "
     "pandas, which decompresses, and pass the frame: run_project(path, "
     "data=pd.read_csv('items.csv.zst', dtype=str, keep_default_na=False, na_values=['']))"),
    ("items.jsonl.zst", zstd, "zstd-compressed",
     "pd.read_json('items.jsonl.zst', lines=True, dtype=False"),
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


@pytest.mark.parametrize("fmt", [None, "parquet"])
def test_a_compressed_parquet_file_is_refused_saying_parquet_compresses_itself(tmp_path, fmt):
    import pandas as pd

    plain = tmp_path / "items.parquet"
    pd.DataFrame({"id": ["1"], "text": ["hello"]}).to_parquet(plain)
    path = tmp_path / "items.parquet.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    for read in (lambda: read_frame(path, fmt), lambda: list(iter_frames(path, fmt))):
        with pytest.raises(DataError) as err:
            read()
        assert str(err.value) == (
            f"{path}: the file is gzip-compressed (it starts with the bytes 1f 8b) and read "
            "as Parquet, whose columns are compressed in the file already, so labelwright "
            "does not decompress it: decompress it (gunzip -k items.parquet.gz) and set "
            "[data] path to the file it gives")


def test_a_file_that_only_looks_packed_by_name_is_read(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(b"id,text\nPK,zip-like\n")
    assert read_frame(path)["id"].tolist() == ["PK"]


@pytest.mark.parametrize(("name", "unpack", "read"), [
    ("x.csv", "gunzip -c x.csv > x-plain.csv",
     "pd.read_csv('x.csv', compression='gzip', dtype=str, keep_default_na=False, "
     "na_values=[''])"),
    ("tickets.jsonl", "gunzip -c tickets.jsonl > tickets-plain.jsonl",
     "pd.read_json('tickets.jsonl', compression='gzip', lines=True, dtype=False"),
])
def test_advice_for_a_file_not_named_for_its_compression_works(
        tmp_path, monkeypatch, name, unpack, read):
    """``gunzip -k x.csv`` refuses the suffix and ``pd.read_csv('x.csv')`` reads the gzip
    bytes as text: the advice for a file not named .gz was both. (gzip is read through now;
    the advice is zstd's, whose tool and module may be missing here: gzip's stands in.)"""
    import subprocess

    import pandas as pd

    monkeypatch.chdir(tmp_path)
    rows = b'{"id": "1", "text": "hello"}\n' if name.endswith(".jsonl") else CSV
    (tmp_path / name).write_bytes(gzip.compress(rows))
    said = _GZIP.advice(name)
    assert f"decompress it ({unpack})" in said and f"data={read}" in said, said
    subprocess.run(unpack, shell=True, check=True)
    plain = unpack.split("> ")[1]
    assert (tmp_path / plain).read_bytes() == rows
    frame = eval(_advised_read(said), {"pd": pd})  # the call said reads the file
    assert frame["text"].tolist()[0] == "hello"
    assert read_frame(tmp_path / name)["text"].tolist()[0] == "hello"  # labelwright too


#: the advice of a compression (gzip's, as zstd's is given: see above)
_GZIP = next(advice for _, what, advice in _PACKED if what == "gzip-compressed")


def _advised_read(said: str) -> str:
    """The pandas call an error's advice gives (``data=pd.read_...(...)``)."""
    call = said.split("data=", 1)[1]
    assert call.endswith(")")
    return call[:-1]


# ids and values pandas' defaults change: 007 -> 7, 1e3 -> 1000.0, a text NA or null -> NaN,
# a column named date -> dates; an empty CSV value is missing, as labelwright reads it
_TRICKY_CSV = ("id,text,product,date\n007,NA,0012,2024-01-02\n1e3,null,1e3,x\n"
               "0008,,NaN,\n")
_TRICKY_JSONL = "".join(json.dumps(row) + "\n" for row in (
    {"id": "007", "text": "NA", "product": "0012", "date": "2024-01-02", "created_at": "17"},
    {"id": "1e3", "text": "null", "product": "1e3", "date": "x", "stars": 5},
    {"id": "0008", "text": "", "product": "NaN", "date": None, "stars": 4},
))


@pytest.mark.parametrize(("name", "rows"), [
    ("items.csv.gz", _TRICKY_CSV), ("items.tsv.gz", _TRICKY_CSV.replace(",", "\t")),
    ("items.jsonl.gz", _TRICKY_JSONL), ("items.csv", _TRICKY_CSV),
    ("items.jsonl", _TRICKY_JSONL),
])
def test_the_advised_pandas_read_keeps_ids_and_texts_as_labelwright_reads_them(
        tmp_path, monkeypatch, name, rows):
    """The advice read ids "007", "1e3" as 7 and 1000.0 and CSV texts NA, null as missing,
    which run_project(data=...) then took as they came: the advised call gives the frame
    labelwright gives for the file decompressed (and reading the file itself does too)."""
    import pandas as pd

    from labelwright.data.dataset import dataset_from_frame

    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(gzip.compress(rows.encode()))
    plain = tmp_path / ("plain" + "".join(Path(name.removesuffix(".gz")).suffixes))
    plain.write_text(rows)
    advised = eval(_advised_read(_GZIP.advice(name)), {"pd": pd})
    expected = read_frame(plain)

    def values(frame):
        return [[None if pd.isna(v) else v for v in row]
                for row in frame.astype(object).itertuples(index=False)]

    assert list(advised.columns) == list(expected.columns)
    assert values(advised) == values(expected)
    assert values(read_frame(tmp_path / name)) == values(expected)
    items = dataset_from_frame(advised, id_column="id", text_column="text", labels=["a", "b"])
    assert list(items.ids) == ["007", "1e3", "0008"]


def test_a_text_file_starting_as_a_magic_number_does_is_read(tmp_path):
    """A headerless CSV whose first id is BZh-1001 was refused as bzip2 (by "BZh" alone)."""
    path = tmp_path / "items.csv"
    path.write_bytes(b"BZh-1001,hello\nBZh-1002,world\n")
    assert read_frame(path, columns=("id", "text"))["id"].tolist() == ["BZh-1001", "BZh-1002"]
    empty = tmp_path / "empty.csv.bz2"
    empty.write_bytes(bz2.compress(b""))  # the stream end right after the header
    with pytest.raises(DataError, match=f"{empty}: the file is empty"):  # read through
        read_frame(empty)
