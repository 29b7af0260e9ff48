"""The digests of the review ledger a run records, and why a ledger no longer holds what a
run read (decisions and retirement records are only ever appended to it:
:mod:`~labelwright.review.decisions.ledger`, :mod:`~labelwright.review.decisions.retirements`).

Both tables are digested and checked alike (:func:`rows_sha256`, :func:`first_rows_changed`):
the ledger's decisions here, its retirement records by
:func:`~labelwright.review.decisions.retirements.retirements_digest`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .ledger import Decision
from .ledger_reading import read_decisions

if TYPE_CHECKING:
    from .note_erasures import NoteErasure
    from .rater_erasures import RaterErasure

#: a decision's columns up to ``export``, read in one C call (astuple deep-copies each
#: value: 8 of a 100,000-decision read's 14 s)
_NAMES = [f.name for f in fields(Decision)]
_UP_TO_EXPORT = attrgetter(*_NAMES[:_NAMES.index("export") + 1])
#: how many values come before ``text_hash`` in a decision's digest (:func:`decision_values`)
_BEFORE_TEXT_HASH = _NAMES.index("text_hash")

Row = TypeVar("Row")


@dataclass(frozen=True)
class RowsChange:
    """Why a table of the ledger no longer begins with the rows a reader recorded:
    ``message``, the line that says so, and ``count_edited``: the ledger's first rows of
    another count have the recorded digest, so the count was edited where it is recorded,
    not the ledger (:func:`first_rows_changed`)."""

    message: str
    count_edited: bool = False


def rows_sha256(rows: Iterable[Sequence[str]]) -> str:
    """The sha256 of a ledger table's rows as a run records it: each row's values joined by
    ``\\x1f`` and ended by ``\\x1e``, in UTF-8, one after another (README "Hash recipes")."""
    digest = hashlib.sha256()
    for values in rows:
        digest.update(row_bytes(values))
    return digest.hexdigest()


def row_bytes(values: Sequence[str]) -> bytes:
    """One row of a ledger table as its digest reads it (:func:`rows_sha256`): the one
    place the recipe is written, for every reader and writer of such a digest."""
    return ("\x1f".join(values) + "\x1e").encode("utf-8")


def decision_values(d: Decision) -> tuple[str, ...]:
    """A decision's values as :func:`ledger_digest` digests them (see there)."""
    values: tuple[str, ...] = _UP_TO_EXPORT(d)  # every column up to ``export``
    cut = d.shown_chars is not None or d.text_chars is not None
    noted = bool(d.note)
    if not d.export and d.blind is None and not cut and not noted:
        values = values[:-1]
    if d.blind is not None:  # a 13th value: no older row has one
        values += ("1" if d.blind else "0",)
    elif cut or noted:
        values += ("",)
    if cut or noted:  # a 14th and 15th: made on a cut text (blank before a note)
        values += tuple("" if n is None else str(n) for n in (d.shown_chars, d.text_chars))
    if noted:  # a 16th: the rater's note
        values += (str(d.note),)
    if d.text_hash:  # a 17th: the hash of the text decided on (blanks before it)
        values += ("",) * (_BEFORE_TEXT_HASH - len(values)) + (d.text_hash,)
    return values


def ledger_digest(decisions: Sequence[Decision]) -> str:
    """A sha256 of the ledger's contents, for a run's manifest (stable across WAL checkpoints).

    A column added later is left out where it holds its default (an empty ``export``, a
    ``blind`` not known, no cut text, no note), so a ledger from before it keeps the digest its runs
    recorded:
    upgrading labelwright does not make them report the ledger as edited. Where ``blind``
    is recorded it is covered like every other column: runs do not use it, but ``review
    stats`` does, and the ledger is the record an audit reads, so a ledger whose blind marks
    were rewritten is an edited ledger. So is one whose notes were rewritten: a note is
    the 16th value of a decision that has one, and the hash of the text decided on the
    17th (blank values before it where the others were not recorded)."""
    return rows_sha256(map(decision_values, decisions))


def digest_prefix(rows: Sequence[Row], digest: str,
                  values_of: Callable[[Row], Sequence[str]]) -> int | None:
    """How many of ``rows`` (oldest first) have ``digest`` (:func:`rows_sha256` of each
    row's ``values_of``), the fewest; None when no first rows of the table have it. One
    pass: the digest of each longer prefix continues the shorter one's."""
    running = hashlib.sha256()
    if running.hexdigest() == digest:
        return 0
    for n, row in enumerate(rows, start=1):
        running.update(row_bytes(values_of(row)))
        if running.hexdigest() == digest:
            return n
    return None


