"""Which rows of a column hold text and which numbers, over the whole column: a dataset
merged from parts written with other types holds ``4`` in some rows and ``"4"`` in others,
and an LF comparing the column sees two values where the user sees one. Found in C (the
column's dtype, then ``pandas.api.types.infer_dtype``); row by row only for a column of
Python objects of more than one kind. A missing value (None, NaN) is neither text nor a
number.

What is found is counted in :class:`ColumnNotes`: of a whole dataset once, and of a file
streamed in chunks (:func:`labelwright.apply.apply_file`) chunk by chunk (bounded whatever
the file's size), the counts merged, so that it says what a read of the whole file says."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from numbers import Integral, Number

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_numeric_dtype, is_object_dtype

from labelwright.counts import counted
from labelwright.data.parquet_format import SHOWN as KEY_SHOWN
from labelwright.data.parquet_format import key_twice_warning

#: what it says of values that are all numbers (NaN is missing)
_NUMBERS = ("integer", "floating", "mixed-integer-float")
#: what it says, not skipping missing values, only of values none of which is missing
_WHOLE = ("string", "integer", "boolean")

_type_of = np.frompyfunc(type, 1, 1)


def _kind(column: pd.Series) -> tuple[pd.Series, str, bool]:
    """``column`` (a categorical one as its values), what its dtype says of its values that
    are not missing, or ``infer_dtype`` when the dtype does not say (``"boolean"``,
    ``"floating"`` for any number dtype, ``"string"``, ``"mixed-integer"``...), and whether
    no value is missing: known, without a look for missing values, of numpy's ints and
    bools and of Python objects all of one kind."""
    dtype = column.dtype
    never_missing = isinstance(dtype, np.dtype) and dtype.kind in "iub"
    if isinstance(dtype, pd.CategoricalDtype):
        column = column.astype(object)
    elif is_bool_dtype(dtype):
        return column, "boolean", never_missing
    elif is_numeric_dtype(dtype):
        return column, "floating", never_missing
    if is_object_dtype(column.dtype):
        kind = infer_dtype(column, skipna=False)
        if kind in _WHOLE:
            return column, kind, True
    return column, infer_dtype(column, skipna=True), False


def _text_and_number_masks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which of ``values`` (an object array) are text, which numbers and which are not
    missing. Each kind of value is found by comparing every value's type with one type at
    a time, in C: a column holds few types (int, str and None), a hash of each value costs
    more."""
    types = _type_of(values)
    is_text = _of_type(types, str)
    is_number = np.zeros(len(values), dtype=bool)
    present = np.zeros(len(values), dtype=bool)  # of the rest: bools, lists, dates
    left = ~is_text
    while left.any():
        kind = types[int(np.argmax(left))]
        same = _of_type(types, kind)
        left &= ~same
        if issubclass(kind, str):
            is_text |= same
        elif issubclass(kind, Integral) and not issubclass(kind, bool):
            is_number |= same
        elif kind is not type(None):  # a float's or Decimal's NaN, NaT, pd.NA are missing
            at = np.flatnonzero(same)
            number = issubclass(kind, Number) and not issubclass(kind, bool | np.bool_)
            (is_number if number else present)[at[~pd.isna(values[at])]] = True
    return is_text, is_number, is_text | is_number | present


def _of_type(types: np.ndarray, kind: type) -> np.ndarray:
    """Where the array ``types`` holds ``kind``: compared as an object, as numpy would take
    a numpy type (``np.int64``) compared by itself for a dtype."""
    boxed = np.empty(1, dtype=object)
    boxed[0] = kind
    return np.asarray(types == boxed, dtype=bool)


def rows_counted(n: int) -> str:
    """``1 row``, ``24,000 rows``: :func:`~labelwright.counts.counted`'s rule."""
    return counted(n, "row")


def mixed_type_warning(source: str, name: str, texts: int, numbers: int, row: int | str,
                       value: object) -> str:
    """The warning of column ``name``, which holds ``texts`` text values and ``numbers``
    numbers; ``row`` (1-based, in the file; or where, as ``part-00002.parquet: row 1``)
    holds ``value``, the first of the kind fewer rows hold."""
    few = "text" if texts <= numbers else "a number"
    where = f"row {row}" if isinstance(row, int) else row
    return (f"{source}: column {name!r} holds numbers in {rows_counted(numbers)} and text in "
            f"{rows_counted(texts)} (first {few}: {where}, {value!r}): an LF sees a number "
            "and the same number written as text (4 and '4') as different values, never "
            "equal, and ordering one by the other raises; write the column with one type in "
            "every part, or convert it in the LF (int(...), str(...))")


#: the text values of a column a streamed read keeps (its first ones), when asked: what
#: :func:`labelwright.lfs.number_comparisons.text_columns` reads of a column
HEAD = 1000


@dataclass
class ColumnCounts:
    """How many values of one column are text, numbers, or something else (bools, lists;
    missing values are none of them), with the first text and first number as
    ``(position, file row, value)``: the position among the items read, the 0-based row
    in the file. ``head``: the first :data:`HEAD` text values so, when asked."""

    texts: int = 0
    numbers: int = 0
    others: int = 0
    first_text: tuple[int, int, object] | None = None
    first_number: tuple[int, int, object] | None = None
    head: list[tuple[int, int, object]] = field(default_factory=list)

    def holds_text(self) -> str:
        """``"all"`` when every value of the column that is not missing is text, ``"some"``
        when text is among other values, ``""`` when no value is text."""
        if not self.texts:
            return ""
        return "some" if self.numbers or self.others else "all"

    def merge(self, other: ColumnCounts) -> None:
        """Add another part of the file's (parts may come in any order)."""
        self.texts += other.texts
        self.numbers += other.numbers
        self.others += other.others
        self.first_text = _first(self.first_text, other.first_text)
        self.first_number = _first(self.first_number, other.first_number)
        if other.head:
            self.head = sorted(self.head + other.head, key=lambda h: h[0])[:HEAD]


