"""The review ledger: every imported decision, append-only, in ``<project>/reviews.sqlite``.

One row per decision: item id, label, reviewer (who imported it), annotator (the
tool's user, when the file names one), when it was decided and imported, the source
file with its sha256 and row, the run id, the format, which of the run's exports the
item came from (``queue`` or ``sample``, the run's random sample; empty for files
exported before labelwright recorded it), and whether the reviewer decided blind, without
seeing what the rules and the model said (1), saw it (0), or the file does not say (NULL:
decisions imported before labelwright recorded it, and files without the blind mark or
the suggestion). Rows are never updated or
deleted (triggers refuse it); a later decision by the same rater on the same item
supersedes the earlier one when the ledger is read.

Writes take the write lock up front (``BEGIN IMMEDIATE``) in WAL mode with a busy
timeout, so two imports started at the same moment both land, one after the other.
Importing a file the ledger already holds (same sha256, same reviewer) adds only the rows
it did not bring before (rows skipped as bad then); a file another reviewer imported is
refused inside the write.
Reading never writes: an auditor can read a ledger on a read-only copy of the project.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..errors import ReviewError

LEDGER_NAME = "reviews.sqlite"
#: the review ledger's SQLite side files, its write-ahead log and the log's index: SQLite
#: keeps them beside the ledger while a connection has it open (an import under
#: way, one that was killed) and removes them with the last one. They are the ledger's
#: transient journal, not a change of the project, so a run's git state leaves them out
#: (with them a clean project recorded every run as dirty); the ledger file itself counts
LEDGER_SIDE_FILES = (f"{LEDGER_NAME}-wal", f"{LEDGER_NAME}-shm")
BUSY_TIMEOUT_MS = 60_000

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
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END;
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

    @property
    def rater(self) -> str:
        """Who decided: the tool's annotator when the file names one, else the reviewer."""
        return self.annotator or self.reviewer


_COLUMNS = [f.name for f in fields(Decision)]


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
#: :func:`read_decisions` reads for one a ledger does not have yet
_ADDED_COLUMNS = {"export": ("TEXT NOT NULL DEFAULT ''", "''"), "blind": ("INTEGER", "NULL")}


def _add_columns(conn: sqlite3.Connection) -> None:
    """Ledgers written before a column of :data:`_ADDED_COLUMNS` get it (empty ``export``,
    NULL ``blind``: not known, for their rows)."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    for name, (definition, _) in _ADDED_COLUMNS.items():
        if name in present:
            continue
        try:
            conn.execute(f"ALTER TABLE decisions ADD COLUMN {name} {definition}")
        except sqlite3.OperationalError as exc:  # another connection added it first
            if "duplicate column" not in str(exc):
                raise


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in WAL mode with a busy timeout; the schema is created on first use."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn)
            conn.executescript(_SCHEMA)
            _add_columns(conn)
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
           source_file: str, fmt: str, imported_at: str, expect: int | None = None) -> int:
    """Append ``decisions`` from one file in one transaction; returns how many were new.

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
            conn.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                         "(source_sha256, reviewer) DO UPDATE SET decisions = decisions + "
                         "excluded.decisions",
                         (sha256, reviewer, source_file, fmt, imported_at, added))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return added


def _files(path: Path) -> tuple[int, int, int | None]:
    """The ledger's size and modification time, and its write-ahead log's size (None:
    there is no log)."""
    main, wal = os.stat(path), Path(f"{path}-wal")
    return main.st_size, main.st_mtime_ns, wal.stat().st_size if wal.exists() else None


