"""Measuring calibration: reliability bins and the expected calibration error (ECE) of a
model's probabilities against gold labels. What fixes it: :mod:`labelwright.models.calibration`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ReliabilityBin:
    """Items whose top probability fell in ``[lower, upper)``."""

    lower: float
    upper: float
    count: int
    confidence: float  # mean top probability
    accuracy: float  # share whose top class is the gold class


def bin_index(values: np.ndarray, n_bins: int) -> np.ndarray:
    """The equal-width bin of [0, 1] each value falls in: bin ``b`` is
    ``[b / n_bins, (b + 1) / n_bins)``, the last one includes 1.0, so a confidence of
    exactly 0.6 is in [0.6, 0.7) (with ``np.linspace`` edges, 0.6000000000000001, it fell a
    bin lower). ``values * n_bins`` is rounded to 9 decimals first: 0.7 * 10 is
    7.000000000000001 in floats, 0.3 * 10 is 3.0000000000000004."""
    scaled = np.round(np.asarray(values, dtype=np.float64) * n_bins, 9)
    return np.clip(np.floor(scaled), 0, n_bins - 1).astype(np.int64)


def reliability_bins(probs: np.ndarray, y: np.ndarray, *, n_bins: int = 10,
                     pred: np.ndarray | None = None) -> list[ReliabilityBin]:
    """Equal-width bins of top-class probability with their confidence and accuracy.

    The last bin includes 1.0. Empty bins are returned with ``count=0``.

    ``pred``: the predictions being scored (class index per item, ``-1`` for none), when
    they are not the argmax: ties broken by a tie-break policy (the argmax gives every tie
    to the first class, so a model's tied items would be judged by other predictions than
    its accuracy), or ``auto``'s labels. Each item is then binned by the probability of its
    predicted class and right when that class is its label; an item without a prediction
    keeps its top probability and counts as wrong, as accuracy counts it.
    """
    probs, y = np.asarray(probs, dtype=np.float64), np.asarray(y)
    if probs.ndim != 2 or y.ndim != 1 or len(probs) != len(y):
        raise ValueError(f"probs must be (n, k) with n = len(y) = {len(y)}, got {probs.shape}")
    if isinstance(n_bins, bool) or not isinstance(n_bins, int | np.integer) or n_bins < 1:
        raise ValueError(f"n_bins must be a whole number >= 1, got {n_bins!r}")
    k = probs.shape[1]
    if y.dtype == bool or (y.dtype.kind == "f" and np.all(np.isfinite(y)) and
                           np.array_equal(y, np.round(y))):
        y = y.astype(np.int64)  # False / True and 0.0 / 1.0 are class indexes too
    if y.size and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= k):
        raise ValueError(f"y must hold class indexes 0..{k - 1}, got values from "
                         f"{y.min()!r} to {y.max()!r} ({y.dtype})")
    if not np.all(np.isfinite(probs)):
        raise ValueError("probs hold NaN or infinite values")
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == y
    if pred is not None:
        pred = np.asarray(pred)
        if pred.shape != y.shape or (pred.size and (pred.min() < -1 or pred.max() >= k)):
            raise ValueError(f"pred must hold a class index 0..{k - 1} or -1 per item")
        given = pred >= 0
        conf = np.where(given, probs[np.arange(len(pred)), np.where(given, pred, 0)], conf)
        right = given & (pred == y)
    edges = np.arange(n_bins + 1) / n_bins
    idx = bin_index(conf, n_bins)
    out = []
    for b in range(n_bins):
        sel = idx == b
        count = int(sel.sum())
        out.append(ReliabilityBin(
            float(edges[b]), float(edges[b + 1]), count,
            float(conf[sel].mean()) if count else 0.0,
            float(right[sel].mean()) if count else 0.0,
        ))
    return out


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, *, n_bins: int = 10,
                               pred: np.ndarray | None = None) -> float:
    """ECE: sum over bins of (bin share of items) x |accuracy - confidence|, in [0, 1];
    of the predictions ``pred`` when given (see :func:`reliability_bins`)."""
    bins = reliability_bins(probs, y, n_bins=n_bins, pred=pred)
    n = sum(b.count for b in bins)
    if n == 0:
        return 0.0
    return float(sum(b.count / n * abs(b.accuracy - b.confidence) for b in bins))


#: short name used across labelwright
ece = expected_calibration_error
