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


def test_macro_f1_counts_the_classes_present_or_predicted_as_scikit_learn_does():
    """Perfect predictions on a test set without class 2 scored 0.667: the absent class
    counted as F1 0."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    assert macro_f1(np.array([0, 1, 1]), np.array([0, 1, 1]), 3) == 1.0
    for _ in range(200):
        k = int(rng.integers(2, 6))
        y = rng.integers(0, k - 1, 30)  # the last class never present
        p = rng.integers(-1, k, 30)
        expected = f1_score(y, p, average="macro", labels=sorted(
            set(y.tolist()) | set(p[p >= 0].tolist())), zero_division=0)
        assert macro_f1(y, p, k) == pytest.approx(expected)
