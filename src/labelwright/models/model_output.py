"""What a label model's ``_predict_proba`` must return, checked on every call: one row per
item, one column per class, finite numbers >= 0 with a positive sum in each row (which
:meth:`~labelwright.models.base.LabelModel.predict_proba` divides by).

The built-in models return such scores by construction; a model registered from outside
labelwright may not, and a wrong shape had been accepted and failed later, far from the
model (a run crashed ranking the review queue), while NaN or negative numbers turned into
probabilities that are none. The error names the model, so its author knows whose method
to fix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.errors import LabelwrightError
from labelwright.models.ties import row_sum


class ModelContractError(LabelwrightError, ValueError):
    """A label model broke the contract every model follows (its ``_predict_proba``
    returned something that is not one score per item and class, or a learned attribute
    cannot be saved); the message names the model and what to change."""


def who(model: Any) -> str:
    """``label model 'lf_acc_vote' (mymodel.LFAccuracyVote)``: the name it is registered
    under and where its class is, for errors about what its own code did."""
    cls = type(model)
    return f"label model {model.name!r} ({cls.__module__}.{cls.__qualname__})"


def probabilities(model: Any, scores: Any, n_items: int) -> np.ndarray:
    """``scores`` from ``model._predict_proba`` for ``n_items`` rows, each row divided by
    its sum (float64; a model may return unnormalised scores, as the voting models do),
    after checking shape, finiteness and sign: a :class:`ModelContractError` naming the
    model, and the first bad row and column, otherwise."""
    k = model.cardinality
    try:
        probs = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ModelContractError(f"{who(model)}: _predict_proba returned "
                                 f"{type(scores).__name__}, not numbers ({exc}); it must "
                                 f"return an array of shape ({n_items}, {k})") from None
    if probs.shape != (n_items, k):
        raise ModelContractError(
            f"{who(model)}: _predict_proba returned shape {probs.shape} for {n_items} items "
            f"and {k} classes; it must return ({n_items}, {k}): one row per item of the "
            "label matrix, one column per class in label order")
    if not n_items:
        return probs
    sums = row_sum(probs)[:, 0]
    if not np.isfinite(sums).all():  # a NaN or an infinity makes its row's sum one
        bad = ~np.isfinite(probs)
        raise ModelContractError(f"{who(model)}: _predict_proba returned "
                                 f"{_first(probs, bad)}; probabilities must be finite numbers "
                                 ">= 0")
    if probs.min() < 0:
        raise ModelContractError(f"{who(model)}: _predict_proba returned "
                                 f"{_first(probs, probs < 0)}; probabilities must be finite "
                                 "numbers >= 0")
    if not (sums > 0).all():
        row = int(np.flatnonzero(sums <= 0)[0])
        raise ModelContractError(f"{who(model)}: _predict_proba returned a row of zeros at "
                                 f"row {row}; each row needs a positive sum (it is divided "
                                 "by it to sum to 1)")
    probs /= sums[:, None]
    return probs


def _first(probs: np.ndarray, bad: np.ndarray) -> str:
    """``nan at row 3, column 1``: the first entry where ``bad`` holds."""
    row, col = np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), bad.shape)
    return f"{float(probs[row, col])!r} at row {int(row)}, column {int(col)}"