def _open_read_only(path: Path, scratch: Path, *, alone: bool) -> sqlite3.Connection:
    """A connection that cannot write to ``path``, for readers.

    ``alone``: the ledger has no write-ahead log, or an empty one, so the file alone holds
    every committed decision; it is read as immutable, which creates nothing beside it
    (``mode=ro`` creates the log and its index beside a WAL ledger and, read-only, cannot
    remove them when it closes: two untracked files after every ``review stats``, and
    every later run of a git project recorded as dirty).

    Otherwise ``mode=ro`` sees the decisions still in the log. Where SQLite may not create
    the log's index (a read-only folder) that fails: a log that is empty after all is
    passed by, and the file read alone; one that holds decisions (an import was killed, or
    the copy was taken while the ledger was open) is copied to ``scratch`` with the ledger
    and read there, so no committed decision is missed.
    """
    base = "file:" + urllib.parse.quote(str(Path(path).resolve()))
    if alone:
        return sqlite3.connect(f"{base}?immutable=1", uri=True)
    conn = None
    try:
        conn = sqlite3.connect(f"{base}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        if conn is not None:
            conn.close()
    if not _files(path)[2]:  # the log is empty after all: the file alone holds everything
        return sqlite3.connect(f"{base}?immutable=1", uri=True)
    copy = scratch / Path(path).name
    shutil.copyfile(path, copy)
    shutil.copyfile(f"{path}-wal", Path(f"{copy}-wal"))
    return sqlite3.connect(copy)


Query = Callable[[sqlite3.Connection], list[tuple[Any, ...]]]


def _read_rows(path: Path, scratch: Path, query: Query, *, alone: bool
               ) -> list[tuple[Any, ...]]:
    conn = None
    try:
        conn = _open_read_only(path, scratch, alone=alone)
        return query(conn)
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"{path}: cannot read the review ledger ({exc})") from exc
    finally:
        if conn is not None:
            conn.close()


def _read(path: Path, query: Query) -> list[tuple[Any, ...]]:
    """The rows ``query`` reads from the ledger at ``path``, read-only (none from an absent
    ledger). A ledger without a write-ahead log is read as a file alone
    (:func:`_open_read_only`); an import that starts meanwhile shows as a log or a changed
    file, and the ledger is then read again the way that sees the log."""
    if not path.exists():
        return []
    scratch = tempfile.TemporaryDirectory(prefix="labelwright-ledger-")
    try:
        before = _files(path)
        alone = not before[2]
        rows = _read_rows(path, Path(scratch.name), query, alone=alone)
        if alone and _files(path) != before:
            rows = _read_rows(path, Path(scratch.name), query, alone=False)
    finally:
        scratch.cleanup()
    return rows


def query(path: Path, read: Query) -> list[tuple[Any, ...]]:
    """What ``read`` reads from the ledger at ``path``, read-only as :func:`read_decisions`
    reads (none from an absent ledger): for its other tables."""
    return _read(path, read)


def _decision_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    present = {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    if not present:
        return []  # a file created but never written to
    columns = [name if name in present else f"{_ADDED_COLUMNS[name][1]} AS {name}"
               for name in _COLUMNS]
    return conn.execute(f"SELECT {', '.join(columns)} FROM decisions ORDER BY seq").fetchall()


def read_decisions(path: Path) -> list[Decision]:
    """Every decision in the ledger, oldest first (an absent ledger has none).

    Read-only (:func:`_read`): the ledger may be on a read-only copy, or from before the
    ``export`` or ``blind`` column (read as empty, and as not known).
    """
    return [_decision(row) for row in _read(path, _decision_rows)]


def _import_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    if not conn.execute("PRAGMA table_info(imports)").fetchall():
        return []
    return conn.execute("SELECT DISTINCT source_sha256 FROM imports").fetchall()


def imported_files(path: Path) -> set[str]:
    """The sha256 of every file imported into the ledger at ``path``, by any reviewer;
    read-only (:func:`_read`): an export asks it before it writes over a review file."""
    return {str(sha) for (sha,) in _read(path, _import_rows)}


def _decision(row: Sequence[Any]) -> Decision:
    """A row of the decisions table (:data:`_COLUMNS`), whose ``blind`` SQLite gives as
    0, 1 or NULL."""
    values = list(row)
    values[-1] = None if values[-1] is None else bool(values[-1])
    return Decision(*values)


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset; none counts as UTC), or None."""
    try:
        when = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def decided(d: Decision) -> datetime:
    """When a decision was made: the tool's time if it gave one (ISO 8601), else the import
    time. Times without a zone count as UTC."""
    return decision_time(d.decided_at, d.imported_at)


def decision_time(decided_at: str, imported_at: str) -> datetime:
    """:func:`decided` of a decision's two times."""
    for text in (decided_at, imported_at):
        when = parse_time(text) if text else None
        if when is not None:
            return when
    return datetime.min.replace(tzinfo=UTC)


