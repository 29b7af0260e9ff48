"""A quoted CSV value the file's :class:`~labelwright.data.csv_format.CsvDialect` refuses:
the :class:`BadQuote` a :class:`~labelwright.data.csv_scanner.CsvScanner` raises, with what
the message needs, and the error that names its line and row and says how ``[data]
quoting`` would read the file (:func:`quote_error`). The CSV reader itself would read such
a value otherwise than it looks, without an error.
"""

from __future__ import annotations

import re

from labelwright.data.csv_format import CsvDialect
from labelwright.errors import QuoteError

#: a line break, ``\r`` or ``\n`` (``\r\n`` is two of them)
LINE_BREAK = re.compile(rb"[\r\n]")


class BadQuote(Exception):
    """A quoted value the dialect refuses. ``opens``/``closes``: the line breaks from the
    start of its record to its opening quote and to its closing one; ``text``: the file
    from its opening quote to the end of that line, and ``close``: where in ``text`` the
    closing quote is (-1: past it), for the message. ``rows_before``: the records
    :meth:`~labelwright.data.csv_scanner.CsvScanner.skip` passed in the same call before it."""

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
    line = LINE_BREAK.split(text, 1)[0]
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
