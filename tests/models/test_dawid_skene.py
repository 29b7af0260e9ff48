"""Dawid–Skene: EM recovers LF confusion matrices; gold and abstain options."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import DawidSkene
from labelwright.models.synthetic import make_label_matrix


@pytest.mark.parametrize("abstain", ["ignore", "informative", "fit_only"])
@pytest.mark.parametrize("k", [2, 4])
def test_recovers_known_accuracies(abstain, k):
    acc = np.array([0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.7, 0.6])
    L, y = make_label_matrix(30000, acc, cardinality=k, coverage=0.5, random_state=k)
    model = DawidSkene(k, abstain=abstain).fit(L)
    assert np.abs(model.accuracies_ - acc).max() < 0.03
    np.testing.assert_allclose(model.class_balance_, np.full(k, 1 / k), atol=0.02)
    assert model.n_iter_ >= 2


def test_learns_class_balance():
    acc = np.full(6, 0.8)
    L, _ = make_label_matrix(20000, acc, coverage=0.7, class_balance=[0.8, 0.2],
                             random_state=0)
    model = DawidSkene(2).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.8, 0.2], atol=0.03)
    fixed = DawidSkene(2, learn_class_balance=False).fit(L)
    np.testing.assert_allclose(fixed.class_balance_, [0.5, 0.5])


def test_informative_abstains_identify_one_sided_lfs():
    # every LF only ever votes one class; only its abstain rate tells the classes apart
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 4000)
    cols = []
    for target in (0, 0, 1, 1, 1):
        fires = (y == target) & (rng.random(4000) < 0.6) | (y != target) & (rng.random(4000) < 0.05)
        cols.append(np.where(fires, target, -1))
    L = np.column_stack(cols)
    fit_only = DawidSkene(2, abstain="fit_only").fit(L)
    covered = (L >= 0).any(axis=1)
    assert (fit_only.predict(L)[covered] == y[covered]).mean() > 0.9


def test_gold_rows_are_clamped_and_help():
    acc = np.array([0.3, 0.3, 0.3, 0.9])  # most LFs worse than chance: EM alone is fooled
    L, y = make_label_matrix(3000, acc, coverage=0.9, random_state=1)
    blind = DawidSkene(2).fit(L)
    y_dev = np.where(np.arange(3000) % 10 == 0, y, -1)
    guided = DawidSkene(2, gold_weight=5.0).fit(L, y_dev=y_dev)
    assert (guided.predict(L) == y).mean() > (blind.predict(L) == y).mean() + 0.1


def test_unknown_abstain_option():
    with pytest.raises(ValueError, match="unknown abstain 'skip'; valid: ignore"):
        DawidSkene(2, abstain="skip").fit(np.array([[0, 1]]))
