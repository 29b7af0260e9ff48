"""One run's review ledger, as ``runs verify`` checks it (:func:`~labelwright.runs.verify.
one_run.verify_run`'s steps on it): the decisions and retirement records the run read
against the digests its manifest keeps (:func:`check_ledger`), then the runs the decisions
it used came from, and ``train``'s files against the run and the ledger
(:func:`check_trained`). :class:`LedgerState` carries what the first finds to the second
and to the check of the reviewed rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.runs.erase.records import ERASURES_FILE, ErasureLog, ledger_erasures
from labelwright.runs.file_names import REVIEWS_FILE
from labelwright.runs.pruned import read_pruned
from labelwright.runs.store import MANIFEST, decision_count
from labelwright.runs.verify.erasure_records import record_mismatches, unrecorded_clause
from labelwright.runs.verify.ledger_checks import (
    changed_decisions_clause,
    gone_runs,
    reviews_file_clause,
)
from labelwright.runs.verify.run_check import Finding, RunCheck, finding_of
from labelwright.runs.verify.run_files import trained_files

if TYPE_CHECKING:
    from labelwright.review.decisions.ledger_digests import RowsChange
    from labelwright.review.decisions.retirements import Retirement


@dataclass
class LedgerState:
    """The review ledger as one run's check reads it: its path, decisions and retirement
    records; the decisions the run read (``read``: their count, None when not recorded),
    what changed in them since (``change``) and those the run used (``used``)."""

    path: Path
    decisions: list[Any]
    records: Sequence[Retirement]
    read: int | None = None
    change: RowsChange | None = None
    used: list[Any] = field(default_factory=list)


def check_ledger(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                  state: LedgerState, erasures: ErasureLog) -> None:
    """The review ledger's decisions and retirement records the run read, against its
    digests; fills ``state`` (the count read, what changed, the decisions used)."""
    from labelwright.review.decisions.ledger_digests import RowsChange, ledger_changes
    from labelwright.review.decisions.retirements import (
        recorded,
        recorded_change,
        without_retired,
    )
    from labelwright.runs.verify.retirements import named_record_changes

    ledger, decisions, records = state.path, state.decisions, state.records
    reviews = manifest.get("reviews") or {}
    read = decision_count(reviews) if reviews else None
    digest = reviews.get("ledger_sha256")
    change = None
    if isinstance(read, int) and isinstance(digest, str):
        check.ledger_decisions = read
        change = ledger_changes(ledger, read, digest, decisions=decisions,
                                erased_at=ledger_erasures(erasures))
        if change and change.count_edited:  # the count edited, not the ledger
            check.problems.append(finding_of(change.message, [MANIFEST]))
        elif change:
            message = change.message
            unrecorded = (unrecorded_clause(ledger, read, digest, decisions,
                                            ledger_erasures(erasures))
                          if ledger.exists() and len(decisions) >= read else "")
            if unrecorded:  # the ledger as erase left it: the runs folder's record edited
                message += unrecorded
                files = [str(ledger), str(run_dir.parent / ERASURES_FILE)]
            else:
                files = [str(ledger)]
            if ledger.exists() and not unrecorded:  # reviews.json names those gone
                message += changed_decisions_clause(run_dir, manifest, decisions[:read],
                                                    ledger)
            check.problems.append(finding_of(message, files))
        elif ledger.exists():  # each erasure's two records, the runs folder's and the ledger's
            try:
                logged = erasures.records()
            except RunError:  # unreadable: said on its own
                logged = []
            check.problems += [Finding(str(run_dir.parent / ERASURES_FILE), line)
                               for line in record_mismatches(ledger, read, logged)]
    if change is None and isinstance(read, int) and ledger.exists():
        # reviews.json edited, the ledger as the run read it: which of its records differ
        check.problems = [Finding(f.file, f.message + reviews_file_clause(
            run_dir, manifest, decisions[:read], ledger)) if f.file == REVIEWS_FILE else f
            for f in check.problems]
    # the retirements the run honoured, and which records changed since
    records_change = recorded_change(ledger, reviews, records=records,
                                     erased_at=ledger_erasures(erasures))
    withdrawn = None
    if records_change is not None:
        withdrawn = records_change.message + (named_record_changes(run_dir, records)
                                              if records_change.in_ledger else "")
    check.ledger_retirements = recorded(reviews)
    check.problems += [finding_of(withdrawn, [str(ledger)])] if withdrawn else []
    state.read, state.change = read, change or (RowsChange(withdrawn) if withdrawn else None)
    # the decisions the run used: one it read but had retired left no mark on it, so
    # the run its export came from may go (rows deleted on request take their run along)
    state.used = (without_retired(decisions[:read], records[:check.ledger_retirements])
                  if isinstance(read, int) and ledger.exists() else [])


def check_trained(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                   state: LedgerState, erasures: ErasureLog) -> None:
    """The runs the decisions it used came from (gone ones; pruned ones a note), and
    ``train``'s files against the run and the ledger."""
    from labelwright.end_model.train_outputs import check_train_outputs

    gone = gone_runs(run_dir, manifest, state.used, state.path)
    pruned = read_pruned(run_dir.parent)  # pruned by `runs prune`: said, not a problem
    check.problems += [f for f in gone if f.run_id not in pruned]
    trained = check_train_outputs(run_dir, manifest, state.path, state.decisions,
                                  state.records, erased_at=ledger_erasures(erasures))
    check.problems += [finding_of(problem, [*trained_files(run_dir), str(state.path)])
                       for problem in trained.problems]
    check.train_checked, check.notes = list(trained.checked), list(trained.notes)
    check.notes += [str(f) for f in gone if f.run_id in pruned]
