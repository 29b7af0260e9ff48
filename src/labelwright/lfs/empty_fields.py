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
from pathlib import Path
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


def code_lines(traceback: str) -> list[str]:
    """The source lines a traceback shows (the lines under each ``File ...`` line)."""
    lines = traceback.splitlines()
    return [lines[i + 1].strip() for i, line in enumerate(lines[:-1])
            if line.lstrip().startswith('File "') and lines[i + 1].startswith("    ")]


def field_read(field: str) -> str:
    """A pattern of ``field`` read: ``x.field`` or ``x["field"]``."""
    return rf"(?:\.{re.escape(field)}\b|\[\s*['\"]{re.escape(field)}['\"]\s*\])"


def named_in(code: Sequence[str], field: str) -> bool:
    """Whether a line of ``code`` reads ``field``: ``x.field`` or ``x["field"]``."""
    pattern = re.compile(field_read(field))
    return any(pattern.search(line) for line in code)


#: a read the code guards against None: ``(item.x or "")``, ``item.x is None``
_GUARDED = r"\s*(?:or\b|is\b)"


def handled_in(code: Sequence[str], field: str) -> bool:
    """Whether every read of ``field`` in ``code`` is one guarded against None (then the
    field cannot be what raised)."""
    reads = [m for line in code for m in re.finditer(field_read(field) + f"({_GUARDED})?", line)]
    return bool(reads) and all(m.group(1) for m in reads)


#: the attribute an AttributeError on None names
_NO_ATTRIBUTE = re.compile(r"^AttributeError:.*NoneType.*has no attribute '(\w+)'")


def field_code(field: str) -> str:
    """How an LF reads ``field``: ``item.arrival``, or ``item["arrival mode"]``."""
    return f"item.{field}" if field.isidentifier() else f"item[{field!r}]"


def empty_fields(error: str, traceback: str, first: Mapping[str, Any]) -> list[str]:
    """The fields of ``first`` (the first item an LF raised on: field name -> value) that
    are empty and that the traceback's code reads unguarded, when ``error`` (the exception's
    line, :func:`~labelwright.lfs.failure_text.error_line`) is about None; [] otherwise.
    For a missing attribute, the fields read as ``.field.<attribute>`` when one is empty:
    the others on the line did not raise."""
    if not _ABOUT_NONE.match(error):
        return []
    code = code_lines(traceback)
    found = [name for name, value in first.items()
             if is_missing(value) and named_in(code, name) and not handled_in(code, name)]
    if attribute := _NO_ATTRIBUTE.match(error):
        on = [name for name in found
              if any(re.search(field_read(name) + rf"\.{attribute[1]}\b", line) for line in code)]
        found = on or found
    return found[:MAX_FIELDS]


def test_code(fields: Sequence[str], text: Mapping[str, bool] | None = None) -> str:
    """``item.arrival and item.age is not None``: the test that skips ``fields`` when
    empty; ``is not None`` for a field ``text`` says is not text (0 and False are falsy)."""
    return " and ".join(field_code(f) if (text or {}).get(f, True)
                        else f"{field_code(f)} is not None" for f in fields)


#: what a None is in the data, by the file's format: "an empty cell" is a CSV's word
EMPTY_WORDS = {"csv": ("an empty cell", "empty cells"), "tsv": ("an empty cell", "empty cells"),
               "jsonl": ("null or missing", "null or missing"), "parquet": ("null", "null")}
#: a DataFrame's, or a dataset of several formats
_EMPTY = ("empty", "empty")


def empty_words(source: str) -> tuple[str, str]:
    """What a None of the data read from ``source`` (a dataset's path) is, for one field and
    for several: a CSV's empty cell, a JSON null or missing key, a Parquet null."""
    from labelwright.config.schema import DATA_SUFFIXES, data_suffix

    return EMPTY_WORDS.get(DATA_SUFFIXES.get(data_suffix(Path(source)), ""), _EMPTY)


def empty_field_text(counts: Mapping[str, int], failed: int,
                     text: Mapping[str, bool] | None = None,
                     words: tuple[str, str] = EMPTY_WORDS["csv"]) -> str:
    """What to tell of the fields of ``counts`` (field -> items it is empty on) of the
    ``failed`` items an LF raised on, each counted on its own; ``words``: what a None is
    in the data, for one field and for several (:func:`empty_words`)."""
    fields = list(counts)
    first = f"{field_code(fields[0])} is None ({words[0]}) on"
    if all(n == failed for n in counts.values()):
        verb, what = ("is", words[0]) if len(fields) == 1 else ("are", words[1])
        said = (f"{' and '.join(map(field_code, fields))} {verb} None ({what}) on every "
                f"one of the {failed:,} items it raised on")
    else:
        each = [f"{counts[fields[0]]:,}"] + [f"{field_code(f)} on {counts[f]:,}"
                                              for f in fields[1:]]
        said = f"{first} {', '.join(each)} of the {failed:,} items it raised on"
    them = "it" if len(fields) == 1 else "them"
    return f"{said}; test {them} first: `if {test_code(fields, text)} and ...`"


def empty_on_item(error: str, traceback: str, fields: Mapping[str, Any] | None) -> str:
    """For an LF that raised ``error`` on one item (``--fail-fast``): "; item.arrival is
    None (an empty cell) on this item; test it first: ..." when the error is one of an
    empty field of ``fields`` its code reads; "" otherwise."""
    found = empty_fields(error, traceback, fields or {})
    if not found:
        return ""
    shown = " and ".join(field_code(f) for f in found)
    verb, what = ("is", "an empty cell") if len(found) == 1 else ("are", "empty cells")
    them = "it" if len(found) == 1 else "them"
    return (f"; {shown} {verb} None ({what}) on this item; test {them} first: "
            f"`if {shown} and ...`")


def empty_field_hint(error: str, traceback: str, fields: pd.DataFrame | None,
                     rows: np.ndarray | Sequence[int] | None,
                     words: tuple[str, str] = EMPTY_WORDS["csv"]) -> str:
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
    position = {str(name): k for k, name in enumerate(fields.columns)}
    # by position: a DataFrame's column names need not be strings
    counts = {name: int(fields.iloc[at, position[name]].isna().sum()) for name in found}
    text = {name: is_text(fields.iloc[:, position[name]]) for name in found}
    return empty_field_text(counts, len(at), text, words)


def is_text(column: pd.Series) -> bool:
    """Whether a column holds text (its first filled cell is a string): a number or a
    flag can be 0 or False, which ``if item.x`` would skip as if empty."""
    filled = column.dropna()
    return not len(filled) or isinstance(filled.iloc[0], str)


def empty_fields_of(fields: pd.DataFrame | None, row: int) -> list[str]:
    """The fields empty on the item at ``row`` (to show beside an item an LF raised on)."""
    if fields is None or fields.empty:
        return []
    return [str(name) for k, name in enumerate(fields.columns)
            if is_missing(fields.iat[row, k])]
