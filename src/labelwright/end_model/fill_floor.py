"""The confidence floor of ``labelwright train --min-confidence``: which items the end model
labels that the run left without a label, and how right it was above and below the floor.

The end model labels every item no LF covers whose text it can read. On a 12-intent support
project it gave 1,260 of 1,791 such items the majority intent, at confidences around 0.25:
a guess, spread over the rarest intents' items. With a floor, an item whose end-model
confidence is below it stays unlabeled (``label_source`` :data:`BELOW_FLOOR`), counted, and
the held-out gold items the run left without a label say how often the end model was right
above the floor and below it, so the floor can be chosen by what it keeps and drops.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: ``label_source`` of an item the end model would have labeled below the floor
BELOW_FLOOR = "below_min_confidence"


def check_min_confidence(value: Any, option: str = "min_confidence") -> float:
    """``value`` as the floor: a number from 0 to 1 (0: no floor); a ValueError naming
    ``option`` and the valid range otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{option} {value!r}: expected a number from 0 to 1 (the end "
                         "model's confidence an item it labels needs; 0 labels every item "
                         "it can read)")
    return float(value)


def floor_split(gold: np.ndarray, end_label: np.ndarray, confidence: np.ndarray,
                fill: np.ndarray, floor: float,
                readable: np.ndarray | None = None) -> dict[str, Any]:
    """The gold items of ``fill`` (held-out gold items the run left without a label) apart
    at ``floor``: ``above`` (those it labels) and ``below`` (those left unlabeled), each
    with ``items`` and ``end_model_accuracy`` (None over no items), ``unreadable`` (those
    whose text the end model cannot read: labeled by no floor), and the ``floor``; the
    three add up to ``fill``'s items, as train's count of the gold items the run left
    without a label. ``end_label``: a class index per item; ``confidence``: its
    probability; ``readable`` (None: all)."""
    def part(rows: np.ndarray) -> dict[str, Any]:
        right = end_label[rows] == gold[rows]
        return {"items": int(rows.sum()),
                "end_model_accuracy": float(right.mean()) if right.size else None}

    unread = fill & ~readable if readable is not None else np.zeros_like(fill)
    fill = fill & ~unread
    kept = confidence >= floor
    return {"floor": floor, "above": part(fill & kept), "below": part(fill & ~kept),
            "unreadable": int(unread.sum())}
