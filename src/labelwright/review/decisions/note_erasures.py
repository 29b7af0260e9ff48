"""Raters' notes on erased items taken out of the review ledger, on record in the ledger.

A rater's note is free text from the rater ("Customer ... says scam call") and may hold the
personal data an erasure request asks to remove. The ledger only appends (triggers refuse
UPDATE and DELETE), and each run records the sha256 of the decisions it read, notes
included (:func:`~labelwright.review.decisions.ledger_digests.ledger_digest`).
:func:`erase_notes` is the one change of a decision labelwright makes: in one transaction
it lifts the UPDATE trigger, sets the ``note`` of each decision on the erased items to
``[erased]``, puts the trigger back, and appends a row to the ``note_erasures`` table
(itself append-only): when, who, why, the items, the decisions changed (their ``seq``)
and, for each number of first decisions a reader recorded a digest of (each run's
manifest; the whole ledger), that digest before and after. A reader's digest is still the
ledger's when those rows lead from it to the digest now (:func:`erased_since`); any other
change, an edit after the erasure too, is still one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from labelwright.erased_marker import MARKER

from .ledger import NO_UPDATE_TRIGGER, Decision, connect

if TYPE_CHECKING:
    from .rater_erasures import RaterErasure

E = TypeVar("E")

#: the ledger's table of note erasures
NOTE_ERASURES = "note_erasures"


def erasures_table(table: str, subject: str, what: str, extra: str = "") -> str:
    """The statements making the ledger's append-only table ``table`` of ``what``: when,
    who, why, ``subject`` (what was erased), the decisions changed and the digests, and the
    ``extra`` columns (also the rater erasures' table,
    :mod:`~labelwright.review.decisions.rater_erasures`)."""
    return f"""
CREATE TABLE IF NOT EXISTS {table} (
    erased_at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reason TEXT NOT NULL,
    {subject} TEXT NOT NULL,
    decisions TEXT NOT NULL,
    digests TEXT NOT NULL{extra}
);
CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'the record of {what} is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'the record of {what} is append-only'); END;
"""


_TABLE = erasures_table(NOTE_ERASURES, "items", "note erasures")


def create_table(conn: sqlite3.Connection, statements: str) -> None:
    """Run ``statements`` (:func:`erasures_table`) one by one inside the caller's
    transaction (``executescript`` would commit first)."""
    for statement in statements.split(";\n"):
        if statement.strip():
            conn.execute(statement)


#: one row of an erasures table: when, who, why, what, the decisions' seq, the digests
ErasureRow = tuple[str, str, str, str, tuple[int, ...], tuple[tuple[int, str, str], ...]]


def erasure_rows(path: Path, table: str, subject: str, extra: Sequence[str] = ()
                 ) -> list[tuple[ErasureRow, tuple[Any, ...]]]:
    """Every row of the ledger's erasures ``table``, oldest first ([] without it), its
    decisions and digests parsed, with its ``extra`` columns read as JSON; a row that
    cannot be read is left out (it vouches for nothing)."""
    from .ledger_reading import query

    def rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
        if not conn.execute(f"PRAGMA table_info({table})").fetchall():
            return []
        return conn.execute(f"SELECT erased_at, reviewer, reason, {subject}, decisions, "
                            f"digests{''.join(f', {c}' for c in extra)} FROM {table} "
                            "ORDER BY rowid").fetchall()

    found = []
    for at, reviewer, reason, what, decisions, digests, *more in query(path, rows):
        try:
            found.append(((str(at), str(reviewer), str(reason), str(what),
                           tuple(int(s) for s in json.loads(decisions)), parsed(digests)),
                          tuple(json.loads(m) for m in more)))
        except (TypeError, ValueError):
            continue
    return found


def parsed(digests: str) -> tuple[tuple[int, str, str], ...]:
    """An erasures table's JSON list of ``[count, before, after]`` digests, as tuples."""
    return tuple((int(c), str(b), str(a)) for c, b, a in json.loads(digests))


@dataclass(frozen=True)
class NoteErasure:
    """One row of ``note_erasures``: ``digests`` maps a count of first decisions to the
    sha256 of that many before and after the erasure."""

    erased_at: str
    reviewer: str
    reason: str
    items: tuple[str, ...]
    decisions: tuple[int, ...]  # the seq of each decision whose note was erased
    digests: tuple[tuple[int, str, str], ...]

    def describe(self) -> str:
        return f"erased on {self.erased_at[:10]} by {self.reviewer} ({self.reason})"


def noted(decision: Decision, ids: Collection[str]) -> bool:
    """Whether ``decision`` is on one of ``ids`` and has a note not erased yet."""
    return decision.item_id in ids and bool(decision.note) and decision.note != MARKER


def _erase_note(decision: Decision) -> Decision:
    return replace(decision, note=MARKER)


def changed_digests(decisions: Sequence[Any], erased: set[int], counts: Collection[int],
                    change: Callable[[Any], Any] = _erase_note,
                    values_of: Callable[[Any], Sequence[str]] | None = None
                    ) -> tuple[tuple[int, str, str], ...]:
    """For each of ``counts`` that covers a row at a position in ``erased``, the digest of
    that many first ``decisions`` (or rows of another ledger table, each hashed as
    ``values_of`` gives it) before and after ``change`` (by default: their notes erased)
    is made to those: one pass, the running hashes copied at each count."""
    from .ledger_digests import decision_values, row_bytes

    values = values_of or decision_values

    first = min(erased)
    wanted = sorted(c for c in set(counts) if first < c <= len(decisions))
    before, after = hashlib.sha256(), hashlib.sha256()
    out = []
    for n, decision in enumerate(decisions, start=1):
        old = row_bytes(values(decision))
        before.update(old)
        after.update(old if n - 1 not in erased else row_bytes(values(change(decision))))
        if wanted and n == wanted[0]:
            out.append((n, before.hexdigest(), after.hexdigest()))
            wanted.pop(0)
    return tuple(out)


