"""Triplet model: closed-form accuracies from pairwise agreements."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import TripletModel
from labelwright.models.synthetic import make_label_matrix


@pytest.mark.parametrize("k", [2, 3])
def test_recovers_known_accuracies(k):
    acc = np.array([0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
    L, _ = make_label_matrix(50000, acc, cardinality=k, coverage=0.5, random_state=k)
    model = TripletModel(k).fit(L)
    assert np.abs(model.accuracies_ - acc).max() < 0.03


def test_class_balance_by_em():
    L, _ = make_label_matrix(30000, np.full(8, 0.8), coverage=0.6, class_balance=[0.7, 0.3],
                             random_state=2)
    model = TripletModel(2, balance_iter=50).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.7, 0.3], atol=0.03)
    np.testing.assert_allclose(TripletModel(2).fit(L).class_balance_, [0.5, 0.5])


def test_lfs_without_overlap_get_prior_accuracy():
    L = np.full((100, 4), -1)
    L[:50, 0] = 0
    L[50:, 1] = 1
    L[:, 2] = np.r_[np.zeros(50, int), np.ones(50, int)]
    model = TripletModel(2, prior_accuracy=0.7).fit(L)
    assert model.accuracies_[3] == pytest.approx(0.7)


@pytest.mark.parametrize("k", [5, 10])
def test_one_sided_sparse_lfs_do_not_collapse(k):
    # LFs that each vote one class mostly conflict when two of them vote: the triplet
    # signals between them are negative, which used to flip LFs into adversaries
    from test_dawid_skene import one_sided_sparse

    from labelwright.models import MajorityVote

    L, y = one_sided_sparse(k, 6000, seed=k)
    covered = (L >= 0).any(axis=1)
    model = TripletModel(k, tie_break="first").fit(L)
    mv = MajorityVote(k, tie_break="first").fit(L).predict(L)
    pred = model.predict(L)
    assert np.isfinite(model.weights_).all() and (model.accuracies_ >= 1 / k).all()
    assert (pred[covered] == y[covered]).mean() >= (mv[covered] == y[covered]).mean() - 0.02


def test_a_worse_than_chance_lf_is_not_read_as_the_best():
    """Only the (j, l) pair of a triplet was checked for a positive signal: an LF right 15%
    of the time, negative with every other LF, multiplied two negative signals into an
    accuracy of 0.84, the highest of all. Its signals are left out; it gets the prior."""
    L, y = make_label_matrix(5000, np.array([0.8, 0.8, 0.8, 0.8, 0.15]), cardinality=2,
                             coverage=0.9, random_state=0)
    model = TripletModel(2).fit(L)
    np.testing.assert_allclose(model.accuracies_[:4], 0.8, atol=0.03)
    assert model.accuracies_[4] == pytest.approx(model.prior_accuracy)
