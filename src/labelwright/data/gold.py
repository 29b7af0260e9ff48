"""A dataset's gold column read as label indices (:func:`parse_gold`).

Each distinct value is read once, then mapped to the rows; a value that is no project label
is an :class:`~labelwright.errors.UnknownGoldError` naming each such value with its rows, its
count and a close label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import find_label
from labelwright.errors import UnknownGoldError
from labelwright.spelling import did_you_mean

#: rows an error about one unknown gold value names (the first ones); the count says the rest
GOLD_ROWS_SHOWN = 5
#: unknown gold values an error spells out, one a line (the first ones); the rest are counted
GOLD_VALUES_SHOWN = 10
_WHOLE_NUMBER = re.compile(r"[+-]?\d+(\.0*)?")  # 2, -1, or 2.0 from a float column


def _distinct(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Each row's position among the column's distinct values (-1 for a missing cell of a
    text or number column), and those values: a million gold cells hold a handful of
    labels, each then read once. A column of mixed types is keyed by type and value, so
    that ``1``, ``1.0`` and ``True``, equal in Python but written differently, stay apart
    (a float32 column too: its values are read as ``tolist()`` gives them, in float64's
    digits)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) or dtype == np.float64 or (
            isinstance(dtype, np.dtype) and dtype.kind in "biu"):
        codes, uniques = pd.factorize(values)
        return np.asarray(codes, dtype=np.int64), list(uniques)
    codes = np.empty(len(values), dtype=np.int64)
    distinct: list[Any] = []
    seen: dict[tuple[type, Any], int] = {}
    for row, value in enumerate(values.tolist()):
        try:
            code = seen.setdefault((type(value), value), len(distinct))
        except TypeError:  # a list or a dict from JSON: not hashable, read on its own
            code = len(distinct)
        if code == len(distinct):
            distinct.append(value)
        codes[row] = code
    return codes, distinct


def parse_gold(
    values: pd.Series, labels: tuple[str, ...], ids: list[str], where: str, column: str,
    row_lines: Callable[[list[int]], dict[int, int]],
    rows: Sequence[int] | np.ndarray | None = None,
    stands_for: Mapping[str, str] | None = None,
    python: bool = False,
) -> tuple[np.ndarray, list[str]]:
    """Each row's gold label index (-1: none), and warnings: a label with spaces around it
    is read as the label, a cell of only spaces as no gold label; both are said. Gold
    values that are no label are an :class:`UnknownGoldError` naming each, with its rows
    (``row_lines`` gives the lines of file rows) and a close label. ``rows``: the 0-based
    file row of each value, when rows were skipped (default: its position).
    ``stands_for``: ``[data] gold_values``, a value as written (a whole float as its
    integer: ``1.0`` is ``1``) -> the label it is read as, ``""`` for none.
    ``python``: the labels and gold values were given to ``dataset_from_frame``, so the
    hints name its ``labels=`` and ``gold_values=``, not ``[project] labels`` and
    ``[data] gold_values``.

    Each distinct value is read once (:func:`_distinct`), then mapped to the rows."""
    codes, distinct = _distinct(values)
    # per distinct value: its label index (-1: none), and what it is; a last entry for -1
    index = np.full(len(distinct) + 1, -1, dtype=np.int64)
    padded = np.zeros(len(distinct) + 1, dtype=bool)
    blank = np.zeros(len(distinct) + 1, dtype=bool)
    unknown: dict[str, list[int]] = {}  # name -> the distinct values written so
    for code, value in enumerate(distinct):
        if is_missing(value):
            continue
        written = str(value)
        name = written.strip()
        if not name:
            blank[code] = bool(written)  # spaces; an empty cell is simply no gold label
            continue
        padded[code] = name != written
        if stands_for:
            name = stands_for.get(_as_written(value, name), stands_for.get(name, name))
            if not name:  # mapped to "": no gold label
                continue
        label = find_label(name, labels)  # another Unicode form of a label is the label
        if label is None:
            unknown.setdefault(name, []).append(code)
            continue
        index[code] = labels.index(label)

    def file_row(position: int) -> int:
        return position if rows is None else int(rows[position])

    if unknown:
        raise UnknownGoldError(_unknown_gold(codes, unknown, labels, ids, where, column,
                                             row_lines, file_row, python))
    warnings = []
    first_padded = np.flatnonzero(padded[codes])
    if len(first_padded):
        r = int(first_padded[0])
        warnings.append(f"{where}: {len(first_padded)} gold label(s) in column {column!r} have "
                        f"spaces around them (first: row {file_row(r) + 1}, id {ids[r]!r}, "
                        f"{str(values.iloc[r])!r}); read as the label without them")
    first_blank = np.flatnonzero(blank[codes])
    if len(first_blank):
        r = int(first_blank[0])
        warnings.append(f"{where}: {len(first_blank)} gold cell(s) in column {column!r} hold "
                        f"only spaces (first: row {file_row(r) + 1}, id {ids[r]!r}); read as "
                        "no gold label")
    return index[codes], warnings


def _as_written(value: Any, name: str) -> str:
    """A gold value as ``[data] gold_values`` names it: ``name`` (its text, stripped), a
    whole float as its integer (a JSON or Parquet column of indices with a missing value
    is read as floats: ``1.0`` for ``1``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return name


def _unknown_gold(codes: np.ndarray, unknown: dict[str, list[int]], labels: tuple[str, ...],
                  ids: list[str], where: str, column: str,
                  row_lines: Callable[[list[int]], dict[int, int]],
                  file_row: Callable[[int], int], python: bool = False) -> str:
    """One line per unknown gold value, in the order of their first rows: how many rows
    hold it, the first ones with their ids, rows and lines in the file (``file_row`` of a
    position), and what it may have meant."""
    group = np.full(int(codes.max(initial=-1)) + 2, -1, dtype=np.int64)
    names = list(unknown)
    for g, name in enumerate(names):
        group[unknown[name]] = g
    rows = np.flatnonzero(group[codes] >= 0)
    counts = np.bincount(group[codes[rows]], minlength=len(names))
    first: dict[int, list[int]] = {}
    for row in rows.tolist():  # the error's path only: the rows that hold an unknown value
        shown = first.setdefault(int(group[codes[row]]), [])
        if len(shown) < GOLD_ROWS_SHOWN:
            shown.append(row)
    order = sorted(first, key=lambda g: first[g][0])
    lines = row_lines([file_row(row) for g in order[:GOLD_VALUES_SHOWN] for row in first[g]])
    valid = f"valid labels: {', '.join(labels)}"
    out = []
    for g in order[:GOLD_VALUES_SHOWN]:
        name, (row, *more) = names[g], first[g]
        in_file = file_row(row)
        at = f"{where}:{lines[in_file]}" if in_file in lines else where
        also = ""
        if counts[g] > 1:
            listed = ", ".join(f"row {file_row(r) + 1} (id {ids[r]!r}"
                               + (f", line {lines[file_row(r)]})" if file_row(r) in lines
                                  else ")")
                               for r in more)
            rest = counts[g] - 1 - len(more)
            also = (f", in {counts[g]:,} rows of column {column!r} (also {listed}"
                    f"{f' and {rest:,} more' if rest else ''})")
        out.append(f"{at}: row {in_file + 1} (id {ids[row]!r}): unknown gold label {name!r}{also}; "
                   f"{_gold_hint(name, labels, column, python)}{valid}")
    if len(order) > GOLD_VALUES_SHOWN:
        rest = order[GOLD_VALUES_SHOWN:]
        listed = ", ".join(repr(names[g]) for g in rest[:GOLD_VALUES_SHOWN])
        out.append(f"{where}: {len(rest):,} more unknown gold values in column {column!r}, in "
                   f"{int(counts[rest].sum()):,} rows: {listed}"
                   f"{' ...' if len(rest) > GOLD_VALUES_SHOWN else ''}; {valid}")
    return "\n".join(out)


#: labels up to which the hint writes the index -> name mapping out in full
MAPPING_SHOWN = 5


def _gold_hint(name: str, labels: tuple[str, ...], column: str, python: bool = False) -> str:
    """What an unknown gold value may have meant: a label spelt close to it; for a whole
    number, what it would be as a label index (Snorkel's gold is indices; here a gold
    value is a label's name, and a label may itself be named "2"), and the pandas line
    that turns a column of indices into names; else a label left out of the list of
    labels. ``python``: the list and the mapping are ``dataset_from_frame``'s arguments."""
    close = did_you_mean(name, labels)
    if not _WHOLE_NUMBER.fullmatch(name):
        listed = "labels=[...]" if python else "[project] labels"
        return close or (f"if {name!r} is a label, {listed} is missing it: add it there "
                         "(the list's order gives each label's index); ")
    number = int(float(name))
    if 0 <= number < len(labels):
        names = (repr(dict(enumerate(labels))) if len(labels) <= MAPPING_SHOWN
                 else "dict(enumerate(labels))")
        table = ("{ " + ", ".join(f"{k} = {json.dumps(label)}" for k, label
                                  in enumerate(labels)) + " }"
                 if len(labels) <= MAPPING_SHOWN else "{ 0 = <label 0>, 1 = <label 1>, ... }")
        setting = f"gold_values={names}" if python else f"[data] gold_values = {table}"
        meant = (f"if the project meant indices, {name} would be label index {number}, "
                 f"{labels[number]!r}: {setting} reads them so, or "
                 f"df[{column!r}] = df[{column!r}].map({names}) names them")
    elif number == -1:
        meant = ("for no gold label, leave the cell empty, or read it as none: "
                 + ('gold_values={-1: ""}' if python else '[data] gold_values = { -1 = "" }'))
    else:
        meant = f"an index would be 0..{len(labels) - 1}"
    return f"gold values are label names, not indices ({meant}); {close}"


def is_missing(value: Any) -> bool:
    """A missing cell: None, ``pd.NA`` or NaN."""
    return value is None or value is pd.NA or (
        isinstance(value, float | np.floating) and bool(np.isnan(value)))


def same_gold_labels(read_with: Sequence[str] | None, labels: Sequence[str], source: str
                     ) -> None:
    """A ValueError, naming both lists, when a dataset's gold was read with other labels
    than ``labels`` (``read_with``: its :attr:`~labelwright.data.Dataset.gold_labels`; None,
    no gold or not known, passes): gold index ``i`` is the ``i``-th label of the list it
    was read with, so with another list or order, every LF's accuracy on gold is counted
    against the wrong label."""
    if read_with is None or tuple(read_with) == tuple(labels):
        return
    reordered = sorted(read_with) == sorted(labels)
    raise ValueError(f"{source}: the dataset's gold was read with labels={list(read_with)}, "
                     f"the project's labels are {list(labels)}"
                     + (" (the same labels in another order)" if reordered else "")
                     + ": gold index i names the i-th label of the list it was read with, so "
                     "the gold would name other labels; read the dataset with "
                     "labels=project.config.labels")
