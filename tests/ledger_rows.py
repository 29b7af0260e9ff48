"""A review decision written straight into a project's ledger, for tests of what reads it
(``runs prune``, ``runs verify``): as an import of ``f.csv`` by the rater would file it."""

from __future__ import annotations

from datetime import UTC, datetime

from labelwright.review import ledger


def decide(root, item_id, label, rater, run_id):
    now = datetime.now(UTC).isoformat()
    sha = f"{rater}-{item_id}"
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, label, rater, "", now, now, "f.csv", sha, "line 2", run_id, "csv", "queue")],
        sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv", imported_at=now)
