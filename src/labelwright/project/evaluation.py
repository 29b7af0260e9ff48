"""How well a run's label model did on held-out gold, beside majority vote."""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright import models
from labelwright.models.input_warnings import inputs_said_elsewhere
from labelwright.project.held_out import held_out_items
from labelwright.project.label_f1 import f1_scores


def evaluate(gold: np.ndarray, predicted: np.ndarray, votes: np.ndarray, n_labels: int,
             seed: int, *, fit_on: np.ndarray | None = None,
             tie_break: str = "random", row_ids: np.ndarray | None = None,
             confidence: np.ndarray | None = None) -> dict[str, Any]:
    """Accuracy of the label model and of majority vote on the items with gold labels.

    Items left without a label count as wrong, so accuracy is over all gold items;
    ``covered_accuracy`` is over gold items that got a label; ``macro_f1``,
    ``f1_by_label`` and ``support_by_label`` (:func:`~labelwright.project.label_f1.f1_scores`)
    count such items as misses too. Gold items in ``fit_on``
    (reviewed items, whose reviewed labels the label model was fit with) are not held out
    (:mod:`labelwright.project.held_out`): they are left out and counted in
    ``reviewed_left_out``. Majority vote breaks ties as
    the project's label model does (``tie_break``, by ``row_ids``): with ``abstain`` a tied
    item is left without a label by both, so the two rows compare models, not tie-break
    rules.

    With ``confidence`` (the label model's for its label, per item),
    ``calibration_by_votes`` is the calibration of the held-out gold items it labeled per
    vote pattern (:func:`~labelwright.models.vote_calibration.calibration_by_votes`: agreeing
    votes, a split, one vote, ...), the numbers the report's table of them shows, with
    their intervals and flags (``runs show`` prints them without computing them again).
    """
    fit_on = np.zeros(len(gold), dtype=bool) if fit_on is None else fit_on
    judged = held_out_items(gold >= 0, fit_on)
    left_out = int(((gold >= 0) & fit_on).sum())
    if not judged.any():
        return {}
    with inputs_said_elsewhere():  # the run's own warnings name labels without votes
        majority = models.get_model("majority", cardinality=n_labels, random_state=seed,
                                    tie_break=tie_break).fit(votes)
    majority_pred = np.where((votes >= 0).any(axis=1),
                             majority.predict(votes, row_ids=row_ids), -1)
    out: dict[str, Any] = {"n_gold": int(judged.sum()), "reviewed_left_out": left_out}
    for name, pred in (("label_model", predicted), ("majority_vote", majority_pred)):
        g, p = gold[judged], pred[judged]
        labeled = p >= 0
        out[name] = {
            "accuracy": float((p == g).mean()),
            "covered_accuracy": float((p[labeled] == g[labeled]).mean()) if labeled.any() else None,
            "labeled": int(labeled.sum()),
            **f1_scores(g, p, n_labels),
        }
    if confidence is not None:
        out["calibration_by_votes"] = _by_votes(gold, predicted, votes, n_labels, judged,
                                                confidence)
    return out


def _by_votes(gold: np.ndarray, predicted: np.ndarray, votes: np.ndarray, n_labels: int,
              judged: np.ndarray, confidence: np.ndarray) -> dict[str, dict[str, Any]]:
    """Calibration per vote pattern on the ``judged`` gold items ``predicted`` labels (an
    item left without a label has no confidence to judge, as in the report's diagram)."""
    from labelwright.models.vote_calibration import calibration_by_votes, vote_patterns

    rows = judged & (predicted >= 0)
    return calibration_by_votes(vote_patterns(votes[rows], n_labels),
                                np.asarray(confidence)[rows], predicted[rows] == gold[rows])
