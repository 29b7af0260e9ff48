"""The changes of label an import made on purpose (``review import --relabel``), append-only.

An import whose decisions change a label their rater gave before is refused unless it
passes ``--relabel``; with it, the ledger records each such decision in its ``relabels``
table: the item, the rater as the file names it, and the file (its sha256 and who
imported it). The decisions themselves carry no such mark, and without it a correction
filed under one name of a rater (``bob``) over a decision filed under another that
``[review] same_rater`` ties to it (``label-studio:bob@team.org``) looked, on every run
and in ``review stats``, like two names that disagree though no import changed the label
(:func:`~labelwright.review.decisions.raters.names_disagree`). The table is created by
the first such import; a ledger without it has none. Like the decisions table it refuses
updates and deletes (triggers): a row taken out would bring a settled warning back, one
slipped in would silence a real one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from labelwright.review.decisions import ledger

#: the table and its triggers, each one statement: :func:`record` runs them in the
#: caller's transaction, which a script (``executescript``) would commit first
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS relabels (
    item_id TEXT NOT NULL,
    rater TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (item_id, rater, source_sha256, reviewer)
)""",
    "CREATE TRIGGER IF NOT EXISTS relabels_no_update BEFORE UPDATE ON relabels\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS relabels_no_delete BEFORE DELETE ON relabels\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END",
)
#: the triggers alone, put back by ``erase --rater`` once it renamed a rater here
#: (:mod:`~labelwright.review.decisions.rater_erasures`)
TRIGGERS = _SCHEMA[1:]


def record(conn: sqlite3.Connection, changed: Iterable[tuple[str, str]], *, sha256: str,
           reviewer: str, imported_at: str) -> None:
    """Record ``changed`` (item, rater as filed) of one import, in the caller's
    transaction (:func:`~labelwright.review.decisions.ledger.append`): the decisions and
    the mark that they change a label on purpose land together or not at all."""
    rows = sorted(set(changed))
    if not rows:
        return
    for statement in _SCHEMA:
        conn.execute(statement)
    conn.executemany("INSERT OR IGNORE INTO relabels VALUES (?, ?, ?, ?, ?)",
                     [(item, rater, sha256, reviewer, imported_at) for item, rater in rows])


def _rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    if not conn.execute("PRAGMA table_info(relabels)").fetchall():
        return []  # no import has changed a label with --relabel
    return conn.execute("SELECT item_id, rater, source_sha256 FROM relabels").fetchall()


def relabeled(path: Path) -> set[tuple[str, str, str]]:
    """``{(item, rater as filed, file sha256)}`` of every decision an import made with
    ``--relabel`` to change a label, read-only (none from an absent ledger)."""
    return {(str(item), str(rater), str(sha)) for item, rater, sha in ledger.query(path, _rows)}
