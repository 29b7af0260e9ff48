"""The items of a dataset in many files that are in another part than the run read them
from: same id, in another file (``runs verify --inputs``).

A row cut from one part and pasted into another changes both parts' hashes, while every
item keeps its id and text: the changed parts then said "every item the run labeled has
its text (the change is elsewhere)", and the reader searched both files for what had
changed. Each such item is named with its part and row then (the run's, counted back from
its manifest: :mod:`~labelwright.runs.item_origin`) and now (as the data is read now).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: the moved items :func:`moved_line` names, of all and of each part (those it counts
#: alone need no row, and counting one back reads the run's skipped rows again)
SHOWN = 5


@dataclass(frozen=True)
class ItemMove:
    """Where an item was when the run read it and where it is now: each part by its path
    in the project, and the 1-based row there (None: not known)."""

    came_from: str
    now_in: str
    row_then: int | None = None
    row_now: int | None = None

    def __str__(self) -> str:
        def at(part: str, row: int | None) -> str:
            return part if row is None else f"{part} row {row:,}"
        return f"from {at(self.came_from, self.row_then)} to {at(self.now_in, self.row_now)}"


def moved_items(run_dir: Path, manifest: dict[str, Any], both: pd.DataFrame,
                run_parts: Sequence[str], root: Path) -> dict[str, ItemMove]:
    """The items in the run and in the data now (``both``: one row each, in the run's
    order, with ``id``, the run's ``position`` in ``labels.parquet``, and now ``part`` and,
    when known, ``row``) that are in another part now than the one the run read them from
    (``run_parts``, by position); parts compared by their path in the project ``root``, as
    the manifest and the data now may name one part two ways. The run's row is counted
    back only for the moves :func:`moved_line` names (the first :data:`SHOWN` of all and
    of each part); the others' is None."""
    from labelwright.runs.item_origin import item_origin

    positions = both["position"].to_numpy()
    came_from = named_parts(run_parts, root)[positions]
    now_in = named_parts(both["part"], root)
    where = np.flatnonzero(came_from != now_in)
    rows = both["row"].to_numpy() if "row" in both.columns else None
    moves = {}
    named: Counter[str] = Counter()  # the moves named so far, of all ("") and of each part
    for at in where:
        parts = ("", str(came_from[at]), str(now_in[at]))
        shown = any(named[part] < SHOWN for part in parts)  # moved_line names it
        named.update(parts)
        origin = item_origin(run_dir, manifest, int(positions[at])) if shown else None
        moves[str(both["id"].iat[at])] = ItemMove(
            str(came_from[at]), str(now_in[at]), None if origin is None else origin.row,
            None if rows is None else int(rows[at]))
    return moves


def named_parts(paths: Sequence[str] | pd.Series, root: Path) -> np.ndarray:
    """Each of ``paths`` by its path in the project ``root`` (worked out once per part)."""
    import pandas as pd

    from labelwright.runs.manifest import project_path

    parts = pd.Categorical(paths)
    names = np.array([project_path(Path(str(p)), root) for p in parts.categories] or [""],
                     dtype=object)
    return names[parts.codes]


def moved_line(moves: dict[str, ItemMove], shown: int = SHOWN, *,
               what: str = "items moved to another part since the run") -> str | None:
    """``items moved to another part since the run: 1 (a2 from p1.csv row 2 to p2.csv row
    4)``, the first ``shown`` of them; None when none moved. ``what``: the line's start
    (``runs diff`` compares two runs, not a run with the data now)."""
    if not moves:
        return None
    some = ", ".join(f"{item} {move}" for item, move in list(moves.items())[:shown])
    more = f", and {len(moves) - shown:,} more" if len(moves) > shown else ""
    return f"{what}: {len(moves):,} ({some}{more})"
