"""Rows the same in every column as an earlier row of the same file, left out under
``[data] duplicate_rows = "skip"``.

A file holding a row twice (a nightly drop appended twice, an export written again) repeats
an id, which is an error by default (:func:`~labelwright.data.ids.check_unique`): which row
is the item cannot be told in general. When the rows are the same in every column it can:
they are one item. ``duplicate_rows = "skip"`` keeps the first and leaves out each later
copy, listed with the skipped rows (``skipped_rows.jsonl``, the reason naming the row it
copies) and said in a warning, never in silence. Rows of one id that differ in any column
are left to :func:`~labelwright.data.ids.check_unique`, whose error names them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from labelwright.config import DATA_DUPLICATE_ROWS
from labelwright.counts import some_of
from labelwright.data.bad_rows import SHOWN, SkippedRow, kept_rows, row_values
from labelwright.data.ids import repeated_rows, shown_id

#: the setting that leaves copies out, as messages name it
SETTING = '[data] duplicate_rows = "skip"'
#: how a copy's reason begins (``skipped_rows.jsonl`` tells copies from bad rows by it)
_COPY = "a copy of row "


def drop_copies(frame: pd.DataFrame, ids: list[str], rows: np.ndarray | None,
                lines: Callable[[list[int]], dict[int, int]]
                ) -> tuple[pd.DataFrame, list[str], np.ndarray | None, list[SkippedRow]]:
    """``frame`` and its ``ids`` without each row that repeats an earlier row in every
    column, the kept rows' 0-based file rows (``rows``: each row's, None when row ``k`` is
    the file's row ``k``) and the copies left out, numbered as the file numbers them, each
    naming the row it copies. A missing value is the same as another."""
    repeats = repeated_rows(ids)
    if not repeats:
        return frame, ids, rows, []
    positions = sorted(k for at in repeats.values() for k in at)
    picked = frame.iloc[positions]
    try:
        group = picked.groupby(list(picked.columns), dropna=False, sort=False).ngroup()
    except TypeError:  # lists and dicts cannot be hashed: compared as written
        group = pd.Series([repr(tuple(row)) for row in picked.itertuples(index=False)]
                          ).factorize()[0]
    first: dict[int, int] = {}
    copy_of: dict[int, int] = {}
    for position, key in zip(positions, np.asarray(group).tolist()):
        copy_of[position] = first.setdefault(key, position)
    copies = [k for k, original in copy_of.items() if k != original]
    if not copies:
        return frame, ids, rows, []

    def file_row(position: int) -> int:
        return position if rows is None else int(rows[position])

    line_of = lines(sorted({file_row(k) for k in copies} | {file_row(copy_of[k])
                                                             for k in copies}))
    skipped = []
    for k in copies:
        row, original = file_row(k), file_row(copy_of[k])
        on = f" (line {line_of[original]})" if original in line_of else ""
        skipped.append(SkippedRow(line_of.get(row), row + 1, None,
                                  f"{_COPY}{original + 1}{on}, the same in every column "
                                  f"(id {shown_id(ids[k])}); {SETTING} keeps the first",
                                  row_values(frame, k)))
    keep = np.ones(len(frame), dtype=bool)
    keep[copies] = False
    kept_ids = [item_id for item_id, kept in zip(ids, keep.tolist()) if kept]
    in_file = (np.arange(len(frame)) if rows is None else np.asarray(rows))[keep]
    return kept_rows(frame, keep), kept_ids, in_file, skipped


def check_duplicate_rows(value: str) -> str:
    """``value`` if it is one of :data:`DATA_DUPLICATE_ROWS`, else a ``ValueError``."""
    if value not in DATA_DUPLICATE_ROWS:
        raise ValueError(f"duplicate_rows must be one of "
                         f"{', '.join(map(repr, DATA_DUPLICATE_ROWS))}, got {value!r}")
    return value


def is_copy(row: SkippedRow) -> bool:
    """Whether ``row`` was left out as a copy of an earlier row, not as a bad row."""
    return row.reason.startswith(_COPY)


def copies_warning(source: str, copies: Sequence[SkippedRow], listed_in: str) -> str:
    """What a read says of the copies it left out: how many, the first :data:`SHOWN` by
    line, row and the row each copies, and where every one is listed."""
    ordered = sorted(copies, key=lambda r: r.row)
    first = some_of([(f"line {r.line}, " if r.line is not None else "") + f"row {r.row}: "
                     + r.reason.split(", the same in every column")[0]
                     for r in ordered[:SHOWN]], SHOWN, total=len(ordered), clauses=True)
    n = len(copies)
    return (f"{source}: {n} row{'s' * (n != 1)} the same in every column as an earlier row "
            f"left out ({SETTING}: the first of each is kept), not in the labels; each is "
            f"listed in {listed_in}: {first}")
