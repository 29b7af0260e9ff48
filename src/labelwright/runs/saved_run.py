"""A finished run read back from its folder (:func:`load_run`), e.g. after a notebook's
kernel restarted: its labels, label matrix, fitted label model and LF table as the run
wrote them, with what its manifest records (evaluation, warnings, outcome, timings).

Each file is checked against the hash the manifest holds for it, so what comes back is
the run's: an edited or missing output is a :class:`~labelwright.errors.RunError` naming
the run's folder. Nothing is refit and the data is not read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import RunError
from labelwright.matrix import LabelMatrix
from labelwright.project.run_frames import RunFrames
from labelwright.runs.file_names import LABEL_MODEL_FILE, LF_SUMMARY_FILE, MATRIX_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.run_data import run_data_columns
from labelwright.runs.run_folders import RUNS_NAMED, list_runs, resolve_run
from labelwright.runs.store import changed_output, read_manifest, run_labels
from labelwright.short_repr import ShortRepr


@dataclass(repr=False)
class SavedRun(RunFrames, ShortRepr):
    """What a run wrote, read back from ``run_dir``; rows are the run's items in its order,
    label columns follow ``labels_used``. :meth:`frame` gives its labels by your ids, as
    ``RunResult.frame`` does, and :meth:`review_queue` its review queue, as
    ``RunResult.review_queue`` does (the same code: :class:`RunFrames`)."""

    run_id: str  # the run's folder name under the runs folder
    run_dir: Path  # ``runs/<run_id>/``, the folder read
    #: the run's ``manifest.json`` as a dict (its settings, inputs' hashes, counts, ...)
    manifest: dict[str, Any]
    labels_used: tuple[str, ...]  # the labels the run was made with, in index order
    #: ``labels.parquet``: the final ``label``, ``confidence``, ``prob_<label>``,
    #: ``status``, ``reasons``, ``label_source``, ``model_label``, ... (as ``RunResult.labels``)
    labels: pd.DataFrame
    #: ``label_matrix.parquet``: the LFs' votes (``matrix.votes``, items x LFs, -1 an
    #: abstain), ``matrix.lf_names``, ``matrix.item_ids``
    matrix: LabelMatrix
    #: ``label_model.json`` loaded (``models.load_model``): ``model.predict_proba(votes)``
    #: gives the run's probabilities before reviews again; None for a run that kept none
    model: Any
    #: ``lf_summary.csv``: one row per LF (coverage, overlaps, conflicts, accuracies)
    lf_table: pd.DataFrame | None = field(default=None)

    @property
    def model_name(self) -> str:
        """``[label_model] name`` the run used (``auto``, ``majority``, ...)."""
        return str((self.manifest.get("label_model") or {}).get("name", ""))

    @property
    def evaluation(self) -> dict[str, Any]:
        """Accuracy on held-out gold, as ``RunResult.evaluation`` ({} without gold)."""
        return dict(self.manifest.get("evaluation") or {})

    @property
    def warnings(self) -> list[str]:
        """The run's own warnings, as the manifest records them (``run_warnings``)."""
        return [str(w) for w in self.manifest.get("run_warnings") or []]

    @property
    def outcome(self) -> dict[str, Any]:
        """How the run ended (``status`` ``"ok"`` or ``"failed"``, ...), as ``RunResult``."""
        return dict(self.manifest.get("outcome") or {"status": "ok"})

    @property
    def timings(self) -> dict[str, float]:
        """Seconds per step, the manifest's ``timings_seconds``."""
        return dict(self.manifest.get("timings_seconds") or {})

    def _label_names(self) -> list[str]:
        return list(self.labels_used)

    def _model_probs(self) -> np.ndarray:
        """The label model's probabilities before reviews (``RunResult.probs``), from the
        saved model: a run that kept none has none to give."""
        if self.model is None:
            raise RunError(f"{self.run_dir}: the run kept no {LABEL_MODEL_FILE}, so its label "
                           "model's own probabilities cannot be given (frame(model=False) "
                           "gives the final ones)")
        return np.asarray(self.model.predict_proba(self.matrix.votes))

    def _id_column(self) -> str:
        """The column the run read its ids from, as its manifest records it."""
        columns = run_data_columns(self.manifest)
        return columns[0] if columns else "id"

    def summary(self) -> dict[str, object]:
        return {"run_id": self.run_id, "run_dir": self.run_dir, "items": len(self.labels),
                "lfs": len(self.matrix.lf_names), "model": self.model_name,
                "accuracy": self.evaluation.get("label_model", {}).get("accuracy"),
                "warnings": len(self.warnings)}


