"""``run_project``: a project's run, step by step (load, apply, fit, triage, write
``runs/<run_id>/``); the steps' own modules are this package's others."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.apply.cached_votes import uncached_text
from labelwright.apply.outside_code import outside_code_warnings
from labelwright.apply.scheduler_address import Scheduler
from labelwright.caches import CacheOption
from labelwright.config import ProjectConfig
from labelwright.config.data_override import with_frame
from labelwright.config.settings import lookalike_labels
from labelwright.data.dataset import Dataset
from labelwright.data.required import data_type_error
from labelwright.errors import LOAD_AGAIN, LFError, RunError, RunFailed
from labelwright.folders import make_folders, start_run
from labelwright.lfs.lf_warnings import never_voted
from labelwright.models.convergence import convergence_warning
from labelwright.models.duplicate_lfs import copy_of
from labelwright.models.duplicate_warnings import duplicate_lf_warnings, model_words
from labelwright.models.majority import ignored_lfs_warning
from labelwright.project.apply import Progress, apply_lfs, project_dataset
from labelwright.project.evaluation import evaluate
from labelwright.project.fit_and_triage import (
    fit_model,
    lone_reviews,
    rank_items,
    triage_items,
)
from labelwright.project.inputs import (
    counted_lf_table,
    crossed_constants,
    label_order_warnings,
    project_reviews,
)
from labelwright.project.label_coverage import coverage_warnings
from labelwright.project.learned_warnings import imbalance_warnings, learned_lf_table
from labelwright.project.load import (
    Project,
    load_project,
    refuse_file_beside_project,
    require_lfs,
)
from labelwright.project.result import RunResult
from labelwright.project.reused_model import reuse_label_model
from labelwright.project.run_settings import (
    QUEUE_LIMIT_ARGUMENT,
    with_queue_limit,
    with_ranking,
)
from labelwright.project.steps import Stage, Steps
from labelwright.review.feedback.copy_reviews import (
    REVIEWED_SOURCES,
    CopyUse,
    copy_warnings,
    use_copies,
)
from labelwright.review.feedback.deleted_copies import (
    LostCopies,
    lost_copies_warning,
    lost_to_deletion,
)
from labelwright.review.feedback.gold import ReviewedLabels
from labelwright.review.feedback.gold_warnings import review_warnings
from labelwright.review.feedback.second_opinions import (
    second_opinion_warning,
)
from labelwright.review.queue.shown_fields import unknown_columns_warning
from labelwright.runs.apply_record import apply_record
from labelwright.runs.label_model_record import reused_words
from labelwright.runs.lf_records import with_lf_locations
from labelwright.runs.outcome import (
    failed_run_message,
    failed_run_warning,
    mostly_failing_lfs,
    mostly_failing_warning,
    run_outcome,
)
from labelwright.runs.outputs import labels_frame, write_outputs
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.session_glossaries import session_glossaries, session_glossary_warning
from labelwright.runs.session_lfs import session_lfs, session_warnings
from labelwright.warning_kinds import kinded


def run_project(
    path: str | Path = ".",
    *,
    fail_fast: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    project: Project | None = None,
    report: bool = True,
    engine: str | None = None,
    scheduler: Scheduler | None = None,
    cache: CacheOption = None,
    stage: Stage | None = None,
    data: str | Path | pd.DataFrame | None = None,
    ranking: str | None = None,
    queue_limit: int | None = None,
    label_model_from: str | None = None,
    queue_limit_from: str = QUEUE_LIMIT_ARGUMENT,
) -> RunResult:
    """Apply, fit, triage and write ``runs/<run_id>/``; returns what was written.

    ``data``: a dataset file to read in place of ``[data] path`` (relative to the current
    folder; the manifest records it, with ``data.path_from = "--data"``); not with
    ``project``, whose config says what it reads (load it with ``load_project(path,
    data=...)``). Or a pandas DataFrame, read with the ``[data]`` columns as a file is (with
    ``project`` too): the manifest records ``data.path_from = "DataFrame"``, its shape,
    columns and content hash (:func:`~labelwright.data.frame_hash.frame_sha256`).

    ``progress`` hears how far the apply is (``"apply"``, items) and the review ranking
    (``"review ranking"``, its end model's folds); ``stage`` hears when each later step
    starts (``reviews``, ``label model``, ``copies and warnings``, ``review ranking``,
    ``triage``, ``LF table``, ``evaluation``, ``outputs``, then the publishing's
    ``publish: ...`` steps), each one a key of the result's ``timings``.

    ``ranking``: the review queue's order for this run in place of ``[triage] ranking``
    (``labelwright run --ranking``; one of :data:`~labelwright.config.RANKINGS`, else a
    :class:`~labelwright.errors.ConfigError` listing them); the manifest records
    ``triage.ranking_from = "--ranking"``.

    ``queue_limit``: how many of the queue's first items ``review.csv`` / ``.jsonl`` hold
    (its audit items too) in place of ``[review] queue_limit`` (``labelwright run
    --queue-limit``; :mod:`labelwright.runs.queue_files`); the manifest records it, and
    where it came from as ``triage.queue_files.limit_from``: ``queue_limit_from``
    (``"queue_limit="``; the CLI passes ``"--queue-limit"``).

    ``label_model_from``: a run (id, unique prefix or folder) whose fitted label model this
    run reuses instead of fitting one (``labelwright run --label-model-from``;
    :mod:`labelwright.project.reused_model`): refused unless its labels and LFs are this
    run's; the manifest records the run and its ``label_model.json``'s sha256.

    A run whose LF raised on every item, or with ``strict`` (``labelwright run --strict``)
    on any item, failed: it is written all the same, its manifest's ``outcome`` says so, it
    does not become ``runs/LATEST`` and the result's ``warnings`` say why; with ``strict``
    that raises :class:`~labelwright.errors.RunFailed` (an ``LFFailure``), whose
    ``result`` is the run.

    Ctrl-C or SIGTERM (as ``labelwright`` handles it) before the run's folder is in place
    leaves no run and ``runs/LATEST`` as it was; from then on the run is complete: a signal
    while it is placed is held until ``runs/LATEST`` names it
    (:mod:`~labelwright.runs.held_signals`), and the ``KeyboardInterrupt`` (or
    ``Terminated``) raised then or later carries the run's folder as ``run_dir``.
    """
    steps = Steps(stage)
    steps.start("load")  # reading the project and its data; the folders the run writes to
    project, frame = _read_project(path, project, data)
    if ranking is not None:
        project = project.replaced(config=with_ranking(project.config, ranking))
    if queue_limit is not None:
        project = project.replaced(config=with_queue_limit(project.config, queue_limit,
                                                                queue_limit_from))
    config = project.config
    make_folders(config, cache=cache)
    # the run's staging folder, before any data is read: `erase` and `runs prune` refuse
    # while it is there, so it goes on every way out (an error, Ctrl-C, SIGTERM)
    writer = start_run(config)
    try:
        result = _run(project, frame, writer, steps, fail_fast=fail_fast, strict=strict,
                      progress=progress, report=report, engine=engine, scheduler=scheduler,
                      cache=cache, label_model_from=label_model_from)
    except BaseException as exc:
        writer.abandon()
        if isinstance(exc, KeyboardInterrupt) and writer.final.is_dir():
            # stopped once the run was in place (a signal held over its publishing, or
            # one after): the run is complete; the command that stops says which it is
            exc.run_dir = writer.final  # type: ignore[attr-defined]
        raise
    if strict and result.outcome["status"] == "failed":
        raise RunFailed(failed_run_message(result.outcome, result.run_id, result.run_dir,
                                           strict_flag="strict=True"), result)
    return result


def refuse_crossed_constants(project: Project) -> list[str]:
    """An :class:`LFError` listing each constant of the LF modules named for one label that
    holds another's index and is given as a vote
    (:func:`~labelwright.project.inputs.crossed_constants`): every vote given by one would
    be taken for the other label, without a word. Else the warnings for those only passed
    to calls, which may not take them as votes."""
    crossed, passed = crossed_constants(project.config, project.lfs)
    if crossed:
        error = LFError("\n".join(crossed))
        error.errors = tuple(crossed)
        raise error
    return passed


def _run(project: Project, frame: pd.DataFrame | None, writer: RunWriter, steps: Steps, *,
         fail_fast: bool, strict: bool, progress: Progress | None, report: bool, engine: str | None,
         scheduler: Scheduler | None, cache: CacheOption,
         label_model_from: str | None = None) -> RunResult:
    """:func:`run_project`'s steps once its staging folder is made (``writer``)."""
    config = project.config
    # each warning with its kind (warning_kinds), which `run --json` gives beside its text
    warnings = kinded("lf_code", refuse_crossed_constants(project))
    warnings += kinded("labels", lookalike_labels(config.labels,
                                                  config.where(("project", "labels"))))
    # before this run is the latest
    warnings += kinded("lf_code", label_order_warnings(config, project.lfs))
    changed = project.changed_since_loaded()
    if changed:  # the run would fail keeping its sources, after the apply and the fit
        raise RunError(f"{', '.join(map(str, changed[:5]))} changed after the project was "
                       "loaded: the run would use one version and keep another as its "
                       f"record, so it did not start; run again ({LOAD_AGAIN})")
    # checked before the apply: a model that cannot be reused refuses the run at once
    reused = reuse_label_model(config, label_model_from, [lf.name for lf in project.lfs],
                               {lf.name: lf.source_hash for lf in project.lfs},
                               {g.lf_name: g.sha256 for g in project.glossaries}) \
        if label_model_from is not None else None
    warnings += kinded("label_model", reused.warnings if reused is not None else [])

    steps.start("apply")  # the apply reports its items to ``progress``
    framed = project_dataset(config, frame) if frame is not None else None
    dataset, applier, applied, unexplained = apply_lfs(
        project, framed, fail_fast=fail_fast, progress=progress, engine=engine,
        scheduler=scheduler, cache=cache, stage=steps.stage)
    how_applied = apply_record(applier, applied, requested=engine or config.apply.engine)
    warnings += kinded("cache", [uncached_text(applied.uncached)] if applied.uncached else [])
    silent = never_voted(applied.matrix, unexplained,
                         {name: f.count for name, f in applied.failures.items()},
                         {lf.name: lf.location for lf in project.lfs})
    warnings += kinded("lf_never_voted", [silent])
    # modules of the project folder outside the LF folder that its LF modules import (a
    # session LF's code is kept whole)
    warnings += kinded("lf_code", outside_code_warnings(config.lf_path, config.root))
    # fields the review sheets show that the data lacks: shown empty, not refused now
    unshown = unknown_columns_warning(config.review.show_fields, dataset.fields.columns)
    warnings += kinded("settings", [unshown])
    votes = applied.matrix.votes
    outcome = run_outcome(applied.failures, len(dataset), strict=strict)
    if outcome["status"] == "failed":  # the report leads with it, as the command ends on it
        warnings += kinded("run_failed", [failed_run_warning(outcome, writer.run_id,
                                                             writer.final)])
    mostly = mostly_failing_lfs(applied.failures, len(dataset), applied.computed)
    warnings += kinded("lf_mostly_failing", [mostly_failing_warning(name, said)
                                             for name, said in mostly.items()])

    steps.start("reviews", "reviews")
    reviewed = project_reviews(config, dataset)

    steps.start("fit", "label model")
    fitted = fit_model(config, votes, dataset, reviewed, cache,
                       reused=reused.model if reused is not None else None)

    steps.start("copies", "copies and warnings")
    warnings += kinded("reviews", review_warnings(
        reviewed, str(config.data.path), labels=config.labels,
        data_given=config.data.path_from is not None,
        erased=_erased(config.runs_path) if reviewed.unknown_items else None))
    session = session_lfs(project)  # LFs the LF folder does not hold: warned of, kept
    warnings += kinded("lf_code", [*session_warnings(session), *session_glossary_warning(
        session_glossaries(project.glossaries))])
    copies, lost, copy_said = _copies(config, dataset, reviewed)
    lone = lone_reviews(config, copies, reviewed, fitted, votes, dataset)
    lf_copies = copy_of(votes)  # the LFs' groups of exact copies, for both warnings
    warnings += kinded("reviews", copy_said + second_opinion_warning(lone))
    warnings += kinded("label_model", imbalance_warnings(
        config, fitted.model, votes, dataset, reviewed, copies, lf_copies))
    ignored = ignored_lfs_warning(fitted.model, votes, list(applied.matrix.lf_names))
    warnings += kinded("label_model", [ignored])
    model_reused = reused_words(reused.record) if reused is not None else None
    unconverged = convergence_warning(fitted.model, reused=model_reused)
    warnings += kinded("label_model", [unconverged])
    model, once = model_words(fitted.model)
    warnings += kinded("lf_code", duplicate_lf_warnings(
        votes, list(applied.matrix.lf_names), len(config.labels), model=model, once=once,
        first=lf_copies))

    steps.start("rank", "review ranking" if config.triage.ranking == "combined" else None)
    ranked, rank_cache = rank_items(config, fitted, votes, dataset, reviewed, copies, cache,
                                    progress)
    steps.start("triage", "triage")
    triaged = triage_items(config, fitted, votes, dataset, reviewed, copies, lost, ranked, lone)

    steps.start("lf_table", "LF table")
    labels = labels_frame(dataset, config.labels, triaged.final, fitted.probs,
                          triaged.label_source, triaged.model,
                          copy_of=copies.carried.copy_of if copies.carried is not None
                          else None)
    lf_table, known, clash = counted_lf_table(project, dataset, applied, reviewed)
    warnings += kinded("reviews", clash) + kinded("labels", coverage_warnings(
        votes, triaged.model.label, triaged.final.label, config.labels, dataset.ids,
        reviewed=np.isin(triaged.label_source, REVIEWED_SOURCES)))
    lf_table, misjudged = learned_lf_table(lf_table, fitted, applied, known, dataset,
                                           reviewed, triaged.model, copies,
                                           random_sample=config.triage.random_sample,
                                           reused=model_reused)
    lf_table = with_lf_locations(lf_table, project.lfs, config.root)
    warnings += kinded("label_model", misjudged)

    steps.start("evaluate", "evaluation")
    # Held-out gold measures the label model itself, before reviewed labels replace its own.
    evaluation = evaluate(dataset.gold, triaged.model.label, votes, len(config.labels),
                          config.seed, fit_on=reviewed.gold >= 0,
                          tie_break=config.label_model.tie_break, row_ids=fitted.row_ids,
                          confidence=triaged.model.confidence)

    steps.start("outputs", "outputs")
    # the steps up to the manifest ("outputs", "manifest", "hash") are the manifest's
    # timings_seconds; what comes after it (the report, the diff against the previous
    # run) only the result's "publish" has
    run_dir, since = write_outputs(writer, project, dataset, applied, lf_table, labels,
                                   fitted.probs, triaged.final, fitted.model, evaluation,
                                   steps, reviewed, ranked, report=report,
                                   how_applied=how_applied, run_warnings=warnings,
                                   copies=copies, session=session, outcome=outcome,
                                   ranking_cache=rank_cache.record() if rank_cache
                                   else None,
                                   model_from=reused.record if reused is not None else None,
                                   model_name=reused.name if reused is not None else None,
                                   model_file=reused.file if reused is not None else None)
    (changes, _), compared = since
    warnings = [*warnings, *compared]
    timings = dict(steps.seconds)
    # the manifest, the outputs' hashes and the report (with the diff against the previous
    # run), which the manifest cannot time whole
    timings["publish"] = steps.elapsed() - sum(timings.values()) \
        + timings["manifest"] + timings["hash"]
    timings["write"] = timings["outputs"] + timings["publish"]  # its name before the two
    return RunResult(
        run_id=writer.run_id, run_dir=run_dir, project=project, dataset=dataset,
        applied=applied, lf_table=lf_table, labels=labels, probs=fitted.probs,
        triage=triaged.final, model=fitted.model,
        model_name=reused.name if reused is not None and reused.name
        else config.label_model.name,
        evaluation=evaluation, timings=timings, warnings=warnings, changes=changes,
        outcome=outcome,
    )


def _read_project(path: str | Path, project: Project | None,
                  data: str | Path | pd.DataFrame | None
                  ) -> tuple[Project, pd.DataFrame | None]:
    """The project to run (``project``, or the one at ``path``, reading the file ``data``
    names), and the DataFrame ``data`` is, if it is one: the config then says its items
    came from a frame."""
    frame = data if isinstance(data, pd.DataFrame) else None
    if not isinstance(data, str | Path | pd.DataFrame | None):
        raise data_type_error("run_project", data)
    refuse_file_beside_project("run_project", project, data)
    given = project is not None
    project = project or load_project(path, data=None if frame is not None else data)
    require_lfs(project, session=given)  # before the run's folders are made
    if frame is not None:  # the run's config says its items came from the frame
        project = project.replaced(config=with_frame(project.config))
    return project, frame


def _erased(runs_dir: Path) -> dict[str, str]:
    """Each item ``runs/ERASURES.jsonl`` names, with its first erasure said (``erased on
    ... by ... (why)``): a reviewed item gone from the data among them was erased. An
    unreadable record names none (runs verify says why)."""
    from labelwright.runs.erase.records import erased_items

    try:
        return {item: e.describe() for item, e in erased_items(runs_dir).items()}
    except RunError:
        return {}


def _copies(config: ProjectConfig, dataset: Dataset, reviewed: ReviewedLabels
            ) -> tuple[CopyUse, LostCopies, list[str]]:
    """Items with one text: one of them queued, a reviewed one's label for the others; the
    copies that lost a reviewed item deleted from the data; and the warnings of both."""
    copies = use_copies(config.review.copies, dataset.texts, reviewed.gold, reviewed.reviewers,
                        dataset.ids, config.labels, policy=config.review.policy,
                        adjudicators=reviewed.adjudicators)
    lost = lost_to_deletion(reviewed, copies, config.runs_path)
    # each text's key (a second copy of nearly every text) served only to find those
    copies.copies = replace(copies.copies, keys=())
    return copies, lost, copy_warnings(copies.carried) + lost_copies_warning(lost)
