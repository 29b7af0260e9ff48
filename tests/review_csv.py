"""A reviewer's answers written into a run's review CSV, for tests of the review loop."""

from __future__ import annotations

import csv
from collections.abc import Iterable
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