def _first(one: tuple[int, int, object] | None, other: tuple[int, int, object] | None
           ) -> tuple[int, int, object] | None:
    if one is None or (other is not None and other[0] < one[0]):
        return other
    return one


@dataclass
class ColumnNotes:
    """What is found of a file's columns' types, counted over the whole file or over parts
    of it: per column, :class:`ColumnCounts`. Bounded whatever the file's size (counts,
    the first values, and the first :data:`HEAD` text values of the columns asked), so a
    stream keeps it for the whole file."""

    columns: dict[str, ColumnCounts] = field(default_factory=dict)
    #: per column whose map gives a key more than once (a Parquet file's): how many rows,
    #: and the first as ``(position, "row N (id 'x')")``
    key_twice: dict[str, tuple[int, list[tuple[int, str]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, columns: Iterable[tuple[str, pd.Series | list]], start: int = 0,
           rows: list[int] | np.ndarray | None = None,
           heads: Collection[str] = ()) -> ColumnNotes:
        """Those of ``columns`` (name and values) of the items at positions from
        ``start``, whose file rows are ``rows`` (None: the same as the positions); the
        first text values of those named in ``heads`` kept."""
        notes = cls()
        for name, values in columns:
            column = values if isinstance(values, pd.Series) else pd.Series(values,
                                                                            dtype=object)
            is_text, is_number, present = _masks(column)
            texts, numbers = int(np.count_nonzero(is_text)), int(np.count_nonzero(is_number))
            first_text, first_number = (_first_value(column, mask, start, rows)
                                        for mask in (is_text, is_number))
            notes.columns[str(name)] = ColumnCounts(
                texts, numbers, int(np.count_nonzero(present)) - texts - numbers,
                first_text, first_number,
                _values_at(column, np.flatnonzero(is_text)[:HEAD], start, rows)
                if texts and str(name) in heads else [])
        return notes

    def merge(self, other: ColumnNotes) -> None:
        """Add another part of the file's (parts may come in any order)."""
        for name, counts in other.columns.items():
            if name in self.columns:
                self.columns[name].merge(counts)
            else:
                self.columns[name] = counts
        for name, (count, first) in other.key_twice.items():
            had, firsts = self.key_twice.get(name, (0, []))
            self.key_twice[name] = (had + count, sorted(firsts + first)[:KEY_SHOWN])

    def warnings(self, source: str, *, skip: Collection[str] = ()) -> list[str]:
        """A warning for each column that holds numbers in some rows and text in others
        (``4`` and ``"4"``: parts of a dataset written with other types), with how many of
        each and the first row of the kind fewer rows hold, and for each whose map gives a
        key twice; but of the columns in ``skip`` (the id and text columns, which are no
        fields)."""
        out = []
        for name, counts in self.columns.items():
            if name in skip or counts.holds_text() != "some" or not counts.numbers:
                continue
            first = counts.first_text if counts.texts <= counts.numbers \
                else counts.first_number
            assert first is not None
            out.append(mixed_type_warning(source, name, counts.texts, counts.numbers,
                                          first[1] + 1, first[2]))
        out += [key_twice_warning(source, name, count, [named for _, named in first])
                for name, (count, first) in self.key_twice.items()]
        return out


def _masks(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which values of ``column`` are text, which numbers and which are not missing: told
    by the dtype or ``infer_dtype`` when the values are of one kind, else value by value."""
    column, kind, whole = _kind(column)
    if is_object_dtype(column.dtype) and kind not in (*_NUMBERS, "string", "boolean",
                                                      "empty"):
        return _text_and_number_masks(column.to_numpy(dtype=object))
    present = np.ones(len(column), dtype=bool) if whole else column.notna().to_numpy(
        dtype=bool)
    none = np.zeros(len(column), dtype=bool)
    if kind == "string":
        return present, none, present
    if kind in _NUMBERS:
        return none, present, present
    return none, none, present  # bools, dates: neither


def _first_value(column: pd.Series, mask: np.ndarray, start: int,
                 rows: list[int] | np.ndarray | None) -> tuple[int, int, object] | None:
    """``(position, file row, value)`` of ``column``'s first value where ``mask`` is true,
    None when it is nowhere."""
    k = int(np.argmax(mask)) if len(mask) else 0
    if not len(mask) or not mask[k]:
        return None
    return _values_at(column, np.arange(k, k + 1), start, rows)[0]


def _values_at(column: pd.Series, at: np.ndarray, start: int,
               rows: list[int] | np.ndarray | None) -> list[tuple[int, int, object]]:
    """``(position, file row, value)`` of ``column``'s values at ``at``."""
    return [(start + k, start + k if rows is None else int(rows[k]), _python(value))
            for k, value in zip(at.tolist(), column.iloc[at].tolist())]


def _python(value: object) -> object:
    """A numpy scalar as the Python value a column of objects holds (``np.int64(4)`` as
    ``4``), as the message shows it."""
    return value.item() if isinstance(value, np.generic) else value
