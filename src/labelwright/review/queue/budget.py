"""A review budget: how much of the review queue a team will look at.

The queue is already ordered most useful first (see :mod:`labelwright.triage`), so a
budget keeps its head: a count of items, or a fraction of the queue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def budget_size(n_queued: int, budget: int | float | None) -> int:
    """How many of ``n_queued`` items a budget keeps (``None``: all of them).

    An ``int`` >= 0 is a count; a ``float`` in (0, 1] is a fraction, rounded up so a
    non-empty queue always keeps at least one item.
    """
    if budget is None:
        return n_queued
    if isinstance(budget, bool) or budget < 0:
        raise ValueError(f"review budget must be a count >= 0 or a fraction in (0, 1], "
                         f"got {budget!r}")
    if isinstance(budget, float):
        if 0 < budget <= 1:
            # 0.07 * 100 is 7.000000000000001 in floats: round off the float error
            # before rounding up, or 7% of 100 items keeps 8
            return min(n_queued, math.ceil(round(budget * n_queued, 9)))
        if not budget.is_integer():
            raise ValueError(f"a fractional review budget must be in (0, 1], got {budget!r}")
    return min(n_queued, int(budget))


def cut_to_budget(queue: Sequence[T], budget: int | float | None) -> list[T]:
    """The first items of ``queue`` (any sequence in queue order) that the budget allows."""
    return list(queue[: budget_size(len(queue), budget)])


def parse_budget(text: str) -> int | float:
    """``"50"`` -> 50 items, ``"0.1"`` or ``"10%"`` -> a tenth of the queue."""
    text = text.strip()
    try:
        if text.endswith("%"):
            percent = float(text[:-1])
        else:
            return int(text) if text.isdigit() else float(text)
    except ValueError:
        raise ValueError(f"review budget {text!r}: expected a count (50), a fraction (0.1) "
                         "or a percentage (10%)") from None
    if not 0 <= percent <= 100:  # 200% would read as the count 2.0
        raise ValueError(f"review budget {text!r}: a percentage of the queue is 0% to 100%")
    return percent / 100
