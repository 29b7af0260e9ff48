"""A CSV or TSV file read whole into a frame of text, with its checks: a row with more or
fewer values than the header (:mod:`~labelwright.data.csv_field_counts`), a quoted value read
otherwise than it was written, a file that is not UTF-8, each named as a streamed read names
it."""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from labelwright.data.csv_field_counts import FIELD_SIZE_LIMIT, check_field_counts
from labelwright.data.text_checks import line_of_offset, not_utf8
from labelwright.errors import DataError, QuoteError

if TYPE_CHECKING:
    from labelwright.data.bad_rows import SkippedRow
    from labelwright.data.csv_format import CsvDialect

_LONE_CR = re.compile("\r(?!\n)")  # a line break of \r alone (one pass, stops at the first)


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
        records = check_field_counts(path, text, dialect, bad)
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
    limit = csv.field_size_limit(FIELD_SIZE_LIMIT)
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
