"""The review ledger: every imported decision, append-only, in ``<project>/reviews.sqlite``.

One row per decision: item id, label, reviewer (who imported it), annotator (the
tool's user, when the file names one), when it was decided and imported, the source
file with its sha256 and row, the run id, the format, which of the run's exports the
item came from (``queue`` or ``sample``, the run's random sample; empty for files
exported before labelwright recorded it), and whether the reviewer decided blind, without
seeing what the rules and the model said (1), saw it (0), or the file does not say (NULL:
decisions imported before labelwright recorded it, and files without the blind mark or
the suggestion), and, for a decision made on a cut text (a spreadsheet cell Excel cut to
32,767 characters), how many characters of how many its reviewer saw (NULL: the whole text,
or imported before labelwright recorded it), and the rater's note on why (NULL: none given,
or imported before labelwright recorded notes), and the hash of the text its reviewer
decided on (``text_hash``: the run's per-item text hash, :mod:`~labelwright.runs.item_texts`,
as 16 hex digits; NULL: not known, or imported before labelwright recorded it), so that a
decision is set aside when its item's text changes even after the run it was exported from
is gone. Rows are never updated or
deleted (triggers refuse it); a later decision by the same rater on the same item
supersedes the earlier one when the ledger is read.

Writes take the write lock up front (``BEGIN IMMEDIATE``) in WAL mode with a busy
timeout, so two imports started at the same moment both land, one after the other.
Importing a file the ledger already holds (same sha256, same reviewer) adds only the rows
it did not bring before (rows skipped as bad then); a file another reviewer imported is
refused inside the write.
Reading never writes: an auditor can read a ledger on a read-only copy of the project.

This module holds the schema, its upgrades and the writes; reading is
:mod:`~labelwright.review.decisions.ledger_reading`, which decision of a rater is the latest
:mod:`~labelwright.review.decisions.decision_times`, and the digest a run records
:mod:`~labelwright.review.decisions.ledger_digests`. Their names still import from here.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ReviewError
from ...moved_names import moved_names

if TYPE_CHECKING:
    from .decision_times import decided as decided
    from .decision_times import decision_time as decision_time
    from .decision_times import labels_by_rater as labels_by_rater
    from .decision_times import latest_decisions as latest_decisions
    from .decision_times import latest_per_rater as latest_per_rater
    from .decision_times import parse_time as parse_time
    from .ledger_digests import ledger_changes as ledger_changes
    from .ledger_digests import ledger_digest as ledger_digest
    from .ledger_reading import Query as Query
    from .ledger_reading import decisions_reader as decisions_reader
    from .ledger_reading import imported_files as imported_files
    from .ledger_reading import query as query
    from .ledger_reading import read_decisions as read_decisions

#: names that moved out of this module, still importable from it (``ledger.read_decisions``,
#: ``from labelwright.review.decisions.ledger import ledger_digest``), loaded when first asked for
#: (the modules they moved to import this one) and kept in this module's namespace then
_MOVED = {name: f"labelwright.review.decisions.{module}" for module, names in (
    ("decision_times", ("decided", "decision_time", "labels_by_rater", "latest_decisions",
                        "latest_per_rater", "parse_time")),
    ("ledger_digests", ("ledger_changes", "ledger_digest")),
    ("ledger_reading", ("Query", "decisions_reader", "imported_files", "query",
                        "read_decisions"))) for name in names}
__getattr__ = moved_names(__name__, _MOVED)


LEDGER_NAME = "reviews.sqlite"
#: the review ledger's SQLite side files, its write-ahead log and the log's index: SQLite
#: keeps them beside the ledger while a connection has it open (an import under
#: way, one that was killed) and removes them with the last one. They are the ledger's
#: transient journal, not a change of the project, so a run's git state leaves them out
#: (with them a clean project recorded every run as dirty); the ledger file itself counts
LEDGER_SIDE_FILES = (f"{LEDGER_NAME}-wal", f"{LEDGER_NAME}-shm")
BUSY_TIMEOUT_MS = 60_000

#: the trigger refusing updates of decisions (lifted and put back only by a note erasure,
#: :mod:`~labelwright.review.decisions.note_erasures`)
NO_UPDATE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END;")
#: the triggers refusing updates and deletes of the ``rater_ids`` table
#: (:mod:`~labelwright.review.decisions.rater_ids`), each one statement: made with the table
#: by the first import that pairs a Label Studio id with an email, and added by
#: :func:`connect` to a table made before it had them (an id paired by hand, or a pairing
#: deleted, had changed silently whose decisions count as one rater's)
RATER_IDS_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS rater_ids_no_update BEFORE UPDATE ON rater_ids\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS rater_ids_no_delete BEFORE DELETE ON rater_ids\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    label TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    annotator TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_row TEXT NOT NULL,
    run_id TEXT NOT NULL,
    format TEXT NOT NULL,
    export TEXT NOT NULL DEFAULT '',
    blind INTEGER,
    shown_chars INTEGER,
    text_chars INTEGER,
    note TEXT,
    text_hash TEXT,
    UNIQUE (source_sha256, source_row, reviewer, annotator)
);
CREATE INDEX IF NOT EXISTS decisions_item ON decisions (item_id);
CREATE TABLE IF NOT EXISTS imports (
    source_sha256 TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    source_file TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    decisions INTEGER NOT NULL,
    PRIMARY KEY (source_sha256, reviewer)
);
""" + NO_UPDATE_TRIGGER + """
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END;
"""


