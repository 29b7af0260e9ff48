"""Which of the report's example items got their label from a tie-break.

Where the label model scores two or more labels alike for an item, its ``[label_model]
tie_break`` picks one (``random``: a coin flip per item, so items with the same votes
may get different labels). The report's examples show such a label as a suggestion with a
confidence; marking it says the model did not prefer it.

The run's own label model (``label_model.json``) is asked again, with ``tie_break =
"abstain"``, which leaves exactly the tied items without a label: the decision is the
run's, whatever it was made on (calibrated probabilities, decision weights). A run without
a readable ``label_model.json`` is told from the probabilities its queue records show
(which, calibrated, can hide a tie), and the report says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from labelwright.matrix import LabelMatrix
from labelwright.models.ties import TIE_TOL
from labelwright.report.item_rows import rows_of
from labelwright.runs.file_names import LABEL_MODEL_FILE, MATRIX_FILE


def mark_ties(run_dir: Path, manifest: dict[str, Any], matrix: LabelMatrix,
              records: list[dict[str, Any]]) -> str | None:
    """Set ``record["tie_break"]`` (True: its suggested label is a tie-break's pick) on each
    of ``records`` (rows of the run's ``review.jsonl``); a note when the run's label model
    could not be asked and the probabilities shown were used instead."""
    tie_break = (manifest.get("label_model") or {}).get("tie_break")
    labelled = [r for r in records if r.get("suggested_label") is not None]
    for record in records:
        record["tie_break"] = False
    if not labelled or tie_break == "abstain":  # a tied item got no label
        return None
    rows = rows_of(matrix.item_ids, [str(r.get("id")) for r in labelled])
    try:
        if (rows < 0).any():
            raise ValueError(f"an example item is not in {MATRIX_FILE}")
        tied = _tied(run_dir / LABEL_MODEL_FILE, matrix.votes[rows])
        note = None
    except Exception as exc:  # a model file missing, from another version, or unreadable
        tied = np.array([_tied_shown(r.get("probabilities") or {}) for r in labelled])
        note = (f"{LABEL_MODEL_FILE} could not be used to tell the examples' tie-breaks ({exc}); "
                "they are told from the probabilities shown, which hide a tie that "
                "calibration moved apart")
    for record, flag in zip(labelled, tied, strict=True):
        record["tie_break"] = bool(flag)
    return note


def _tied(path: Path, votes: np.ndarray) -> np.ndarray:
    """Which rows of ``votes`` the saved label model at ``path`` scores with a tie."""
    from labelwright.models import load_model

    model = load_model(path)
    return np.asarray(model.set_params(tie_break="abstain").predict(votes)) < 0


def _tied_shown(probabilities: dict[str, Any]) -> bool:
    """Whether two or more labels share the top of ``probabilities`` (within the tie
    tolerance of the label models)."""
    values = [float(p) for p in probabilities.values() if p is not None]
    return len(values) > 1 and sum(v >= max(values) - TIE_TOL for v in values) > 1
