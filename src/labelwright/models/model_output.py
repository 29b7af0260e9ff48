"""What a label model's ``_predict_proba`` must return, checked on every call: a numpy
array of numbers, one row per item, one column per class, finite numbers >= 0 with a
positive sum in each row (which :meth:`~labelwright.models.base.LabelModel.predict_proba`
divides by); and what a ``predict_proba`` of the user's own that overrides it returns: the
same, each row summing to 1 (:mod:`labelwright.models.overridden_methods`).

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
    returned something that is not one score per item and class, its own ``fit`` did not
    return the model or its own ``predict_proba`` no probabilities, or a learned attribute
    cannot be saved); the message names the model and what to change."""


def who(model: Any) -> str:
    """``label model 'lf_acc_vote' (mymodel.LFAccuracyVote)``: the name it is registered
    under and where its class is, for errors about what its own code did."""
    cls = type(model)
    return f"label model {model.name!r} ({cls.__module__}.{cls.__qualname__})"


def probabilities(model: Any, scores: Any, n_items: int) -> np.ndarray:
    """``scores`` from ``model._predict_proba`` for ``n_items`` rows, each row divided by
    its sum into a new float64 array (``scores`` is left as it was; a model may return
    unnormalised scores, as the voting models do),
    after checking type, shape, finiteness and sign: a :class:`ModelContractError` naming
    the model, and the first bad row and column, otherwise."""
    probs = _scores(model, "_predict_proba", scores, n_items)
    if not n_items:
        return probs
    sums = row_sum(probs)[:, 0]
    if not (sums > 0).all():
        row = int(np.flatnonzero(sums <= 0)[0])
        raise ModelContractError(f"{who(model)}: _predict_proba returned a row of zeros at "
                                 f"row {row}; each row needs a positive sum (it is divided "
                                 "by it to sum to 1)")
    # a new array: the one returned may be the model's own (scores it keeps, a read-only
    # view of a learned attribute), which dividing in place had changed or failed on
    return probs / sums[:, None]


#: how far a row of probabilities that ``predict_proba`` returns may sum from 1
SUM_TOLERANCE = 1e-6


def returned_probabilities(model: Any, probs: Any, n_items: int) -> np.ndarray:
    """``probs`` as a model's own ``predict_proba`` (one overriding labelwright's, which
    divides rows by their sums) returned them for ``n_items`` rows, checked as
    :func:`probabilities` checks scores and, since nothing divides them after, each row
    summing to 1 (within :data:`SUM_TOLERANCE`): a :class:`ModelContractError` naming the
    model and the first row that does not."""
    checked = _scores(model, "predict_proba", probs, n_items)
    if not n_items:
        return checked
    off = np.abs(row_sum(checked)[:, 0] - 1.0) > SUM_TOLERANCE
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise ModelContractError(
            f"{who(model)}: predict_proba returned row {row} summing to "
            f"{float(checked[row].sum())!r}; each row of probabilities must sum to 1 (divide "
            "each row by its sum, or override _predict_proba instead, whose rows labelwright "
            "divides)")
    return checked


#: dtype kinds of numbers a model may return: signed and unsigned ints, floats
_NUMBER_KINDS = "iuf"


def _scores(model: Any, method: str, scores: Any, n_items: int) -> np.ndarray:
    """``scores`` (what ``model``'s ``method`` returned) as a float64 array, after checking
    it is a numpy array of numbers of shape ``(n_items, k)``, finite and >= 0."""
    k = model.cardinality
    if not isinstance(scores, np.ndarray):
        raise ModelContractError(
            f"{who(model)}: {method} returned a {type(scores).__name__}, not a numpy array; "
            f"it must return a numpy array of shape ({n_items}, {k}) (np.asarray(...) before "
            "returning it)")
    if scores.dtype.kind not in _NUMBER_KINDS:
        raise ModelContractError(
            f"{who(model)}: {method} returned an array of dtype {scores.dtype}, not numbers; "
            f"it must return floats (or ints) of shape ({n_items}, {k})")
    if scores.shape != (n_items, k):
        raise ModelContractError(
            f"{who(model)}: {method} returned shape {scores.shape} for {n_items} items "
            f"and {k} classes; it must return ({n_items}, {k}): one row per item of the "
            "label matrix, one column per class in label order")
    probs = np.asarray(scores, dtype=np.float64)
    if not n_items:
        return probs
    sums = row_sum(probs)[:, 0]
    if not np.isfinite(sums).all():  # a NaN or an infinity makes its row's sum one
        bad = ~np.isfinite(probs)
        raise ModelContractError(f"{who(model)}: {method} returned "
                                 f"{_first(probs, bad)}; probabilities must be finite numbers "
                                 ">= 0")
    if probs.min() < 0:
        raise ModelContractError(f"{who(model)}: {method} returned "
                                 f"{_first(probs, probs < 0)}; probabilities must be finite "
                                 "numbers >= 0")
    return probs


def _first(probs: np.ndarray, bad: np.ndarray) -> str:
    """``nan at row 3, column 1``: the first entry where ``bad`` holds."""
    row, col = np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), bad.shape)
    return f"{float(probs[row, col])!r} at row {int(row)}, column {int(col)}"
