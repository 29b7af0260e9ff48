"""CSV and TSV files: the dialect every reader splits them by (whole, streamed, in
partitions), and the whole-file read with its checks: a row with more or fewer fields than
the header, a quoted value read otherwise than it was written, spaces before the header."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from labelwright.config import DATA_QUOTINGS, delimiter_problem
from labelwright.data.text_checks import check_header_names, line_of_offset, not_utf8
from labelwright.errors import DataError, QuoteError, RowError

if TYPE_CHECKING:
    from labelwright.data.bad_rows import SkippedRow

#: the formats read as CSV, and the delimiter of each
DELIMITERS = {"csv": ",", "tsv": "\t"}


@dataclass(frozen=True)
class CsvDialect:
    """How every reader of a CSV or TSV file (whole, streamed, in partitions) splits it.

    ``quoting``: ``"csv"``, a quote at the start of a value opens a quoted value that may
    hold delimiters and line breaks (``""`` in it is a quote), and text after its closing
    quote is an error (every reader would drop the quotes and join the text, silently);
    ``"none"``, quotes are text and every line is one record; ``"auto"`` (a TSV file's
    default), CSV quoting, but a quoted value that spans lines is an error too: in a
    tab-separated file a quote at the start of a value is as often text, and reading it as
    quoting would take the lines up to the next quote into one value.
    ``columns``: the names of a file without a header row (its first line is a record).
    """

    delimiter: str = ","
    quoting: str = "csv"
    columns: tuple[str, ...] | None = None

    @property
    def malformed(self) -> str:
        """What a message calls a record the format's reader cannot read: ``malformed
        TSV`` for a tab-separated file, ``malformed CSV`` for any other."""
        return "malformed TSV" if self.delimiter == "\t" else "malformed CSV"

    @property
    def quotes(self) -> bool:
        """Whether a quote at the start of a value opens a quoted value."""
        return self.quoting != "none"

    @property
    def one_line(self) -> bool:
        """Whether a quoted value that spans lines is an error (``quoting = "auto"``)."""
        return self.quoting == "auto"

    @property
    def header(self) -> bool:
        """Whether the file's first record names its columns."""
        return self.columns is None

    @property
    def csv_quoting(self) -> Literal[0, 3]:
        """The ``quoting`` of the :mod:`csv` module and pandas that reads quotes so."""
        return csv.QUOTE_MINIMAL if self.quotes else csv.QUOTE_NONE


def own_delimiter(kind: str, delimiter: str | None) -> bool:
    """Whether ``delimiter`` (``[data] delimiter``; None: not set) is the one a file of
    format ``kind`` is read with anyway: ``,`` for CSV, a tab for TSV."""
    return delimiter is None or DELIMITERS.get(kind) == delimiter


def csv_dialect(path: Path | str, kind: str, quoting: str = "auto",
                columns: Sequence[str] | None = None,
                delimiter: str | None = None) -> CsvDialect:
    """The dialect of a file of format ``kind`` read with ``[data] quoting``, ``columns``
    and ``delimiter`` (None: the format's own, ``,`` or a tab); a :class:`DataError` naming
    ``path`` for settings the format does not take. ``auto`` is CSV quoting in a CSV file,
    where quoted values spanning lines are common."""
    if quoting not in DATA_QUOTINGS:
        raise DataError(f"{path}: unknown quoting {quoting!r}; valid: "
                        f"{', '.join(DATA_QUOTINGS)}")
    if kind not in DELIMITERS:
        if columns is not None or quoting != "auto" or delimiter is not None:
            raise DataError(f"{path}: quoting, columns and delimiter are settings of a CSV or "
                            f"TSV file; this one is read as {kind}")
        return CsvDialect()
    if delimiter is not None and delimiter_problem(delimiter):
        raise DataError(f"{path}: {delimiter_problem(delimiter)}")
    if columns is not None:
        columns = tuple(columns)
        if not columns or any(not isinstance(c, str) or not c.strip() for c in columns) \
                or len(set(columns)) < len(columns):
            raise DataError(f"{path}: columns must name every column once, got "
                            f"{list(columns)!r}")
    resolved = "csv" if quoting == "auto" and kind == "csv" else quoting
    return CsvDialect(delimiter or DELIMITERS[kind], resolved, columns)


