"""``run_project``: a project's run, step by step (load, apply, fit, triage, write
``runs/<run_id>/``); the steps' own modules are this package's others."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.config import STATE_DIR
from labelwright.config.data_override import with_frame
from labelwright.folders import make_folders
from labelwright.lfs.stats import below_chance, misread
from labelwright.models.class_prior import imbalance_warning
from labelwright.models.configured import fit_label_model
from labelwright.models.ties import id_numbers
from labelwright.project.apply import Progress, apply_lfs, project_dataset
from labelwright.project.evaluation import evaluate
from labelwright.project.inputs import counted_lf_table, label_order_warnings, project_reviews
from labelwright.project.label_coverage import coverage_warnings
from labelwright.project.load import (
    Project,
    load_project,
)
from labelwright.project.result import RunResult
from labelwright.review.copy_reviews import copy_warnings, use_copies
from labelwright.review.deleted_copies import lost_copies_warning, lost_to_deletion, stale_items
from labelwright.review.feedback import apply_reviews, review_warnings
from labelwright.review.ranking import rank_queue
from labelwright.runs.apply_record import apply_record
from labelwright.runs.outputs import assumed_accuracies, labels_frame, learned_table, write_outputs
from labelwright.runs.session_lfs import session_lfs, session_warnings
from labelwright.runs.store import RunWriter
from labelwright.triage import triage

Stage = Callable[[str], None]  # a step without an item count starts: "label model", ...


def run_project(
    path: str | Path = ".",
    *,
    fail_fast: bool = False,
    progress: Progress | None = None,
    project: Project | None = None,
    report: bool = True,
    engine: str | None = None,
    scheduler: str | None = None,
    cache: bool | None = None,
    stage: Stage | None = None,
    data: str | Path | pd.DataFrame | None = None,
) -> RunResult:
    """Apply, fit, triage and write ``runs/<run_id>/``; returns what was written.

    ``data``: a dataset file to read in place of ``[data] path`` (relative to the current
    folder; the manifest records it, with ``data.path_from = "--data"``); not with
    ``project``, whose config says what it reads (load it with ``load_project(path,
    data=...)``). Or a pandas DataFrame, read with the ``[data]`` columns as a file is (with
    ``project`` too): the manifest records ``data.path_from = "DataFrame"``, its shape,
    columns and content hash (:func:`~labelwright.data.frame_hash.frame_sha256`).

    ``progress`` hears how far the apply is; ``stage`` hears when each later step starts
    (``label model``, ``review ranking``, ``outputs``), which take most of the rest.
    """
    stage = stage or (lambda name: None)
    started_at = datetime.now(UTC)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    frame = data if isinstance(data, pd.DataFrame) else None
    if not isinstance(data, str | Path | pd.DataFrame | None):
        raise TypeError(f"run_project: data is a {type(data).__name__}; give a dataset file's "
                        "path or a pandas DataFrame (pd.DataFrame(...) makes one of rows)")
    if project is not None and data is not None and frame is None:
        raise ValueError("run_project: give data or project, not both: a loaded project "
                         "reads the file its config names (load_project(path, data=...))")
    project = project or load_project(path, data=None if frame is not None else data)
    if frame is not None:  # the run's config says its items came from the frame
        project = replace(project, config=with_frame(project.config))
    config = project.config
    timings["load"] = time.perf_counter() - t0

    make_folders(config, cache=cache)
    reordered = label_order_warnings(config, project.lfs)  # before this run is the latest

    t0 = time.perf_counter()
    framed = project_dataset(config, frame) if frame is not None else None
    dataset, applier, applied = apply_lfs(project, framed, fail_fast=fail_fast,
                                          progress=progress, engine=engine,
                                          scheduler=scheduler, cache=cache)
    timings["apply"] = time.perf_counter() - t0
    how_applied = apply_record(applier, applied, requested=engine or config.apply.engine)
    votes = applied.matrix.votes
    reviewed = project_reviews(config, dataset)

    stage("label model")
    t0 = time.perf_counter()
    model = fit_label_model(config, votes, y_dev=reviewed.gold if reviewed.n_gold else None,
                            sampled=reviewed.sampled,
                            sample_unsettled=reviewed.sample_undecided)
    probs = model.predict_proba(votes)
    # ties broken by the items' ids, not their rows: a re-ordered file keeps its labels
    row_ids = id_numbers(dataset.ids)
    predicted = model.predict(votes, row_ids=row_ids)
    timings["fit"] = time.perf_counter() - t0
    warnings = reordered + review_warnings(reviewed, str(config.data.path),
                                           labels=config.labels)
    session = session_lfs(project)  # LFs the LF folder does not hold: warned of, kept
    warnings += session_warnings(session)
    # items with one text: one of them queued, a reviewed one's label for the others
    copies = use_copies(config.review.copies, dataset.texts, reviewed.gold, reviewed.reviewers,
                        dataset.ids, config.labels, policy=config.review.policy,
                        adjudicators=reviewed.adjudicators)
    warnings += copy_warnings(copies.carried)
    known = copies.known(reviewed.gold)
    lost = lost_to_deletion(reviewed, copies, config.runs_path)
    warnings += lost_copies_warning(lost)  # copies of a reviewed row deleted from the data
    # majority vote's labels on covered items do not depend on the prior (bar ties)
    if config.label_model.class_balance is None and hasattr(model, "class_balance_") \
            and config.label_model.name not in ("majority", "weighted_majority"):
        imbalance = imbalance_warning(votes, config.labels, model.class_balance_,
                                      reviewed=reviewed.n_gold)
        warnings += [imbalance] if imbalance else []

    t0 = time.perf_counter()
    ranked = None
    if config.triage.ranking == "combined":
        stage("review ranking")
        # an item no LF voted on gets no label: its signals must not score the coin flip
        # the tie-break gave it
        given = np.where((votes >= 0).any(axis=1), predicted, -1)
        ranked = rank_queue(probs, votes, dataset.texts, seed=config.seed,
                            reviewed_gold=reviewed.gold if reviewed.n_gold else None,
                            label=given, workers=config.apply.workers,
                            features=config.end_model.features,
                            cache_dir=config.root / STATE_DIR / "cache" / "term_counts"
                            if (config.apply.cache if cache is None else cache) else None,
                            groups=copies.copies.group)  # found once, for the queue too
    timings["rank"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    model_triage = triage(probs, votes, predicted, threshold=config.triage.threshold,
                          audit_size=config.triage.audit_size, seed=config.seed,
                          review_conflicts=config.triage.review_conflicts,
                          reviewed=known >= 0, disputed=reviewed.disputed,
                          score=ranked.score if ranked is not None else None,
                          ids=dataset.ids,  # drawn by id: a re-ordered file audits the same
                          gold=dataset.gold >= 0,  # held out: the audit draws unknown labels
                          texts=copies.texts,  # ties to the text more items hold
                          copies_disagree=copies.waiting, stale=stale_items(reviewed, lost))
    tri, label_source = apply_reviews(model_triage, known)
    if copies.carried is not None:
        label_source = copies.carried.sources(label_source)
    tri = copies.cut_queue(tri)
    timings["triage"] = time.perf_counter() - t0

    labels = labels_frame(dataset, config.labels, tri, probs, label_source, model_triage,
                          copy_of=copies.carried.copy_of if copies.carried is not None
                          else None)
    lf_table, known, clash = counted_lf_table(project, dataset, applied, reviewed)
    warnings += clash
    warnings += coverage_warnings(votes, model_triage.label, tri.label, config.labels,
                                  dataset.ids)
    lf_table = learned_table(lf_table, model, votes, probs)
    assumed = assumed_accuracies(model, applied.matrix.lf_names, votes)
    warnings += below_chance(applied.matrix, known, assumed, fit_on=reviewed.gold,
                             learned=dict(zip(lf_table["lf"], lf_table["learned_accuracy"]))
                             if "learned_accuracy" in lf_table.columns else None,
                             predicted=model_triage.label)
    if "learned_accuracy" in lf_table.columns:  # against gold the model was not fit on
        warnings += misread(applied.matrix, np.where(reviewed.gold >= 0, -1, dataset.gold),
                            dict(zip(lf_table["lf"], lf_table["learned_accuracy"])), assumed,
                            sampled=int(reviewed.sampled.sum())
                            if reviewed.sampled is not None else 0)
    # Held-out gold measures the label model itself, before reviewed labels replace its own.
    evaluation = evaluate(dataset.gold, model_triage.label, votes, len(config.labels),
                          config.seed, fit_on=reviewed.gold >= 0,
                          tie_break=config.label_model.tie_break, row_ids=row_ids)

    stage("outputs")
    t0 = time.perf_counter()
    writer = RunWriter(config.runs_path)
    try:
        # adds the "outputs" step to timings before the manifest records them
        run_dir = write_outputs(writer, project, dataset, applied, lf_table, labels,
                                probs, tri, model, evaluation, timings, started_at,
                                reviewed, ranked, report=report, how_applied=how_applied,
                                run_warnings=warnings, copies=copies, session=session)
    except BaseException:
        writer.abandon()
        raise
    # the manifest, the outputs' hashes and the report, which the manifest cannot time
    timings["publish"] = time.perf_counter() - t0 - timings["outputs"]
    timings["write"] = timings["outputs"] + timings["publish"]  # its name before the two
    return RunResult(
        run_id=writer.run_id, run_dir=run_dir, project=project, dataset=dataset,
        applied=applied, lf_table=lf_table, labels=labels, probs=probs, triage=tri,
        model=model, model_name=config.label_model.name, evaluation=evaluation, timings=timings,
        warnings=warnings,
    )
