"""``labelwright erase``'s step in the review ledger: the raters' notes on the erased items
found (:func:`noted_in_ledger`) and taken out, with the digests of the first decisions each
reader recorded before and after (:func:`erase_ledger_notes`, by
:func:`~labelwright.review.decisions.note_erasures.erase_notes`); and the line ``runs
verify`` says of it for a run that read those decisions (:func:`ledger_note`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from labelwright.counts import counted
from labelwright.erased_marker import MARKER
from labelwright.runs.erase.kept import end_model_files, trained_ledger_count

if TYPE_CHECKING:
    from labelwright.runs.erase.records import Erasure

T = TypeVar("T")

#: what the line on notes an erasure took out of decisions a run read says (``runs verify``
#: tells "unchanged" decisions from ones unchanged but for those notes by it)
NOTES_LINE = "the ledger's note_erasures table takes the sha256 the run recorded"


@dataclass(frozen=True)
class LedgerNotes:
    """The review ledger at ``path`` and the items of its decisions with a rater's note an
    erasure takes out (``count`` decisions)."""

    path: Path
    items: frozenset[str]
    count: int


def noted_in_ledger(root: Path, ids: Sequence[str]) -> LedgerNotes:
    """The decisions on ``ids`` in the project's ledger with a note not erased yet."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.note_erasures import planned

    path = ledger_path(root)
    decisions = read_decisions(path)
    noted = planned(decisions, ids)
    return LedgerNotes(path, frozenset(decisions[k].item_id for k in noted), len(noted))


def erase_ledger_notes(notes: LedgerNotes, ids: Sequence[str], *, erased_at: str,
                       reviewer: str, reason: str, manifests: Sequence[dict[str, Any]],
                       runs_dir: Path, run_ids: Sequence[str]) -> None:
    """Take the notes out, on record in the ledger with the digests of the first decisions
    each run (``manifests``) and each end model of ``run_ids`` read
    (:func:`ledger_counts`)."""
    from labelwright.review.decisions.note_erasures import erase_notes

    erase_notes(notes.path, ids, erased_at=erased_at, reviewer=reviewer, reason=reason,
                counts=ledger_counts(manifests, [
                    model for _, model in end_model_files(runs_dir, run_ids)]))


def ledger_counts(manifests: Sequence[dict[str, Any]], models: Sequence[Path] = ()
                  ) -> set[int]:
    """The numbers of first ledger decisions the runs read (their manifests' ``reviews``)
    and their end models were trained with (``models``' ``training.ledger_decisions``,
    which ``runs verify`` checks too), whose digests a note erasure records before and
    after."""
    from labelwright.runs.store import decision_count

    counts = set()
    for manifest in manifests:
        count = decision_count(manifest.get("reviews") or {})
        if isinstance(count, int) and not isinstance(count, bool):
            counts.add(count)
    counts |= {c for c in map(trained_ledger_count, models) if c is not None}
    return counts


def erasure_row(erasure: Erasure, manifest: dict[str, Any],
                read_rows: Callable[[Path], Sequence[T]]) -> tuple[T, Path, int] | None:
    """The row of the ledger's erasures table (read by ``read_rows``) that ``erasure``
    made and that leads from the digest the run of ``manifest`` recorded of the decisions
    it read, with the ledger and how many it read; None when none does, when the run or
    the record does not say, or when the ledger cannot be read (its check says why)."""
    from labelwright.runs.store import decision_count

    reviews = manifest.get("reviews") or {}
    count, digest = decision_count(reviews), reviews.get("ledger_sha256")
    path = (erasure.ledger or {}).get("path")
    if not isinstance(path, str) or not isinstance(count, int) or not isinstance(digest, str):
        return None
    try:
        rows = read_rows(Path(path))
    except Exception:  # noqa: BLE001 - the ledger check says why it cannot be read
        return None
    row = next((row for row in rows if getattr(row, "erased_at", None) == erasure.erased_at
                and any(c == count and before == digest
                        for c, before, _ in getattr(row, "digests", ()))), None)
    return None if row is None else (row, Path(path), count)


def ledger_note(erasure: Erasure, manifest: dict[str, Any]) -> list[str]:
    """The line on raters' notes ``erasure`` took out of decisions the run read: when the
    ledger's record of it (its ``note_erasures`` table) leads from the digest the run
    recorded of the decisions it read ([] otherwise: the ledger check says the rest)."""
    from labelwright.review.decisions.note_erasures import read_note_erasures
    from labelwright.runs.erase.records import ERASURES_FILE

    found = erasure_row(erasure, manifest, read_note_erasures)
    if found is None:
        return []
    row, path, count = found
    return [f"{path.name}: the raters' notes of "
            f"{counted(len(row.decisions), 'decision')} on the erased items "
            f"{erasure.describe()} (now {MARKER}); {NOTES_LINE} of the {count:,} "
            "decisions it read to theirs after the erasure (the ledger check "
            "accepts that change, and no other); that their other values are as "
            f"the run read them rests on that table and {ERASURES_FILE} line "
            f"{erasure.line}"]
