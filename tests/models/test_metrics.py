"""Accuracy, F1 and scorers."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models.metrics import (
    accuracy,
    average_precision,
    binary_f1,
    f1_per_class,
    macro_f1,
    score,
)


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


@pytest.mark.parametrize("seed", range(20))
def test_average_precision_is_scikit_learns(seed: int) -> None:
    """Ties (scores rounded to a few values), few and many positives: the same number as
    scikit-learn's ``average_precision_score``, which the review ranking used before."""
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    y = (rng.random(n) < rng.uniform(0.02, 0.9)).astype(int)
    y[rng.integers(n)] = 1
    score = rng.normal(size=n) + y * rng.uniform(0, 2)
    if seed % 2:
        score = np.round(score, 1)  # many ties
    assert average_precision(y, score) == pytest.approx(average_precision_score(y, score),
                                                        abs=1e-12)


def test_average_precision_of_a_perfect_and_a_reversed_ranking() -> None:
    y = np.array([1, 1, 0, 0, 0])
    assert average_precision(y, np.array([5.0, 4, 3, 2, 1])) == 1.0
    # positives last: precision 1/4 at the first, 2/5 at the second
    assert average_precision(y, np.array([1.0, 2, 3, 4, 5])) == pytest.approx((1 / 4 + 2 / 5) / 2)
    # one tie holding everything: precision 2/5 for all the recall
    assert average_precision(y, np.zeros(5)) == pytest.approx(0.4)
    assert average_precision(np.zeros(3, dtype=int), np.arange(3.0)) == 0.0
