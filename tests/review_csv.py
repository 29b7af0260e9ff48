"""Reviewers' answers for tests of the review loop: written into a run's review CSV, or
straight into a project's review ledger."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path


def fill_review_csv(exported: Path, out: Path, positions: Iterable[int] | None, label: str
                    ) -> list[dict[str, str]]:
    """A reviewer's answers in the review CSV ``exported``: ``label`` in the
    ``review_label`` of the rows at ``positions`` (``None``: every row), written to
    ``out``; returns the rows."""
    with open(exported, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for k in range(len(rows)) if positions is None else positions:
        rows[k]["review_label"] = label
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def review_items(root: Path, labels: Mapping[str, str], *, run_id: str = "r1",
                 rater: str = "ana", sha: str = "s1") -> None:
    """Append one rater's decisions (item id -> label) to the project's review ledger, as
    if imported from one file of ``run_id``'s queue."""
    from labelwright.review.decisions import ledger

    decisions = [ledger.Decision(item_id, label, "importer", rater, "", "now", "f.csv", sha,
                                 f"row {k}", run_id, "csv")
                 for k, (item_id, label) in enumerate(labels.items())]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")
