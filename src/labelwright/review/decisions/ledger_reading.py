"""Reading the review ledger (:mod:`~labelwright.review.decisions.ledger`), read-only.

Reading never writes: an auditor can read a ledger on a read-only copy of the project, and
a read leaves no file beside the ledger. A ledger from before a column was added reads it
as its default (:data:`~labelwright.review.decisions.ledger._ADDED_COLUMNS`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...errors import ReviewError
from .ledger import _ADDED_COLUMNS, _COLUMNS, BUSY_TIMEOUT_MS, Decision, imported_for_another


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
    ``export``, ``blind``, ``shown_chars``, ``text_chars``, ``note`` or ``text_hash`` column
    (read as empty, as not known, as the whole text, as no note, and as not known).
    """
    return [_decision(row) for row in _read(path, _decision_rows)]


def _import_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    if not conn.execute("PRAGMA table_info(imports)").fetchall():
        return []
    return conn.execute("SELECT DISTINCT source_sha256 FROM imports").fetchall()


def _import_records(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    if not conn.execute("PRAGMA table_info(imports)").fetchall():
        return []
    return conn.execute(
        "SELECT source_sha256, reviewer, source_file, imported_at FROM imports").fetchall()


def import_records(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """``{(source_sha256, reviewer): (source_file, imported_at)}``: the ledger's record of
    each file's first import by each reviewer, which its decisions repeat (read-only)."""
    return {(str(sha), str(who)): (str(file), str(when))
            for sha, who, file, when in _read(path, _import_records)}


def imported_files(path: Path) -> set[str]:
    """The sha256 of every file imported into the ledger at ``path``, by any reviewer;
    read-only (:func:`_read`): an export asks it before it writes over a review file."""
    return {str(sha) for (sha,) in _read(path, _import_rows)}


_BLIND = _COLUMNS.index("blind")


def _decision(row: Sequence[Any]) -> Decision:
    """A row of the decisions table (:data:`_COLUMNS`), whose ``blind`` SQLite gives as
    0, 1 or NULL."""
    values = list(row)
    values[_BLIND] = None if values[_BLIND] is None else bool(values[_BLIND])
    return Decision(*values)


_EXPORT_WORDS = {"queue": "review queue", "sample": "random sample"}


def row_words(source_row: str) -> str:
    """Where in its file a decision was, as said after the file: the ledger's
    ``source_row`` names it (``line 2``, ``task 7``); a bare number is a ``row``. It had
    read ``row line 2``."""
    return f"row {source_row}" if str(source_row).isdigit() else str(source_row)


def decisions_reader(path: Path, decisions: Sequence[Decision] | None = None
                     ) -> Callable[[str], list[dict[str, Any]]]:
    """``decisions_for(item_id)``: an item's decisions, oldest first (for explain);
    ``decisions``: the ledger's, when the caller has read them already."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for seq, d in enumerate(read_decisions(path) if decisions is None else decisions):
        by_item.setdefault(d.item_id, []).append({
            "seq": seq,  # the row's place in the ledger: a run read the first N
            "label": d.label, "reviewer": d.rater, "decided_at": d.decided_at or d.imported_at,
            # who imported it, when the file named another rater (a tool's annotator)
            # (none: imported without --reviewer, each decision naming its rater)
            "imported_by": d.reviewer if imported_for_another(d.reviewer, d.rater, {}) else None,
            "blind": d.blind,
            "cut": d.cut,  # made on a cut text: how many characters of how many were shown
            "note": d.note,  # why the rater decided so, as the file gave it (None: none)
            "imported_at": d.imported_at, "run_id": d.run_id,
            # the ledger's fields as they are, for a table of decisions (review decisions)
            "importer": d.reviewer, "decided_in_file": d.decided_at,
            "source_file": d.source_file, "source_row": d.source_row,
            "source_sha256": d.source_sha256, "export": d.export,
            "source": f"{d.source_file} ({row_words(d.source_row)}, sha256 "
                      f"{d.source_sha256[:12]})"
                      + (f", the {_EXPORT_WORDS[d.export]} of run {d.run_id}"
                         if d.export in _EXPORT_WORDS else ""),
        })
    return lambda item_id: by_item.get(item_id, [])
