"""A manifest's summary figures against what the run's own files give.

A manifest states figures about its run beside the hashes of its outputs: ``coverage``, the
label model's ``evaluation`` on held-out gold, ``triage.counts``, the LFs it ran, the label
model it chose (``label_model.chosen``). ``runs list``, ``runs show`` and the report print
them as the run's, but the outputs' hashes do not cover them: a manifest edited to claim
coverage 0.999 (or ``labeled``, the items with a label, one more) passed every check.
:func:`file_claims` derives each figure again from the
run's files (``label_matrix.parquet``, ``labels.parquet``, ``label_model.json``, whose
figures :mod:`~labelwright.runs.verify.model_claims` derives), which the hashes vouch for, and
:func:`~labelwright.runs.verify.claim_values.claim_differences` names each field whose claim
is not what they give; ``runs verify --recompute`` compares the figures its recomputation
gives too.

What no file of the run holds (``git``, ``run_warnings``, ``packages``, the times) cannot be
told this way: only the manifest's own sha256 kept elsewhere vouches for it
(``runs verify --manifest-sha256``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import RunError
from labelwright.lfs.stats import vote_coverage
from labelwright.matrix import ID_COLUMN
from labelwright.runs.file_names import LABEL_MODEL_FILE, LABELS_FILE, MATRIX_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import read_labels_table
from labelwright.runs.verify.claim_values import TOLERANCE as TOLERANCE
from labelwright.runs.verify.claim_values import claim_differences as claim_differences
from labelwright.runs.verify.claim_values import claim_groups as claim_groups
from labelwright.runs.verify.claim_values import made_claims
from labelwright.runs.verify.model_claims import calibration_claims as calibration_claims
from labelwright.runs.verify.model_claims import (
    calibration_gold_claim,
    label_model_claims,
    saved_model,
)
from labelwright.runs.verify.model_claims import chosen_claims as chosen_claims
from labelwright.runs.verify.model_claims import (
    saved_calibration_claims as saved_calibration_claims,
)

#: the columns of ``labels.parquet`` its figures come from (``model_confidence``: whether
#: the run kept it, :func:`~labelwright.project.held_out.keeps_model_label`, and the
#: calibration per vote pattern)
_LABELS_COLUMNS = (ID_COLUMN, "label", "gold", "status", "reasons", "label_source",
                   "model_label", "model_confidence")


def file_claims(run_dir: Path, manifest: dict[str, Any], changed: Sequence[str] = ()
                ) -> dict[str, Any]:
    """The manifest's figures as the run's files give them (see
    :func:`~labelwright.runs.verify.claim_values.claim_differences`),
    from each file that is there and not in ``changed`` (outputs found edited or missing:
    their own problem says so, and a figure from them would only repeat it). A file that
    cannot be read gives nothing."""
    derived: dict[str, Any] = {}
    labels: Sequence[str] = manifest_labels(manifest) or []
    votes = ids = None
    saved = None if LABEL_MODEL_FILE in changed else saved_model(run_dir / LABEL_MODEL_FILE)
    if saved is not None:
        derived.update(label_model_claims(saved, manifest))
    if MATRIX_FILE not in changed and (run_dir / MATRIX_FILE).is_file():
        try:
            matrix = pd.read_parquet(run_dir / MATRIX_FILE)
        except Exception:  # pyarrow raises several unrelated types
            matrix = None
        if matrix is not None and ID_COLUMN in matrix.columns:
            lfs = [c for c in matrix.columns if c != ID_COLUMN]
            ids = matrix[ID_COLUMN].astype(str).tolist()
            votes = matrix[lfs].to_numpy(dtype=np.int64)
            source = MATRIX_FILE
            derived["coverage"] = (vote_coverage(votes), f"{source} (items with a vote)")
            derived["labeling_functions"] = (sorted(lfs), f"{source} (its LF columns)")
    if LABELS_FILE not in changed and (run_dir / LABELS_FILE).is_file() and labels:
        try:
            frame = read_labels_table(run_dir / LABELS_FILE, _LABELS_COLUMNS).to_pandas()
        except RunError:
            frame = None
        if frame is not None:
            # the evaluation with the seed and tie-break the saved model holds, when it
            # holds them: an edited seed is named as the seed, not as the figures it moves
            settled = {**manifest, **_settings_of(derived, manifest)}
            derived.update(_labels_claims(frame, settled, labels, votes, ids))
            if saved is not None:
                derived.update(calibration_gold_claim(saved, frame))
    return made_claims(manifest, derived)


def _settings_of(derived: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """``seed`` and ``label_model.tie_break`` as ``derived`` has them from the saved
    model, in the manifest's shape (empty when it has neither)."""
    out: dict[str, Any] = {}
    if "seed" in derived:
        out["seed"] = derived["seed"][0]
    if "label_model.tie_break" in derived:
        out["label_model"] = {**(manifest.get("label_model") or {}),
                              "tie_break": derived["label_model.tie_break"][0]}
    return out


