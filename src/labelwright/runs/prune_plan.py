"""Which runs ``labelwright runs prune --keep N`` removes, and why each other stays:
:func:`plan_prune` decides, removing nothing (``runs prune --dry-run`` prints it);
:func:`~labelwright.runs.prune.prune_runs` removes what it says goes. It keeps

* the newest ``keep`` runs of the project, and the run ``runs/LATEST`` names;
* unless ``keep_export_sources`` is off, every run a training set or a WRENCH folder's
  split file was exported from while that file is still where ``runs/EXPORTED.jsonl``
  says, unchanged, or, in the project folder, where the ``.provenance.json`` beside it
  says (an older labelwright's export);
* unless ``keep_review_exports`` is off, every run a review file was exported from that
  awaits import (``runs/REVIEW_EXPORTS.jsonl``, :mod:`~labelwright.runs.review_exports`):
  its decisions name the run;
* unless ``keep_review_sources`` is off, every run the review ledger's decisions in use
  were exported from, every run a decision a kept run used was exported from (one retired
  since: the kept run's label still rests on it), and every run a kept run's manifest
  names (``reviews.random_samples``, ``reviews.set_aside_other_text``), and so on for the
  runs kept so: those are needed to trace reviews back (``runs verify`` checks them). A
  retired decision no kept run used is withdrawn, and keeps no run;
* the run that fit each label model a kept run reused (``label_model.from_run.fit_by``,
  ``run --label-model-from``), not the runs that only passed it on, unless the kept run's
  own ``label_model.json`` is missing or not the file it reused: then the run it names too;
* folders that are no finished run of this project (no manifest, another run's manifest,
  another project's run) are never touched.

The lines of ``runs/REPORTS.jsonl`` naming a run that goes are kept as written, and listed
(``report_lines``) for its line of ``runs/PRUNED.jsonl``: a record that cannot be read
stops the prune before anything goes (a :class:`RunError` naming the file and line).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256
from labelwright.runs.exported import live_exports, provenance_exports
from labelwright.runs.file_names import LABEL_MODEL_FILE
from labelwright.runs.recorded_paths import RecordedPaths
from labelwright.runs.report_record import report_lines
from labelwright.runs.review_exports import awaiting_import
from labelwright.runs.run_folders import read_latest
from labelwright.runs.store import (
    RUN_ID,
    list_runs,
    misnamed,
    other_project,
    project_record,
    read_manifest,
)

if TYPE_CHECKING:
    from labelwright.caches import CachePrune
    from labelwright.review.decisions.ledger import Decision
    from labelwright.review.decisions.retirements import Retirement
    from labelwright.runs.staging import Staging


@dataclass(frozen=True)
class PrunedFolder:
    """A run folder that goes (or, in a dry run, would go), and the bytes it takes."""

    run_id: str
    bytes: int


@dataclass
class PruneResult:
    """What :func:`~labelwright.runs.prune.prune_runs` removed (or, with ``dry_run``, would
    remove) and kept."""

    runs_dir: Path
    removed: list[PrunedFolder] = field(default_factory=list)
    #: run id -> why it stays (``newest 5``, ``runs/LATEST``, ``review decisions were
    #: exported from it``, ``reviews.random_samples of run X``)
    kept: dict[str, str] = field(default_factory=dict)
    #: folders left alone that are no finished run of this project, with why
    skipped: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    caches: CachePrune | None = None  # what the cache prune removed (None: not asked)
    #: staging folders (``runs/.<id>.partial/``) of runs that ended, removed (``partial``),
    #: with their bytes
    partial_removed: list[tuple[Staging, int]] = field(default_factory=list)
    #: the staging folders left, live or not: runs being written, or killed runs' leftovers
    partial_left: list[Staging] = field(default_factory=list)
    #: run id -> the decisions in use exported from that run, which goes, imported before
    #: the ledger recorded ``text_hash`` (none of their item's from that run has one): their
    #: text is checked against that run's, so they cannot be checked once it is gone
    #: (:func:`_text_checks_lost`)
    unchecked: dict[str, int] = field(default_factory=dict)
    #: run id -> the lines of ``runs/REPORTS.jsonl`` naming that run, which goes: kept as
    #: written, and named in its line of ``runs/PRUNED.jsonl`` (``report_lines``)
    report_lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(folder.bytes for folder in self.removed)


def folder_bytes(path: Path) -> int:
    """The bytes of the files under ``path`` (links not followed)."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total


