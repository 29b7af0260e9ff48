"""Decisions exported from a run ``runs prune`` has removed since.

A review file carries each item's id, run id, label and the text its reviewer read; the
run's folder adds only its own copy of that text and, for a random sample, which items it
drew. So ``review import`` takes a decision from a pruned run (``runs/PRUNED.jsonl``) when
its row shows the text, checked against the item's text in the data now (the run's copy is
gone): a row without a text, or one marked as from the run's random sample, which can no
longer be checked, is a bad row saying why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from labelwright.review.imports.records import Row
from labelwright.runs.pruned import PrunedRun


def pruned_row_problem(row: Row, record: PrunedRun) -> str | None:
    """Why a row of the pruned run ``record`` cannot be imported (None: it can, its text
    to be checked against the data now)."""
    gone = f"item {row.item_id!r} was exported from run {row.run_id}, {record.describe()}"
    if row.export == "sample":
        return (f"{gone}; the row is marked as from that run's random sample, which went with "
                "the run, so it cannot be checked that the item was drawn: review the item "
                "again from a later run's sample (review export --sample)")
    if row.text is None:
        return (f"{gone}; the row holds no text to check against the item's text in the data "
                "now, so it cannot be told that the decision is on that text: export the "
                "item again from a later run (review export)")
    return None


def pruned_notes(rows: Iterable[Row], bad: set[int], pruned: Mapping[str, PrunedRun]
                 ) -> list[str]:
    """What an import says of the decisions it takes from pruned runs (``bad``: the
    ``id()`` of the rows refused)."""
    counts = Counter(row.run_id for row in rows if row.run_id is not None
                     and not row.skip and id(row) not in bad and row.run_id in pruned)
    return [f"{n} decision(s) were exported from run {run_id}, {pruned[run_id].describe()}: "
            "imported, each with the text in its row checked against the item's text in the "
            "data now (the run's own copy went with it)"
            for run_id, n in sorted(counts.items())]