def first_rows_changed(path: Path, rows: Sequence[Row], count: int, digest: str,
                       digest_of: Callable[[Sequence[Row]], str], reader: str, *,
                       noun: str, verb: str,
                       values_of: Callable[[Row], Sequence[str]] | None = None,
                       record: str = "") -> RowsChange | None:
    """Why ``rows`` (a table of the ledger at ``path``, oldest first) no longer begin with
    the ``count`` rows with ``digest`` that ``reader`` ``verb`` (the ledger only appends),
    or None when they still do. ``noun``: what the rows are, plural (``decisions``,
    ``retirement records``). With ``values_of`` (each row's values, as ``digest_of``
    digests them) and ``record`` (where the count and digest are recorded, as
    ``manifest.json: reviews.decisions``): when the ledger's first rows of another count
    have the digest, the count was edited in ``record``, not the ledger, and the line
    names ``record``."""
    if len(rows) >= count and digest_of(rows[:count]) == digest:
        return None  # the usual case: one digest of the first rows, nothing more
    found = None
    if values_of is not None and record:
        found = digest_prefix(rows, digest, values_of)
    if found is not None and found != count:
        return RowsChange(
            f"{record} says {reader} {verb} {count} {noun}, but the ledger's first {found} "
            f"have the sha256 {reader} recorded with them: the count was edited since, not "
            f"the ledger ({path} holds the {noun} {reader} {verb} as {reader} {verb} them)",
            count_edited=True)
    if len(rows) < count:
        return RowsChange(
            f"{path}: holds {len(rows)} {noun}, fewer than the {count} {reader} {verb} "
            f"({noun.split()[-1]} were removed, or this is another ledger)")
    return RowsChange(f"{path}: the first {count} {noun}, which {reader} {verb}, are not the "
                      f"ones it {verb} (edited or replaced since; the ledger only ever "
                      "appends)")


def ledger_changes(path: Path, count: int, digest: str, reader: str = "the run", *,
                   decisions: list[Decision] | None = None,
                   record: str = "manifest.json: reviews.decisions",
                   erased_at: Collection[str] | None = None) -> RowsChange | None:
    """Why the ledger at ``path`` no longer holds the ``count`` decisions with ``digest`` a
    run (or ``reader``) read (decisions are only ever appended), or None when it still
    does. ``decisions``: the ledger's, when the caller has read them already. ``record``:
    where ``count`` is recorded, named when it is the count that was edited
    (:func:`first_rows_changed`). Decisions whose notes ``labelwright erase`` took out are
    still the ones read when the ledger's record of it leads from ``digest`` to theirs now
    (:func:`notes_erased`; ``erased_at``: the runs folder's record of those erasures, where
    the caller has it)."""
    if not path.exists():  # not "holds 0 decisions": the file itself is gone
        from labelwright.counts import counted

        return RowsChange(f"{path}: missing; {reader} read {counted(count, 'decision')} from "
                          "it (deleted or moved since)")
    decisions = read_decisions(path) if decisions is None else decisions
    change = first_rows_changed(path, decisions, count, digest, ledger_digest, reader,
                                noun="decisions", verb="read", values_of=decision_values,
                                record=record)
    if change is not None and not change.count_edited and len(decisions) >= count \
            and notes_erased(path, count, digest, decisions, recorded=erased_at):
        return None  # only the notes `labelwright erase` took out, on record
    return change


def notes_erased(path: Path, count: int, digest: str, decisions: Sequence[Decision], *,
                 recorded: Collection[str] | None = None
                 ) -> list[NoteErasure | RaterErasure]:
    """The note (and rater) erasures recorded in the ledger at ``path`` that take the
    digest a reader recorded of its first ``count`` decisions to theirs now
    (``decisions``: the ledger's), in order; [] when they do not (the change is another).
    ``recorded``: as :func:`~labelwright.review.decisions.note_erasures.erased_since` takes it."""
    from .note_erasures import erased_since

    return erased_since(path, count, digest, ledger_digest(decisions[:count]),
                        recorded=recorded)
