"""Which LFs to fix next: the few wrong most often on the labels known for their items
(the LF table's ``incorrect``: gold and reviews of a random sample), said under the table.

The table lists LFs in file order, so on a 12-label, 18-LF project the LFs worth fixing
(55% right on gold, 26 wrong votes) showed only as one number in one column, while a
warning named 11 LFs whose learned accuracy the label model misread: a matter of the
model's weights, not of the LFs' rules. Ranked by wrong votes, not by accuracy: an LF
right 0 of 2 times costs fewer labels than one right 55 of 100 times.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: LFs the lines name at most
WRONG_SHOWN = 3


def wrong_most_lines(summary: pd.DataFrame, locations: Mapping[str, str],
                     shown: int = WRONG_SHOWN) -> list[str]:
    """A heading and one line per LF of ``summary`` (the LF table) with the most wrong
    votes, ``"  tummy: 26 wrong of 58 (55% right), labeling_functions/triage.py:20"``, most
    first (a tie: the less accurate first, then file order); ``locations``: LF -> where it is
    defined (left out where missing); a last line names the command that shows the items.
    Empty without wrong votes, or without known labels (no ``incorrect`` column)."""
    ranked = ranked_wrong(summary)
    if not len(ranked):
        return []
    wrong = ranked
    # "or": a project without reviews of a random sample counts gold alone
    lines = [f"LFs wrong most often on gold or random-sample reviews ({len(wrong)} of "
             f"{len(summary)} LFs have wrong votes):"]
    for row in ranked.head(shown).itertuples():
        right, bad = int(row.correct), int(row.incorrect)
        place = locations.get(str(row.lf))
        lines.append(f"  {row.lf}: {bad} wrong of {right + bad} ({right / (right + bad):.0%} "
                     f"right)" + (f", {place}" if place else ""))
    return [*lines, "  `labelwright analyze --lf NAME` shows an LF's wrong votes with the "
                    "items' text"]


def ranked_wrong(summary: pd.DataFrame) -> pd.DataFrame:
    """The LFs of ``summary`` with wrong votes, most wrong votes first (a tie: the less
    accurate first, then file order); empty without known labels."""
    if "incorrect" not in summary.columns or not len(summary):
        return summary.iloc[:0]
    wrong = summary[summary["incorrect"] > 0]
    return wrong.assign(order=range(len(wrong))).sort_values(
        ["incorrect", "emp_accuracy", "order"], ascending=[False, True, True],
        kind="stable").drop(columns="order")
