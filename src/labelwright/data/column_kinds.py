"""Which rows of a column hold text and which numbers, over the whole column: a dataset
merged from parts written with other types holds ``4`` in some rows and ``"4"`` in others,
and an LF comparing the column sees two values where the user sees one. Found in C (the
column's dtype, then ``pandas.api.types.infer_dtype``); row by row only for a column that
holds text among other values. A missing value (None, NaN) is neither text nor a number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Number

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_numeric_dtype, is_object_dtype

#: what it says of values that may hold text among others
_SOME = ("mixed-integer", "mixed")

_type_of = np.frompyfunc(type, 1, 1)


def holds_text(column: pd.Series) -> str:
    """``"all"`` when every value of ``column`` that is not missing is text,
    ``"some"`` when text may be among other values (:func:`text_and_numbers` says), and
    ``""`` when no value is text."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        column = column.astype(object)
    elif not is_object_dtype(dtype):
        if is_numeric_dtype(dtype) or is_bool_dtype(dtype):
            return ""
        return "all" if infer_dtype(column, skipna=True) == "string" else ""
    kind = infer_dtype(column, skipna=True)
    return "all" if kind == "string" else "some" if kind in _SOME else ""


@dataclass(frozen=True)
class TextAndNumbers:
    """How many values of a column are text and how many numbers (bools are neither), with
    the position of the first of each (-1 when there is no number), and the text values'
    mask."""

    texts: int
    numbers: int
    first_text: int
    first_number: int
    is_text: np.ndarray

    def text_values(self, column: pd.Series, limit: int) -> list[str]:
        """The first ``limit`` text values of ``column`` (the one this was found of)."""
        return column.iloc[np.flatnonzero(self.is_text)[:limit]].tolist()


def text_and_numbers(column: pd.Series) -> TextAndNumbers | None:
    """The text and the numbers of ``column``, found over every row; None when no value is
    text. Each kind of value is found by comparing every value's type with one type at a
    time, in C: a column holds few types (int, str and None), a hash of each value costs
    more."""
    values = column.to_numpy(dtype=object)
    types = _type_of(values)
    is_text = _of_type(types, str)
    is_number = np.zeros(len(values), dtype=bool)
    left = ~is_text
    while left.any():
        kind = types[int(np.argmax(left))]
        same = _of_type(types, kind)
        left &= ~same
        if issubclass(kind, str):
            is_text |= same
        elif issubclass(kind, bool | np.bool_) or not issubclass(kind, Number):
            continue  # bools, lists, dates, None: no number
        elif issubclass(kind, Integral):
            is_number |= same
        else:  # a float or Decimal: NaN is missing
            at = np.flatnonzero(same)
            is_number[at[~pd.isna(values[at])]] = True
    texts = np.flatnonzero(is_text)
    if not len(texts):
        return None
    numbers = np.flatnonzero(is_number)
    return TextAndNumbers(len(texts), len(numbers), int(texts[0]),
                          int(numbers[0]) if len(numbers) else -1, is_text)


def _of_type(types: np.ndarray, kind: type) -> np.ndarray:
    """Where the array ``types`` holds ``kind``: compared as an object, as numpy would take
    a numpy type (``np.int64``) compared by itself for a dtype."""
    boxed = np.empty(1, dtype=object)
    boxed[0] = kind
    return np.asarray(types == boxed, dtype=bool)


def first_present(column: pd.Series, step: int = 1000) -> int:
    """The position of ``column``'s first value that is not missing, -1 when none is; read
    ``step`` values at a time, as the first is nearly always at the top."""
    for start in range(0, len(column), step):
        present = np.flatnonzero(column.iloc[start:start + step].notna().to_numpy())
        if len(present):
            return start + int(present[0])
    return -1


def rows_counted(n: int) -> str:
    """``1 row``, ``24,000 rows``."""
    return f"{n:,} {'row' if n == 1 else 'rows'}"


def mixed_type_warnings(fields: pd.DataFrame, source: str,
                        row: Callable[[int], int]) -> list[str]:
    """A warning for each column of ``fields`` that holds numbers in some rows and text in
    others (``4`` and ``"4"``: parts of a dataset written with other types), with how many
    of each and the first row (``row`` gives the file's 1-based row of a position) of the
    kind fewer rows hold."""
    out = []
    for name in fields.columns:
        column = fields[name]
        if holds_text(column) != "some":
            continue
        found = text_and_numbers(column)
        if found is None or not found.numbers:
            continue
        few = "text" if found.texts <= found.numbers else "a number"
        at = found.first_text if few == "text" else found.first_number
        out.append(f"{source}: column {str(name)!r} holds numbers in "
                   f"{rows_counted(found.numbers)} and text in {rows_counted(found.texts)} "
                   f"(first {few}: row {row(at)}, {column.iloc[at]!r}): an LF sees a number "
                   "and the same number written as text (4 and '4') as different values, "
                   "never equal, and ordering one by the other raises; write the column with "
                   "one type in every part, or convert it in the LF (int(...), str(...))")
    return out
