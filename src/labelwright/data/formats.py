"""The dataset file formats (CSV, TSV, JSONL, Parquet), each read into a DataFrame.

Every check that needs the file itself happens here, so its errors name the file and the
line (CSV, JSONL) or the row (Parquet): bytes that are not UTF-8, a row with more or fewer
fields than the header, a quoted value read otherwise than it was written, repeated column
names, a JSON key given twice, half a surrogate pair. :mod:`labelwright.data.dataset` then
checks ids, texts and gold labels.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from labelwright.config import DATA_FORMATS, DATA_QUOTINGS, DATA_SUFFIXES
from labelwright.errors import DataError, QuoteError

FORMATS = DATA_FORMATS
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


def csv_dialect(path: Path | str, kind: str, quoting: str = "auto",
                columns: Sequence[str] | None = None) -> CsvDialect:
    """The dialect of a file of format ``kind`` read with ``[data] quoting`` and ``columns``;
    a :class:`DataError` naming ``path`` for settings the format does not take. ``auto``
    is CSV quoting in a CSV file, where quoted values spanning lines are common."""
    if quoting not in DATA_QUOTINGS:
        raise DataError(f"{path}: unknown quoting {quoting!r}; valid: "
                        f"{', '.join(DATA_QUOTINGS)}")
    if kind not in DELIMITERS:
        if columns is not None or quoting != "auto":
            raise DataError(f"{path}: quoting and columns are settings of a CSV or TSV file; "
                            f"this one is read as {kind}")
        return CsvDialect()
    if columns is not None:
        columns = tuple(columns)
        if not columns or any(not isinstance(c, str) or not c.strip() for c in columns) \
                or len(set(columns)) < len(columns):
            raise DataError(f"{path}: columns must name every column once, got "
                            f"{list(columns)!r}")
    resolved = "csv" if quoting == "auto" and kind == "csv" else quoting
    return CsvDialect(DELIMITERS[kind], resolved, columns)


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise DataError(f"{path}: unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
        return fmt
    try:
        return DATA_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; "
            f"use one of {', '.join(sorted(DATA_SUFFIXES))} or set [data] format"
        ) from None


def line_breaks(data: bytes, start: int, stop: int) -> int:
    """The line breaks in ``data[start:stop]``: ``\\r\\n``, ``\\n`` or ``\\r`` alone, as
    the CSV readers count lines (old Excel for Mac ends every line with ``\\r``)."""
    return (data.count(b"\n", start, stop) + data.count(b"\r", start, stop)
            - data.count(b"\r\n", start, stop))


def _line_of_offset(raw: bytes, offset: int) -> int:
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
    return not_utf8(f"{path}:{_line_of_offset(data, start)}", data[line_start:],
                    start - line_start, "column")


def _read_csv(path: Path, dialect: CsvDialect) -> pd.DataFrame:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # after the BOM
        _no_bad_quote(path, raw, dialect)  # named first, as a streamed read scans first
        raise (_first_bad_record(path, raw, dialect)
               or not_utf8(f"{path}:{_line_of_offset(raw, start)}", raw, start)) from None
    try:
        records = _check_field_counts(path, text, dialect)
    except DataError:
        _no_bad_quote(path, raw, dialect)  # the cause, if it is a quote, named as streamed
        raise
    if _LONE_CR.search(text) is not None:
        # lines ended by \r alone: pandas reads a record after an empty one with its first
        # value dropped and the others shifted left when that value is empty
        return _frame_of_records(path, text, dialect)
    options: dict[str, Any] = {"quoting": dialect.csv_quoting}
    if not dialect.header:
        options.update(header=None, names=list(dialect.columns or ()))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=dialect.delimiter, dtype=str,
                            keep_default_na=False, na_values=[""], **options)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header row") from None
    except pd.errors.ParserError as exc:
        _no_bad_quote(path, raw, dialect)
        raise DataError(f"{path}: malformed CSV: {exc}") from None
    if len(frame) != records:  # a record pandas skipped: the rows are the records counted
        return _frame_of_records(path, text, dialect)
    return frame


def _frame_of_records(path: Path, text: str, dialect: CsvDialect) -> pd.DataFrame:
    """The records of ``text`` read by the :mod:`csv` module (which counted them), as
    pandas gives a file it reads right: columns named as :func:`frame_names` names them,
    values as text, an empty one missing."""
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
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    return frame.mask(frame == "").astype(_text_dtype())


@functools.cache
def _text_dtype() -> Any:
    """The type of a column pandas reads with ``dtype=str`` (object, or from pandas 3 its
    string type)."""
    return pd.read_csv(io.StringIO("x\na\n"), dtype=str)["x"].dtype


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


def _check_field_counts(path: Path, text: str, dialect: CsvDialect) -> int:
    """Every row must have as many values as the header (or ``[data] columns``): more
    would shift every value into the wrong column, fewer would leave the last columns
    silently missing. The :mod:`csv` module reads strictly: text after a closing quote is
    an error, not a value with its quotes dropped. Returns the number of records."""
    sep = dialect.delimiter
    if dialect.header:
        _no_spaces_before_header(path, text)
    # newline="": a line break is \n, \r\n or \r alone, as for pandas and the streaming reader
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True,
                        quoting=dialect.csv_quoting)
    limit = csv.field_size_limit(_FIELD_SIZE_LIMIT)  # a value may be longer than 128 KiB
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
            if len(row) != len(header):
                # a line of spaces is a record of one value, as the streaming reader reads
                # it (pandas alone would skip it, so the same file would give other rows)
                raise field_count_error(f"{path}:{line}: row {rows}", len(row), len(header),
                                        dialect, spaces_only=_blank(row, text, line))
        return rows
    except csv.Error as exc:
        raise DataError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None
    finally:
        csv.field_size_limit(limit)


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


def field_count_error(where: str, values: int, columns: int, dialect: CsvDialect, *,
                      spaces_only: bool) -> DataError:
    """A CSV record with another number of values than its header (or ``[data] columns``)
    has columns."""
    sep = dialect.delimiter
    if spaces_only:
        hint = "the line holds only spaces or tabs; delete it or give it its values"
    elif values > columns and not dialect.quotes:
        hint = (f'a value holds {sep!r}, which [data] quoting = "none" reads as the end of '
                "the value")
    elif values > columns:
        hint = f"quote texts that contain {sep!r} (\"like, this\")"
    else:
        hint = "check for a missing value or quote"
    named = "the header has" if dialect.header else "[data] columns names"
    return DataError(f"{where}: malformed CSV: {values} value{'s' * (values != 1)} "
                     f"where {named} {columns}; {hint}")


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


def _blank(row: list[str], text: str, line: int) -> bool:
    """Whether the record ``row``, from line ``line`` of ``text``, is only spaces or tabs
    as written, as the streaming reader tells it from the bytes (``""`` is a quoted empty
    value, not a blank line; a line of tabs is, though it holds values)."""
    if any(value.strip(" \t\r\n") for value in row):
        return False
    written = next(found.group(1) for number, found in enumerate(_LINE.finditer(text), 1)
                   if number == line)
    return not written.strip(" \t")


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            row = json_row(line, str(path), number)
            if row is not None:
                rows.append(row)
    if not rows:
        raise DataError(f"{path}: no rows; expected one JSON object per line")
    return jsonl_frame(rows)


def jsonl_row_lines(path: Path | str, rows: Iterable[int]) -> dict[int, int]:
    """``{row: line}`` of the 0-based ``rows`` of a JSONL file: blank lines hold no row,
    so after one a row's line is past its number. The file is read again, for an error's
    message only: a read keeps no line per row."""
    wanted = set(rows)
    found: dict[int, int] = {}
    row = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(found) == len(wanted):
                break
            if number == 1 and line.startswith(codecs.BOM_UTF8):  # as json_row reads it
                line = line[len(codecs.BOM_UTF8):]
            if line.strip():
                if row in wanted:
                    found[row] = number
                row += 1
    return found


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


def row_lines_reader(path: Path | str, kind: str, dialect: CsvDialect
                     ) -> Callable[[list[int]], dict[int, int]] | None:
    """``rows -> {row: line}`` for a file of format ``kind`` (:func:`jsonl_row_lines`,
    :func:`csv_row_lines`), for an error about a row; None for Parquet, which has no
    lines."""
    if kind == "jsonl":
        return functools.partial(jsonl_row_lines, path)
    if kind in DELIMITERS:
        return functools.partial(csv_row_lines, path, dialect)
    return None


class _KeyTwice(ValueError):
    pass


def key_given_twice(pairs: list[tuple[str, Any]]) -> str | None:
    """The first key of a JSON object's ``(key, value)`` pairs that is given twice, or None:
    ``{"text": "a", "text": "b"}`` is ``{"text": "b"}`` to ``json.loads``, silently. Every
    JSON reader that refuses such objects (data rows, review files, WRENCH splits) asks
    this, as an ``object_pairs_hook``."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs) and (twice := key_given_twice(pairs)) is not None:
        raise _KeyTwice(twice)
    return obj


