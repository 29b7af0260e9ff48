"""The confidence map: top-class probability -> how often gold rows there were right."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models.confidence_map import ConfidenceMap
from labelwright.models.ties import TIE_BREAKS, TIE_TOL, break_ties


def test_the_confidence_map_keeps_the_top_class_and_ties():
    # a map that says "at chance" everywhere: the top class must still stay on top
    chance = ConfidenceMap.from_dict({"confidence": [0.0, 1.0], "calibrated": [1 / 3, 1 / 3]})
    probs = np.array([[0.5, 0.45, 0.05],    # a close runner-up
                      [0.4, 0.4, 0.2],      # tied at the top: stays tied
                      [1.0, 0.0, 0.0],      # nothing left for the others
                      [0.2, 0.3, 0.5]])
    out = chance.apply(probs)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    for policy in TIE_BREAKS:  # the labels, ties and their tie-breaks do not change
        np.testing.assert_array_equal(break_ties(out, policy), break_ties(probs, policy))
    assert out[0, 0] - out[0, 1] > TIE_TOL and out[0, 1] > out[0, 2]
    np.testing.assert_allclose(out[1], probs[1])
    assert out[2, 0] > out[2, 1] == out[2, 2]
    # a row tied within the tolerance stays as it is; rows need not sum to 1 on the way in
    near = np.array([[0.5 + 4e-6, 0.5 - 4e-6], [1.0, 1.0]])
    np.testing.assert_allclose(chance.apply(near), [[0.5 + 4e-6, 0.5 - 4e-6], [0.5, 0.5]])
    np.testing.assert_allclose(chance.apply(np.array([[0.5, 0.45, 0.45]])).sum(), 1.0)
    # top probability is a non-decreasing function of the input's
    grid = np.linspace(0.5, 1.0, 51)
    mapped = ConfidenceMap.from_dict({"confidence": [0.5, 0.8, 0.9, 1.0],
                                      "calibrated": [0.5, 0.6, 0.6, 0.95]})
    top = mapped.apply(np.column_stack([grid, 1 - grid])).max(axis=1)
    assert (np.diff(top) >= -1e-12).all()
    # a step of 3 rows, all wrong, at 0.95: the prior (10 rows at 0.95) keeps it near 0.95
    probs3 = np.array([[0.95, 0.05]] * 3 + [[0.6, 0.4]] * 40)
    y3 = np.array([1] * 3 + [0] * 24 + [1] * 16)
    few = ConfidenceMap().fit(probs3, y3)
    assert few.calibrated_.max() == pytest.approx(0.6, abs=0.05)  # pooled with the 0.6 rows
    alone = ConfidenceMap().fit(probs3[:3], y3[:3])
    assert alone.calibrated_.max() == pytest.approx(10 * 0.95 / 13)
    with pytest.raises(ValueError, match="equally long"):
        ConfidenceMap.from_dict({"confidence": [0.5, 1.0], "calibrated": [0.5]})
    with pytest.raises(ValueError, match="non-decreasing"):
        ConfidenceMap.from_dict({"confidence": [1.0, 0.5], "calibrated": [0.5, 0.6]})


def test_a_confidence_map_fit_on_few_rows_keeps_the_order_of_confidences():
    """Fit on 127 reviewed rows, a map whose step ran from 0.40 to 0.977 gave 754,176 items
    of a million the same 0.913: none stayed under a 0.7 threshold, so the items at 0.40
    (right far less often) were accepted with those at 0.97. The map rises strictly from
    chance to its last knot: an item less sure than another stays less sure."""
    rng = np.random.default_rng(0)
    conf = np.r_[rng.uniform(0.4, 0.977, 110), rng.uniform(0.978, 0.996, 17)]
    right = np.r_[rng.random(110) < 0.92, np.ones(17, bool)]  # no rise the rows can show
    runner = (1 - conf) * 0.6
    probs = np.column_stack([conf, runner, 1 - conf - runner])
    fitted = ConfidenceMap().fit(probs, np.where(right, 0, 1))
    assert (np.diff(fitted.calibrated_) > 0).all() and (np.diff(fitted.confidence_) > 0).all()
    grid = np.linspace(1 / 3, fitted.confidence_[-1], 400)
    assert (np.diff(np.interp(grid, fitted.confidence_, fitted.calibrated_)) > 0).all()
    grid = np.linspace(0.4, 0.96, 50)
    runner = (1 - grid) * 0.6
    top = fitted.apply(np.column_stack([grid, runner, 1 - grid - runner])).max(axis=1)
    assert (np.diff(top) >= 0).all() and len(np.unique(top.round(9))) > 45
    assert top[0] < 0.7 < top[np.searchsorted(grid, 0.95)]
