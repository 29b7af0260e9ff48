"""Accuracy, F1 and scorers."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models.metrics import accuracy, binary_f1, f1_per_class, macro_f1, score


def test_hand_computed_scores():
    y = np.array([0, 0, 1, 1, 1])
    p = np.array([0, 1, 1, 1, -1])
    assert accuracy(y, p) == pytest.approx(3 / 5)
    # class 1: tp 2, fp 1, fn 1 -> 4/6 ; class 0: tp 1, fp 0, fn 1 -> 2/3
    np.testing.assert_allclose(f1_per_class(y, p, 2), [2 / 3, 2 / 3])
    assert binary_f1(y, p) == pytest.approx(2 / 3)
    assert macro_f1(y, p, 2) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="needs 2 classes"):
        score("f1", y, np.ones((5, 3)) / 3, p, 3)
