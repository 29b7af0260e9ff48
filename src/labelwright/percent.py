"""Shares (coverage, overlaps, accuracy, ...) as the terminal and the report show them.

Rounded to ``digits`` decimals of a percent, except near the ends: a share that is not 0
but rounds to it reads ``<0.1%``, and one that is not 1 but rounds to it reads ``>99.9%``.
An LF that voted on 1 item of 2,500 is not an LF that never votes, and a coverage of
2,499 of 2,500 items is not all of them.
"""

from __future__ import annotations

import math
from typing import Any


def percent(value: Any, digits: int = 1) -> str:
    """``value`` (a share in [0, 1]) as a percent; ``—`` when missing (None or NaN)."""
    if value is None or (isinstance(value, float | int) and math.isnan(float(value))):
        return "—"
    share = float(value)
    smallest = 10.0 ** -digits / 100  # one step of the last digit, as a share
    if 0 < share < smallest / 2:
        return f"<{100 * smallest:.{digits}f}%"
    if 1 - smallest / 2 <= share < 1:
        return f">{100 * (1 - smallest):.{digits}f}%"
    return f"{100 * share:.{digits}f}%"