def planned(decisions: Sequence[Decision], ids: Collection[str]) -> list[int]:
    """The positions (0-based, ledger order) of the decisions whose notes an erasure of
    ``ids`` takes out."""
    wanted = set(ids)
    return [k for k, d in enumerate(decisions) if noted(d, wanted)]


def erase_notes(path: Path, ids: Sequence[str], *, erased_at: str, reviewer: str,
                reason: str, counts: Collection[int]) -> NoteErasure | None:
    """Set the note of every decision on ``ids`` in the ledger at ``path`` to the marker,
    on record in its ``note_erasures`` table with the digests of each of ``counts`` first
    decisions (the counts readers recorded) and of the whole ledger, before and after; one
    transaction: all of it or nothing. None (nothing written) when no such note is left."""
    from .ledger_reading import _decision_rows

    if not path.exists():
        return None
    with connect(path) as conn:
        # the old notes' bytes are overwritten in the file, not left in its free space
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            decisions = [Decision(*row) for row in _decision_rows(conn)]
            seqs = [int(s) for (s,) in conn.execute("SELECT seq FROM decisions ORDER BY seq")]
            at = planned(decisions, ids)
            if not at:
                conn.execute("ROLLBACK")
                return None
            record = NoteErasure(erased_at, reviewer, reason, tuple(ids),
                                 tuple(seqs[k] for k in at),
                                 changed_digests(decisions, set(at), {*counts, len(decisions)}))
            create_table(conn, _TABLE)
            conn.execute("DROP TRIGGER IF EXISTS decisions_no_update")
            conn.executemany("UPDATE decisions SET note = ? WHERE seq = ?",
                             [(MARKER, s) for s in record.decisions])
            conn.execute(NO_UPDATE_TRIGGER)
            conn.execute(f"INSERT INTO {NOTE_ERASURES} VALUES (?, ?, ?, ?, ?, ?)", (
                erased_at, reviewer, reason, json.dumps(list(ids)),
                json.dumps(list(record.decisions)),
                json.dumps([list(d) for d in record.digests])))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # the write-ahead log's older frames (pages from before) emptied into the file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return record


def read_note_erasures(path: Path) -> list[NoteErasure]:
    """Every row of the ledger's ``note_erasures`` table, oldest first ([] without it); a
    row that cannot be read is left out (it vouches for nothing)."""
    found = []
    for (at, reviewer, reason, items, decisions, digests), _ in erasure_rows(
            path, NOTE_ERASURES, "items"):
        try:
            found.append(NoteErasure(at, reviewer, reason, tuple(map(str, json.loads(items))),
                                     decisions, digests))
        except (TypeError, ValueError):
            continue
    return found


def _marked(path: Path, count: int) -> dict[int, bool]:
    """For each of the ledger's first ``count`` decisions (by ``seq``), whether its note is
    the erased marker now."""

    def read(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
        return conn.execute("SELECT seq, note FROM decisions ORDER BY seq LIMIT ?",
                            (count,)).fetchall()

    from .ledger_reading import query

    return {int(seq): note == MARKER for seq, note in query(path, read)}


def _vouches(erasure: NoteErasure, marked: dict[int, bool],
             recorded: Collection[str] | None) -> bool:
    """Whether ``erasure`` is a note erasure a digest may be carried across: it lists
    decisions, one among the first ``count`` at least (``marked``), every one of those
    holding the marker now; and, where the runs folder's record is known
    (``recorded``: the ``erased_at`` of its erasures that took notes out of the ledger),
    one of those."""
    among = [s for s in erasure.decisions if s in marked]
    return bool(among) and all(marked[s] for s in among) and (
        recorded is None or erasure.erased_at in recorded)


def erased_since(path: Path, count: int, digest: str, now: str, *,
                 recorded: Collection[str] | None = None
                 ) -> list[NoteErasure | RaterErasure]:
    """The note erasures that lead the digest of the ledger's first ``count`` decisions
    from ``digest`` (what a reader recorded) to ``now`` (their digest now), in order; []
    when none does (the change is not theirs). A row of ``note_erasures`` counts only when
    it lists decisions among the first ``count`` that hold the erased marker now and, with
    ``recorded`` (the ``erased_at`` of each ``runs/ERASURES.jsonl`` record with a
    ``ledger`` entry), when the runs folder has its record too: a row written by hand
    beside an edit vouches for nothing."""
    from .rater_erasures import rater_links

    rows = read_note_erasures(path)
    marked = _marked(path, count) if rows else {}
    links: dict[tuple[int, str], tuple[NoteErasure | RaterErasure, str]] = {
        (c, before): (e, after) for e in rows if _vouches(e, marked, recorded)
        for c, before, after in e.digests}
    links.update(rater_links(path, count, recorded))  # a rater renamed is carried alike
    return follow(links, count, digest, now)


def follow(links: dict[tuple[int, str], tuple[E, str]], count: int, digest: str, now: str
           ) -> list[E]:
    """The erasures ``links`` (``{(count, digest before): (erasure, digest after)}``) that
    lead from ``digest`` to ``now``, in order; [] when they do not."""
    chain: list[E] = []
    at, seen = digest, set()
    while (count, at) in links and at not in seen:
        seen.add(at)
        erasure, at = links[(count, at)]
        chain.append(erasure)
        if at == now:
            return chain
    return []