_JSON = json.JSONDecoder(object_pairs_hook=_object)


def json_row(line: bytes, path: str, number: int) -> dict[str, Any] | None:
    """One JSONL line as a row; None for a blank line. A UTF-8 BOM may open the file.
    Every JSONL reader (whole file, streamed, Dask partitions) reads its lines with this."""
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8):]  # as a whole-file read does (columns after it)
    if not line.strip():
        return None
    try:
        row = _JSON.decode(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise not_utf8(f"{path}:{number}", line, exc.start, "column") from None
    except _KeyTwice as exc:
        raise DataError(f"{path}:{number}: key {exc.args[0]!r} is given twice in one object; "
                        "JSON readers keep only the last value, so the other would be lost: "
                        "keep one") from None
    except json.JSONDecodeError as exc:
        # the decoder may point past the line break; give the column on this line
        column = min(exc.pos, len(line.decode("utf-8", errors="replace").rstrip())) + 1
        hint = ""
        if exc.msg == "Extra data" and b"\r" in line.rstrip(b"\r\n"):
            hint = ("; the file's lines end in a bare carriage return (\\r, as old Mac "
                    "editors write), which JSONL does not take as a line break: save it "
                    "with \\n or \\r\\n line endings")
        raise DataError(f"{path}:{number}: malformed JSON: {exc.msg} "
                        f"(column {column}){hint}") from None
    if not isinstance(row, dict):
        raise DataError(f"{path}:{number}: expected a JSON object per line, "
                        f"got {type(row).__name__}")
    if _SURROGATE_ESCAPE.search(line):  # a \ud83d escape: JSON allows half a character
        _check_whole_characters(row, f"{path}:{number}")
    return row


#: a JSON escape in the UTF-16 surrogate range: one of a pair that makes one character, or
#: a lone half that no UTF-8 text can hold
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _check_whole_characters(value: Any, where: str, key: str | None = None) -> None:
    """A :class:`DataError` at ``where`` for a string holding a lone surrogate (``"\\ud83d"``
    without its pair): Python decodes it, then hashing, parsing and writing fail far away."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            half = value[exc.start]
            raise DataError(
                f"{where}: {'the value of ' + repr(key) if key else 'a value'} holds "
                f"\\u{ord(half):04x}, half of a character without its other half (an emoji "
                "cut in two?); UTF-8 cannot hold it: fix or drop the escape") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_whole_characters(k, where, key)
            _check_whole_characters(v, where, k if key is None else key)
    elif isinstance(value, list):
        for v in value:
            _check_whole_characters(v, where, key)


def jsonl_frame(rows: list[dict[str, Any]], keys: Sequence[str] = ()) -> pd.DataFrame:
    """JSONL rows as a frame of the values the JSON gave (``1`` stays an int where other
    rows lack the key; a missing key is NaN, which LFs see as None). ``keys``: columns it
    has even when no row has them (a streamed block of a file whose optional key appears
    only in other blocks), in that order, before any others."""
    frame = pd.DataFrame(rows, dtype=object)
    if keys:
        frame = frame.reindex(columns=[*keys, *(c for c in frame.columns if c not in keys)])
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises several unrelated types
        raise DataError(f"{path}: cannot read as Parquet: {exc}") from None
    check_unique_columns(names, str(path))
    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise DataError(f"{path}: cannot read as Parquet: {exc}") from None
    return arrow_frame(table)


def arrow_frame(data: Any) -> pd.DataFrame:
    """A Parquet table or batch as every Parquet reader here gives it (whole file,
    streamed, Dask partitions): integer and boolean columns keep their type where values
    are missing (pandas would make an int column with a null float, ``1.0``, in some chunks
    and not others), missing values reach LFs as None, and the index is as
    :func:`parquet_frame` says. Lists, structs and maps become Python lists and dicts, as
    JSON arrays and objects do: pandas would make a list of ints holding a null into
    floats in some chunks and not others."""
    frame = data.to_pandas(types_mapper=_nullable_type)
    names = data.schema.names
    for i, field in enumerate(data.schema):
        # a name given twice is the error check_unique_columns gives later
        if pa.types.is_nested(field.type) and names.count(field.name) == 1 \
                and field.name in frame.columns:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # a map as a dict (pyarrow gives a list of key-value pairs by default)
                values = data.column(i).to_pylist(maps_as_pydicts="lossy")
            key_twice = False  # pyarrow's own warning of it names no column
            for warning in caught:
                if "already encountered" in str(warning.message):
                    key_twice = True
                else:
                    warnings.warn_explicit(warning.message, warning.category,
                                           warning.filename, warning.lineno)
            if key_twice:
                warnings.warn(f"Parquet column {field.name!r}: a map holds a key more than "
                              "once; the item gets the key's last value, as from a JSON "
                              "object that names a key twice", stacklevel=2)
            frame[field.name] = pd.Series(values, index=frame.index, dtype=object)
    return parquet_frame(frame)


def _nullable_type(arrow_type: Any) -> Any:
    """The pandas type an Arrow integer or boolean column becomes (None: pandas' own)."""
    return _NULLABLE.get(str(arrow_type))


#: Arrow integer and boolean types -> pandas' nullable types of the same width
_NULLABLE = {"bool": pd.BooleanDtype(),
             **{f"{sign}int{bits}": pd.api.types.pandas_dtype(f"{sign.upper()}Int{bits}")
                for sign in ("", "u") for bits in (8, 16, 32, 64)}}


def parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from Parquet with its named index as columns, as every Parquet reader
    here gives it: ``df.set_index("id").to_parquet()`` keeps the ids as a column of the
    file, which pandas puts back as the index (and ``set_index("id", drop=False)`` keeps
    them twice: the column is read once)."""
    if all(name is None for name in frame.index.names):
        return frame
    if isinstance(frame.index, pd.RangeIndex):
        # row numbers pandas keeps as metadata only, not a column of the file: no data
        # (and a streamed batch gets them back or not depending on its size)
        name = frame.index.name
        frame = frame.reset_index(drop=True)
        frame.attrs["row_index"] = name  # for the message if it was meant as the ids
        return frame
    named = [name for name in frame.index.names if name is not None and name not in frame]
    if named:
        frame = frame.reset_index(level=named)
    return frame.reset_index(drop=True)


def read_frame(path: Path, fmt: str | None = None, *, quoting: str = "auto",
               columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a dataset file into a DataFrame, with errors that name the file and line.
    ``quoting`` and ``columns`` are ``[data]``'s, for a CSV or TSV file (see
    :class:`CsvDialect`)."""
    if not path.exists():
        raise DataError(f"{path}: dataset file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a folder; [data] path must name a file")
    kind = detect_format(path, fmt)
    dialect = csv_dialect(path, kind, quoting, columns)
    if kind in DELIMITERS:
        return _read_csv(path, dialect)
    return {"jsonl": _read_jsonl, "parquet": _read_parquet}[kind](path)
