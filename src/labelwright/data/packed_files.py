"""Dataset files that are compressed or archived (gzip, zip, an Excel workbook, ...): known
by their first bytes, as a UTF-16 file is by its byte order mark. A file compressed with
gzip, bzip2 or xz is read through (:mod:`labelwright.data.compressed`); any other (zstd,
whose module Python does not bring, an archive, a workbook, a compressed Parquet file) is
refused with what the file is and what to do."""

from __future__ import annotations

import re
from pathlib import Path

from labelwright.errors import DataError

_DECOMPRESS = ("decompress it ({unpack}) and set [data] path to the file it gives, or read "
               "it with pandas, which decompresses, and pass the frame: run_project(path, "
               "data={read})")
_WORKBOOK = ("save the sheet as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8), or read "
             "it with pandas and pass the frame: run_project(path, data=pd.read_excel({name!r}))")


class _Compressed:
    """A compression: its command line tool, the suffix it gives and pandas' name for it."""

    def __init__(self, tool: str, suffix: str, pandas: str) -> None:
        self.tool, self.suffix, self.pandas = tool, suffix, pandas

    def advice(self, name: str) -> str:
        """Decompress ``name`` or read it with pandas: by the suffix before the
        compression's (``tickets.jsonl.gz``), or, when the file is not named for its
        compression (``tickets.jsonl`` holding gzip), by its own with the compression named
        (the tool refuses a name without its suffix, and pandas would read it as it is)."""
        path = Path(name)
        if path.suffix.lower() == self.suffix:
            return _DECOMPRESS.format(unpack=self.command(name),
                                      read=_pandas_read(path.stem, f"{name!r}"))
        return _DECOMPRESS.format(
            unpack=self.command(name),
            read=_pandas_read(name, f"{name!r}, compression={self.pandas!r}"))

    def command(self, name: str) -> str:
        """The command that decompresses the file ``name`` into a file of its own."""
        path = Path(name)
        if path.suffix.lower() == self.suffix:
            return f"{self.tool} -k {name}"
        return f"{self.tool} -c {name} > {path.stem}-plain{path.suffix}"


#: (first bytes, what the file is, what to do): the whole magic number of each format, so
#: a text file that starts as one does (an id "BZh-1001") is not taken for it; bzip2's is
#: "BZh", the block size, and a block's or (an empty file) the stream end's six bytes
_PACKED: tuple[tuple[re.Pattern[bytes], str, _Compressed | str], ...] = (
    (re.compile(re.escape(b"\x1f\x8b")), "gzip-compressed", _Compressed("gunzip", ".gz", "gzip")),
    (re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), "bzip2-compressed",
     _Compressed("bunzip2", ".bz2", "bz2")),
    (re.compile(re.escape(b"\xfd7zXZ\x00")), "xz-compressed", _Compressed("unxz", ".xz", "xz")),
    (re.compile(re.escape(b"\x28\xb5\x2f\xfd")), "zstd-compressed",
     _Compressed("unzstd", ".zst", "zstd")),
    (re.compile(re.escape(b"PK\x03\x04")),
     "a zip archive: an Excel workbook (.xlsx) or zipped files",
     _WORKBOOK + "; a zip of data files: unzip it and set [data] path to one of them"),
    (re.compile(re.escape(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")),
     "an old Excel workbook (.xls)", _WORKBOOK),
)


#: the compressions a dataset file is read through (:mod:`labelwright.data.compressed`),
#: by the name :func:`compression` gives; zstd needs a module Python does not bring
READ_THROUGH = ("gzip", "bzip2", "xz")


def compression(path: Path) -> str | None:
    """The compression of the file at ``path`` by its first bytes (``"gzip"``,
    ``"bzip2"``, ``"xz"``, ``"zstd"``), whatever its name; None for any other file, or one
    that cannot be opened (left to the reader, whose error names it)."""
    start = _start(path)
    for magic, what, _ in _PACKED:
        if what.endswith("-compressed") and magic.match(start):
            return what.removesuffix("-compressed")
    return None


def _start(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(10)
    except OSError:
        return b""


def check_not_packed(path: Path, kind: str | None = None) -> None:
    """An error when the file at ``path`` is an archive, or compressed otherwise than
    :data:`READ_THROUGH` (gzip, bzip2, xz) allows: zstd, or a Parquet file (``kind``),
    which compresses its columns itself (a file that cannot be opened is left to the
    reader, whose error names it)."""
    start = _start(path)
    for magic, what, advice in _PACKED:
        found = magic.match(start)
        if found and isinstance(advice, _Compressed) and \
                what.removesuffix("-compressed") in READ_THROUGH:
            if kind != "parquet":
                return
            raise DataError(f"{path}: the file is {what} (it starts with the bytes "
                            f"{found.group().hex(' ')}) and read as Parquet, whose columns "
                            "are compressed in the file already, so labelwright does not "
                            f"decompress it: decompress it ({advice.command(path.name)}) and "
                            "set [data] path to the file it gives")
        if found:
            said = (advice.advice(path.name) if isinstance(advice, _Compressed)
                    else advice.format(name=path.name))
            raise DataError(f"{path}: the file is {what} (it starts with the bytes "
                            f"{found.group().hex(' ')}), not a CSV, TSV, JSONL or Parquet "
                            "file, nor one compressed with gzip, bzip2 or xz, which "
                            f"labelwright decompresses; {said}")


def _pandas_read(name: str, arguments: str) -> str:
    """The pandas call that reads the file ``name`` is when decompressed, by its suffix
    (``tickets.jsonl``: a JSONL file), with ``arguments``, keeping values as labelwright
    reads them: pandas' defaults turn an id "007" into 7 and "1e3" into 1000.0, and a CSV
    text "NA" or "null" into a missing value. A JSON read keeps strings with ``dtype=False``
    (before pandas 3 it still turns a column named ``date`` or ``*_at`` into dates, unless
    ``convert_dates=False``, which pandas 3 deprecates); a CSV read keeps every value as
    text and only an empty one missing, as :func:`~labelwright.data.csv_frames.read_csv`."""
    inner = Path(name).suffix.lower()
    if inner in (".jsonl", ".ndjson"):
        dates = "" if _pandas_major() >= 3 else ", convert_dates=False"
        return f"pd.read_json({arguments}, lines=True, dtype=False{dates})"
    text = "dtype=str, keep_default_na=False, na_values=['']"
    if inner == ".tsv":
        return f"pd.read_csv({arguments}, sep='\\t', {text})"
    return f"pd.read_csv({arguments}, {text})"


def _pandas_major() -> int:
    import pandas as pd

    return int(pd.__version__.split(".")[0])
