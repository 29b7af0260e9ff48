"""A review decision written straight into a project's ledger, for tests of what reads it
(``runs prune``, ``runs verify``): as an import of ``f.csv`` by the rater would file it."""

from __future__ import annotations

from datetime import UTC, datetime

from labelwright.review.decisions import ledger


def decide(root, item_id, label, rater, run_id):
    now = datetime.now(UTC).isoformat()
    sha = f"{rater}-{item_id}"
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, label, rater, "", now, now, "f.csv", sha, "line 2", run_id, "csv", "queue")],
        sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv", imported_at=now)


def import_rows(root, rows, *, sha, run_id):
    """Decisions ``(item, label, rater)`` filed as one import of a file ``f`` by
    ``importer``, rows in order, from run ``run_id``."""
    decisions = [ledger.Decision(item, label, "importer", rater, "", "now", "f", sha,
                                 f"row {k}", run_id, "csv")
                 for k, (item, label, rater) in enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")


def tamper(root, sql):
    """Edit the ledger by hand as its append-only triggers forbid (every trigger dropped,
    then ``sql``): what `runs verify` must name."""
    import sqlite3

    conn = sqlite3.connect(ledger.ledger_path(root))
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(sql)
    conn.commit()
    conn.close()
