"""Item ids: read as text from an id column, and checked to be unique.

An id is a string or a number (``17.0`` reads ``"17"``), never a list, bool or bytes
stringified (:func:`id_value`). Ids repeated in a dataset are one error naming each
repeated id (up to :data:`DUPLICATES_SHOWN`), how many rows hold it and which
(:func:`check_unique`), read whole or streamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from labelwright.counts import counted, some_of
from labelwright.errors import DataError, short_repr

#: repeated ids an error names (the first ones); the count says the rest
DUPLICATES_SHOWN = 10
#: rows an error names for one repeated id (the first ones); the count says the rest
DUPLICATE_ROWS_SHOWN = 5


def column_ids(column: pd.Series, source: str, id_column: str, where: Callable[[int], str],
               wheres: Callable[[list[int]], list[str]] | None = None) -> list[str]:
    """The ids as text (:func:`id_value`). Strings and whole numbers, as nearly every file
    has them, are taken as they are and as ``str`` gives them, without a call per row.
    ``where``: the file, line and row an error names for the id at a position; an error
    names every id of the wrong type, the first as ``where`` says it, the next ones (up to
    :data:`DUPLICATE_ROWS_SHOWN`) as ``wheres`` of their positions does, when given."""
    cells = id_cells(column)
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":
        return list(map(str, cells))
    # (a text column holds no missing id here: that was an error before)
    if isinstance(column.dtype, pd.StringDtype) or all(type(value) is str for value in cells):
        return cells
    try:
        return [id_value(value, source, id_column) for value in cells]
    except DataError:
        bad = [row for row, value in enumerate(cells) if not _is_id(value, id_column)]
    try:  # checked again to raise the error with the row's line: only then is it read
        id_value(cells[bad[0]], where(bad[0]), id_column)
    except DataError as exc:
        shown = bad[1:1 + DUPLICATE_ROWS_SHOWN] if wheres is not None else []
        more = [f"{at}: {describe_value(cells[k])}" for at, k in zip(
            wheres(shown) if wheres is not None else [], shown)]
        if len(bad) == 1 or wheres is None:
            raise
        listed = some_of(more, DUPLICATE_ROWS_SHOWN, total=len(bad) - 1, clauses=True)
        raise DataError(f"{exc}\n  and {counted(len(bad) - 1, 'more such id')}: "
                        f"{listed}") from None
    raise AssertionError("an id refused once is refused again")  # pragma: no cover


def _is_id(value: Any, id_column: str) -> bool:
    """Whether :func:`id_value` takes ``value``."""
    try:
        id_value(value, "", id_column)
    except DataError:
        return False
    return True


#: what an error adds of rows of one id the same in every column, and how to mend them
SAME_ROWS = ("the same in every column: one row in the file more than once (a drop appended "
             "or an export written again?)")
#: the same of a DataFrame's rows, which are no file's: concatenated parts that overlap
SAME_FRAME_ROWS = ("the same in every column: one row in the frame more than once (parts "
                   "that overlap, concatenated?)")
#: how to drop a DataFrame's later copies, and where its rows are
FRAME_FIX = ("df.drop_duplicates() keeps the first of each (rows are counted from 1 in the "
             "frame's order: row n is df.iloc[n - 1])")

#: the setting that leaves a file's later copies out for you (:mod:`labelwright.data.row_copies`)
KEEP_FIRST = 'or set [data] duplicate_rows = "skip" to keep the first of each'


def _drops_copies(source: str) -> str:
    """What leaves later copies out, for a file or a DataFrame."""
    from labelwright.config.data_override import FRAME_SOURCE

    return "df.drop_duplicates()" if source == FRAME_SOURCE else 'duplicate_rows = "skip"'


def _same_rows(source: str) -> str:
    """:data:`SAME_ROWS`, or :data:`SAME_FRAME_ROWS` for a DataFrame's rows."""
    from labelwright.config.data_override import FRAME_SOURCE

    return SAME_FRAME_ROWS if source == FRAME_SOURCE else SAME_ROWS


