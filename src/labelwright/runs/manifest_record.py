"""What a run's manifest records: the inputs it read, the code that labeled, the label
model, the triage, how the LFs were applied and what came of it.

:func:`~labelwright.runs.outputs.write_outputs` writes the run's files, then makes this
record and publishes the run with it; publishing adds the outputs' hashes, the run's end,
its steps' seconds and the comparison with the previous run. The manifest is read back and
checked by :mod:`~labelwright.runs.manifest`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply import ApplyResult
from labelwright.data.dataset import Dataset
from labelwright.glossaries.core import MATCHER_SHA256
from labelwright.lfs.stats import coverage
from labelwright.nlp import fingerprint_parts, pipeline_description
from labelwright.review.feedback.copy_reviews import CopyUse
from labelwright.review.feedback.gold import ReviewedLabels
from labelwright.review.ranking.rank import RankResult
from labelwright.runs.calibration_record import calibration_record
from labelwright.runs.file_names import LF_FAILURES_FILE
from labelwright.runs.label_model_record import label_model_record
from labelwright.runs.lf_records import lf_record, relative
from labelwright.runs.manifest_chain import PREVIOUS_RUN, previous_link
from labelwright.runs.outcome import run_outcome
from labelwright.runs.own_code import labelwright_code
from labelwright.runs.provenance import config_fingerprint, data_fingerprint, git_state
from labelwright.runs.session_glossaries import made_in_session
from labelwright.runs.session_lfs import SessionLF
from labelwright.runs.store import package_versions, project_record
from labelwright.triage.core import Triage
from labelwright.triage.draw_records import DRAWS_BY_ID, EXCLUDES_GOLD, audit_strata, gold_left_out
from labelwright.triage.reasons import UNREAD_BY_BALANCE
from labelwright.warning_kinds import warning_kind

if TYPE_CHECKING:
    from labelwright.config.schema import ProjectConfig
    from labelwright.project.load import Project


def manifest_record(run_id: str, started_at: datetime, project: Project, dataset: Dataset,
                    applied: ApplyResult, labels_frame: pd.DataFrame, tri: Triage,
                    model: Any, evaluation: dict[str, Any], reviewed: ReviewedLabels,
                    ranked: RankResult | None, *, copies: CopyUse, known: np.ndarray,
                    data_skipped: Mapping[str, Any], queue_files: dict[str, Any],
                    lf_files: tuple[dict[str, str], dict[str, str]],
                    session: Sequence[SessionLF], how_applied: Mapping[str, Any] | None,
                    run_warnings: Sequence[str], ranking_cache: Mapping[str, Any] | None,
                    outcome: Mapping[str, Any] | None, model_from: Mapping[str, str] | None,
                    model_name: str | None) -> dict[str, Any]:
    """The run's manifest as its files are written, before publishing adds to it.

    ``known``: per item, the label the run takes as reviewed (the reviews' and their
    copies'; -1: none). ``data_skipped``: what the ``data`` section says of the rows
    ``[data] bad_rows`` and ``duplicate_rows = "skip"`` left out (empty: no row is
    skipped). ``queue_files``: how much of the queue the review files hold
    (:func:`~labelwright.runs.queue_files.queue_files_record`). ``lf_files``: the LF folder's
    modules and other files with their sha256
    (:func:`~labelwright.runs.outputs.lf_folder_record`). The others as
    :func:`~labelwright.runs.outputs.write_outputs` takes them.
    """
    config = project.config
    return {
        "run_id": run_id,
        "started_at": started_at.isoformat(),
        "project": project_record(config),  # whose run it is (runs.manifest.other_project)
        # the rows [data] bad_rows and duplicate_rows = "skip" left out: how many, the
        # file listing them
        "data": {**data_fingerprint(dataset, config.data), **data_skipped},
        "config": config_fingerprint(config.config_path, config.root),
        "git": git_state(config.root, ignore=(config.runs_dir,)),
        # the run before and its manifest's sha256: a rewritten manifest is told by the
        # run after it (runs.manifest_chain)
        PREVIOUS_RUN: previous_link(config.runs_path, run_id),
        "reviews": reviewed.manifest() if reviewed.count else None,
        **_code_record(project, lf_files, session),
        # the calibration that shaped the probabilities, and the gold it was fit on
        "calibration": calibration_record(model, dataset.ids, reviewed.gold, config.labels,
                                          fitted_here=not model_from),
        "label_model": label_model_record(model, config, applied.matrix.lf_names,
                                          model_from=model_from, model_name=model_name),
        "triage": _triage_record(config, tri, dataset, known, ranked, copies,
                                 ranking_cache=ranking_cache, queue_files=queue_files),
        "seed": config.seed,
        "failures": _failures_record(applied),
        # ok, or failed (an LF raised on every item, or on any under --strict)
        "outcome": dict(outcome or run_outcome(applied.failures, len(dataset.ids),
                                               strict=False)),
        "apply": {"engine": applied.engine, "seconds": round(applied.seconds, 3),
                  "rows_computed": applied.computed, **(how_applied or {})},
        "coverage": coverage(applied.matrix),
        # items with a label, reviewed ones included: the report's History reads it
        # without the labels (runs without it did not count them)
        "labeled": int(labels_frame["label"].notna().sum()),
        "evaluation": evaluation,
        "run_warnings": [str(w) for w in run_warnings],
        # each one's kind (warning_kinds), in the same order: what `run --json` gives them
        "run_warning_kinds": [warning_kind(w) for w in run_warnings],
        "packages": package_versions(),
        # which labelwright made it: the package's version names no commit
        "labelwright_code": labelwright_code(),
    }


def _code_record(project: Project, lf_files: tuple[dict[str, str], dict[str, str]],
                 session: Sequence[SessionLF]) -> dict[str, Any]:
    """The manifest's record of the code that voted: the LFs (where each is defined), the
    LF folder's modules and other files, the glossaries, and the spaCy pipeline with the
    matcher that read them."""
    config = project.config
    modules, others = lf_files
    defined_in = {found.lf.name: found.defined_in for found in session}
    parts = fingerprint_parts(project.nlp)  # the fingerprint whole is one of them
    return {
        "labeling_functions": [lf_record(lf, config.root, defined_in.get(lf.name))
                               for lf in project.lfs],
        # the LF modules whole (code around the LFs, modules without LFs) ...
        "lf_modules": [{"name": name, "sha256": sha} for name, sha in modules.items()],
        # ... and helper modules, word lists and data in the LF folder: LFs may read them
        "lf_folder_files": [{"name": name, "sha256": sha} for name, sha in others.items()],
        "glossaries": [
            {"name": g.name, "label": g.label, "mode": g.mode,
             "path": str(g.path) if made_in_session(g) else relative(g.path, config.root),
             "sha256": g.sha256, "terms": len(g.terms), "phrases": g.n_phrases}
            for g in project.glossaries
        ],
        # the matcher's hash: which labelwright code read and matched the glossaries
        # and the fingerprint's parts, so a changed fingerprint names its cause
        "pipeline": {**pipeline_description(project.nlp, parts["fingerprint"] or ""),
                     "matcher_sha256": MATCHER_SHA256, "fingerprint_parts": parts},
    }


def _triage_record(config: ProjectConfig, tri: Triage, dataset: Dataset, known: np.ndarray,
                   ranked: RankResult | None, copies: CopyUse, *,
                   ranking_cache: Mapping[str, Any] | None,
                   queue_files: dict[str, Any]) -> dict[str, Any]:
    """The manifest's ``triage``: its settings, how the audit and the random sample were
    drawn and from which items, how the queue was ranked and how much of it the review
    files hold, and the counts of accepted and queued items."""
    return {"threshold": config.triage.threshold, "audit_size": config.triage.audit_size,
            # how the audit was shared across labels, and per label the accepted items
            # it drew from and how many: its weights (runs without: proportional)
            "audit_allocation": config.triage.audit_allocation,
            "audit_strata": audit_strata(tri, dataset.gold >= 0, known >= 0, config.labels),
            "random_sample": config.triage.random_sample,
            "ranking": config.triage.ranking,
            # "--ranking" when the run set it in place of [triage] ranking
            "ranking_from": config.triage.ranking_from,
            "ranking_weights": ranked.weights_source if ranked is not None else None,
            # why the weights are those, learned from how many reviews and how
            # they compared (runs without it did not say)
            "ranking_weights_evidence": ranked.weights_evidence or None
            if ranked is not None else None,
            # whether the ranking was read back from the ranking cache (runs
            # without it computed it every time)
            "ranking_cache": dict(ranking_cache) if ranking_cache else None,
            "review_conflicts": config.triage.review_conflicts, "counts": tri.counts(),
            # the audit and random samples: by item id (runs without it: by row)
            "draws": DRAWS_BY_ID,
            # the queue's items ranked alike: by a seeded hash of their ids (runs
            # without it: by row)
            "queue_ties": DRAWS_BY_ID,
            # ... from items without a reviewed or a dataset gold label (runs without
            # it: without a reviewed one), and the gold items that rule left out
            "excludes": list(EXCLUDES_GOLD),
            # votes for a label the class balance alone makes sure are not unread
            # (runs without it: every item of unread votes was)
            UNREAD_BY_BALANCE: True,
            "gold_left_out": gold_left_out(
                tri, dataset.gold >= 0, known >= 0,
                audit_size=config.triage.audit_size,
                sample_size=config.triage.random_sample),
            "end_model_features": config.end_model.features,
            # items of one text: queued once, a review carried to the others (runs
            # without it queued every item and carried nothing)
            "copies": copies.manifest(),
            # how much of the queue the review files hold (runs without: all of it)
            "queue_files": queue_files}


def _failures_record(applied: ApplyResult) -> dict[str, Any]:
    """The manifest's ``failures``: per LF that raised, how often, on which items (the
    first ones) and the traceback, and where every item it raised on is listed."""
    return {k: {"count": v.count, "item_ids": v.item_ids, "traceback": v.traceback,
                # every item it raised on is listed there (runs without: the first)
                **({"rows_in": LF_FAILURES_FILE} if k in applied.failed_rows else {})}
            for k, v in applied.failures.items()}