def load_run(project: str | Path = ".", run: str | None = None) -> SavedRun:
    """The run ``run`` (an id, a unique prefix or a run folder's path; None: the latest
    run) of the project in the folder ``project``, read back as :class:`SavedRun`.

    A run that is missing, pruned, unfinished (a folder without a manifest) or another
    project's is a :class:`RunError` naming the runs folder and the runs it holds; an
    output edited or deleted since the run wrote it is one naming the run's folder."""
    from labelwright.config import load_config

    config = load_config(project)
    try:
        run_dir = resolve_run(config.runs_path, run, project=config)
    except RunError as exc:
        raise RunError(_with_run_ids(str(exc), config.runs_path)) from None
    manifest = read_manifest(run_dir)
    outputs = manifest.get("outputs") or {}
    labels = run_labels(run_dir, manifest)  # a RunError naming the folder when not the run's
    matrix = LabelMatrix.read_parquet(_checked(run_dir, manifest, MATRIX_FILE))
    model = None
    if LABEL_MODEL_FILE in outputs or (run_dir / LABEL_MODEL_FILE).is_file():
        model = _model(_checked(run_dir, manifest, LABEL_MODEL_FILE),
                       (manifest.get("label_model") or {}).get("name"), config.root)
    lf_table = (pd.read_csv(_checked(run_dir, manifest, LF_SUMMARY_FILE))
                if LF_SUMMARY_FILE in outputs else None)
    return SavedRun(run_id=run_dir.name, run_dir=run_dir, manifest=manifest,
                    labels_used=tuple(manifest_labels(manifest) or matrix.labels),
                    labels=labels, matrix=matrix, model=model, lf_table=lf_table)


def _with_run_ids(message: str, runs_dir: Path) -> str:
    """``message`` ending with the finished runs of ``runs_dir`` (the ids ``run`` takes),
    unless it names them already (as ``; runs: ...``, or the newest of them, as the error
    of a folder without a manifest does: :func:`~labelwright.runs.run_folders.no_manifest`)."""
    runs = list_runs(runs_dir)
    if "; runs: " in message or (runs and all(run in message for run in runs[-RUNS_NAMED:])):
        return message
    return f"{message}; runs: {', '.join(runs[-10:]) or '(none)'}"


def _checked(run_dir: Path, manifest: dict[str, Any], name: str) -> Path:
    """``run_dir / name``, if it is as the run wrote it; else a RunError saying what."""
    problem = changed_output(run_dir, manifest, name)
    if problem is not None:
        raise RunError(f"{run_dir}: {problem}; it is not what the run wrote, so the run is "
                       "not read back (`labelwright runs verify` checks the whole run; "
                       "`labelwright run` makes a new one)")
    return run_dir / name


def _model(path: Path, name: Any, root: Path) -> Any:
    """The label model saved in ``path``; a model of the user's own (``module:Class``) is
    imported from the project folder ``root`` first, as a new process has not imported it."""
    from labelwright.models.module_models import model_from_module, names_a_module
    from labelwright.models.registry import load_model

    try:
        if isinstance(name, str) and names_a_module(name):
            model_from_module(name, root)
        return load_model(path)
    except ValueError as exc:
        raise RunError(f"{path}: cannot load the run's label model: {exc}") from None