def duplicate_id(source: str, item_id: str, first: int, second: int, id_column: str,
                 lines: dict[int, int] | None = None, *, same: bool = False) -> DataError:
    """The error for an id at 0-based rows ``first`` and ``second``, with their lines when
    ``lines`` (``{row: line}``, a JSONL file's) has them; ``same``: the two rows are the
    same in every column, so it says so and to delete the second."""
    where, on, second_line = source, "", ""
    if lines and first in lines and second in lines:
        where, on = f"{source}:{lines[second]}", f" (lines {lines[first]} and {lines[second]})"
        second_line = f" (line {lines[second]})"
    fix = (FRAME_FIX if _same_rows(source) is SAME_FRAME_ROWS
           else f"delete row {second + 1}{second_line}, {KEEP_FIRST}, and run again")
    copy = f", {_same_rows(source)}: {fix}" if same else ""
    return DataError(f"{where}: duplicate id {shown_id(item_id)} at rows {first + 1} and "
                     f"{second + 1}{on}{copy}; ids in column {id_column!r} must be unique")


def duplicate_ids(source: str, rows: Mapping[str, list[int]], id_column: str,
                  lines: Mapping[int, int] | None = None,
                  same: Collection[str] = ()) -> DataError:
    """The error for ids repeated in a dataset: ``rows`` gives each repeated id its 0-based
    rows, in order (the ids in the order of their first repeat). One id in two rows is said
    as :func:`duplicate_id` says it; more name each id (up to :data:`DUPLICATES_SHOWN`), the
    number of rows that hold it and the first of them (with their lines when ``lines``,
    ``{row: line}``, has them), so that one look at the file finds them all. ``same``: the
    ids whose rows are the same in every column (a row in the file twice), said so, with
    the fix: delete the later copies."""
    repeated = list(rows)
    if len(repeated) == 1 and len(rows[repeated[0]]) == 2:
        first, second = rows[repeated[0]]
        return duplicate_id(source, repeated[0], first, second, id_column, dict(lines or {}),
                            same=repeated[0] in same)
    lines = lines or {}
    said = []
    for item_id in repeated[:DUPLICATES_SHOWN]:
        at = rows[item_id]
        shown = at[:DUPLICATE_ROWS_SHOWN]
        on = (f" (lines {some_of([lines[r] for r in shown], DUPLICATE_ROWS_SHOWN)})"
              if all(r in lines for r in shown) else "")
        said.append(f"{shown_id(item_id)} in {len(at)} rows (rows "
                    f"{some_of([r + 1 for r in at], DUPLICATE_ROWS_SHOWN)}{on})"
                    + (", the same in every column" if item_id in same else ""))
    rest = repeated[DUPLICATES_SHOWN:]
    extra = (f"; and {counted(len(rest), 'more repeated id')}, in "
             f"{sum(len(rows[i]) for i in rest)} rows" if rest else "")
    copies = sum(len(rows[i]) - 1 for i in repeated if i in same)
    delete = (FRAME_FIX if _same_rows(source) is SAME_FRAME_ROWS
              else f"delete the later copies, {KEEP_FIRST}, and run again")
    fix = (f"; {counted(copies, 'row')} of them {'is' if copies == 1 else 'are'} a copy of "
           f"an earlier row, {_same_rows(source).removeprefix('the same in every column: ')}"
           f": {delete}" if copies else "")
    differ = [i for i in repeated if i not in same]
    if copies and differ:  # the fix above leaves these: say so, or a re-run finds them alone
        fix += (f"; the rows of {some_of([shown_id(i) for i in differ], DUPLICATES_SHOWN)} "
                f"differ, two items given one id, which {_drops_copies(source)} does not mend: "
                "give each its own id, or delete the wrong row")
    first_repeat = rows[repeated[0]][1]
    where = f"{source}:{lines[first_repeat]}" if first_repeat in lines else source
    are = "is" if len(repeated) == 1 else "are"
    return DataError(f"{where}: {counted(len(repeated), 'id')} in column {id_column!r} {are} in "
                     f"more than one row, {sum(len(r) for r in rows.values())} rows in all: "
                     f"{', '.join(said)}{extra}{fix}; ids must be unique")


#: how a row without an id is said to begin: a stream told such a row from one it could
#: not read by it (:func:`is_no_id_reason`)
_NO_ID = "no id in column "


