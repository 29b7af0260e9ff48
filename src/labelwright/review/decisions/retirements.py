"""Retired decisions: the review ledger's record of decisions withdrawn, append-only.

``labelwright review retire`` never deletes or rewrites a decision. It appends one record
per decision it retires to the ledger's ``retirements`` table: who (``reviewer``), when
(``at``), why (``reason``), which decision (``decision``, the decisions table's ``seq``,
with its item and rater for the reader's sake) and how the command chose it
(``selection``). ``review retire --undo`` appends an ``undo`` record the same way. A
decision is retired while its latest record is a ``retire``; the table refuses updates
and deletes as the decisions table does.

The table is created by the first retirement: a ledger without it has none, and its
decisions' digest (:func:`~labelwright.review.decisions.ledger_digests.ledger_digest`) does
not cover retirements, so runs made before any keep verifying. A run records how many retirement
records it honoured and their digest (:class:`Honoured`); the records are only ever
appended, so the first of them are the ones a run read, and a decision read "as of" a run
ignores retirements recorded after it.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.review.decisions import ledger
from labelwright.review.decisions.ledger_digests import first_rows_changed, rows_sha256

RETIRE, UNDO = "retire", "undo"

#: the trigger refusing updates of retirement records (lifted and put back only by a rater
#: erasure, :mod:`~labelwright.review.decisions.rater_erasures`)
NO_UPDATE = (
    "CREATE TRIGGER IF NOT EXISTS retirements_no_update BEFORE UPDATE ON retirements\n"
    "BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END;")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS retirements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL CHECK (action IN ('retire', 'undo')),
    decision INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    rater TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    selection TEXT NOT NULL
);
""" + NO_UPDATE + """
CREATE TRIGGER IF NOT EXISTS retirements_no_delete BEFORE DELETE ON retirements
BEGIN SELECT RAISE(ABORT, 'the review ledger is append-only'); END;
"""

_FIELDS = "action, decision, item_id, rater, reviewer, at, reason, selection"


@dataclass(frozen=True)
class Retirement:
    """One record of the ``retirements`` table: ``action`` (``retire`` or ``undo``) of the
    decision with the decisions table's ``seq`` ``decision``."""

    action: str
    decision: int
    item_id: str
    rater: str
    reviewer: str
    at: str
    reason: str
    selection: str
    #: the decision's place among the ledger's decisions, oldest first (as
    #: :func:`~labelwright.review.decisions.ledger_reading.read_decisions` lists them);
    #: -1: none has its seq
    position: int = -1

    def describe(self) -> str:
        """``retired 2026-12-05 by ana: spam removed`` (``un-retired ...`` for an undo)."""
        verb = "retired" if self.action == RETIRE else "un-retired"
        return f"{verb} {self.at[:10]} by {self.reviewer}: {self.reason}"


def _rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The retirement records, each with its decision's place among the decisions (none
    from a ledger without the table)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'retirements'").fetchone():
        return []
    records = conn.execute(f"SELECT {_FIELDS} FROM retirements ORDER BY seq").fetchall()
    if not records:
        return []
    seqs = [s for (s,) in conn.execute("SELECT seq FROM decisions ORDER BY seq")]
    out = []
    for record in records:
        k = bisect.bisect_left(seqs, record[1])
        out.append((*record, k if k < len(seqs) and seqs[k] == record[1] else -1))
    return out


def read_retirements(path: Path) -> list[Retirement]:
    """Every retirement record of the ledger at ``path``, oldest first; read-only, as
    :func:`~labelwright.review.decisions.ledger_reading.read_decisions` reads (none from an
    absent ledger or one without the table)."""
    return [Retirement(*row) for row in ledger.query(path, _rows)]


def retired(records: Sequence[Retirement]) -> dict[int, Retirement]:
    """``{position: record}`` of the decisions ``records`` leave retired (each decision's
    latest record a ``retire``), by the decision's place in the ledger."""
    state: dict[int, Retirement] = {}
    for record in records:
        if record.action == RETIRE:
            state[record.position] = record
        else:
            state.pop(record.position, None)
    return state


