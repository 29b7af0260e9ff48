"""A rater's identity taken out of the review ledger, on record in the ledger.

A rater is named in the ledger by the name or email their review file (or the importer's
``--reviewer``) gave: each decision's ``reviewer`` and ``annotator``, the ``imports``
table's importer, the ``relabels`` table's rater and importer (``review import
--relabel``), and the ``rater_ids`` table's pairings of Label Studio ids with emails.
A rater who asks to be erased is replaced there by a pseudonym (``erased-rater-1``), the
same one in every place, so the rater's decisions still count as one rater's and every
rule that reads raters (agreement, adjudication, the latest decision of each rater) gives
what it gave. As with a note erasure
(:mod:`~labelwright.review.decisions.note_erasures`), :func:`erase_rater` does it in one
transaction: it lifts the triggers that refuse updates, rewrites the names, puts the
triggers back and appends a row to the ``rater_erasures`` table (itself append-only): when,
who erased, why, the pseudonym (never the name), the decisions changed (``seq``) and for
each number of first decisions a reader recorded the digest of (each run's manifest; the
whole ledger) that digest before and after. :func:`rater_links` gives those rows to
:func:`~labelwright.review.decisions.note_erasures.erased_since`, so a digest a run recorded
still holds when, and only when, the record leads from it to the ledger now.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ledger import NO_UPDATE_TRIGGER, RATER_IDS_TRIGGERS, Decision, connect
from .note_erasures import changed_digests, create_table, erasure_rows, erasures_table

if TYPE_CHECKING:
    from .retirements import Retirement

#: the ledger's table of rater erasures
RATER_ERASURES = "rater_erasures"
#: the pseudonym ``erase --rater`` gives when none is asked for: the prefix, then a number
PSEUDONYM_PREFIX = "erased-rater-"
_TABLE = erasures_table(RATER_ERASURES, "pseudonym", "rater erasures",
                        ",\n    retirements TEXT NOT NULL DEFAULT '[]',"
                        "\n    retirement_digests TEXT NOT NULL DEFAULT '[]'")


@dataclass(frozen=True)
class RaterErasure:
    """One row of ``rater_erasures``: ``digests`` maps a count of first decisions to the
    sha256 of that many before and after the erasure."""

    erased_at: str
    reviewer: str
    reason: str
    pseudonym: str
    decisions: tuple[int, ...]  # the seq of each decision whose rater was renamed
    digests: tuple[tuple[int, str, str], ...]
    #: the seq of each ``review retire`` record whose rater (or retirer) was renamed, and
    #: the digests of the first records, as ``digests`` of the first decisions
    retirements: tuple[int, ...] = ()
    retirement_digests: tuple[tuple[int, str, str], ...] = ()

    def describe(self) -> str:
        return (f"a rater renamed {self.pseudonym} on {self.erased_at[:10]} by "
                f"{self.reviewer} ({self.reason})")


def renamed(decision: Decision, names: Collection[str], pseudonym: str) -> Decision:
    """``decision`` with each of its rater fields (``reviewer``, ``annotator``) that is one
    of ``names`` replaced by ``pseudonym``."""
    return replace(decision,
                   reviewer=pseudonym if decision.reviewer in names else decision.reviewer,
                   annotator=pseudonym if decision.annotator in names else decision.annotator)


def planned(decisions: Sequence[Decision], names: Collection[str]) -> list[int]:
    """The positions (0-based, ledger order) of the decisions that name one of ``names``."""
    wanted = set(names)
    return [k for k, d in enumerate(decisions)
            if d.reviewer in wanted or d.annotator in wanted]


def paired_names(path: Path, names: Collection[str]) -> set[str]:
    """The names the ledger's ``rater_ids`` table pairs with one of ``names`` (a Label
    Studio id with its email): the same person, erased with them."""
    from .ledger_reading import query

    def read(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
        if not conn.execute("PRAGMA table_info(rater_ids)").fetchall():
            return []
        return conn.execute("SELECT by_id, by_name FROM rater_ids").fetchall()

    wanted = set(names)
    return {str(n) for pair in query(path, read) if wanted & set(map(str, pair))
            for n in pair} - wanted


def next_pseudonym(decisions: Sequence[Decision]) -> str:
    """``erased-rater-<n>``, one past the highest such name the ledger's raters hold."""
    pattern = re.compile(re.escape(PSEUDONYM_PREFIX) + r"(\d+)")
    taken = [int(m.group(1)) for d in decisions for name in (d.reviewer, d.annotator)
             if (m := pattern.fullmatch(name))]
    return f"{PSEUDONYM_PREFIX}{max(taken, default=0) + 1}"