def no_id_reason(id_column: str) -> str:
    """Why a row without an id in ``id_column`` is not an item (a :class:`RowError`'s
    reason, a skipped row's)."""
    return f"{_NO_ID}{id_column!r}; every item needs a unique id"


def is_no_id_reason(reason: str) -> bool:
    """Whether ``reason`` is :func:`no_id_reason`'s: the row was read, its id is missing."""
    return reason.startswith(_NO_ID)


def without_ids(positions: list[int], where: Callable[[int], str],
                file_row: Callable[[int], int], lines_of: Callable[[list[int]], dict[int, int]],
                source: str, id_column: str, hint: str = "") -> DataError:
    """The error for the rows at ``positions`` without an id: all of them counted and the
    first ones named with their lines, as repeated ids are, so one look finds them;
    ``hint``: what it ends with (the setting that leaves such rows out, when it does)."""
    if len(positions) == 1:
        return DataError(f"{where(positions[0])} has no id in column {id_column!r}; every "
                         f"item needs a unique id{hint}")
    rows = [file_row(k) for k in positions]
    lines = lines_of(rows[:DUPLICATE_ROWS_SHOWN])
    on = (f" (lines {some_of([lines[r] for r in rows], DUPLICATE_ROWS_SHOWN)})"
          if all(r in lines for r in rows[:DUPLICATE_ROWS_SHOWN]) else "")
    at = f"{source}:{lines[rows[0]]}" if rows[0] in lines else source
    return DataError(f"{at}: {len(rows)} rows have no id in column {id_column!r}: rows "
                     f"{some_of([r + 1 for r in rows], DUPLICATE_ROWS_SHOWN)}{on}; every "
                     f"item needs a unique id{hint}")


def check_unique(ids: Sequence[str], source: str, id_column: str,
                 row_lines: Callable[[list[int]], dict[int, int]] | None = None,
                 rows: Sequence[int] | None = None,
                 same_rows: Callable[[Mapping[str, list[int]]], Collection[str]] | None = None
                 ) -> None:
    """:func:`duplicate_ids` for the ids ``ids`` holds more than once, if any. ``rows``:
    the 0-based row of each of ``ids`` (default: its position), for ids picked from a
    larger file; ``row_lines`` gives the lines of the rows the error names; ``same_rows``:
    which of the repeated ids (each with its positions in ``ids``) have rows the same in
    every column (:func:`same_rows`; a stream, which keeps no rows, cannot tell)."""
    repeats = repeated_rows(ids)
    if not repeats:
        return
    same = set(same_rows(repeats)) if same_rows is not None else set()
    if rows is not None:
        repeats = {item_id: [rows[k] for k in at] for item_id, at in repeats.items()}
    shown = sorted({r for item_id in list(repeats)[:DUPLICATES_SHOWN]
                    for r in repeats[item_id][:DUPLICATE_ROWS_SHOWN]})
    raise duplicate_ids(source, repeats, id_column,
                        row_lines(shown) if row_lines is not None else {}, same)


def same_rows(frame: pd.DataFrame) -> Callable[[Mapping[str, list[int]]], set[str]]:
    """Which repeated ids (each with its row positions in ``frame``) have rows the same in
    every column: their rows are one row repeated (x, x, z, z is not: each row has a twin,
    but there are two). A missing value is the same as another; lists and dicts, which
    cannot be hashed, are compared as written. One pass over all the repeated rows: a file
    appended to itself repeats every id, and one look per id took a minute for 20,000."""
    def same(repeats: Mapping[str, list[int]]) -> set[str]:
        owner = np.repeat(np.arange(len(repeats)), [len(at) for at in repeats.values()])
        picked = frame.iloc[[k for at in repeats.values() for k in at]]
        try:
            seen = picked.duplicated().to_numpy()
        except TypeError:
            seen = pd.Series([repr(tuple(row)) for row in picked.itertuples(index=False)]
                             ).duplicated().to_numpy()
        # a row seen before is one of its own id's: the id column is one of the columns
        kinds = np.bincount(owner[~seen], minlength=len(repeats))
        return {item_id for item_id, n in zip(repeats, kinds.tolist()) if n == 1}

    return same