@dataclass(frozen=True)
class Decision:
    """One reviewer's label for one item, as stored in the ledger."""

    item_id: str
    label: str
    reviewer: str
    annotator: str
    decided_at: str
    imported_at: str
    source_file: str
    source_sha256: str
    source_row: str
    run_id: str
    format: str
    export: str = ""  # "queue", "sample" (the run's random sample), or "" (not recorded)
    #: True: decided from the item alone (a blind export); False: the reviewer was shown the
    #: run's suggestion; None: not known (imported before it was recorded, or the file says
    #: neither)
    blind: bool | None = None
    #: a decision made on a cut text (Excel cuts a cell at 32,767 characters when it saves
    #: a CSV): how many characters of the text its reviewer was shown, and how many the
    #: text has; None: the whole text (or imported before labelwright recorded cuts)
    shown_chars: int | None = None
    text_chars: int | None = None
    #: why the rater decided so, as the file gives it (a review sheet's ``note`` column);
    #: None: the file gives none (or imported before labelwright recorded notes)
    note: str | None = None
    #: the text its reviewer decided on, hashed as a run hashes each item's text
    #: (:func:`~labelwright.runs.item_texts.text_hashes`) and written as 16 hex digits; None:
    #: not known (the run's exports were gone and the file holds no text), or imported
    #: before labelwright recorded it, when only the run's own files can tell
    text_hash: str | None = None

    @property
    def rater(self) -> str:
        """Who decided: the tool's annotator when the file names one, else the reviewer."""
        return self.annotator or self.reviewer

    @property
    def cut(self) -> str | None:
        """``"32,767 of 1,200,529 characters"`` for a decision made on a cut text, else
        None."""
        if self.shown_chars is None or self.text_chars is None:
            return None
        return f"{self.shown_chars:,} of {self.text_chars:,} characters"


_COLUMNS = [f.name for f in fields(Decision)]

#: the importer the ledger records for a file imported without ``--reviewer``, whose
#: decisions each name their rater (:func:`~labelwright.review.imports.file.import_file`)
NO_IMPORTER = ""


def imported_for_another(importer: str, rater: str, names: Mapping[str, str]) -> bool:
    """Whether ``importer`` filed a decision of ``rater`` on their behalf: someone imported
    it (:data:`NO_IMPORTER` is nobody) who does not count as its rater (``names``: who
    counts as whom, by ``[review] same_rater`` and paired ids). The one rule for the import
    guard, ``review stats``, ``explain`` and ``review decisions``."""
    return (importer != NO_IMPORTER
            and names.get(importer, importer) != names.get(rater, rater))


def ledger_path(root: Path) -> Path:
    return Path(root) / LEDGER_NAME


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once; the mode persists in the file, so later connections only check.

    Switching needs a moment with no other connection, which the busy timeout does not
    wait for, so two first-time importers retry until one of them has switched.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


#: columns added to the decisions table after it was first written: their definition (an
#: older ledger gets them on its next write, its rows holding the default) and what
#: :func:`~labelwright.review.decisions.ledger_reading.read_decisions` reads for one a ledger
#: does not have yet
_ADDED_COLUMNS = {"export": ("TEXT NOT NULL DEFAULT ''", "''"), "blind": ("INTEGER", "NULL"),
                  "shown_chars": ("INTEGER", "NULL"), "text_chars": ("INTEGER", "NULL"),
                  "note": ("TEXT", "NULL"), "text_hash": ("TEXT", "NULL")}


def _add_columns(conn: sqlite3.Connection) -> None:
    """Ledgers written before a column of :data:`_ADDED_COLUMNS` get it (empty ``export``,
    NULL ``blind``: not known, NULL ``shown_chars``, ``text_chars``, ``note`` and
    ``text_hash``, for their rows)."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    for name, (definition, _) in _ADDED_COLUMNS.items():
        if name in present:
            continue
        try:
            conn.execute(f"ALTER TABLE decisions ADD COLUMN {name} {definition}")
        except sqlite3.OperationalError as exc:  # another connection added it first
            if "duplicate column" not in str(exc):
                raise


def _guard_rater_ids(conn: sqlite3.Connection) -> None:
    """A ``rater_ids`` table made before it had :data:`RATER_IDS_TRIGGERS` gets them."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'rater_ids'").fetchone():
        for statement in RATER_IDS_TRIGGERS:
            conn.execute(statement)


