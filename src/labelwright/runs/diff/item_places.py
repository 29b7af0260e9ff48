"""Items two runs both hold, with the same text, that changed place: into another data part,
or to another row order within their part (``runs diff``).

A row cut from one part and pasted into another, or rows sorted again, keeps every item's
id and text: ``runs diff`` said nothing of it, though the data's hash changed and an
``[data]`` part's items were no longer the ones it held. The moves between parts are
:func:`~labelwright.runs.item_moves.moved_items`' (``runs verify --inputs`` names the same
against the data now); the items out of order are the fewest whose moving gives run b's
order from run a's (those off a longest run of items in the same order in both). Each
place is the part and row each run read the item from, counted back from its manifest
(:mod:`~labelwright.runs.item_origin`), for the few items named.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.runs.item_moves import SHOWN, ItemMove, moved_items, named_parts
from labelwright.runs.item_origin import item_origin, part_of_each

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ItemPlaces:
    """The items of the same text in both runs that moved to another part (``moved``: each
    counted; the first :data:`~labelwright.runs.item_moves.SHOWN` with both rows) and those
    in another order within their part (``reordered``, with ``reordered_shown`` of them
    placed)."""

    moved: dict[str, ItemMove] = field(default_factory=dict)
    reordered: int = 0
    reordered_shown: dict[str, ItemMove] = field(default_factory=dict)


def item_places(runs: tuple[Path, Path], manifests: tuple[dict[str, Any], dict[str, Any]],
                joined: pd.DataFrame, n_items: tuple[int, int],
                same_text: np.ndarray) -> ItemPlaces:
    """Where the items of ``joined`` (the two runs' labels on id, with each run's
    ``position_a`` / ``position_b`` in its ``labels.parquet``) whose text is the same
    (``same_text``) changed place. ``n_items``: each run's items, to place them in the
    parts its manifest lists; a run that read one file has one part, and one on a
    DataFrame (or whose manifest cannot place its items) none: nothing is said of it."""
    (run_a, run_b), (a, b) = runs, manifests
    parts_a, parts_b = _parts(a, n_items[0]), _parts(b, n_items[1])
    if parts_a is None or parts_b is None or not same_text.any():
        return ItemPlaces()
    both = joined.loc[same_text, ["id", "position_a", "position_b"]].reset_index(drop=True)
    pos_a, pos_b = both["position_a"].to_numpy(), both["position_b"].to_numpy()
    root = Path(str((b.get("project") or {}).get("root") or "."))
    places = ItemPlaces()
    if (a.get("data") or {}).get("parts") and (b.get("data") or {}).get("parts"):
        frame = both.assign(id=both["id"].astype(str), position=pos_a,
                            part=np.asarray(parts_b, dtype=object)[pos_b])
        places.moved = _with_rows_now(moved_items(run_a, a, frame, parts_a, root), run_b, b,
                                      dict(zip(frame["id"], pos_b, strict=True)))
    part_b = named_parts(parts_b, root)[pos_b]  # each part by its path in the project
    stayed = named_parts(parts_a, root)[pos_a] == part_b
    out = np.zeros(len(both), dtype=bool)
    for part in np.unique(part_b[stayed]).tolist():
        rows = np.flatnonzero(stayed & (part_b == part))
        rows = rows[np.argsort(pos_a[rows], kind="stable")]
        out[rows[out_of_order(pos_b[rows])]] = True
    places.reordered = int(out.sum())
    for at in np.flatnonzero(out)[:SHOWN].tolist():
        then, now = (item_origin(run, m, int(p)) for run, m, p in (
            (run_a, a, pos_a[at]), (run_b, b, pos_b[at])))
        places.reordered_shown[str(both["id"].iat[at])] = ItemMove(
            str(part_b[at]), str(part_b[at]), then.row if then else None,
            now.row if now else None)
    return places


def _parts(manifest: dict[str, Any], n: int) -> list[str] | None:
    """The part each of a run's ``n`` items came from, by position: its ``data.parts``,
    or its one file; None for a run on a DataFrame or one that cannot be placed."""
    from labelwright.runs.item_origin import counted_parts

    many = part_of_each(manifest, n)
    if many is not None:
        return many
    parts = counted_parts(manifest, n)
    return None if parts is None else [str(parts[0]["path"])] * n


def _with_rows_now(moves: dict[str, ItemMove], run_b: Path, b: dict[str, Any],
                   positions: dict[str, int]) -> dict[str, ItemMove]:
    """``moves`` with run b's row counted back for those whose run-a row was (the ones a
    line names: :func:`~labelwright.runs.item_moves.moved_items`)."""
    placed = {}
    for item, move in moves.items():
        if move.row_then is not None:
            origin = item_origin(run_b, b, positions[item])
            move = ItemMove(move.came_from, move.now_in, move.row_then,
                            origin.row if origin else None)
        placed[item] = move
    return placed


def out_of_order(order: np.ndarray) -> np.ndarray:
    """The indices of ``order`` off one longest strictly rising run of it (its longest
    increasing subsequence): the fewest items whose moving leaves the rest in order. An
    item added or removed between the runs moves no other; one row moved from the top to
    the bottom is one item, not every item after it."""
    if len(order) < 2 or bool(np.all(np.diff(order) > 0)):
        return np.zeros(0, dtype=np.int64)
    tails: list[int] = []  # the least last value of a rising run of each length
    tail_at: list[int] = []
    before = np.full(len(order), -1, dtype=np.int64)
    for k, value in enumerate(order.tolist()):
        length = bisect.bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[length], tail_at[length] = value, k
        before[k] = tail_at[length - 1] if length else -1
    keep = np.zeros(len(order), dtype=bool)
    k = tail_at[-1]
    while k >= 0:
        keep[k] = True
        k = int(before[k])
    return np.flatnonzero(~keep)


def moved_lines(places: ItemPlaces | None, shown: int = SHOWN) -> list[str]:
    """``items moved to another data part: 2 (t3 from a.csv row 2 to b.csv row 1, ...)``
    and ``items in another order within their data part: ...``; [] when none."""
    from labelwright.runs.item_moves import moved_line

    if places is None:
        return []
    lines = []
    moved = moved_line(places.moved, shown, what="items moved to another data part")
    if moved:
        lines.append(moved)
    if places.reordered:
        some = ", ".join(f"{item} {move}" for item, move in
                         list(places.reordered_shown.items())[:shown])
        more = (f", and {places.reordered - len(places.reordered_shown):,} more"
                if places.reordered > len(places.reordered_shown) else "")
        lines.append(f"items in another order within their data part (the fewest that, "
                     f"moved, give run b's order): {places.reordered:,} ({some}{more})")
    return lines