def repeated_rows(ids: Sequence[str]) -> dict[str, list[int]]:
    """Each id that ``ids`` holds more than once, with its rows, in the order of each id's
    first repeat; {} when every id is unique."""
    seen: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for row, item_id in enumerate(ids):
        if item_id in seen:
            repeats.setdefault(item_id, [seen[item_id]]).append(row)
        else:
            seen[item_id] = row
    return repeats


#: the characters of an id a message shows; a longer one is cut, with its length
SHOWN_ID_LENGTH = 80


def shown_id(item_id: str, *, ascii_only: bool = False) -> str:
    """An id as a message shows it: quoted (``ascii_only``: accents and invisible
    characters as escapes), cut to :data:`SHOWN_ID_LENGTH` characters with its length."""
    shown = ascii(item_id) if ascii_only else repr(item_id)
    if len(shown) <= SHOWN_ID_LENGTH:
        return shown
    return f"{shown[:SHOWN_ID_LENGTH - 3]}... ({len(item_id):,} characters)"


_NUMBERS = (int, float, np.number, Decimal)


def describe_value(value: Any) -> str:
    """A cell a message names: its value (cut) and type."""
    return f"{short_repr(value)} (type {type(value).__name__})"


def id_cells(column: pd.Series) -> list[Any]:
    """An id column's values for :func:`id_value`: float32 ones stay float32 (``tolist()``
    gives float64's digits: 1.1 as 1.100000023841858)."""
    return list(column.to_numpy()) if column.dtype == np.float32 else column.tolist()


def id_value(value: Any, where: str, column: str) -> str:
    """An id as text: a string, or a number (``17.0`` reads ``"17"``); anything else (a
    bool, list, dict, bytes) is an error at ``where``, never stringified."""
    if not isinstance(value, str) and (not isinstance(value, _NUMBERS)
                                       or isinstance(value, bool)):
        raise DataError(f"{where}: the id in column {column!r} is {describe_value(value)}; an id "
                        "must be a string or a number")
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            raise DataError(f"{where}: the id in column {column!r} is {value!r}; an id must be "
                            "a string or a finite number")
        if float(value).is_integer():
            # 2**53 itself too: 9007199254740993.0 is read as the float 2**53 already
            if abs(float(value)) >= _EXACT_FLOAT:
                raise DataError(f"{where}: the id in column {column!r} is {value!r}, a float "
                                "too large to hold every digit (from 2**53 on, a number "
                                "written with a decimal point or exponent loses digits); "
                                "write the id as a string")
            return str(int(value))
    return str(value)  # a float32 shows its own shortest digits, not float64's


#: floats hold every whole number below here, and not all from here on (2**53 + 1 reads
#: as 2**53)
_EXACT_FLOAT = 2**53


#: an id a tool that writes numbers as floats could have written: digits, maybe signed,
#: maybe with ".0"
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0)?")


def float_spelt(missing: Sequence[str], present: Collection[str]) -> list[tuple[str, str]]:
    """``(id, spelt)`` for each of ``missing`` (ids not in a dataset) that ``present``
    (the dataset's ids) holds written as a float, ``"1"`` as ``"1.0"``, or the reverse: a
    file exported with its id column as floats has ids other than the ones it had. Ids are
    text as written, so neither is read as the other; a message can say what happened."""
    pairs = []
    for item_id in filter(_WHOLE_NUMBER.fullmatch, missing):  # not "release-2.0"
        if item_id.endswith(".0") and item_id[:-2] in present:
            pairs.append((item_id, item_id[:-2]))
        elif item_id + ".0" in present:
            pairs.append((item_id, item_id + ".0"))
    return pairs


def id_hashes(ids: Sequence[object]) -> np.ndarray:
    """The 64-bit hash of each of ``ids`` that a stream keeps (8 bytes a row) to find the
    ids met twice, in one file and across the parts of many: pandas', the same in every
    process, so the forms of ids a Dask worker notes (:mod:`~labelwright.data.lookalike_ids`)
    are hashed alike."""
    return pd.util.hash_array(np.asarray(ids, dtype=object))