def _named_runs(manifest: dict[str, Any]) -> set[str]:
    """The runs a manifest names in ``reviews.random_samples`` and
    ``reviews.set_aside_other_text`` (those named like a run id)."""
    reviews = manifest.get("reviews") or {}
    named = set()
    for key in ("random_samples", "set_aside_other_text"):
        for record in reviews.get(key) or []:
            run_id = record.get("run_id") if isinstance(record, dict) else None
            if isinstance(run_id, str) and RUN_ID.fullmatch(run_id):
                named.add(run_id)
    return named


def _used_since_retired(manifest: dict[str, Any], decisions: Sequence[Decision],
                        records: Sequence[Retirement], now: set[int]) -> list[str]:
    """The runs the decisions a run used (its manifest's) were exported from, among those
    retired now (``now``: their places in the ledger; ``records``: the ledger's
    retirement records) that the run had not retired."""
    from labelwright.review.decisions.retirements import recorded, retired
    from labelwright.runs.store import decision_count

    reviews = manifest.get("reviews") or {}
    read = decision_count(reviews) if reviews else None
    if not isinstance(read, int) or not now:
        return []
    then = retired(records[:recorded(reviews)])
    return sorted({decisions[k].run_id for k in now
                   if 0 <= k < min(read, len(decisions)) and k not in then})


def _keep_model_runs(result: PruneResult, ours: dict[str, dict[str, Any]]) -> None:
    """Keep the run that fit each label model a kept run reused (``label_model.from_run``'s
    ``fit_by``, ``run --label-model-from``): a later reuse compares the LFs and the model's
    code with that run's. The runs between, which only passed the model on, may go:
    ``runs verify --recompute`` reads a reused model from the run's own copy, unless that
    copy is missing or not the file reused (its sha256 not the record's: a run written by
    a labelwright that re-saved the model), when it reads the named run's, which is kept
    then. A record without ``fit_by`` (runs before it) keeps the run it names, and so on
    back."""
    todo = list(result.kept)
    while todo:
        run_id = todo.pop()
        source = ((ours.get(run_id) or {}).get("label_model") or {}).get("from_run") or {}
        if not isinstance(source, dict):
            continue
        fit_by = source.get("fit_by") or source.get("run_id")
        if isinstance(fit_by, str) and fit_by in ours and fit_by not in result.kept:
            result.kept[fit_by] = f"run {run_id} reused its label model (label_model.from_run)"
            todo.append(fit_by)
        named = source.get("run_id")
        if isinstance(named, str) and named in ours and named not in result.kept \
                and not _own_copy(result.runs_dir / run_id, source.get("sha256")):
            result.kept[named] = (f"run {run_id} reused its label model, and its own "
                                  f"{LABEL_MODEL_FILE} is not that file (label_model.from_run)")
            todo.append(named)


def _own_copy(run_dir: Path, sha256: Any) -> bool:
    """Whether the run's own ``label_model.json`` is the file of sha256 ``sha256`` (what
    ``runs verify --recompute`` reads a reused model from when it is)."""
    try:
        return file_sha256(run_dir / LABEL_MODEL_FILE) == sha256
    except OSError:
        return False


