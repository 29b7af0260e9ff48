"""Where CSV records start and end, found without parsing a value.

A quoted CSV value may hold line breaks, so a byte offset alone cannot tell where a
record starts. :class:`CsvScanner` follows the rules ``pyarrow.csv`` parses with, in the
file's :class:`~labelwright.data.csv_format.CsvDialect`, so the records it finds are the
rows the reader reads: partitions of a file can be planned without reading its values,
and a row the reader refuses, or a quoted value the dialect refuses, can be named by line
and row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from labelwright.data.csv_format import CsvDialect, field_count_error, spaces_before_header
from labelwright.data.text_checks import NotUtf8, check_header_names, line_breaks, not_utf8
from labelwright.errors import DataError, QuoteError

_QUOTE, _CR, _LF = 0x22, 0x0D, 0x0A
_LINE_BREAK = re.compile(rb"[\r\n]")
_MANY = 64  # records passed by one regular-expression match


class BadQuote(Exception):
    """A quoted value the dialect refuses. ``opens``/``closes``: the line breaks from the
    start of its record to its opening quote and to its closing one; ``text``: the file
    from its opening quote to the end of that line, and ``close``: where in ``text`` the
    closing quote is (-1: past it), for the message. ``rows_before``: the records
    :meth:`CsvScanner.skip` passed in the same call before it."""

    rows_before = 0

    def __init__(self, opens: int = 0, closes: int = 0, text: bytes = b"",
                 close: int = -1) -> None:
        super().__init__()
        self.opens, self.closes, self.text, self.close = opens, closes, text, close


class UnclosedQuote(BadQuote):
    """A quoted value that the end of the file reaches before its closing quote (the CSV
    reader would read the rest of the file into it)."""


class TextAfterQuote(BadQuote):
    """A quoted value with text after its closing quote (``"abc" def``): every CSV reader
    drops the quotes and joins the text, without an error."""


class QuoteSpansLines(BadQuote):
    """A quoted value holding a line break, read ``quoting = "auto"`` (a TSV file)."""


_AS_TEXT = 'set [data] quoting = "none" to read quotes as text (one line is one record)'


def quote_error(exc: BadQuote, path: str, line: int, what: str,
                dialect: CsvDialect) -> QuoteError:
    """The error for ``exc`` in the record ``what`` (``row 3``, ``the header``) that starts
    on ``line``: it names the line where the quoted value starts (and, for a value spanning
    lines, where it ends) and says how ``[data] quoting`` would read the file."""
    start, stop = line + exc.opens, line + exc.closes
    where = f"{path}:{start}: {what}"
    if isinstance(exc, UnclosedQuote):
        hint = ("; in a tab-separated file a quote at the start of a value is often text: "
                + _AS_TEXT) if dialect.delimiter == "\t" else ""
        return QuoteError(f"{where}: {dialect.malformed}: a quoted value starts in this row "
                          "and its closing quote never comes, so every line after it would be read "
                          'into it; close the quote, or write a quote inside a value as two '
                          '("")' + hint)
    shown = _shown(exc.text, exc.close)
    if isinstance(exc, QuoteSpansLines):
        return QuoteError(
            f"{where}: a quoted value starts here ({shown}) and ends on line {stop}; in a "
            "tab-separated file a quote at the start of a value may be text (as in "
            '"Hi" she said) rather than quoting, and read as quoting it takes the lines up '
            f"to the next quote into one value, so which records lines {start}-{stop} hold "
            f'is ambiguous: {_AS_TEXT}, or quoting = "csv" to accept quoted values that '
            "span lines")
    ends = f" (its closing quote is on line {stop})" if stop != start else ""
    if dialect.one_line:
        return QuoteError(
            f"{where}: a value starts with a quote and has text after its closing quote "
            f"({shown}){ends}: malformed under CSV quoting, which would drop the quotes "
            "and join the text; in a tab-separated file such a quote is likely text: "
            f"{_AS_TEXT}")
    return QuoteError(
        f"{where}: {dialect.malformed}: text after the closing quote of a quoted value "
        f"({shown}){ends}; read as CSV, the quotes would be dropped and the text joined, "
        'silently: quote the whole value, writing each quote in it as two (""), or, if '
        f"the quotes in this file are text, {_AS_TEXT}")


def _shown(text: bytes, close: int = -1, width: int = 60) -> str:
    """A quoted value as a message shows it: the first line of it, cut short; when that
    line holds the closing quote (``text[close]``), up to a little past it, where the
    problem is (the start, then the text around it, if it is far in)."""
    line = _LINE_BREAK.split(text, 1)[0]
    chars = line.decode("utf-8", errors="replace")
    if len(chars) <= width:
        return repr(chars)
    third = width // 3
    stop = width - 3
    shown = chars[:stop]
    if 0 <= close < len(line):
        stop = min(len(line[:close].decode("utf-8", errors="replace")) + third, len(chars))
        shown = chars[:stop] if stop <= width else \
            chars[:third] + "..." + chars[stop - 2 * third:stop]
    return repr(shown + "..." * (stop < len(chars)))


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


class CsvScanner:
    """Finds where CSV records end, by the rules the CSV reader parses them with.

    A quote opens a quoted value only at the start of a value; inside one, ``""`` is a
    quote and delimiters and line breaks (``\\n``, ``\\r``, ``\\r\\n``) are text. Empty
    lines are no record. Only offsets are found: no value is decoded. A quoted value the
    ``dialect`` refuses raises a :class:`BadQuote`; with ``quoting = "none"`` a record is
    a line.
    """

    def __init__(self, handle: BinaryIO, start: int, dialect: CsvDialect, *,
                 block: int = 1 << 20) -> None:
        handle.seek(start)
        self._handle = handle
        self._buf = b""
        self._base = start  # file offset of _buf[0]
        self._pos = 0  # where the next record starts, in _buf
        self._eof = False
        self._block = block
        self._quotes, self._one_line = dialect.quotes, dialect.one_line
        self._delim = dialect.delimiter.encode()
        self._delim_byte = self._delim[0]
        d = re.escape(self._delim)
        self._value_end = re.compile(b"[" + d + rb"\r\n]")
        if self._quotes:
            inside = rb'[^"\r\n]' if self._one_line else rb'[^"]'
            # a quoted value ends at a delimiter or line break: where text follows it, the
            # expression finds no record and _record raises the BadQuote
            value = (rb'(?:"(?:' + inside + rb'++|"")*+"(?![^' + d + rb'\r\n])|(?!")[^' + d
                     + rb"\r\n]*+)")
        else:
            value = rb"[^" + d + rb"\r\n]*+"
        record = value + rb"(?:" + d + value + rb")*+(?:\r\n|\r|\n)"
        self._whole = re.compile(record)  # one record, or an empty line
        # _MANY records, each after any empty lines, in one call
        self._many = re.compile(rb"(?>(?:\r\n|\r|\n)*+(?![\r\n])" + record + rb"){%d}" % _MANY)
        self._newlines = 0
        self._counted = 0  # _buf index up to which newlines are counted

    @property
    def offset(self) -> int:
        """The file offset where the next record starts."""
        return self._base + self._pos

    @property
    def newlines(self) -> int:
        """The line breaks passed so far: ``\\r\\n``, ``\\n`` or ``\\r`` alone, as the
        whole-file reader counts lines (records end after a whole ``\\r\\n``)."""
        buf, start, stop = self._buf, self._counted, self._pos
        self._newlines += (buf.count(b"\n", start, stop) + buf.count(b"\r", start, stop)
                           - buf.count(b"\r\n", start, stop))
        self._counted = self._pos
        return self._newlines

    def skip(self, count: int) -> int:
        """Pass ``count`` records (fewer at the end of the file); how many were passed."""
        done = 0
        match = self._whole.match
        many = True  # until a block of _MANY records fails to match in this buffer
        while done < count:
            buf, pos = self._buf, self._pos
            if many and count - done >= _MANY:
                found = self._many.match(buf, pos)
                if found is not None and (found.end() < len(buf) or self._eof):
                    done += _MANY
                    self._pos = found.end()
                    continue
                many = False
            found = match(buf, pos)
            if found is not None and (found.end() < len(buf) or self._eof):
                end = found.end()
                if end - pos > 2 or buf[pos] not in (_CR, _LF):  # else an empty line
                    done += 1
                self._pos = end
                continue
            if pos >= len(buf):
                if not self._fill():
                    break
                many = True
                continue
            try:
                record = self._record(False)  # a record the bytes read so far do not hold
            except BadQuote as exc:
                exc.rows_before = done
                raise
            if record is None:
                self._fill()
                many = True
                continue
            self._pos, values = record
            done += values > 0
        return done

    def records(self, stop: int | None = None, *, fields: bool = False
                ) -> Iterator[tuple[int, int, int, int]]:
        """``(start, end, values, newlines before start)`` of each record up to ``stop``.

        ``end`` is the offset after the record's line break; ``values`` counts the
        record's values when ``fields`` is set (else 1).
        """
        while True:
            if stop is not None and self._base + self._pos >= stop:
                return
            if self._pos >= len(self._buf) and not self._fill():
                return
            found = self._record(fields)
            if found is None:  # the record goes on past the bytes read so far
                self._fill()
                continue
            end, values = found
            start = self._base + self._pos
            before = self.newlines
            self._pos = end
            if values:
                yield start, self._base + end, values if fields else 1, before

    def record_bytes(self, start: int, end: int) -> bytes:
        """The bytes of the record :meth:`records` yielded last."""
        return self._buf[start - self._base:end - self._base]

    def _check_quoted(self, start: int, opened: int, after: int) -> None:
        """Raise a :class:`BadQuote` for the quoted value from ``opened`` (its quote) to
        ``after`` (past its closing quote) of the record from ``start``, if the dialect
        refuses it: it spans lines (``auto``), or text follows its closing quote."""
        buf = self._buf
        spans = self._one_line and _LINE_BREAK.search(buf, opened, after) is not None
        if spans or (after < len(buf) and buf[after] != self._delim_byte
                     and buf[after] not in (_CR, _LF)):
            line_end = _LINE_BREAK.search(buf, after)
            text = buf[opened:line_end.start() if line_end else len(buf)]
            kind = QuoteSpansLines if spans else TextAfterQuote
            raise kind(line_breaks(buf, start, opened), line_breaks(buf, start, after - 1),
                       text, after - 1 - opened)

    def _fill(self) -> bool:
        self._newlines = self.newlines  # count the bytes about to be dropped
        data = self._handle.read(max(self._block, len(self._buf) - self._pos))
        self._buf = self._buf[self._pos:] + data
        self._base += self._pos
        self._pos = self._counted = 0
        self._eof = not data
        return bool(data)

    def _record(self, fields: bool) -> tuple[int, int] | None:
        """(end, values) of the record at ``_pos``; None if more bytes are needed."""
        buf, i, eof, n = self._buf, self._pos, self._eof, len(self._buf)
        found = _LINE_BREAK.search(buf, i)
        if found is None and not eof:
            return None
        stop = found.start() if found is not None else n
        if not self._quotes or buf.find(b'"', i, stop) < 0:  # the line break ends the record
            if stop == i:
                values = 0
            else:
                values = buf.count(self._delim, i, stop) + 1 if fields else 1
        else:
            values, pos = 1, i
            while True:
                if pos < n and buf[pos] == _QUOTE:
                    opened = pos
                    pos += 1
                    while True:
                        quote = buf.find(b'"', pos)
                        if quote < 0 or (quote + 1 >= n and not eof):
                            if not eof:
                                return None
                            raise UnclosedQuote(line_breaks(buf, i, opened))
                        if quote + 1 < n and buf[quote + 1] == _QUOTE:
                            pos = quote + 2
                            continue
                        pos = quote + 1
                        break
                    self._check_quoted(i, opened, pos)
                found = self._value_end.search(buf, pos)
                if found is None:
                    if not eof:
                        return None
                    return n, values
                if buf[found.start()] == self._delim_byte:
                    values += 1
                    pos = found.start() + 1
                    continue
                stop = found.start()
                break
        if stop >= n:
            return n, values
        if buf[stop] == _CR:
            if stop + 1 >= n:
                return None if not eof else (n, values)
            return (stop + 2 if buf[stop + 1] == _LF else stop + 1), values
        return stop + 1, values


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
