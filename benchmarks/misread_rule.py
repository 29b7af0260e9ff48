"""How often the run's "misread LF" check warns on noise, and how often it finds a misread,
for the rule it used before (>= 20 held-out gold votes, the learned accuracy outside the 95%
Wilson interval and 10 points from the gold accuracy) and the rule it uses now (any number of
gold votes, outside the exact 95% interval and 10 points from it), plus two rules tried on
the way (Wilson's interval with 10 points beside it; Wilson's with no count).

Exact binomial sums, no simulation: for an LF with ``n`` gold votes and true accuracy ``p``,
P(warn) = sum over k of P(k right of n) x [the rule warns on k/n against the reading].
"False alarm": the model reads the LF right (reading = p). "Found": the reading is off.

    python benchmarks/misread_rule.py
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.stats import binom

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from labelwright.review.stats import agreement  # noqa: E402

# each (right, n) is asked for once per reading and rule: the interval calls dominated
wilson_interval = lru_cache(maxsize=None)(agreement.wilson_interval)
exact_interval = lru_cache(maxsize=None)(agreement.exact_interval)

GAP = 0.10
READINGS = np.round(np.arange(0.30, 0.996, 0.01), 3)
COUNTS = [*range(1, 61), 80, 100, 200, 500, 1000]


def warns(rule: str, right: int, n: int, reading: float) -> bool:
    """Does ``rule`` warn on ``right`` of ``n`` gold votes read at ``reading``?"""
    share = right / n
    if rule == "before: >= 20 votes, Wilson + gap":
        low, high = wilson_interval(right, n)
        return n >= 20 and not low <= reading <= high and abs(reading - share) >= GAP
    if rule == "Wilson + gap, no count":
        low, high = wilson_interval(right, n)
        return not low <= reading <= high and abs(reading - share) >= GAP
    if rule == "Wilson, 10 points outside":
        low, high = wilson_interval(right, n)
        return reading < low - GAP or reading > high + GAP
    low, high = exact_interval(right, n)  # now: exact interval + gap
    return not low <= reading <= high and abs(reading - share) >= GAP


def chance(rule: str, n: int, p: float, reading: float) -> float:
    """P(the rule warns) for an LF of true accuracy ``p`` with ``n`` gold votes."""
    return float(sum(binom.pmf(k, n, p) for k in range(n + 1) if warns(rule, k, n, reading)))


def main() -> None:
    rules = ["before: >= 20 votes, Wilson + gap", "Wilson + gap, no count",
             "Wilson, 10 points outside", "now: exact interval + gap"]
    print("| rule | worst false alarm (n, p) | worst with n < 20 | found: 19 votes, p 1.0 read "
          "0.477 | found: 40 votes, p 0.72 read 0.94 | found: 10 votes, p 0.95 read 0.6 |")
    print("|---|---|---|---|---|---|")
    for rule in rules:
        worst = small = (0.0, (0, 0.0))
        for n in COUNTS:
            for p in READINGS:
                alarm = chance(rule, n, float(p), float(p))
                worst = max(worst, (alarm, (n, float(p))))
                if n < 20:
                    small = max(small, (alarm, (n, float(p))))
        found = [chance(rule, 19, 1.0, 0.477), chance(rule, 40, 0.72, 0.94),
                 chance(rule, 10, 0.95, 0.6)]
        print(f"| {rule} | {_where(*worst)} | {_where(*small)} | "
              + " | ".join(f"{100 * f:.0f}%" for f in found) + " |")


def _where(alarm: float, at: tuple[int, float]) -> str:
    """A false-alarm chance and the (gold votes, accuracy) it is at; none: 0%."""
    return f"{100 * alarm:.1f}% ({at[0]}, {at[1]:.2f})" if alarm else "0%"


if __name__ == "__main__":
    main()