def plan_prune(project: str | Path = ".", keep: int = 10, *,
               keep_review_sources: bool = True,
               keep_export_sources: bool = True,
               keep_review_exports: bool = True) -> PruneResult:
    """Which runs :func:`~labelwright.runs.prune.prune_runs` would remove and why each other
    stays; nothing is removed. ``keep``: the newest runs kept (at least 1)."""
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.retirements import read_retirements, retired

    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise ValueError(f"keep must be a whole number of runs, 1 or more (the latest run is "
                         f"never pruned), not {keep!r}")
    config = load_config(project)
    runs_dir = config.runs_path
    result = PruneResult(runs_dir)
    record = project_record(config)
    ours: dict[str, dict[str, Any]] = {}
    for run_id in list_runs(runs_dir):
        try:
            manifest = read_manifest(runs_dir / run_id)
        except RunError as exc:
            result.skipped[run_id] = f"its manifest cannot be read ({exc})"
            continue
        problem = misnamed(runs_dir / run_id, manifest) or other_project(
            runs_dir / run_id, manifest, record)
        if problem:
            result.skipped[run_id] = problem
        else:
            ours[run_id] = manifest
    newest = sorted(ours)[-keep:]
    result.kept.update({run_id: f"one of the newest {keep}" for run_id in newest})
    latest = read_latest(runs_dir)
    if latest in ours:
        result.kept.setdefault(latest, "runs/LATEST names it")
    paths = RecordedPaths(config.root, runs_dir)  # the project's roots read once for both
    if keep_export_sources:  # a training set in use names its run in its provenance
        for run_id, exported in live_exports(paths).items():
            if run_id in ours:  # a WRENCH folder's split files: "WRENCH file ..."
                result.kept.setdefault(run_id, f"{exported[-1].what} {exported[-1].path} was "
                                               f"exported from it{_more(exported)}")
        # and one in the project folder with its provenance file beside it: an older
        # labelwright's export, which runs/EXPORTED.jsonl does not record
        for run_id, files in provenance_exports(config.root).items():
            if run_id in ours:
                result.kept.setdefault(run_id, f"training set {files[-1]} was exported from "
                                               f"it (its provenance file says so)"
                                               f"{_more(files)}")
    # the ledger is read only for the options that keep runs by its decisions, or for the
    # decisions the runs removed leave unchecked
    decisions = read_decisions(ledger_path(config.root)) \
        if keep_review_exports or keep_review_sources else None
    withdrawn: set[int] | None = None  # the retired decisions' indexes, once read
    if keep_review_exports and decisions is not None:  # once filled in, they name the run
        imported = {(d.run_id, d.item_id) for d in decisions}
        for run_id, files in awaiting_import(paths, imported).items():
            if run_id in ours:
                result.kept.setdefault(run_id, f"review file {files[-1]} exported from it "
                                               f"awaits import{_more(files)}")
    if keep_review_sources and decisions is not None:
        records = read_retirements(ledger_path(config.root))
        now = withdrawn = set(retired(records))  # they keep a run only as a kept run's
        for k, decision in enumerate(decisions):
            if decision.run_id in ours and k not in now:
                result.kept.setdefault(decision.run_id, "review decisions were exported "
                                                        "from it")
        todo = list(result.kept)
        while todo:  # the runs a kept run names or used decisions of, and so on
            run_id = todo.pop()
            for named in sorted(_named_runs(ours[run_id])):
                if named in ours and named not in result.kept:
                    result.kept[named] = f"run {run_id}'s manifest names it (reviews)"
                    todo.append(named)
            for source in _used_since_retired(ours[run_id], decisions, records, now):
                if source in ours and source not in result.kept:
                    result.kept[source] = (f"review decisions run {run_id} used were "
                                           "exported from it (retired since)")
                    todo.append(source)
    _keep_model_runs(result, ours)
    result.kept = dict(sorted(result.kept.items()))
    result.removed = [PrunedFolder(run_id, folder_bytes(runs_dir / run_id))
                      for run_id in sorted(ours) if run_id not in result.kept]
    if result.removed:
        if decisions is None:
            decisions = read_decisions(ledger_path(config.root))
        if withdrawn is None:
            withdrawn = set(retired(read_retirements(ledger_path(config.root)))) \
                if decisions else set()
        result.report_lines = report_lines(runs_dir, {f.run_id for f in result.removed})
        result.unchecked = _text_checks_lost(
            {folder.run_id for folder in result.removed},
            [d for k, d in enumerate(decisions) if k not in withdrawn])
    return result


def _text_checks_lost(removed: set[str], in_use: Sequence[Decision]) -> dict[str, int]:
    """Per run of ``removed``, the decisions ``in_use`` (not retired) whose item's text a
    run checks against that run's export
    (:func:`~labelwright.review.decisions.decided_texts.checked_by_run`): runs warn they
    cannot be checked once it is gone."""
    from labelwright.review.decisions.decided_texts import checked_by_run

    lost = Counter(d.run_id for d in checked_by_run(in_use) if d.run_id in removed)
    return dict(sorted(lost.items()))


def _more(files: Sequence[object]) -> str:
    """`` (and 2 more)`` after the last of ``files`` a kept run's reason names ("" for one)."""
    return f" (and {len(files) - 1} more)" if len(files) > 1 else ""
