"""The items of a dataset in many files that are in another part than the run read them
from: same id, in another file (``runs verify --inputs``).

A row cut from one part and pasted into another changes both parts' hashes, while every
item keeps its id and text: the changed parts then said "every item the run labeled has
its text (the change is elsewhere)", and the reader searched both files for what had
changed. Each such item is named with its part and row then (the run's, counted back from
its manifest: :mod:`~labelwright.runs.item_origin`) and now (as the data is read now).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: the moved items whose row in the run's part is counted back (each reads the run's
#: skipped rows); those after are named by their part alone
PLACED = 100


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


def moved_items(run_dir: Path, manifest: dict[str, Any], then_ids: pd.Series,
                run_parts: list[str], now: pd.DataFrame, root: Path) -> dict[str, ItemMove]:
    """The items of the run (``then_ids``, in ``labels.parquet``'s order, read from
    ``run_parts``) that the data now (``now``: ``id``, ``part`` and, when known, ``row``)
    holds in another part, in the run's order; parts compared by their path in the project
    ``root``, as the manifest and the data now may name one part two ways."""
    import pandas as pd

    from labelwright.runs.item_origin import item_origin
    from labelwright.runs.manifest import project_path

    def named(paths: pd.Series) -> pd.Series:
        return paths.map({p: project_path(Path(p), root) for p in paths.unique()})

    then = pd.DataFrame({"id": then_ids.to_numpy(), "came_from": named(pd.Series(run_parts)),
                         "position": range(len(run_parts))})
    here = pd.DataFrame({"id": now["id"].to_numpy(), "now_in": named(now["part"]),
                         "row_now": now["row"] if "row" in now.columns else None})
    both = then.merge(here, on="id", how="inner")
    both = both[both["came_from"] != both["now_in"]]
    moves = {}
    for k, row in enumerate(both.itertuples(index=False)):
        origin = item_origin(run_dir, manifest, int(row.position)) if k < PLACED else None
        moves[str(row.id)] = ItemMove(
            str(row.came_from), str(row.now_in), None if origin is None else origin.row,
            None if row.row_now is None or row.row_now != row.row_now else int(row.row_now))
    return moves


def moved_line(moves: dict[str, ItemMove], shown: int = 5) -> str | None:
    """``items moved to another part since the run: 1 (a2 from p1.csv row 2 to p2.csv row
    4)``, the first ``shown`` of them; None when none moved."""
    if not moves:
        return None
    some = ", ".join(f"{item} {move}" for item, move in list(moves.items())[:shown])
    more = f", and {len(moves) - shown:,} more" if len(moves) > shown else ""
    return f"items moved to another part since the run: {len(moves):,} ({some}{more})"
