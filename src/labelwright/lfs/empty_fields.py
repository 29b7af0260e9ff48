"""An LF that failed on an empty cell, said as such: ``item.arrival.lower()`` on a row whose
``arrival`` is blank raises ``AttributeError: 'NoneType' object has no attribute 'lower'``,
which names neither the field nor the cause to someone who is not a programmer. When the
error is about None and the code lines of its traceback name a field that is empty on
the first item the LF raised on, the failure says which field, on how many of the items it
raised on, and the test to write first. Worked out when the failure is told, from the kept
traceback and the data's columns: one look at the first item, one column read per field."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: an error raised by using None as a value: an attribute, a call, an index, an ``in``
_ABOUT_NONE = re.compile(r"^(AttributeError|TypeError):.*NoneType")
#: the most fields one message names
MAX_FIELDS = 3


def is_missing(value: Any) -> bool:
    """Whether a cell is empty as an LF sees it (None: NaN, pandas' NA or NaT, or None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _code_lines(traceback: str) -> list[str]:
    """The source lines a traceback shows (the lines under each ``File ...`` line)."""
    lines = traceback.splitlines()
    return [lines[i + 1].strip() for i, line in enumerate(lines[:-1])
            if line.lstrip().startswith('File "') and lines[i + 1].startswith("    ")]


def named_in(code: Sequence[str], field: str) -> bool:
    """Whether a line of ``code`` reads ``field``: ``x.field`` or ``x["field"]``."""
    pattern = re.compile(rf"\.{re.escape(field)}\b|\[\s*['\"]{re.escape(field)}['\"]\s*\]")
    return any(pattern.search(line) for line in code)


def field_code(field: str) -> str:
    """How an LF reads ``field``: ``item.arrival``, or ``item["arrival mode"]``."""
    return f"item.{field}" if field.isidentifier() else f"item[{field!r}]"


def empty_fields(error: str, traceback: str, first: Mapping[str, Any]) -> list[str]:
    """The fields of ``first`` (the first item an LF raised on: field name -> value) that
    are empty and that the traceback's code reads, when ``error`` (the exception's line,
    :func:`~labelwright.lfs.failure_text.error_line`) is about None; [] otherwise."""
    if not _ABOUT_NONE.match(error):
        return []
    code = _code_lines(traceback)
    return [name for name, value in first.items()
            if is_missing(value) and named_in(code, name)][:MAX_FIELDS]


def empty_field_text(fields: Sequence[str], count: int, failed: int) -> str:
    """What to tell of ``fields`` empty on ``count`` of the ``failed`` items an LF raised on."""
    shown = " and ".join(field_code(f) for f in fields)
    verb, what = ("is", "an empty cell") if len(fields) == 1 else ("are", "empty cells")
    on = (f"every one of the {failed:,} items it raised on" if count == failed
          else f"{count:,} of the {failed:,} items it raised on")
    return (f"{shown} {verb} None ({what}) on {on}; test it first: "
            f"`if {' and '.join(field_code(f) for f in fields)} and ...`")


def empty_on_item(error: str, traceback: str, fields: Mapping[str, Any] | None) -> str:
    """For an LF that raised ``error`` on one item (``--fail-fast``): "; item.arrival is
    None (an empty cell) on this item; test it first: ..." when the error is one of an
    empty field of ``fields`` its code reads; "" otherwise."""
    found = empty_fields(error, traceback, fields or {})
    if not found:
        return ""
    shown = " and ".join(field_code(f) for f in found)
    verb, what = ("is", "an empty cell") if len(found) == 1 else ("are", "empty cells")
    return f"; {shown} {verb} None ({what}) on this item; test it first: `if {shown} and ...`"


def empty_field_hint(error: str, traceback: str, fields: pd.DataFrame | None,
                     rows: np.ndarray | Sequence[int] | None) -> str:
    """:func:`empty_field_text` for an LF whose failure is ``error`` with ``traceback``,
    on the ``rows`` of ``fields`` (the data's columns besides id and text) it raised on,
    the first first; "" when the failure is not one of an empty field."""
    if fields is None or rows is None or len(rows) == 0 or fields.empty:
        return ""
    first = int(rows[0])
    found = empty_fields(error, traceback, {str(name): fields.iat[first, k]
                                            for k, name in enumerate(fields.columns)})
    if not found:
        return ""
    at = np.asarray(rows, dtype=np.int64)
    empty = np.zeros(len(at), dtype=bool)
    position = {str(name): k for k, name in enumerate(fields.columns)}
    for name in found:  # by position: a DataFrame's column names need not be strings
        empty |= fields.iloc[at, position[name]].isna().to_numpy()
    return empty_field_text(found, int(empty.sum()), len(at))


def empty_fields_of(fields: pd.DataFrame | None, row: int) -> list[str]:
    """The fields empty on the item at ``row`` (to show beside an item an LF raised on)."""
    if fields is None or fields.empty:
        return []
    return [str(name) for k, name in enumerate(fields.columns)
            if is_missing(fields.iat[row, k])]