def read_csv(path: Path, dialect: CsvDialect,
             skipped: list[SkippedRow] | None = None) -> pd.DataFrame:
    """The file's records as a frame of text. ``skipped``: a list to add the records with
    another number of values than the header to, which are then left out (``[data]
    bad_rows = "skip"``); None: such a record is an error."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # after the BOM
        _no_bad_quote(path, raw, dialect)  # named first, as a streamed read scans first
        raise (_first_bad_record(path, raw, dialect)
               or not_utf8(f"{path}:{line_of_offset(raw, start)}", raw, start
                           ).mixed(io.BytesIO(raw), start)) from None
    bad: set[int] = set()
    if skipped is not None:
        bad_records = _bad_records(path, raw, dialect)
        skipped.extend(bad_records)
        bad = {record.row for record in bad_records}
    try:
        records = _check_field_counts(path, text, dialect, bad)
    except DataError:
        _no_bad_quote(path, raw, dialect)  # the cause, if it is a quote, named as streamed
        raise
    if bad or _LONE_CR.search(text) is not None:
        # lines ended by \r alone: pandas reads a record after an empty one with its first
        # value dropped and the others shifted left when that value is empty; bad rows are
        # left out by their number, which pandas does not count
        return _frame_of_records(path, text, dialect, bad)
    del text  # pandas reads the bytes: the decoded text would be a second copy of the file
    frame = _pandas_frame(path, raw, dialect)
    if len(frame) != records:  # a record pandas skipped: the rows are the records counted
        return _frame_of_records(path, raw.decode("utf-8-sig"), dialect)
    return frame


def _pandas_frame(path: Path, raw: bytes, dialect: CsvDialect) -> pd.DataFrame:
    """``pd.read_csv`` of the file's bytes (``raw``, checked to be UTF-8), values as text, an
    empty one missing. Read from bytes, pandas decodes a block at a time: from the decoded
    text (an ``io.StringIO``, which holds 4 bytes a character) the read of a file of short
    texts peaked at about 950 bytes a row over the file, from its bytes at about 570."""
    options: dict[str, Any] = {"quoting": dialect.csv_quoting}
    if not dialect.header:
        options.update(header=None, names=list(dialect.columns or ()))
    try:
        return pd.read_csv(io.BytesIO(raw), sep=dialect.delimiter, dtype=str,
                           encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                           **options)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header row") from None
    except pd.errors.ParserError as exc:
        _no_bad_quote(path, raw, dialect)
        raise DataError(f"{path}: {dialect.malformed}: {exc}") from None


def _frame_of_records(path: Path, text: str, dialect: CsvDialect,
                      bad: set[int] | frozenset[int] = frozenset()) -> pd.DataFrame:
    """The records of ``text`` read by the :mod:`csv` module (which counted them), as
    pandas gives a file it reads right: columns named as :func:`frame_names` names them,
    values as text, an empty one missing. ``bad``: 1-based rows to leave out."""
    from labelwright.data.csv_records import frame_names

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter,
                        quoting=dialect.csv_quoting)
    limit = csv.field_size_limit(_FIELD_SIZE_LIMIT)
    try:
        rows = [row for row in reader if row]
    finally:
        csv.field_size_limit(limit)
    if dialect.columns is not None:
        names = list(dialect.columns)
    elif rows:
        names, rows = frame_names(rows[0]), rows[1:]
    else:
        raise DataError(f"{path}: the file is empty; expected a header row")
    if bad:
        rows = [row for number, row in enumerate(rows, start=1) if number not in bad]
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    return frame.mask(frame == "").astype(_text_dtype())


@functools.cache
def _text_dtype() -> Any:
    """The type of a column pandas reads with ``dtype=str`` (object, or from pandas 3 its
    string type)."""
    return pd.read_csv(io.StringIO("x\na\n"), dtype=str)["x"].dtype


def _bad_records(path: Path, raw: bytes, dialect: CsvDialect) -> list[SkippedRow]:
    """The records a streamed read skips too (:func:`csv_bad_records`)."""
    from labelwright.data.bad_rows import csv_bad_records
    from labelwright.data.csv_records import csv_header

    handle = io.BytesIO(raw)
    header, body, first_line = csv_header(handle, str(path), dialect)
    return csv_bad_records(handle, path=str(path), start=body, first_line=first_line,
                           header=header, dialect=dialect)


def _first_bad_record(path: Path, raw: bytes, dialect: CsvDialect) -> DataError | None:
    """The error a streamed read gives for the first record it cannot read (naming its
    line, row and column), if it finds one."""
    from labelwright.data.csv_records import csv_header, first_bad_record

    handle = io.BytesIO(raw)
    try:
        header, body, first_line = csv_header(handle, str(path), dialect)
    except DataError as exc:  # the header itself
        return exc
    return first_bad_record(handle, path=str(path), start=body, stop=None, first_row=0,
                            first_line=first_line, header=header, dialect=dialect)


def _no_bad_quote(path: Path, raw: bytes, dialect: CsvDialect) -> None:
    """The error a streamed read gives for a quoted value the dialect refuses (one the file
    ends inside, with text after its closing quote, or, read ``auto``, spanning lines), if
    the file has one: read whole, it first looks like a row short of values, or as the
    :mod:`csv` module's own complaint."""
    from labelwright.data.csv_records import count_records, csv_header

    handle = io.BytesIO(raw)
    try:
        _, body, first_line = csv_header(handle, str(path), dialect)
    except QuoteError:
        raise
    except DataError:
        return  # another problem of the header itself: the error being raised names it
    count_records(handle, str(path), body, first_line, dialect)