def _cannot_open(path: Path, exc: sqlite3.Error) -> ReviewError:
    """Why the ledger at ``path`` cannot be opened for writing, said so a user can fix it:
    SQLite's own "unable to open database file" names neither the file nor the cause (the
    first import into a project folder this user cannot write to, where the ledger is made)."""
    from labelwright.folders import why_unwritable

    folder = path.parent
    if not path.exists() and folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        why = (f"it does not exist yet and cannot be made: {folder} cannot be written to "
               f"({why_unwritable(folder)}), or import as a user who may write to it")
    elif not folder.is_dir():
        why = f"{exc}: {folder} is no folder"
    else:
        why = f"{exc}; check that this user may read and write it and {folder}"
    return ReviewError(f"{path}: cannot open the review ledger: {why}")


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in WAL mode with a busy timeout; the schema is created on first use.
    A ledger that cannot be opened or made is a :class:`ReviewError` naming it and why."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise _cannot_open(path, exc) from exc
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn)
            conn.executescript(_SCHEMA)
            _add_columns(conn)
            _guard_rater_ids(conn)
        except sqlite3.DatabaseError as exc:
            raise ReviewError(f"{path}: cannot open the review ledger ({exc})") from exc
        yield conn
    finally:
        conn.close()


def already_imported(path: Path, sha256: str, reviewer: str) -> bool:
    if not path.exists():
        return False
    with connect(path) as conn:
        row = conn.execute("SELECT 1 FROM imports WHERE source_sha256 = ? AND reviewer = ?",
                           (sha256, reviewer)).fetchone()
    return row is not None


def importers(path: Path, sha256: str) -> list[tuple[str, str]]:
    """(reviewer, imported_at) of every import of the file with ``sha256``, oldest first."""
    if not path.exists():
        return []
    with connect(path) as conn:
        return [(str(r), str(t)) for r, t in conn.execute(
            "SELECT reviewer, imported_at FROM imports WHERE source_sha256 = ? "
            "ORDER BY imported_at", (sha256,))]


class ImportedByOther(ReviewError):
    """The file was imported under another reviewer's name (found inside the write)."""

    def __init__(self, reviewer: str, imported_at: str) -> None:
        super().__init__(f"imported as {reviewer!r} on {imported_at}")
        self.reviewer, self.imported_at = reviewer, imported_at


class LedgerChanged(Exception):
    """The ledger no longer holds the number of decisions the caller's checks read."""


def append(path: Path, decisions: Sequence[Decision], *, sha256: str, reviewer: str,
           source_file: str, fmt: str, imported_at: str, expect: int | None = None,
           relabeled: Sequence[tuple[str, str]] = ()) -> int:
    """Append ``decisions`` from one file in one transaction; returns how many were new.
    ``relabeled``: (item, rater as filed) of those that change a label with ``--relabel``,
    recorded with them (:mod:`~labelwright.review.decisions.relabels`).

    A decision the ledger holds (same file, row and rater) is not added again, so a file
    imported before adds only rows it did not bring then (rows skipped as bad). A file
    another reviewer imported raises :class:`ImportedByOther`: checked inside the write,
    so two imports at one moment cannot both land. With ``expect`` (how many decisions the
    ledger held when the caller checked the file against it), a ledger that holds another
    number raises :class:`LedgerChanged` and nothing is written: it only grows, so the
    checks saw all of it or must run again.
    """
    with connect(path) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if expect is not None:
                held = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
                if held != expect:
                    raise LedgerChanged(f"{path}: {held} decisions, checked against {expect}")
            other = conn.execute(
                "SELECT reviewer, imported_at FROM imports WHERE source_sha256 = ? AND "
                "reviewer != ? ORDER BY imported_at", (sha256, reviewer)).fetchone()
            if other:
                raise ImportedByOther(str(other[0]), str(other[1]))
            before = conn.total_changes
            conn.executemany(
                f"INSERT OR IGNORE INTO decisions ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                [astuple(d) for d in decisions],
            )
            added = conn.total_changes - before
            if relabeled:
                from labelwright.review.decisions.relabels import record

                record(conn, relabeled, sha256=sha256, reviewer=reviewer,
                       imported_at=imported_at)
            conn.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                         "(source_sha256, reviewer) DO UPDATE SET decisions = decisions + "
                         "excluded.decisions",
                         (sha256, reviewer, source_file, fmt, imported_at, added))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return added
