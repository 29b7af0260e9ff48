"""Errors that name the file and the line, shared by the readers of every format: bytes
that are not UTF-8, line numbers of byte offsets, column names given twice or blank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from labelwright.errors import DataError


def line_breaks(data: bytes, start: int, stop: int) -> int:
    """The line breaks in ``data[start:stop]``: ``\\r\\n``, ``\\n`` or ``\\r`` alone, as
    the CSV readers count lines (old Excel for Mac ends every line with ``\\r``)."""
    return (data.count(b"\n", start, stop) + data.count(b"\r", start, stop)
            - data.count(b"\r\n", start, stop))


def line_of_offset(raw: bytes, offset: int) -> int:
    return line_breaks(raw, 0, offset) + 1


def not_utf8(where: str, data: bytes, start: int, unit: str = "offset") -> DataError:
    """The error for bytes that are not UTF-8: ``data[start]`` is the first bad byte, at
    ``unit`` ``offset`` (a byte offset in the file) or ``column`` (of the line ``data``,
    counted in characters, as an editor and the malformed-JSON message count them)."""
    # everything before the first bad byte is valid UTF-8
    shown = start if unit == "offset" else len(data[:start].decode("utf-8")) + 1
    if start < 2 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "it starts with a UTF-16 byte order mark: the file is UTF-16, as a \"Unicode\" "
        guess += "export from a spreadsheet is"
    else:
        guess = "the file may be Latin-1 or Windows-1252"
    return DataError(f"{where}: not valid UTF-8 (byte 0x{data[start]:02x} at {unit} {shown}; "
                     f"{guess}); save the file as UTF-8")


def not_utf8_in(path: Path | str, data: bytes, start: int) -> DataError:
    """:func:`not_utf8` for a whole file's bytes ``data`` whose first bad byte is
    ``data[start]``: names the file's line and the column in that line."""
    line_start = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
    return not_utf8(f"{path}:{line_of_offset(data, start)}", data[line_start:],
                    start - line_start, "column")


def repeated_names(names: Iterable[Any], *, empty: bool = True) -> list[str]:
    """Column names (as text) given more than once (``empty``: also "")."""
    counts = Counter(str(name) for name in names)
    return sorted(name for name, n in counts.items() if n > 1 and (empty or name))


def check_unique_columns(names: Iterable[Any], where: str, *, as_text: bool = False) -> None:
    """Every reader's check that no column name repeats (pyarrow's own error dumps its
    schema; a frame indexed by a repeated name gives a frame, not a column)."""
    repeated = repeated_names(names)
    if repeated:
        raise DataError(f"{where}: column name(s) {', '.join(map(repr, repeated))} appear more "
                        f"than once{' (as text)' if as_text else ''}; give every column its "
                        "own name")


def check_header_names(header: list[str], where: str) -> None:
    """A CSV header may not name a column twice: pandas would read the first and rename the
    second ("text.1"). Empty names (the trailing commas spreadsheets write) are fine."""
    twice = repeated_names((name.strip() for name in header), empty=False)
    if twice:
        raise DataError(f"{where}: the header names column(s) "
                        f"{', '.join(repr(n) for n in twice)} more than once; every column "
                        "needs its own name")
