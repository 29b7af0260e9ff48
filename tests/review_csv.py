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


def sample_reviewed_by(root: Path, cli, tmp_path: Path,
                       decisions: Iterable[tuple[str, str]]) -> None:
    """The latest run's random sample exported as a CSV, and its first item labelled and
    imported once per ``(rater, label)`` of ``decisions``, each rater's sheet named after
    the rater (the part of an email before the ``@``)."""
    sheet = exported_sample(root, cli, tmp_path)
    for rater, label in decisions:
        own = tmp_path / f"{rater.split('@')[0]}.csv"
        fill_review_csv(sheet, own, [0], label)
        code, out = cli("review", "import", str(own), "--reviewer", rater, "-p", str(root))
        assert code == 0, out


def exported_sample(root: Path, cli, tmp_path: Path, fmt: str = "csv") -> Path:
    """The latest run's random sample exported for review in ``fmt`` (``csv``,
    ``jsonl``), to ``sample.<fmt>`` in ``tmp_path``."""
    sheet = tmp_path / f"sample.{fmt}"
    code, out = cli("review", "export", "--sample", "--format", fmt, "--out", str(sheet),
                    "-p", str(root))
    assert code == 0, out
    return sheet