def latest_decisions(decisions: Sequence[Decision]) -> dict[str, dict[str, Decision]]:
    """``{item_id: {rater: decision}}``, each rater's most recent decision per item: by when
    it was decided (:func:`decided`), and among equal times the one imported last. So an
    older export imported after a newer one does not undo the newer decision."""
    out: dict[str, dict[str, Decision]] = {}
    order = sorted(range(len(decisions)), key=lambda k: (decided(decisions[k]), k))
    for k in order:  # oldest first: later decisions overwrite earlier ones
        d = decisions[k]
        out.setdefault(d.item_id, {})[d.rater] = d
    return out


def latest_per_rater(decisions: Sequence[Decision]) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of :func:`latest_decisions`."""
    return labels_by_rater(latest_decisions(decisions))


def labels_by_rater(latest: dict[str, dict[str, Decision]]) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of what :func:`latest_decisions` gave."""
    return {item: {rater: d.label for rater, d in by_rater.items()}
            for item, by_rater in latest.items()}


#: a decision's columns up to ``export``, as ``astuple(d)[:-1]`` gives them, read in one
#: C call (astuple deep-copies each value: 8 of a 100,000-decision read's 14 s)
_UP_TO_EXPORT = attrgetter(*(f.name for f in fields(Decision)[:-1]))


def ledger_digest(decisions: Sequence[Decision]) -> str:
    """A sha256 of the ledger's contents, for a run's manifest (stable across WAL checkpoints).

    A column added later is left out where it holds its default (an empty ``export``, a
    ``blind`` not known), so a ledger from before it keeps the digest its runs recorded:
    upgrading labelwright does not make them report the ledger as edited. Where ``blind``
    is recorded it is covered like every other column: runs do not use it, but ``review
    stats`` does, and the ledger is the record an audit reads, so a ledger whose blind marks
    were rewritten is an edited ledger."""
    digest = hashlib.sha256()
    for d in decisions:
        values: tuple[str, ...] = _UP_TO_EXPORT(d)  # every column up to ``export``
        if not d.export and d.blind is None:
            values = values[:-1]
        if d.blind is not None:  # a 13th value: no older row has one
            values += ("1" if d.blind else "0",)
        digest.update(("\x1f".join(values) + "\x1e").encode("utf-8"))
    return digest.hexdigest()


def ledger_changes(path: Path, count: int, digest: str, reader: str = "the run", *,
                   decisions: list[Decision] | None = None) -> str | None:
    """Why the ledger at ``path`` no longer holds the ``count`` decisions with ``digest`` a
    run (or ``reader``) read (decisions are only ever appended), or None when it still
    does. ``decisions``: the ledger's, when the caller has read them already."""
    if not path.exists():  # not "holds 0 decisions": the file itself is gone
        return (f"{path}: missing; {reader} read {count} decisions from it (deleted or moved "
                "since)")
    decisions = read_decisions(path) if decisions is None else decisions
    if len(decisions) < count:
        return (f"{path}: holds {len(decisions)} decisions, fewer than the {count} {reader} "
                "read (decisions were removed, or this is another ledger)")
    if ledger_digest(decisions[:count]) != digest:
        return (f"{path}: the first {count} decisions, which {reader} read, are not the "
                "ones it read (edited or replaced since; the ledger only ever appends)")
    return None


_EXPORT_WORDS = {"queue": "review queue", "sample": "random sample"}


def decisions_reader(path: Path) -> Callable[[str], list[dict[str, Any]]]:
    """``decisions_for(item_id)``: an item's decisions, oldest first (for explain)."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for seq, d in enumerate(read_decisions(path)):
        by_item.setdefault(d.item_id, []).append({
            "seq": seq,  # the row's place in the ledger: a run read the first N
            "label": d.label, "reviewer": d.rater, "decided_at": d.decided_at or d.imported_at,
            # who imported it, when the file named another rater (a tool's annotator)
            "imported_by": d.reviewer if d.reviewer != d.rater else None,
            "blind": d.blind,
            "imported_at": d.imported_at, "run_id": d.run_id,
            "source": f"{d.source_file} (row {d.source_row}, sha256 {d.source_sha256[:12]})"
                      + (f", the {_EXPORT_WORDS[d.export]} of run {d.run_id}"
                         if d.export in _EXPORT_WORDS else ""),
        })
    return lambda item_id: by_item.get(item_id, [])
