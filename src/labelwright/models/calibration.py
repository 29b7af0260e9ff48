"""Calibration: measure it (expected calibration error, reliability bins) and fix it.

:class:`TemperatureScaler` (Guo et al. 2017) divides log-probabilities by one temperature
fit on gold rows; it keeps the ranking (and argmax) and makes a 0.9 mean "right 9 times in
10" on the gold distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar


@dataclass(frozen=True)
class ReliabilityBin:
    """Items whose top probability fell in ``[lower, upper)``."""

    lower: float
    upper: float
    count: int
    confidence: float  # mean top probability
    accuracy: float  # share whose top class is the gold class


def reliability_bins(probs: np.ndarray, y: np.ndarray, *, n_bins: int = 10) -> list[ReliabilityBin]:
    """Equal-width bins of top-class probability with their confidence and accuracy.

    The last bin includes 1.0. Empty bins are returned with ``count=0``.
    """
    probs, y = np.asarray(probs, dtype=np.float64), np.asarray(y)
    if probs.ndim != 2 or len(probs) != len(y):
        raise ValueError(f"probs must be (n, k) with n = len(y) = {len(y)}, got {probs.shape}")
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, n_bins - 1)
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


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, *, n_bins: int = 10) -> float:
    """ECE: sum over bins of (bin share of items) x |accuracy - confidence|, in [0, 1]."""
    bins = reliability_bins(probs, y, n_bins=n_bins)
    n = sum(b.count for b in bins)
    if n == 0:
        return 0.0
    return float(sum(b.count / n * abs(b.accuracy - b.confidence) for b in bins))


#: short name used across labelwright
ece = expected_calibration_error


class TemperatureScaler:
    """Temperature scaling of probabilistic labels, fit on gold rows.

    ``fit(probs, y)`` finds ``temperature_`` minimising the log loss of
    ``softmax(log(probs) / T)``; ``transform(probs)`` applies it.
    """

    def __init__(self, *, bounds: tuple[float, float] = (0.05, 20.0)) -> None:
        self.bounds = bounds

    def fit(self, probs: np.ndarray, y: np.ndarray) -> TemperatureScaler:
        logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0))
        y = np.asarray(y)
        rows = np.arange(len(y))

        def nll(log_t: float) -> float:
            z = logp / np.exp(log_t)
            z = z - z.max(axis=1, keepdims=True)
            return float(-(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean())

        lo, hi = np.log(self.bounds[0]), np.log(self.bounds[1])
        res = minimize_scalar(nll, bounds=(lo, hi), method="bounded")
        self.temperature_ = float(np.exp(res.x))
        return self

    def transform(self, probs: np.ndarray) -> np.ndarray:
        z = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0)) / self.temperature_
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)
