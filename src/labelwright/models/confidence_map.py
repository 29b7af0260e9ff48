"""The confidence map: a calibration step that bends where a scaling cannot.

A :class:`ConfidenceMap` maps each item's top-class probability to how often gold rows at
that probability were right (isotonic, with a prior per step). The
:class:`~labelwright.models.calibration.Calibrator` fits it after its scaling, on the gold
rows' out-of-fold scaled probabilities, and keeps it only when cross-validation says it
helps (the scaling-then-binning recipe of Kumar, Liang & Ma 2019, "Verified uncertainty
calibration").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.models.base import global_random_kept
from labelwright.models.ties import TIE_TOL


class ConfidenceMap:
    """Top-class probability -> how often gold rows at that probability were right.

    ``fit(probs, y)`` fits a non-decreasing step function (isotonic regression) from each
    row's top probability to whether its top class was the gold class. Each step's value is
    then estimated with a prior worth ``prior_rows`` gold rows that were right as often as
    the step's mean top probability says: a step of a few rows moves little, a step of
    hundreds moves to what they show, and a step claims 100% only if its rows claimed it
    and were all right. ``apply`` sets an item's top probability by interpolating the steps
    and rescales the other classes to the rest, so their ratios stay. Labels do not change:
    the top class keeps a lead over the runner-up of more than the tie tolerance of
    :func:`~labelwright.models.ties.break_ties`, and rows already tied within it are left
    as they are.

    Learned: ``confidence_`` and ``calibrated_`` (the knots: each step's first and last
    top probability, both with the step's value).
    """

    def __init__(self, prior_rows: float = 10.0) -> None:
        self.prior_rows = prior_rows

    def fit(self, probs: np.ndarray, y: np.ndarray) -> ConfidenceMap:
        probs = np.asarray(probs, dtype=np.float64)
        k = probs.shape[1]
        conf = probs.max(axis=1)
        right = (probs.argmax(axis=1) == y).astype(np.float64)
        order = np.argsort(conf, kind="stable")
        conf, right = conf[order], right[order]
        with global_random_kept():  # scikit-learn: 0.7 s to import
            from sklearn.isotonic import IsotonicRegression

        steps = IsotonicRegression(y_min=1.0 / k, y_max=1.0, out_of_bounds="clip"
                                   ).fit(conf, right).predict(conf)
        starts = np.flatnonzero(np.r_[True, np.diff(steps) != 0])
        ends = np.r_[starts[1:], len(conf)]
        rows = ends - starts
        value = (np.add.reduceat(right, starts) + self.prior_rows
                 * np.add.reduceat(conf, starts) / rows) / (rows + self.prior_rows)
        # the prior can undo the order of neighbouring steps; keep the map non-decreasing
        value = np.maximum.accumulate(np.clip(value, 1.0 / k, 1.0))
        self.confidence_ = np.column_stack([conf[starts], conf[ends - 1]]).ravel()
        self.calibrated_ = np.repeat(value, 2)
        return self

    def apply(self, probs: np.ndarray) -> np.ndarray:
        probs = np.asarray(probs, dtype=np.float64)
        probs = probs / probs.sum(axis=1, keepdims=True)
        n, k = probs.shape
        rows = np.arange(n)
        top = probs.argmax(axis=1)
        p_top = probs[rows, top]
        others = probs.copy()
        others[rows, top] = -1.0
        second = others.max(axis=1)
        rest = 1.0 - p_top
        c = np.interp(p_top, self.confidence_, self.calibrated_)
        # the top class keeps a lead of more than the tie tolerance over the rescaled
        # runner-up, so labels (break_ties) do not change; rows tied within the tolerance
        # are left as they are
        margin = 2 * TIE_TOL
        floor = np.where(rest > 0,
                         (second + margin * rest) / np.maximum(rest + second, 1e-300),
                         (1.0 + margin * (k - 1)) / k)
        c = np.minimum(np.maximum(c, floor), 1.0)
        out = np.where(rest[:, None] > 0, probs * ((1.0 - c) / np.maximum(rest, 1e-300))[:, None],
                       ((1.0 - c) / max(k - 1, 1))[:, None])
        out[rows, top] = c
        out /= out.sum(axis=1, keepdims=True)
        tied = p_top - second <= TIE_TOL
        out[tied] = probs[tied]
        return out

    def to_dict(self) -> dict[str, list[float]]:
        return {"confidence": self.confidence_.tolist(), "calibrated": self.calibrated_.tolist()}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> ConfidenceMap:
        out = cls()
        out.confidence_ = np.asarray(doc["confidence"], dtype=np.float64)
        out.calibrated_ = np.asarray(doc["calibrated"], dtype=np.float64)
        if out.confidence_.ndim != 1 or out.confidence_.shape != out.calibrated_.shape \
                or not len(out.confidence_):
            raise ValueError("a confidence map needs equally long, non-empty 'confidence' "
                             "and 'calibrated' lists")
        if not (np.isfinite(out.confidence_).all() and np.isfinite(out.calibrated_).all()) \
                or (np.diff(out.confidence_) < 0).any() or (np.diff(out.calibrated_) < 0).any():
            raise ValueError("a confidence map's 'confidence' and 'calibrated' lists must be "
                             "finite and non-decreasing")
        return out