def triage_claims(counts: dict[str, int], source: str) -> dict[str, Any]:
    """``triage.counts`` as dotted fields, each from ``source``; ``counts``:
    :func:`~labelwright.triage.reasons.triage_counts`, as a run counts them."""
    return {f"triage.counts.{name}": (n, source) for name, n in counts.items()}


def evaluation_claims(evaluation: dict[str, Any], source: str) -> dict[str, Any]:
    """``evaluation``'s figures (:func:`labelwright.project.evaluation.evaluate`) as dotted
    fields, each from ``source``."""
    if not evaluation:  # no held-out gold: a run records {}, and claims no figure
        return {"evaluation": ({}, source)}
    out: dict[str, Any] = {}
    for key, value in evaluation.items():
        if isinstance(value, dict):
            out.update({f"evaluation.{key}.{k}": (v, source) for k, v in value.items()})
        else:
            out[f"evaluation.{key}"] = (value, source)
    return out


def _labels_claims(frame: pd.DataFrame, manifest: dict[str, Any], labels: Sequence[str],
                   votes: np.ndarray | None, ids: list[str] | None) -> dict[str, Any]:
    """The rows, gold rows, triage counts and (with the label matrix) the evaluation
    ``labels.parquet`` gives."""
    from labelwright.project.held_out import OWN_REVIEW, keeps_model_label
    from labelwright.triage.reasons import triage_counts

    out: dict[str, Any] = {"data.rows": (len(frame), f"{LABELS_FILE} (its rows)")}
    if "label" in frame.columns:  # what the report's History and `runs list` print
        out["labeled"] = (int(frame["label"].notna().sum()),
                          f"{LABELS_FILE} (items with a label)")
    if "gold" in frame.columns:
        out["data.gold_rows"] = (int(frame["gold"].notna().sum()),
                                 f"{LABELS_FILE} (items with a gold label)")
    if "status" in frame.columns and "reasons" in frame.columns:
        split = [set(r.split(";")) if isinstance(r, str) and r else set()
                 for r in frame["reasons"].tolist()]  # ;-joined, as labels.parquet holds them
        out.update(triage_claims(triage_counts(frame["status"].tolist(), split),
                                 f"{LABELS_FILE} (its statuses and reasons)"))
    if votes is None or ids is None or "gold" not in frame.columns \
            or not keeps_model_label(frame) or "label_source" not in frame.columns:
        return out  # runs from before model_label: their evaluation is not told again here
    frame = frame.assign(**{ID_COLUMN: frame[ID_COLUMN].astype(str)}).set_index(ID_COLUMN)
    if sorted(frame.index) != sorted(ids) or frame.index.has_duplicates:
        return out  # the two files' items differ: a recompute says where
    frame = frame.loc[ids]
    code = {label: k for k, label in enumerate(labels)}
    gold = np.array([code.get(g, -1) if isinstance(g, str) else -1 for g in frame["gold"]])
    predicted = np.array([code.get(p, -1) if isinstance(p, str) else -1
                          for p in frame["model_label"]])
    reviewed = (frame["label_source"].astype(str) == OWN_REVIEW).to_numpy(dtype=bool)
    confidence = frame["model_confidence"].to_numpy(dtype=float)
    evaluation = run_evaluation(manifest, gold, predicted, votes, ids, reviewed,
                                confidence=confidence)
    if evaluation is not None:
        out.update(evaluation_claims(evaluation, f"{LABELS_FILE} with {MATRIX_FILE} (held-out "
                                                 "gold)"))
    return out


def run_evaluation(manifest: dict[str, Any], gold: np.ndarray, predicted: np.ndarray,
                   votes: np.ndarray, ids: Sequence[str], reviewed: np.ndarray, *,
                   confidence: np.ndarray | None = None) -> dict[str, Any] | None:
    """The run's ``evaluation`` computed as the run computed it (majority vote with the
    run's seed and tie-break), from its gold, its label model's labels, its votes and the
    items reviewed themselves (with the model's ``confidence`` in its labels, the
    calibration per vote pattern too); None when the manifest does not say how (no
    seed)."""
    from labelwright.models.ties import id_numbers
    from labelwright.project.evaluation import evaluate

    seed = manifest.get("seed")
    tie_break = (manifest.get("label_model") or {}).get("tie_break")
    labels: Sequence[str] = manifest_labels(manifest) or []
    if not isinstance(seed, int) or not isinstance(tie_break, str) or not labels:
        return None
    return evaluate(gold, predicted, votes, len(labels), seed, fit_on=reviewed,
                    tie_break=tie_break, row_ids=id_numbers(list(ids)), confidence=confidence)
