"""Where a few items are among a run's many: their rows, found without indexing them all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def rows_of(ids: Iterable[str], wanted: Sequence[str]) -> np.ndarray:
    """The row of each of ``wanted`` among ``ids`` (its first, as a run's ids are unique),
    -1 for one not among them. One pass over ``ids``: the report looks up a few dozen
    example or failed items, and an index of a million ids (``pd.Index``) cost some
    140 MB at its peak for them, and 50 MB kept after."""
    sought = set(wanted)
    found: dict[str, int] = {}
    if sought:
        for row, item in enumerate(ids):
            if item in sought and item not in found:
                found[item] = row
                if len(found) == len(sought):
                    break
    return np.array([found.get(item, -1) for item in wanted], dtype=np.int64)