def _check_field_counts(path: Path, text: str, dialect: CsvDialect,
                        bad: set[int] | frozenset[int] = frozenset()) -> int:
    """Every row must have as many values as the header (or ``[data] columns``): more
    would shift every value into the wrong column, fewer would leave the last columns
    silently missing (but the 1-based rows ``bad``, which are skipped). The :mod:`csv`
    module reads strictly: text after a closing quote is an error, not a value with its
    quotes dropped. Returns the number of records, ``bad`` ones included."""
    if dialect.header:
        _no_spaces_before_header(path, text)
    limit = csv.field_size_limit(_FIELD_SIZE_LIMIT)  # a value may be longer than 128 KiB
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
    """:func:`_check_field_counts`, record by record: the error for the first record that
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


_LONE_CR = re.compile("\r(?!\n)")  # a line break of \r alone (one pass, stops at the first)


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")  # a line, and its break (\r alone too)


_FIELD_SIZE_LIMIT = 2**31 - 1  # characters; the largest the csv module takes everywhere


def spaces_before_header(where: str) -> DataError:
    """A line of only spaces where the header should be: every reader stops there (the
    streaming one would take it for a header of one column)."""
    return DataError(f"{where}: a line of only spaces or tabs where the header should be; "
                     "delete it (the header is the first line, the column names)")


def separator_hint(header: Sequence[str], delimiter: str = ",") -> str | None:
    """What to do when a header read as one column holds semicolons, tabs, ``|`` or (read
    with another ``delimiter``) commas: the
    file is separated by them (a spreadsheet saved as CSV in a locale whose decimal mark is
    the comma writes semicolons), or is Excel's ``sep=;`` line (:func:`excel_sep_line`),
    read with ``delimiter``; None for any other header."""
    excel = excel_sep_line(header, delimiter)
    if excel is not None:
        return (f"delete the first line 'sep={excel}' (an Excel hint, not a header)"
                + (f', and set [data] delimiter = "{excel}"' if excel != delimiter else ""))
    if len(header) != 1:
        return None
    if "\t" in header[0]:  # a tab-separated file without the .tsv suffix
        return ('the header looks separated by tabs: set [data] format = "tsv" (or name the '
                "file .tsv)")
    if ";" in header[0]:
        return ("the header looks separated by semicolons (as spreadsheets save CSV where the "
                "decimal mark is a comma): set [data] delimiter = \";\"")
    if "|" in header[0]:
        return 'the header looks separated by "|": set [data] delimiter = "|"'
    if "," in header[0] and delimiter != ",":  # [data] delimiter set on a comma-separated file
        return ("the header looks separated by commas: set [data] delimiter = \",\" (or leave "
                "it unset: a .csv file's default)")
    return None


def excel_sep_line(header: Sequence[str], delimiter: str) -> str | None:
    """The delimiter an Excel ``sep=;`` first line names, when ``header`` (the first line
    read as a header, split at ``delimiter``) is one; None otherwise."""
    if len(header) == 2 and header[0] == "sep=" and header[1] in ("", "Unnamed: 1"):
        return delimiter  # "sep=;" read with the delimiter it names (pandas: "Unnamed: 1")
    if len(header) == 1 and len(header[0]) == 5 and header[0].startswith("sep="):
        return header[0][4]
    return None


def field_count_error(where: str, values: int, columns: int, dialect: CsvDialect, *,
                      spaces_only: bool, header: Sequence[str] = ()) -> RowError:
    """A CSV record with another number of values than its header (or ``[data] columns``)
    has columns: a row of its own, which ``[data] bad_rows = "skip"`` leaves out."""
    sep = dialect.delimiter
    other = separator_hint(header, sep) if dialect.header else None
    if other:
        hint = other
    elif spaces_only:
        hint = "the line holds only spaces or tabs; delete it or give it its values"
    elif values > columns and not dialect.quotes:
        hint = (f'a value holds {sep!r}, which [data] quoting = "none" reads as the end of '
                "the value")
    elif values > columns:
        hint = f"quote texts that contain {sep!r} (\"like, this\")"
    elif not dialect.quotes:  # quotes are text: no quote hides a delimiter or a line
        hint = ('check for a missing value, or a line break inside a value ([data] quoting = '
                '"none" reads each line as one record)')
    else:
        hint = "check for a missing value or quote"
    named = "the header has" if dialect.header else "[data] columns names"
    reason = (f"{dialect.malformed}: {values} value{'s' * (values != 1)} where {named} "
              f"{columns}; {hint}")
    return RowError(f"{where}: {reason}", reason)


def _blank(row: list[str], text: str, line: int) -> bool:
    """Whether the record ``row``, from line ``line`` of ``text``, is only spaces or tabs
    as written, as the streaming reader tells it from the bytes (``""`` is a quoted empty
    value, not a blank line; a line of tabs is, though it holds values)."""
    if any(value.strip(" \t\r\n") for value in row):
        return False
    written = next(found.group(1) for number, found in enumerate(_LINE.finditer(text), 1)
                   if number == line)
    return not written.strip(" \t")


def csv_row_lines(path: Path | str, dialect: CsvDialect, rows: Iterable[int]
                  ) -> dict[int, int]:
    """``{row: line}`` of the 0-based ``rows`` of a CSV or TSV file, each the line its
    record starts on: a quoted value may hold line breaks, and empty lines hold no row,
    so a row's number does not say where it is. Found by the record scanner the streamed
    read uses, for an error's message only."""
    from labelwright.data.csv_records import BadQuote, CsvScanner, csv_header

    wanted = set(rows)
    found: dict[int, int] = {}
    with open(path, "rb") as handle:
        try:
            _, body, first_line = csv_header(handle, str(path), dialect)
            for row, (_, _, _, before) in enumerate(CsvScanner(handle, body, dialect).records()):
                if row in wanted:
                    found[row] = first_line + before
                    if len(found) == len(wanted):
                        break
        except (BadQuote, DataError):  # past the rows the failed read had: keep those
            pass
    return found
