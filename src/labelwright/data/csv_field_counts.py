"""Every record of a CSV or TSV file read whole has as many values as its header: the check,
and the count of records it gives (a regular file's counted in C, an irregular one's read
record by record to name the first that is wrong)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.data.csv_errors import field_count_error, spaces_before_header
from labelwright.data.text_checks import check_header_names
from labelwright.errors import DataError

if TYPE_CHECKING:
    from labelwright.data.csv_format import CsvDialect

#: characters; the largest field the csv module takes everywhere
FIELD_SIZE_LIMIT = 2**31 - 1

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")  # a line, and its break (\r alone too)


def check_field_counts(path: Path, text: str, dialect: CsvDialect,
                       bad: set[int] | frozenset[int] = frozenset()) -> int:
    """Every row must have as many values as the header (or ``[data] columns``): more
    would shift every value into the wrong column, fewer would leave the last columns
    silently missing (but the 1-based rows ``bad``, which are skipped). The :mod:`csv`
    module reads strictly: text after a closing quote is an error, not a value with its
    quotes dropped. Returns the number of records, ``bad`` ones included."""
    if dialect.header:
        _no_spaces_before_header(path, text)
    limit = csv.field_size_limit(FIELD_SIZE_LIMIT)  # a value may be longer than 128 KiB
    try:
        records = _regular_records(path, text, dialect)
        return records if records is not None else _records(path, text, dialect, bad)
    finally:
        csv.field_size_limit(limit)


def _csv_reader(text: str, dialect: CsvDialect) -> Any:
    return csv.reader(text_lines(text), delimiter=dialect.delimiter, strict=True,
                      quoting=dialect.csv_quoting)


#: characters of a text :func:`text_lines` splits at a time
LINES_BLOCK = 1 << 20


def text_lines(text: str, block: int = LINES_BLOCK) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text, newline="")`` gives them (a line break is
    \\n, \\r\\n or \\r alone, as for pandas and the streaming reader; kept at the line's
    end), split a block of about ``block`` characters at a time. An ``io.StringIO`` holds its
    text at 4 bytes a character: over a whole file of short texts it cost some 390 bytes a row
    while the records were counted. A block ends after a \\n, so no \\r\\n is cut in two."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + block)
        end = len(text) if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _regular_records(path: Path, text: str, dialect: CsvDialect) -> int | None:
    """The number of records when the file is as nearly every file is: no malformed CSV,
    every record with as many values as the header and, where records must be one line
    each, none spanning lines; None otherwise (:func:`_records` then finds what is wrong,
    record by record, and names it). The records after the header are only counted, in
    C: a Python loop over them took 2.6 s of a million-row file's read."""
    reader = _csv_reader(text, dialect)
    header = list(dialect.columns) if dialect.columns is not None else None
    end = 0  # the line the header ended on
    try:
        if header is None:  # the header record, read as _records reads it
            for row in reader:
                line, end = end + 1, reader.line_num
                if not row:
                    continue
                if dialect.one_line and end > line:
                    return None
                header = row
                check_header_names(header, f"{path}:{end}")
                break
            else:
                return 0  # no header, no records
        lengths = np.fromiter(map(len, reader), dtype=np.int64)  # 0: an empty line
    except csv.Error:
        return None
    if dialect.one_line and reader.line_num - end != len(lengths):
        return None  # some record took more than one line
    filled = lengths[lengths > 0]
    if (filled != len(header)).any():
        return None
    return len(filled)


def _records(path: Path, text: str, dialect: CsvDialect, bad: set[int] | frozenset[int]
             ) -> int:
    """:func:`check_field_counts`, record by record: the error for the first record that
    is wrong."""
    reader = _csv_reader(text, dialect)
    header = list(dialect.columns) if dialect.columns is not None else None
    one_line = dialect.one_line
    try:
        rows = 0
        end = 0  # the line the previous record ended on
        for row in reader:
            line, end = end + 1, reader.line_num
            if not row:
                continue  # an empty line is no record, for every reader
            if one_line and end > line:
                # the quoted value is named by the scanner (_no_bad_quote), as streamed
                raise DataError(f"{path}:{line}: a quoted value spans lines {line}-{end}")
            if header is None:
                header = row
                check_header_names(header, f"{path}:{end}")
                continue
            rows += 1
            if len(row) != len(header) and rows not in bad:
                # a line of spaces is a record of one value, as the streaming reader reads
                # it (pandas alone would skip it, so the same file would give other rows)
                raise field_count_error(f"{path}:{line}: row {rows}", len(row), len(header),
                                        dialect, spaces_only=_blank(row, text, line),
                                        header=header)
        return rows
    except csv.Error as exc:
        raise DataError(f"{path}:{reader.line_num}: {dialect.malformed}: {exc}") from None


def _no_spaces_before_header(path: Path, text: str) -> None:
    """The first line that is not empty must not be only spaces or tabs: read as the
    streaming reader reads it, from the raw line (a TSV line of tabs is values to the CSV
    module, a quoted "  " is a header name to both)."""
    for number, found in enumerate(_LINE.finditer(text), start=1):
        line = found.group(1)
        if line:
            if not line.strip(" \t"):
                raise spaces_before_header(f"{path}:{number}")
            return
        if not found.group(2):  # the end of the text
            return



def _blank(row: list[str], text: str, line: int) -> bool:
    """Whether the record ``row``, from line ``line`` of ``text``, is only spaces or tabs
    as written, as the streaming reader tells it from the bytes (``""`` is a quoted empty
    value, not a blank line; a line of tabs is, though it holds values)."""
    if any(value.strip(" \t\r\n") for value in row):
        return False
    written = next(found.group(1) for number, found in enumerate(_LINE.finditer(text), 1)
                   if number == line)
    return not written.strip(" \t")