def erase_rater(path: Path, names: Collection[str], pseudonym: str, *, erased_at: str,
                reviewer: str, reason: str, counts: Collection[int],
                retirement_counts: Collection[int] = ()) -> RaterErasure | None:
    """Replace each of ``names`` by ``pseudonym`` in the ledger at ``path`` (decisions,
    importers, ``--relabel`` records, Label Studio id pairings, ``review retire`` records),
    on record in its ``rater_erasures`` table with the digests of each of ``counts`` first
    decisions (and ``retirement_counts`` first retirement records) and of the whole ledger,
    before and after; one transaction: all of it or nothing. None (nothing written) when no
    decision or retirement record names them."""
    from .ledger_reading import _decision_rows

    if not path.exists():
        return None
    wanted = set(names)
    with connect(path) as conn:
        conn.execute("PRAGMA secure_delete = ON")  # the old names' bytes overwritten
        conn.execute("BEGIN IMMEDIATE")
        try:
            decisions = [Decision(*row) for row in _decision_rows(conn)]
            seqs = [int(s) for (s,) in conn.execute("SELECT seq FROM decisions ORDER BY seq")]
            at = planned(decisions, wanted)
            retired = _retirements(conn)
            at_retired = [k for k, (_, r) in enumerate(retired)
                          if r.rater in wanted or r.reviewer in wanted]
            if not at and not at_retired:
                conn.execute("ROLLBACK")
                return None
            record = RaterErasure(
                erased_at, reviewer, reason, pseudonym, tuple(seqs[k] for k in at),
                changed_digests(decisions, set(at), {*counts, len(decisions)},
                                lambda d: renamed(d, wanted, pseudonym)) if at else (),
                tuple(retired[k][0] for k in at_retired), _retirement_digests(
                    [r for _, r in retired], set(at_retired),
                    {*retirement_counts, len(retired)}, wanted, pseudonym))
            create_table(conn, _TABLE)
            _rename(conn, wanted, pseudonym)
            conn.execute(f"INSERT INTO {RATER_ERASURES} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                erased_at, reviewer, reason, pseudonym, json.dumps(list(record.decisions)),
                json.dumps([list(d) for d in record.digests]),
                json.dumps(list(record.retirements)),
                json.dumps([list(d) for d in record.retirement_digests])))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log's older pages emptied
    return record


def _retirements(conn: sqlite3.Connection) -> list[tuple[int, Retirement]]:
    """The ledger's ``review retire`` records, oldest first, each with its ``seq``."""
    from .retirements import Retirement

    if not conn.execute("PRAGMA table_info(retirements)").fetchall():
        return []
    return [(int(row[0]), Retirement(*row[1:])) for row in conn.execute(
        "SELECT seq, action, decision, item_id, rater, reviewer, at, reason, selection "
        "FROM retirements ORDER BY seq")]


def _retirement_digests(records: Sequence[Retirement], at: set[int], counts: Collection[int],
                        names: Collection[str], pseudonym: str
                        ) -> tuple[tuple[int, str, str], ...]:
    """:func:`~labelwright.review.decisions.note_erasures.changed_digests` of the
    retirement records at positions ``at`` renamed, hashed as a run hashes them."""
    from .retirements import stored

    def rename(r: Retirement) -> Retirement:
        return replace(r, rater=pseudonym if r.rater in names else r.rater,
                       reviewer=pseudonym if r.reviewer in names else r.reviewer)

    return changed_digests(records, at, counts, rename, values_of=stored) if at else ()


def _rename(conn: sqlite3.Connection, names: set[str], pseudonym: str) -> None:
    """Every place the ledger names one of ``names``, ``pseudonym`` now (inside the
    caller's transaction; the triggers lifted and put back)."""
    marks = ", ".join("?" * len(names))
    conn.execute("DROP TRIGGER IF EXISTS decisions_no_update")
    for column in ("reviewer", "annotator"):
        conn.execute(f"UPDATE decisions SET {column} = ? WHERE {column} IN ({marks})",
                     (pseudonym, *names))
    conn.execute(NO_UPDATE_TRIGGER)
    conn.execute(f"UPDATE OR IGNORE imports SET reviewer = ? WHERE reviewer IN ({marks})",
                 (pseudonym, *names))  # a file imported twice, by two of the names: once
    conn.execute(f"DELETE FROM imports WHERE reviewer IN ({marks})", tuple(names))
    if conn.execute("PRAGMA table_info(rater_ids)").fetchall():
        _rename_rows(conn, "rater_ids", ("by_id", "by_name"), names, pseudonym,
                     RATER_IDS_TRIGGERS, then="DELETE FROM rater_ids WHERE by_id = by_name")
    if conn.execute("PRAGMA table_info(relabels)").fetchall():
        from .relabels import TRIGGERS as RELABELS_TRIGGERS

        _rename_rows(conn, "relabels", ("rater", "reviewer"), names, pseudonym,
                     RELABELS_TRIGGERS)
    if conn.execute("PRAGMA table_info(retirements)").fetchall():
        from .retirements import NO_UPDATE as RETIREMENTS_NO_UPDATE

        conn.execute("DROP TRIGGER IF EXISTS retirements_no_update")
        for column in ("rater", "reviewer"):
            conn.execute(f"UPDATE retirements SET {column} = ? WHERE {column} IN ({marks})",
                         (pseudonym, *names))
        conn.execute(RETIREMENTS_NO_UPDATE)


