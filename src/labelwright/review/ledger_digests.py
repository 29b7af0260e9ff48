"""The digest of the review ledger a run records, and why a ledger no longer holds what a
run read (decisions are only ever appended to it: :mod:`~labelwright.review.ledger`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from .ledger import Decision
from .ledger_reading import read_decisions

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
