"""An LF that failed ordering text by a number, said as such: ``item.rating >= 4`` on a row
whose ``rating`` is the text ``"4"`` (a JSON ``"4"``, a value written in quotes) raises
``TypeError: '>=' not supported between instances of 'str' and 'int'``, which names neither
the field nor the fix. When the error is of an order comparison and a field the traceback's
code reads holds text on some of the items the LF raised on, the failure says which field,
on how many of them, the first such row, and the conversion to write. The kept traceback is
the first item's only: that one may have raised on None, the others on text, so the text is
counted over every item the LF raised on (:mod:`~labelwright.lfs.empty_fields` says the None)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.lfs.empty_fields import (
    EMPTY_WORDS,
    MAX_FIELDS,
    code_lines,
    field_code,
    field_read,
    is_missing,
)

if TYPE_CHECKING:
    from labelwright.data.dataset import Dataset

#: an error raised by ordering two values of types that do not order
_ORDER = re.compile(r"^TypeError: '(<|<=|>|>=)' not supported between instances of "
                    r"'(\w+)' and '(\w+)'")


def is_order_error(error: str) -> bool:
    """Whether ``error`` (the exception's line) is of ``<``, ``<=``, ``>`` or ``>=`` on two
    values that do not order (text and a number, None and a number, ...)."""
    return _ORDER.match(error) is not None


def _ordered_in(line: str, field: str) -> bool:
    """Whether ``line`` orders ``field`` (``item.rating >= 4``, ``4 < item["rating"]``): a
    field only read beside it on the line (``item.channel == "app" and ...``) did not raise."""
    read = field_read(field)
    return re.search(rf"{read}\s*{_OPERATOR}|{_OPERATOR}\s*\w+{read}", line) is not None


#: an order operator, not part of ``<<``, ``>>`` or ``->``
_OPERATOR = r"(?<![<>-])(?:<=|>=|<|>)(?![<>])"


def _raising_line(traceback: str) -> str:
    """The code line that raised: the last a traceback shows."""
    lines = code_lines(traceback)
    return lines[-1] if lines else ""


def _none_too(failed: pd.Series, field: str, error: str, words: tuple[str, str]) -> str:
    """", after testing it is not None: it is None (...) on N of them" when the field is
    None on some of the items that raised too, unless the kept error is of that None
    (:func:`~labelwright.lfs.empty_fields.empty_field_hint` then says it)."""
    missing = sum(map(is_missing, failed))
    if not missing or "'NoneType'" in error:
        return ""
    return (f", after testing it is not None ({field_code(field)} is not None): it is None "
            f"({words[0]}) on {missing:,} of them")


def _conversion(column: pd.Series, field: str) -> str:
    """``int(item.rating)``, or ``float(...)`` when a text of ``column`` has a fraction
    (``int("2.5")`` raises)."""
    texts = [v for v in column if isinstance(v, str)]
    whole = all(re.fullmatch(r"\s*[+-]?\d+\s*", v) for v in texts)
    return f"{'int' if whole else 'float'}({field_code(field)})"


def text_order_hint(error: str, traceback: str, fields: pd.DataFrame | None,
                    rows: np.ndarray | Sequence[int] | None,
                    row_name: Callable[[int], str] | None = None,
                    words: tuple[str, str] = EMPTY_WORDS["csv"]) -> str:
    """What to tell of the fields the traceback's code reads that hold text on some of the
    ``rows`` of ``fields`` an LF raised on, when its ``error`` is of an order comparison
    ("" otherwise). ``row_name``: how a message names a row of ``fields`` (``row 2 (id
    'M00001')``; None: by its 0-based position); ``words``: what a None is in the data
    (:func:`~labelwright.lfs.empty_fields.empty_words`)."""
    if (not is_order_error(error) or fields is None or rows is None or len(rows) == 0
            or fields.empty):
        return ""
    line = _raising_line(traceback)
    at = np.asarray(rows, dtype=np.int64)
    said = []
    for k, name in enumerate(fields.columns):
        if not _ordered_in(line, str(name)):
            continue
        failed = fields.iloc[at, k]
        texts = failed[[isinstance(v, str) for v in failed]]
        if texts.empty:
            continue
        first = int(at[[isinstance(v, str) for v in failed]][0])
        where = row_name(first) if row_name is not None else f"row {first}"
        said.append(f"{field_code(str(name))} holds text on {len(texts):,} of the {len(at):,} "
                    f"items it raised on (first: {where}, {texts.iloc[0]!r}), and text does "
                    "not order with a number (4 and '4'); convert it first: "
                    f"`{_conversion(fields.iloc[:, k], str(name))}`"
                    + _none_too(failed, str(name), error, words))
        if len(said) == MAX_FIELDS:
            break
    return "; ".join(said)


def text_order_on_item(error: str, traceback: str, fields: Mapping[str, Any] | None) -> str:
    """For an LF that raised ``error`` on one item (``--fail-fast``): "; item.rating is
    the text '3' on this item, ..." when the error is of an order comparison and a field
    of ``fields`` its code reads holds text there; "" otherwise."""
    if not is_order_error(error) or not fields:
        return ""
    line = _raising_line(traceback)
    found = [(name, value) for name, value in fields.items()
             if isinstance(value, str) and _ordered_in(line, name)][:MAX_FIELDS]
    if not found:
        return ""
    shown = ", ".join(f"{field_code(name)} is the text {value!r}" for name, value in found)
    converted = ", ".join(f"int({field_code(name)})" for name, _ in found)
    return (f"; {shown} on this item, and text does not order with a number (4 and '4'); "
            f"convert it first: `{converted}` (float(...) for a fraction)")


def named_row(dataset: Dataset) -> Callable[[int], str]:
    """How a message names the item at a position of ``dataset``: ``row 2 (id 'M00001')``,
    the row as its file numbers it."""
    return lambda k: f"row {dataset.file_row(k) + 1} (id {dataset.ids[k]!r})"
