"""``labelwright erase``: take the texts of items deleted from the data out of everything
labelwright kept of them, and keep the paper trail.

A data subject's erasure request: the team deletes the person's rows from its data, then
erases what labelwright kept of those items. :func:`erase_items`

* refuses an item the data still holds (its row goes first) and an id no run, review
  export, skipped row or rater's note in the review ledger holds (a mistyped id must not
  pass for an erasure done); nothing is written then;
* rewrites each run's ``review.csv``/``.jsonl``, ``sample.csv``/``.jsonl``,
  ``skipped_rows.jsonl`` and ``report.html``, and every review file recorded in
  ``runs/REVIEW_EXPORTS.jsonl`` that is still in place (inside the project: where the
  project is now, :mod:`~labelwright.runs.recorded_paths`; outside it: where it was
  written, said so), with the items' texts (and their
  other data) replaced by ``[erased]`` (:mod:`~labelwright.runs.erase.files`); each file is
  written whole to a temporary name and renamed (:mod:`~labelwright.runs.erase.changes`);
* drops the cache entries that may hold their texts (:mod:`~labelwright.runs.erase.caches`);
* appends the erasure to ``runs/ERASURES.jsonl`` (:mod:`~labelwright.runs.erase.records`)
  before it writes anything, with every file's hash before and after, so ``runs verify``
  still vouches for each run and names the erasure.

* takes the raters' notes on the items out of those files and out of the review ledger
  (:mod:`~labelwright.review.decisions.note_erasures`: on record in the ledger, so the
  runs that read those decisions still verify).

Labels, votes, the label matrix, ``text_hash`` and the ledger's other values hold no text
and stay.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.counts import counted, some_of
from labelwright.errors import ProjectBusy, RunError
from labelwright.runs.erase.changes import (
    FileChange,
    export_changes,
    removal,
    run_changes,
    table_changes,
    write_change,
)
from labelwright.runs.erase.kept import (
    data_history,
    end_models,
    reviewer_files,
    rewritten_history,
    training_sets,
)
from labelwright.runs.erase.records import (
    Erasure,
    erased_items,
    record_erasure,
    run_item_ids,
)

if TYPE_CHECKING:
    from labelwright.data.dataset import Dataset
from labelwright.runs.recorded_paths import RecordedPaths


@dataclass
class EraseReport:
    """What :func:`erase_items` changed (or, ``dry_run``, would change)."""

    items: list[str]
    changes: list[FileChange] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    #: runs that held the items in their labels, by id
    runs: list[str] = field(default_factory=list)
    #: what the erasure does not change that holds the items' words: saved end models and
    #: training sets of runs that held them, reviewers' files the ledger imported
    #: (:mod:`~labelwright.runs.erase.kept`)
    kept_elsewhere: list[str] = field(default_factory=list)
    #: review files ``runs/REVIEW_EXPORTS.jsonl`` records as holding the items that are
    #: not where the record leads (moved, deleted, another machine's), and decision tables
    #: ``runs/DECISION_TABLES.jsonl`` records that are not there
    not_found: list[str] = field(default_factory=list)
    #: the review ledger, and how many of its decisions on the items have a rater's note
    #: the erasure takes out (:mod:`~labelwright.review.decisions.note_erasures`)
    ledger: Path | None = None
    ledger_notes: int = 0
    #: with ``--gone``, the items gone from the data that an earlier erasure took out,
    #: left out (naming one with ``--item`` erases it again)
    erased_before: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[FileChange]:
        return [c for c in self.changes if c.kind != "cache entry"]

    @property
    def cache_entries(self) -> list[FileChange]:
        return [c for c in self.changes if c.kind == "cache entry"]


def erase_items(project: str | Path = ".", items: Sequence[str] = (), *, reviewer: str,
                reason: str, items_file: str | Path | None = None, gone: bool = False,
                dry_run: bool = False, data: str | Path | None = None) -> EraseReport:
    """Erase the texts of ``items`` (and those of ``items_file``, one id per line; with
    ``gone``, every item a run holds that the data no longer does) from what the project at
    ``project`` kept, as ``labelwright erase`` does; ``dry_run`` writes nothing. ``data``:
    the file to check the items are deleted from, in place of ``[data] path``. Raises
    :class:`~labelwright.errors.RunError` for an item the data still holds or one nothing
    holds (nothing is written then)."""
    from labelwright.apply.cache_keys import row_hashes
    from labelwright.config import load_config
    from labelwright.config.data_override import with_data_path
    from labelwright.config.schema import STATE_DIR
    from labelwright.project.apply import project_dataset
    from labelwright.review.decisions.retire import read_items_file
    from labelwright.runs.erase.caches import stale_entries
    from labelwright.runs.erase.ledger_notes import erase_ledger_notes, noted_in_ledger
    from labelwright.runs.run_data import run_data_columns
    from labelwright.runs.run_folders import list_runs
    from labelwright.runs.run_writer import latest_lock
    from labelwright.runs.staging import being_written
    from labelwright.spelling import did_you_mean
    from labelwright.startup import spacy_for

    if not reviewer.strip():
        raise RunError("a reviewer name is required (--reviewer): the erasure's record "
                       "keeps who")
    if not reason.strip():
        raise RunError("a reason is required (--reason): the erasure's record keeps why")
    ids = list(dict.fromkeys([*items, *(read_items_file(items_file) if items_file else [])]))
    if not ids and not gone:
        raise RunError("name the items: --item ID, --items-file PATH or --gone; nothing erased")
    spacy_for(project)  # the cache hashes' module loads spaCy: torch hidden if unneeded
    config = load_config(project)
    if data is not None:
        config = with_data_path(config, data)
    runs_dir = config.runs_path
    writing = being_written(runs_dir, "erase when it has finished (it may have read the "
                            "items' rows before they were deleted); nothing erased")
    if writing and not dry_run:  # a run makes its staging folder before it reads the data
        raise ProjectBusy(writing)
    dataset = project_dataset(config)
    held = set(dataset.ids)
    run_ids = list_runs(runs_dir) if runs_dir.is_dir() else []
    in_runs = {run_id: run_item_ids(runs_dir / run_id) for run_id in run_ids}
    ever = set().union(*in_runs.values()) if in_runs else set()
    before: list[str] = []
    if gone:  # an item erased before is gone too: erasing it again counted it again
        missing = (ever - held) - set(ids)
        before = sorted(missing & set(erased_items(runs_dir)))
        ids += sorted(missing - set(before))
        if not ids:
            raise RunError(f"--gone: every item the runs hold is still in "
                           f"{config.data.path}" + (
                               f", but for {counted(len(before), 'item')} erased before "
                               f"({some_of(before)}; --item ID erases one again)"
                               if before else "") + "; nothing to erase")
    still = [i for i in ids if i in held]
    if still:
        raise RunError(f"{counted(len(still), 'item')} still in {config.data.path}: "
                       f"{some_of([repr(i) for i in still])}; remove its row from "
                       f"{_rows_of(dataset, still)} first (erase removes what labelwright "
                       "kept of it, not the data); nothing erased")
    wanted = set(ids)
    changes: list[FileChange] = []
    known = ever | set(erased_items(runs_dir))  # an erasure done before knew them
    manifests = []
    for run_id in run_ids:
        manifests.append(_manifest(runs_dir / run_id))
        columns = run_data_columns(manifests[-1])
        changes += run_changes(runs_dir / run_id, wanted,
                                columns[0] if columns else config.data.id_column, known)
    done = {c.path.resolve() for c in changes}
    paths = RecordedPaths(config.root, runs_dir)
    not_found: list[str] = []
    changes += export_changes(paths, wanted, done, known, not_found)
    changes += table_changes(paths, wanted, {c.path.resolve() for c in changes}, not_found)
    in_ledger = noted_in_ledger(config.root, ids)
    ledger, notes = in_ledger.path, in_ledger.count
    known |= in_ledger.items  # a note on it is the ledger's to erase
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise RunError(f"{counted(len(unknown), 'item id')} no run, review export, skipped "
                       "row or rater's note holds: " + "; ".join(
                           f"{i!r}" + (f" ({g.strip()})" if (g := did_you_mean(i, ever))
                                       else "") for i in unknown[:10])
                       + "; nothing erased")
    rows = row_hashes(dataset.ids, dataset.texts, dataset.fields, dataset.data_columns)
    for path in stale_entries(config.root / STATE_DIR / "cache", list(dataset.texts), rows):
        changes.append(removal(path))
    holding = [r for r in run_ids if in_runs[r] & wanted]
    rewritten = {c.path.resolve() for c in changes}
    report = EraseReport(ids, changes, dry_run=dry_run, runs=holding, not_found=not_found,
                         ledger=ledger, ledger_notes=notes, erased_before=before,
                         kept_elsewhere=[
                             *end_models(runs_dir, holding),
                             *training_sets(paths, holding, wanted),
                             *reviewer_files(config.root, paths, wanted, rewritten),
                             *data_history(config.data),
                             *rewritten_history([
                                 *(((ledger, "notes"),) if notes else ()),
                                 *((c.path, _lost(c.kind)) for c in changes)])])
    if dry_run or not (changes or notes):
        return report
    runs_dir.mkdir(parents=True, exist_ok=True)  # the record's folder (caches alone: none)
    with latest_lock(runs_dir):  # no run publishes meanwhile
        if list_runs(runs_dir) != run_ids:  # one finished since they were read: its files
            raise RunError(f"{runs_dir}: a run finished while the erasure was being "
                           "prepared, and may hold the items; erase again; nothing erased")
        erased_at = datetime.now(UTC).isoformat(timespec="seconds")
        record_erasure(runs_dir, Erasure(
            erased_at, reviewer, reason, _command(ids, items_file, gone, len(items)),
            tuple(ids), tuple(c.record() for c in changes),
            ledger={"path": str(ledger), "decisions": notes} if notes else None))
        for change in changes:
            write_change(change)
        if notes:  # the ledger's own record of it is written with the change
            erase_ledger_notes(in_ledger, ids, erased_at=erased_at, reviewer=reviewer,
                               reason=reason, manifests=manifests, runs_dir=runs_dir,
                               run_ids=run_ids)
    report.written = True
    return report


def _lost(kind: str) -> str:
    """What a file of ``kind`` loses to an erasure, as its git history line says it."""
    return ("notes" if "decision table" in kind else "texts" if kind == "cache entry"
            else "texts and notes")


def _manifest(run_dir: Path) -> dict[str, Any]:
    from labelwright.runs.store import read_manifest

    try:
        return read_manifest(run_dir)
    except RunError:
        return {}


def _command(ids: Sequence[str], items_file: str | Path | None, gone: bool, named: int
             ) -> str:
    """The command line the record keeps (ids named by count past a few)."""
    parts = ["labelwright erase"]
    given = list(ids[:named])
    parts += [f"--item {i}" for i in given[:5]]
    if len(given) > 5:
        parts.append(f"(and {len(given) - 5} more --item)")
    if items_file is not None:
        parts.append(f"--items-file {os.fspath(items_file)}")
    if gone:
        parts.append("--gone")
    return " ".join(parts)


def _rows_of(dataset: Dataset, ids: list[str]) -> str:
    """Where ``ids`` are in the data, to delete them: the file, or for a dataset in many
    files each one's part and row (``data/parts/part-00002.parquet (row 1)``)."""
    if not dataset.parts:
        return dataset.source
    wanted = set(ids)
    at = {item_id: k for k, item_id in enumerate(dataset.ids) if item_id in wanted}
    return some_of([f"{dataset.file_of(at[i])} (row {dataset.file_row(at[i]) + 1})"
                    for i in ids])
