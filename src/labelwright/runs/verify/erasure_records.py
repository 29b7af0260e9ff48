"""``runs verify``'s comparison of the two records of each erasure that changed the review
ledger: the line ``labelwright erase`` wrote to ``runs/ERASURES.jsonl`` and the row it
appended to the ledger's ``rater_erasures`` or ``note_erasures`` table (which refuse
updates). The ledger check pairs them by the time of the erasure; a line whose time was
edited left the ledger's row without its record, and the check then blamed the ledger
("the first N decisions ... are not the ones it read"), though the ledger was as erase left
it; a line whose reason, reviewer or pseudonym was edited was accepted and printed as the
record, beside the ledger's row saying otherwise."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from labelwright.counts import some_of
from labelwright.runs.erase.records import ERASURES_FILE, Erasure


def unrecorded_clause(ledger: Path, count: int, digest: str, decisions: Sequence[Any],
                      recorded: Collection[str] | None) -> str:
    """For a ledger whose first ``count`` decisions no longer give the ``digest`` a run
    recorded, when the ledger's own erasure rows lead from it to theirs now but some of
    those rows have no erasure made at their time in ``runs/ERASURES.jsonl``
    (``recorded``: the times of its erasures that changed the ledger): that the record,
    not the ledger, is what changed. "" otherwise (the change is the ledger's)."""
    from labelwright.review.decisions.ledger_digests import notes_erased

    if recorded is None:  # the record cannot be read: said on its own
        return ""
    chain = notes_erased(ledger, count, digest, decisions, recorded=None)
    missing = [e.erased_at for e in chain if e.erased_at not in recorded]
    if not chain or not missing:
        return ""
    return (f"; but the ledger's own records of erasures ({_tables(chain)}) lead the sha256 "
            f"the run recorded to the ledger's now, and runs/{ERASURES_FILE} holds no "
            f"erasure made at {some_of(missing)}: a line of {ERASURES_FILE} was edited (its "
            "erased_at) or removed since, or the ledger's row was written beside an edit; "
            f"set {ERASURES_FILE} against the ledger's table, which refuses updates")


def record_mismatches(ledger: Path, count: int, records: Sequence[Erasure]) -> list[str]:
    """A line per field in which a line of ``runs/ERASURES.jsonl`` (``records``) and the
    ledger's row of the same erasure (made at the same time, with a digest of the first
    ``count`` decisions, those a run read) disagree: the reviewer, the reason and, for a
    rater erasure, the pseudonym. Both are written by one ``labelwright erase``, with the
    same values."""
    from labelwright.review.decisions.note_erasures import read_note_erasures
    from labelwright.review.decisions.rater_erasures import read_rater_erasures

    rows: list[Any] = [*read_rater_erasures(ledger), *read_note_erasures(ledger)]
    lines = []
    for row in rows:
        if not any(c == count for c, _, _ in row.digests):
            continue
        for record in records:
            if record.erased_at != row.erased_at or not record.ledger:
                continue
            table = _table(row)
            pairs: list[tuple[str, Any, Any]] = [
                ("reviewer", record.reviewer, row.reviewer), ("reason", record.reason, row.reason)]
            if table == "rater_erasures":
                pairs.append(("pseudonym", record.ledger.get("rater"), row.pseudonym))
            lines += [f"line {record.line}: {name} {said!r}, but the "
                      f"ledger's {table} row of the erasure made at {row.erased_at} gives "
                      f"{given!r} (the two are written by one `labelwright erase`, and the "
                      "ledger's table refuses updates): the line was edited since"
                      for name, said, given in pairs if said != given]
    return lines


def _table(row: Any) -> str:
    return "rater_erasures" if hasattr(row, "pseudonym") else "note_erasures"


def _tables(chain: Sequence[Any]) -> str:
    return ", ".join(dict.fromkeys(f"{_table(e)} row made at {e.erased_at}" for e in chain))
