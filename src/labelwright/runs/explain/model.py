"""The label model's own view of an item for ``explain``: its probabilities and label, also
where the run's label is a review's (whose ``prob_`` columns are the review's, one-hot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.apply.item_fields import missing_as_none
from labelwright.errors import LabelwrightError
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.file_names import LABEL_MODEL_FILE
from labelwright.runs.store import changed_output


def model_view(row: dict[str, Any], labels: tuple[str, ...], source: str, run_dir: Path,
               manifest: dict[str, Any], matrix: dict[str, Any], warnings: list[str]
               ) -> tuple[dict[str, float], str | None]:
    """The label model's probabilities and label for the item of ``row`` (its row of the
    run's ``labels.parquet``; ``matrix``: its row of the label matrix), whose label came
    from ``source``."""
    label = missing_as_none(row.get("label"))
    probabilities = {lab: float(row[f"prob_{lab}"]) for lab in labels if f"prob_{lab}" in row}
    if "model_label" in row:  # runs since 2026-12-02 keep the model's label
        model_label = missing_as_none(row["model_label"])
        if source in REVIEWED_SOURCES:  # prob_ columns are the review's: ask the model
            probabilities = _model_probabilities(run_dir, manifest, labels, matrix, warnings)
    else:  # older runs: prob_ columns are the model's on every item
        model_label = label if source != "review" else _clear_argmax(probabilities)
    return probabilities, model_label


def _model_probabilities(run_dir: Path, manifest: dict[str, Any], labels: tuple[str, ...],
                         matrix: dict[str, Any], warnings: list[str]) -> dict[str, float]:
    """The label model's probabilities for one item (its row of the label matrix), from the
    run's saved ``label_model.json`` (with a warning when it no longer matches its hash in
    the manifest): a reviewed item's ``prob_`` columns are the review's."""
    import numpy as np

    from labelwright.models import load_model

    path = run_dir / LABEL_MODEL_FILE
    if not path.is_file():
        warnings.append(f"{path} is missing: the label model's probabilities for this "
                        "reviewed item cannot be shown")
        return {}
    problem = changed_output(run_dir, manifest, path.name)
    if problem is not None:
        warnings.append(f"{run_dir / problem}: the label model's probabilities below may not "
                        "be the run's; `labelwright runs verify` checks every file")
    try:
        model = load_model(path)
        votes = np.array([[-1 if code is None else int(code)
                           for name, code in matrix.items() if name != "id"]], dtype=np.int64)
        probs = model.predict_proba(votes)[0]
    except (LabelwrightError, ValueError, OSError) as exc:
        warnings.append(f"{path}: cannot compute the label model's probabilities: {exc}")
        return {}
    return {lab: float(p) for lab, p in zip(labels, probs)}


def _clear_argmax(probabilities: dict[str, float]) -> str | None:
    """The most probable label, or None on a tie (the run's tie-break is not redone here)."""
    if not probabilities:
        return None
    top = max(probabilities.values())
    best = [lab for lab, p in probabilities.items() if p == top]
    return best[0] if len(best) == 1 else None
