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
    and were all right. Each step becomes one knot, at its rows' mean top probability
    (steps of one value pooled into one knot), and the map runs straight from knot to knot
    (centred isotonic regression), from chance (1/k -> 1/k) up: it rises strictly up to
    the last knot, so it keeps the order of items' confidences and gives no range of them
    one value (a step function had: fit on 127 rows, one step took 75% of a project's
    items to one value, and a threshold then parted nothing). Above the last knot it keeps
    that step's value: its rows showed no rise there. ``apply`` sets an item's top
    probability by interpolating the knots and rescales the other classes to the rest, so
    their ratios stay. Labels do not change:
    the top class keeps a lead over the runner-up of more than the tie tolerance of
    :func:`~labelwright.models.ties.break_ties`, and rows already tied within it are left
    as they are.

    Learned: ``confidence_`` and ``calibrated_`` (the knots: each step's mean top
    probability and its value, after an anchor at chance). A map saved
    with a step's two edges as knots (before the knots moved to the steps' means) is read
    and applied as it was written.
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
        sums = np.add.reduceat(conf, starts)
        value = (np.add.reduceat(right, starts) + self.prior_rows
                 * sums / rows) / (rows + self.prior_rows)
        # the prior can undo the order of neighbouring steps; keep the map non-decreasing
        value = np.maximum.accumulate(np.clip(value, 1.0 / k, 1.0))
        # one knot per step, at its rows' mean top probability, and steps of one value
        # pooled, so the map rises strictly from knot to knot. Knots at the steps' edges had
        # made it flat across each step: fit on 127 rows, one step ran from 0.40 to 0.977
        # and gave 754,176 items of a million the same 0.913, none left under a 0.7
        # threshold, though items at 0.40 were right far less often than those at 0.97
        new_value = np.r_[True, np.diff(value) > 0]
        groups = np.cumsum(new_value) - 1
        rows_in = np.bincount(groups, weights=rows)
        knots = np.bincount(groups, weights=sums) / rows_in
        value = value[new_value]
        # anchored at chance below the first knot (a tie stays a tie), so the map keeps the
        # order of every two confidences up to the last knot; above it, it stays at the top
        # step's value: that step's rows were right no more often at their highest
        # confidences than at their mean, and certainty (1 -> 1) would give the items the
        # label model is surest of back the over-confidence the map is there to take away
        low = 1.0 / k
        if knots[0] > low and value[0] > low:
            knots, value = np.r_[low, knots], np.r_[low, value]
        self.confidence_ = knots
        self.calibrated_ = value
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
