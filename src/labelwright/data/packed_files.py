"""Dataset files that are compressed or archived (gzip, zip, an Excel workbook, ...): known
by their first bytes, as a UTF-16 file is by its byte order mark, and refused with what
the file is and what to do. labelwright reads a dataset's bytes as they are: a streamed
read seeks in the file and a Dask partition starts at a byte offset, neither of which a
compressed stream allows, and the manifest's hash is of the file read."""

from __future__ import annotations

from pathlib import Path

from labelwright.errors import DataError

_DECOMPRESS = ("decompress it ({tool} -k {name}) and set [data] path to the file it gives, "
               "or read it with pandas, which decompresses, and pass the frame: "
               "run_project(path, data={read})")
_WORKBOOK = ("save the sheet as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8), or read "
             "it with pandas and pass the frame: run_project(path, data=pd.read_excel({name!r}))")

#: (first bytes, what the file is, what to do): the magic numbers of each format
_PACKED = (
    (b"\x1f\x8b", "gzip-compressed", _DECOMPRESS.replace("{tool}", "gunzip")),
    (b"BZh", "bzip2-compressed", _DECOMPRESS.replace("{tool}", "bunzip2")),
    (b"\xfd7zXZ\x00", "xz-compressed", _DECOMPRESS.replace("{tool}", "unxz")),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", _DECOMPRESS.replace("{tool}", "unzstd")),
    (b"PK\x03\x04", "a zip archive: an Excel workbook (.xlsx) or zipped files",
     _WORKBOOK + "; a zip of data files: unzip it and set [data] path to one of them"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)", _WORKBOOK),
)


def check_not_packed(path: Path) -> None:
    """An error when the file at ``path`` is compressed or an archive (a file that cannot
    be opened is left to the reader, whose error names it)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return
    for magic, what, advice in _PACKED:
        if start.startswith(magic):
            raise DataError(f"{path}: the file is {what} (it starts with the bytes "
                            f"{magic.hex(' ')}), not a CSV, TSV, JSONL or Parquet file "
                            "labelwright reads as it is; "
                            + advice.format(name=path.name, read=_pandas_read(path.name)))


def _pandas_read(name: str) -> str:
    """The pandas call that reads the compressed file ``name``, by the suffix before its
    compression's (``tickets.jsonl.gz``: a JSONL file)."""
    inner = Path(Path(name).stem).suffix.lower()
    if inner in (".jsonl", ".ndjson"):
        return f"pd.read_json({name!r}, lines=True)"
    if inner == ".tsv":
        return f"pd.read_csv({name!r}, sep='\\t')"
    return f"pd.read_csv({name!r})"