def _rename_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                 names: set[str], pseudonym: str, triggers: Sequence[str], *,
                 then: str = "") -> None:
    """``names`` in ``columns`` of the ledger's append-only ``table`` (its triggers
    ``<table>_no_update`` and ``_no_delete`` lifted, then ``triggers`` put back), whose
    rows are unique: a row that renamed would repeat another says the same and goes
    (a pair or a file recorded under two of the names); ``then``: a statement run before
    the triggers are back (a pairing of the pseudonym with itself taken out)."""
    marks = ", ".join("?" * len(names))
    conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    for column in columns:
        conn.execute(f"UPDATE OR IGNORE {table} SET {column} = ? WHERE {column} IN ({marks})",
                     (pseudonym, *names))
    conn.execute(f"DELETE FROM {table} WHERE " + " OR ".join(
        f"{column} IN ({marks})" for column in columns), (*names,) * len(columns))
    if then:
        conn.execute(then)
    for statement in triggers:
        conn.execute(statement)


def read_rater_erasures(path: Path) -> list[RaterErasure]:
    """Every row of the ledger's ``rater_erasures`` table, oldest first ([] without it); a
    row that cannot be read is left out (it vouches for nothing)."""
    found = []
    for row, (retired, digests) in erasure_rows(path, RATER_ERASURES, "pseudonym",
                                                ("retirements", "retirement_digests")):
        try:
            found.append(RaterErasure(*row, tuple(int(s) for s in retired),
                                      tuple((int(c), str(b), str(a)) for c, b, a in digests)))
        except (TypeError, ValueError):
            continue
    return found


def pseudonyms(path: Path) -> set[str]:
    """The pseudonyms the ledger's ``rater_erasures`` rows gave raters (none without it)."""
    return {e.pseudonym for e in read_rater_erasures(path)}


def _pseudonym_links(path: Path, sql: str, count: int, erasures: list[RaterErasure],
                     seqs: Callable[[RaterErasure], tuple[int, ...]],
                     digests: Callable[[RaterErasure], tuple[tuple[int, str, str], ...]]
                     ) -> dict[tuple[int, str], tuple[RaterErasure, str]]:
    """``{(count, digest before): (erasure, digest after)}`` of ``erasures`` whose records
    among the first ``count`` rows ``sql`` reads (seq and the two rater columns of a ledger
    table) each name the erasure's pseudonym now; ``seqs`` and ``digests``: the erasure's
    records of that table and their digests."""
    from .ledger_reading import query

    if not erasures:
        return {}
    names = {int(seq): {str(a), str(b)}
             for seq, a, b in query(path, lambda conn: conn.execute(sql, (count,)).fetchall())}
    links = {}
    for erasure in erasures:
        among = [s for s in seqs(erasure) if s in names]
        if among and all(erasure.pseudonym in names[s] for s in among):
            links.update({(c, before): (erasure, after) for c, before, after
                          in digests(erasure)})
    return links


def retirements_renamed(path: Path, count: int, digest: str, now: str,
                        recorded: Collection[str] | None = None) -> bool:
    """Whether the rater erasures lead the digest of the ledger's first ``count``
    retirement records from ``digest`` (what a run recorded) to ``now``: a row counts when
    it lists records among them, each naming its pseudonym now, and, with ``recorded``
    (as :func:`rater_links` takes it), when the runs folder has its record too."""
    from .note_erasures import follow

    links = _pseudonym_links(
        path, "SELECT seq, rater, reviewer FROM retirements ORDER BY seq LIMIT ?", count,
        [e for e in read_rater_erasures(path) if e.retirement_digests
         and (recorded is None or e.erased_at in recorded)],
        lambda e: e.retirements, lambda e: e.retirement_digests)
    return bool(follow(links, count, digest, now))


def rater_links(path: Path, count: int, recorded: Collection[str] | None
                ) -> dict[tuple[int, str], tuple[RaterErasure, str]]:
    """``{(count, digest before): (erasure, digest after)}`` of the rater erasures that may
    carry a digest of the ledger's first ``count`` decisions: a row counts when it lists
    decisions among them, each naming its pseudonym now, and, with ``recorded`` (the
    ``erased_at`` of the runs folder's records that changed the ledger), when the runs
    folder has its record too: a row written by hand beside an edit vouches for nothing."""
    return _pseudonym_links(
        path, "SELECT seq, reviewer, annotator FROM decisions ORDER BY seq LIMIT ?", count,
        [e for e in read_rater_erasures(path) if recorded is None or e.erased_at in recorded],
        lambda e: e.decisions, lambda e: e.digests)