#: a record's fields as the table stores them (the position is derived), as a run's
#: ``reviews.json`` keeps them (``retirements``)
STORED = ("action", "decision", "item_id", "rater", "reviewer", "at", "reason", "selection")


def stored(r: Retirement) -> tuple[str, ...]:
    """``r``'s :data:`STORED` fields as text, as they are hashed (not astuple: slow)."""
    return (r.action, str(r.decision), r.item_id, r.rater, r.reviewer, r.at, r.reason,
            r.selection)


def retirements_digest(records: Sequence[Retirement]) -> str:
    """A sha256 of retirement records, for a run's manifest (as the ledger's digest)."""
    return rows_sha256(map(stored, records))


#: the fields of a run's ``reviews`` about retirements, recorded only where there are any
MANIFEST_FIELDS = ("retirements", "retirements_sha256", "decisions_retired")


@dataclass(frozen=True)
class Honoured:
    """The retirement records a reader honoured: ``read``, the records themselves (the
    ledger's first ones; a run keeps a copy in its ``reviews.json``), their ``sha256``, and
    how many decisions they leave ``retired``; ``records``: how many there are."""

    read: tuple[Retirement, ...] = field(default=(), repr=False)
    sha256: str = ""
    retired: int = 0

    @property
    def records(self) -> int:
        return len(self.read)

    def manifest(self) -> dict[str, Any]:
        """The fields a run's ``reviews`` record gets ({} when none: a run's manifest is as
        it was before retirements existed)."""
        if not self.records:
            return {}
        return dict(zip(MANIFEST_FIELDS, (self.records, self.sha256, self.retired)))


def without_retired(decisions: Sequence[ledger.Decision], records: Sequence[Retirement]
                    ) -> list[ledger.Decision]:
    """``decisions`` (the ledger's first ones, oldest first) without those ``records``
    leave retired."""
    if not records:
        return list(decisions)
    gone = retired(records)
    return [d for k, d in enumerate(decisions) if k not in gone]


def not_retired(path: Path, decisions: Sequence[ledger.Decision], *, as_of: int | None = None,
                records: Sequence[Retirement] | None = None
                ) -> tuple[list[ledger.Decision], Honoured]:
    """``decisions`` (the ledger's at ``path``, all of them, oldest first) without the
    retired ones, and what was honoured. ``as_of``: honour only the ledger's first
    ``as_of`` retirement records (those a run read), None: all of them. ``records``: the
    ledger's retirement records, when the caller has read them already."""
    records = _records(path, records)[:as_of]
    kept = without_retired(decisions, records)
    if not records:
        return kept, Honoured()
    return kept, Honoured(tuple(records), retirements_digest(records),
                          len(decisions) - len(kept))


def recorded(reviews: dict[str, Any]) -> int:
    """How many retirement records a run honoured, by its manifest's ``reviews`` (0: a
    run made before any, or before runs recorded them: it honoured none)."""
    count = reviews.get("retirements", 0)
    return count if isinstance(count, int) else 0


def changed_since(path: Path, in_run: int, now: int | None = None, *,
                  records: Sequence[Retirement] | None = None) -> tuple[set[int], set[int]]:
    """How the ledger at ``path`` retires decisions otherwise than a run that honoured its
    first ``in_run`` records: ``(retired, brought_back)``, the positions of the decisions
    retired now that were not as of the run, and of those retired as of the run that are
    not now (un-retired since). ``now``: honour the first ``now`` records (None: every
    one). ``records``: the ledger's, when read already."""
    records = _records(path, records)
    then, later = retired(records[:in_run]), retired(records[:now])
    return set(later.keys() - then.keys()), set(then.keys() - later.keys())


