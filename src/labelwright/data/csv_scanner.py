"""Where CSV records start and end, found without parsing a value (:class:`CsvScanner`).

A quoted CSV value may hold line breaks, so a byte offset alone cannot tell where a
record starts. :class:`CsvScanner` follows the rules ``pyarrow.csv`` parses with, in the
file's :class:`~labelwright.data.csv_format.CsvDialect`, so the records it finds are the
rows the reader reads: partitions of a file can be planned without reading its values,
and a row the reader refuses, or a quoted value the dialect refuses, can be named by line
and row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from labelwright.data.csv_format import CsvDialect
from labelwright.data.quote_errors import (
    LINE_BREAK,
    BadQuote,
    QuoteSpansLines,
    TextAfterQuote,
    UnclosedQuote,
)
from labelwright.data.text_checks import line_breaks

_QUOTE, _CR, _LF = 0x22, 0x0D, 0x0A
_MANY = 64  # records passed by one regular-expression match


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
        spans = self._one_line and LINE_BREAK.search(buf, opened, after) is not None
        if spans or (after < len(buf) and buf[after] != self._delim_byte
                     and buf[after] not in (_CR, _LF)):
            line_end = LINE_BREAK.search(buf, after)
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
        found = LINE_BREAK.search(buf, i)
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
