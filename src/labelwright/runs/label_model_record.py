"""What a run's manifest records of its label model (``label_model``): its name and class,
its settings, the class balance it used and how it got it, its per-LF numbers, what turned
``auto``'s probabilities into labels, a user model's module and the run it was reused from.
Kept apart from :mod:`~labelwright.runs.outputs`, which writes every file of a run: the
section grows with each model that learns something new, and reads only the fitted model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.runs.learned_columns import learned_lf_numbers

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig


def label_model_record(model: Any, config: ProjectConfig, lf_names: Sequence[str], *,
                       model_from: Mapping[str, str] | None = None,
                       model_name: str | None = None) -> dict[str, Any]:
    """The manifest's ``label_model`` of the fitted (or reused) ``model``. ``model_from``:
    the run whose fitted model this run reused; ``model_name``: that model's own name, with
    ``[label_model] name`` kept as ``configured_name`` (None: the config's name)."""
    setting = config.label_model.class_balance
    return {"name": model_name or config.label_model.name,
            "class": type(model).__name__,
            # what [label_model] name said, when a reused model is not it
            **({"configured_name": config.label_model.name} if model_from else {}),
            "tie_break": config.label_model.tie_break, "params": model.get_params(),
            "chosen": getattr(model, "chosen_", None),
            # [label_model] class_balance (None: equal classes until reviews set it), and the
            # balance the fit used
            "class_balance_setting": list(setting) if isinstance(setting, tuple) else setting,
            # unrounded: the run, the report and runs diff print it, and a
            # share rounded twice (0.0885002 -> 0.0885 -> 8.8%) read otherwise
            "class_balance": [float(p) for p in getattr(model, "class_balance_", [])],
            # the default model's own estimate from the votes (>= 3 labels,
            # shares 3:1 apart; see models.class_prior.uneven_votes_prior)
            "class_balance_from_votes": bool(getattr(
                getattr(model, "model_", model), "balance_from_votes_", False)),
            # the default model's own balance learned by EM (>= 3 LFs voting
            # several labels; see DawidSkene's learn_class_balance="auto")
            "class_balance_learned": bool(getattr(
                getattr(model, "model_", model), "balance_learned_", False)),
            **learned_lf_numbers(model, lf_names), **decision_record(model),
            # whether auto's fit was read back from the fit cache
            "fit_cache": getattr(model, "fit_cache_", None),
            # a model of the user's own: its module and the module's sha256
            **model_source_record(model, config.root),
            # not fit: an earlier run's model, reused (runs without: fit)
            "from_run": dict(model_from) if model_from else None}


def model_source_record(model: Any, root: Path) -> dict[str, Any]:
    """``{"source": ...}`` for a label model of the user's own (its module, the module's
    path and sha256, as LF modules are recorded), else nothing: built-in models' manifests
    stay as they were."""
    from labelwright.models.module_models import model_source  # the models import sklearn

    source = model_source(model, root)
    return {"source": source} if source is not None else {}


def decision_record(model: Any) -> dict[str, Any]:
    """What turned ``auto``'s probabilities into labels: each candidate's cross-validated
    score (why it chose the model it chose), its calibration (as saved with the model), its
    per-class decision weights, which probabilities they weigh, and whether its gold rows
    passed for a random sample of the items (a model named in the config: that check
    alone, which set its class balance as it sets auto's)."""
    if not hasattr(model, "calibration_"):  # a named model: the reviews' check, if made
        sample = getattr(model, "gold_sample_", None)
        return {"gold_sample": sample} if sample else {}
    return {"cv_scores": getattr(model, "cv_scores_", None),
            "calibration": model.calibration_,
            "decision_weights": [float(w) for w in model.decision_weights_],
            "labels_from": getattr(model, "decide_on_", None),
            "gold_sample": getattr(model, "gold_sample_", None)}


def reused_words(from_run: Any) -> str | None:
    """``"reused from run X (fit by run Y)"`` for a label model a run reused (the manifest's
    ``label_model.from_run``), None for one the run fit: what explain, ``runs show`` and
    ``runs diff`` say of a reused model's choice and flips, which are not that run's fit."""
    if not isinstance(from_run, dict) or not from_run.get("run_id"):
        return None
    run_id, fit_by = str(from_run["run_id"]), from_run.get("fit_by")
    return f"reused from run {run_id}" + (f" (fit by run {fit_by})"
                                          if fit_by and str(fit_by) != run_id else "")
