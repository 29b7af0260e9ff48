"""A CSV file read by its records: its header (:func:`csv_header`), the options the CSV
reader parses its rows with (:func:`csv_options`) and the names it gives their columns
(:func:`frame_names`), how many records it holds (:func:`count_records`), and the first
record the reader cannot read, named by line and row (:func:`first_bad_record`).

Where records start and end is found by :class:`~labelwright.data.csv_scanner.CsvScanner`
without parsing a value; a quoted value the dialect refuses is a
:class:`~labelwright.data.quote_errors.BadQuote`, said by
:func:`~labelwright.data.quote_errors.quote_error`.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from labelwright.data.csv_errors import field_count_error, spaces_before_header
from labelwright.data.csv_format import CsvDialect
from labelwright.data.csv_scanner import CsvScanner as CsvScanner  # defined here before
from labelwright.data.quote_errors import BadQuote as BadQuote
from labelwright.data.quote_errors import QuoteSpansLines as QuoteSpansLines
from labelwright.data.quote_errors import TextAfterQuote as TextAfterQuote
from labelwright.data.quote_errors import UnclosedQuote as UnclosedQuote
from labelwright.data.quote_errors import quote_error as quote_error
from labelwright.data.text_checks import NotUtf8, check_header_names, line_breaks, not_utf8
from labelwright.errors import DataError


def csv_options(header: tuple[str, ...] | list[str], dialect: CsvDialect
                ) -> tuple[pacsv.ParseOptions, pacsv.ConvertOptions]:
    """Every column as text; only an empty value is missing (as :func:`read_dataset` does);
    quotes as the dialect reads them."""
    return (pacsv.ParseOptions(delimiter=dialect.delimiter,
                               quote_char='"' if dialect.quotes else False,
                               newlines_in_values=dialect.quotes),
            pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                 strings_can_be_null=True, null_values=[""]))


def frame_names(header: tuple[str, ...] | list[str]) -> list[str]:
    """The column names a whole-file read gives a CSV header: an empty name (the trailing
    commas spreadsheets write) is ``Unnamed: <position>``, as pandas names it, with ``.1``
    (``.2``, ...) when the header names that column too, so streamed chunks have the same
    fields. (The header's own names are unique: :func:`check_header_names`.)"""
    taken = {name for name in header if name}
    out: list[str] = []
    for i, name in enumerate(header):
        if not name:
            base, n, name = f"Unnamed: {i}", 0, f"Unnamed: {i}"
            while name in taken:
                n += 1
                name = f"{base}.{n}"
            taken.add(name)
        out.append(name)
    return out


def csv_header(handle: BinaryIO, path: str, dialect: CsvDialect
               ) -> tuple[list[str], int, int]:
    """The column names (the header's, or the dialect's for a file without one), the
    offset where records start and the line the first record can be on."""
    start = 3 if handle.read(3) == b"\xef\xbb\xbf" else 0
    if dialect.columns is not None:
        return list(dialect.columns), start, 1
    scanner = CsvScanner(handle, start, dialect)
    try:
        first, end, _, before = next(scanner.records())  # before: the blank lines skipped
    except StopIteration:
        raise DataError(f"{path}: the file is empty; expected a header row") from None
    except BadQuote as exc:
        raise quote_error(exc, path, scanner.newlines + 1, "the header", dialect) from None
    record = scanner.record_bytes(first, end)
    try:
        text = record.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise _record_not_utf8(record, bad, path, 1 + before,
                               "the header").mixed(handle, first + bad.start) from None
    if not text.strip(" \t\r\n"):
        raise spaces_before_header(f"{path}:{1 + before}")
    names = next(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter,
                            quoting=dialect.csv_quoting), [])
    check_header_names(names, path)
    return names, end, scanner.newlines + 1


def count_records(handle: BinaryIO, path: str, start: int, first_line: int,
                  dialect: CsvDialect) -> int:
    """The records from ``start`` (on line ``first_line``) to the end of the file. A quoted
    value the dialect refuses is an error naming its line and row: the CSV reader would
    read every line after an unclosed quote into that value, and drop the quotes of one
    with text after them, without an error."""
    scanner = CsvScanner(handle, start, dialect)
    rows = 0
    try:
        while passed := scanner.skip(1 << 16):
            rows += passed
    except BadQuote as exc:
        raise quote_error(exc, path, first_line + scanner.newlines,
                          f"row {rows + exc.rows_before + 1}", dialect) from None
    return rows


def _record_not_utf8(record: bytes, bad: UnicodeDecodeError, path: str, first_line: int,
                     what: str) -> NotUtf8:
    """The error for a record (starting on ``first_line``) that is not UTF-8, on the line
    of its first bad byte: a quoted value may hold line breaks."""
    line_start = max(record.rfind(b"\n", 0, bad.start), record.rfind(b"\r", 0, bad.start)) + 1
    line = first_line + line_breaks(record, 0, bad.start)
    return not_utf8(f"{path}:{line}: {what}", record[line_start:], bad.start - line_start,
                    "column")


def csv_error(exc: Exception, handle: BinaryIO, *, path: str, start: int, stop: int | None,
              first_row: int, first_line: int, header: tuple[str, ...] | list[str],
              dialect: CsvDialect) -> DataError:
    """A :class:`DataError` naming the first record the CSV reader could not read (see
    :func:`first_bad_record`); without such a record, the reader's own message is kept."""
    found = first_bad_record(handle, path=path, start=start, stop=stop, first_row=first_row,
                             first_line=first_line, header=header, dialect=dialect)
    return found or DataError(f"{path}: {dialect.malformed}: {exc}")


def first_bad_record(handle: BinaryIO, *, path: str, start: int, stop: int | None,
                     first_row: int, first_line: int, header: tuple[str, ...] | list[str],
                     dialect: CsvDialect) -> DataError | None:
    """The error for the first record from ``start`` (file row ``first_row``, 0-based, on
    line ``first_line``) that cannot be read: a quoted value the dialect refuses, a
    number of values other than the header's, or bytes that are not UTF-8."""
    scanner = CsvScanner(handle, start, dialect)
    records = scanner.records(stop, fields=True)
    k = 0
    while True:
        try:
            first, end, values, newlines = next(records)
        except StopIteration:
            break
        except BadQuote as exc:
            return quote_error(exc, path, first_line + scanner.newlines,
                               f"row {first_row + k + 1}", dialect)
        row = first_row + k + 1
        record = scanner.record_bytes(first, end)
        if values != len(header):
            return field_count_error(f"{path}:{first_line + newlines}: row {row}", values,
                                     len(header), dialect,
                                     spaces_only=not record.strip(b" \t\r\n"),
                                     header=header)
        try:
            record.decode("utf-8")
        except UnicodeDecodeError as bad:
            return _record_not_utf8(record, bad, path, first_line + newlines,
                                    f"row {row}").mixed(handle, first + bad.start)
        k += 1
    return None