def retirement_changes(path: Path, count: int, digest: str, reader: str = "the run", *,
                       records: Sequence[Retirement] | None = None,
                       erased_at: Collection[str] | None = None) -> str | None:
    """Why the ledger at ``path`` no longer holds the ``count`` retirement records with
    ``digest`` that ``reader`` honoured (they are only ever appended), or None when it
    still does. ``records``: the ledger's, when read already; ``erased_at``: when the runs
    folder's recorded erasures changed the ledger
    (:func:`~labelwright.runs.erase.records.ledger_erasures`): a ``rater_erasures`` row
    without one of those vouches for no change (None: not asked)."""
    from labelwright.review.decisions.rater_erasures import retirements_renamed

    records = _records(path, records)
    change = first_rows_changed(path, records, count, digest,
                                retirements_digest, reader, noun="retirement records",
                                verb="honoured")
    if change is not None and len(records) >= count and retirements_renamed(
            path, count, digest, retirements_digest(records[:count]), erased_at):
        return None  # only a rater's names `labelwright erase --rater` replaced, on record
    return None if change is None else change.message


def _records(path: Path, records: Sequence[Retirement] | None) -> Sequence[Retirement]:
    """``records`` when the caller read them, else the ledger's at ``path``."""
    return read_retirements(path) if records is None else records


class RetirementsChanged(Exception):
    """The ledger no longer holds the decisions and records the caller's choice read."""


def append_retirements(path: Path, records: Sequence[Retirement], *, decisions: int,
                       records_read: int) -> None:
    """Append ``records`` (``position`` set; ``decision`` filled in from it) in one
    transaction, creating the table on the first. ``decisions``/``records_read``: how many
    of each the ledger held when the caller chose them; another number raises
    :class:`RetirementsChanged` and nothing is written."""
    with ledger.connect(path) as conn:
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN IMMEDIATE")
        try:
            seqs = [s for (s,) in conn.execute("SELECT seq FROM decisions ORDER BY seq")]
            held = conn.execute("SELECT COUNT(*) FROM retirements").fetchone()[0]
            if len(seqs) != decisions or held != records_read:
                raise RetirementsChanged(f"{path}: changed while the decisions were chosen")
            conn.executemany(
                f"INSERT INTO retirements ({_FIELDS}) VALUES ({', '.join('?' * 8)})",
                [(r.action, seqs[r.position], r.item_id, r.rater, r.reviewer, r.at, r.reason,
                  r.selection) for r in records])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@dataclass(frozen=True)
class RecordsChange:
    """Why the retirement records a reader says it honoured cannot be vouched for:
    ``message``, the line that says so, and ``in_ledger``: the ledger no longer holds them
    (False: the count or digest recorded is of another type, so they cannot be checked)."""

    message: str
    in_ledger: bool


def recorded_change(path: Path, record: dict[str, Any], reader: str = "the run", *,
                    prefix: str = "", section: str = "reviews",
                    records: Sequence[Retirement] | None = None,
                    erased_at: Collection[str] | None = None) -> RecordsChange | None:
    """:func:`retirement_changes` for the retirement records a run's ``reviews`` (or
    train's ``training``, its keys under ``prefix``) says it honoured; None when it
    honoured none, they are unchanged, or the ledger is gone (the check of its decisions
    says so). A count or digest recorded as another type is a problem too, naming the
    field as under ``section``. ``records``: the ledger's, when read already;
    ``erased_at``: as :func:`retirement_changes` takes it."""
    count = record.get(f"{prefix}retirements")
    digest = record.get(f"{prefix}retirements_sha256")
    for key, value, kind, written in ((f"{prefix}retirements", count, int, "a whole number"),
                                      (f"{prefix}retirements_sha256", digest, str, "a string")):
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return RecordsChange(
                f"{section}.{key} is {value!r}, where {reader} records {written} (edited by "
                "hand?): which retirement records it honoured cannot be checked", False)
    if not path.exists() or not count or digest is None:
        return None
    change = retirement_changes(path, count, digest, reader, records=records,
                                erased_at=erased_at)
    return None if change is None else RecordsChange(change, True)


def recorded_changes(path: Path, record: dict[str, Any], reader: str = "the run", *,
                     prefix: str = "", section: str = "reviews",
                     records: Sequence[Retirement] | None = None,
                     erased_at: Collection[str] | None = None) -> str | None:
    """:func:`recorded_change`'s line (None: nothing to say)."""
    change = recorded_change(path, record, reader, prefix=prefix, section=section,
                             records=records, erased_at=erased_at)
    return None if change is None else change.message
