"""What a run produced, in memory (:class:`RunResult`): the same data its run folder holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply import ApplyResult
from labelwright.data.dataset import Dataset
from labelwright.lfs.stats import coverage
from labelwright.project.label_scores import per_label_scores, run_confusion
from labelwright.project.load import Project
from labelwright.project.run_frames import RunFrames
from labelwright.short_repr import ShortRepr
from labelwright.triage.core import Triage

if TYPE_CHECKING:
    from labelwright.runs.diff.result import RunDiff


@dataclass(repr=False)
class RunResult(RunFrames, ShortRepr):
    """Everything a run produced, in memory; the same data is in ``run_dir``.

    Rows are the dataset's items in its order (``dataset.ids``); label columns follow
    ``project.labels``. Where the reviews the run read decided an item, the run's label is
    the reviewed one: ``labels`` and ``triage`` hold the final labels, reviews applied,
    while ``probs`` and ``model`` are the label model's own view, before reviews.
    """

    run_id: str  # the run's folder name under the runs folder
    run_dir: Path  # ``runs/<run_id>/``, where every output below was written
    project: Project  # the project as loaded (config, LFs, glossaries, pipeline)
    dataset: Dataset  # the items read (ids, texts, gold); ``dataset.warnings``: the data's
    #: the LFs' votes (``applied.matrix.votes``: items x LFs, -1 an abstain) and failures
    #: (``applied.failures``), as ``label_matrix.parquet`` and the run's failures
    applied: ApplyResult
    #: one row per LF, as ``lf_summary.csv``: coverage, overlaps, conflicts, accuracy on
    #: gold and reviewed labels, the label model's learned accuracy
    lf_table: pd.DataFrame
    #: as ``labels.parquet``: the final ``label``, ``confidence``, ``prob_<label>``,
    #: ``status``, ``reasons``, ``label_source`` (review, copy, model or none; ``copy_of``
    #: names the reviewed item a copy took its label from), and the label
    #: model's own ``model_label`` and ``model_confidence``; on a reviewed row (label_source
    #: "review") ``prob_<label>`` is all on the reviewed label
    labels: pd.DataFrame
    #: the label model's probabilities (items x labels) for every item, BEFORE reviews: on
    #: reviewed rows they differ from ``labels``' ``prob_<label>`` columns (which are all
    #: on the reviewed label there); elsewhere they are the same. An item no LF voted on has
    #: a row here too, yet no label (``labels.label`` is missing there)
    probs: np.ndarray
    #: the final triage, reviews applied (``label``: class index or -1, ``confidence``,
    #: ``status``: accepted | review | reviewed, ``reasons``, ``order``: the review queue,
    #: most useful first), as ``labels`` and ``review.csv`` give it
    triage: Triage
    #: the fitted label model (for ``auto``, the wrapper: ``model.chosen_`` says what it
    #: chose, ``model.model_`` is that model); saved as ``label_model.json``
    model: Any
    model_name: str  # ``[label_model] name`` (``auto``, ``majority``, ...)
    #: accuracy on the held-out gold items, reviewed ones left out: the label model's own
    #: labels (before reviews) against majority vote ({} without gold); as the manifest's
    #: ``evaluation``
    evaluation: dict[str, Any]
    #: seconds per step, as the manifest's ``timings_seconds``, plus ``publish`` (the
    #: manifest, the outputs' hashes and the report, written after the manifest's timings)
    timings: dict[str, float]
    #: what the command prints as warnings, besides the data's (``dataset.warnings``) and
    #: LF failures: the reviews (stale decisions, items awaiting adjudication), labels
    #: whose index order changed since the last run, class imbalance, labels no LF votes
    #: for or the model all but never gives, gold labels that differ from reviews, LFs
    #: below chance or misread by the label model, accuracy on held-out gold fallen more
    #: than a point since the previous run; the manifest records them (``run_warnings``)
    #: and the report leads with them (the last, from the comparison with the previous
    #: run, with or without a report)
    warnings: list[str] = field(default_factory=list)
    #: what changed since the previous run (``runs diff``'s comparison, as the report shows
    #: it: ``.flipped``, ``.transitions``, ``.lf_votes``, ...), with or without a report;
    #: None for a first run or one whose previous run cannot be compared
    #: (``labelwright.runs.diff.compare.diff_runs`` compares any two)
    changes: RunDiff | None = None
    #: how the run ended, as the manifest's ``outcome``: ``status`` ``"ok"`` or ``"failed"``
    #: (an LF raised on every item, or on any with ``strict``: then the run is not
    #: ``runs/LATEST``), ``strict``, ``failed_because`` and ``failed_lfs``
    #: (:func:`~labelwright.runs.outcome.run_outcome`)
    outcome: dict[str, Any] = field(default_factory=lambda: {
        "status": "ok", "strict": False, "failed_because": None, "failed_lfs": []})

    @property
    def coverage(self) -> float:
        return coverage(self.applied.matrix)

    @property
    def coverage_by_label(self) -> pd.DataFrame:
        """Per label (the index, in the project's order): ``items`` with a vote for it,
        ``coverage`` (their share of the items), and ``conflicts``, those of them where
        another label has a vote too (``conflict_share`` of the label's items): the whole
        of ``run``'s coverage per label line, which names only the 5 least covered of more
        than 10 labels (:func:`~labelwright.project.label_coverage.label_coverage_frame`)."""
        from labelwright.project.label_coverage import label_coverage_frame

        return label_coverage_frame(self.applied.matrix.votes, self.project.labels)

    @property
    def confusion(self) -> pd.DataFrame | None:
        """The label model's own labels on the held-out gold items (gold, not reviewed),
        counted by gold label (rows) and the label it gave (columns: the labels, then
        ``(none)`` for no label), as the report's confusion table; None without such items.
        Its diagonal over its total is ``evaluation["label_model"]["accuracy"]``."""
        return run_confusion(self.labels, self.project.labels)

    @property
    def per_label(self) -> pd.DataFrame | None:
        """Per label, on the same items as :attr:`confusion`: ``support`` (gold items of
        the label), ``predicted`` (items given it), ``correct``, ``precision``, ``recall``
        and ``f1`` (NaN where there is nothing to divide by); None without held-out gold."""
        confusion = self.confusion
        return None if confusion is None else per_label_scores(confusion, self.project.labels)

    @cached_property
    def calibration_by_label(self) -> pd.DataFrame | None:
        """Per label the label model gave, on the held-out gold items it labeled: ``items``,
        mean ``confidence``, ``correct``, ``accuracy`` and what its confidence costs in
        review (``low_confidence``, ``gold_low_confidence``, ``gold_low_confidence_right``),
        as the report's calibration per label (:func:`~labelwright.project.
        label_calibration.label_calibration`); None without held-out gold. Worked out once
        (``run`` prints it and ``run --json`` gives it: a pass over every item each)."""
        from labelwright.project.label_calibration import label_calibration

        return label_calibration(self.labels, tuple(self.project.labels))

    def _label_names(self) -> list[str]:
        return list(self.project.labels)

    def _model_probs(self) -> np.ndarray:
        return self.probs

    def _id_column(self) -> str:
        return self.project.config.data.id_column

    def summary(self) -> dict[str, object]:
        """What ``repr(result)`` shows: the run, its size, its model and its accuracy on
        held-out gold (None without gold), never the data."""
        return {"run_id": self.run_id, "run_dir": self.run_dir, "items": len(self.dataset),
                "lfs": len(self.applied.matrix.lf_names), "model": self.model_name,
                "accuracy": self.evaluation.get("label_model", {}).get("accuracy"),
                "warnings": len(self.warnings)}
