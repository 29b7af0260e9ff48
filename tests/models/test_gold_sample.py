"""Whether gold rows are a random sample of the items, and the class balance when not."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import AutoLabelModel, get_model
from labelwright.models.gold_sample import (
    check_gold_sample,
    describe_stratum,
    post_stratified_balance,
    vote_strata,
)
from labelwright.models.synthetic import make_label_matrix


def test_strata_count_votes_and_conflicts():
    L = np.array([[-1, -1, -1], [0, -1, -1], [0, 0, -1], [0, 1, -1], [1, 1, 1]])
    np.testing.assert_array_equal(vote_strata(L, 2), [0, 2, 4, 5, 6])
    assert describe_stratum(5) == "items with 2 votes that disagree"
    assert describe_stratum(8) == "items with 4+ votes"


def queue_like(seed=0, n=3000):
    """Three LFs at 75%, covering half the items each: the gold rows are the items whose
    votes disagree, as at the head of a review queue."""
    L, y = make_label_matrix(n, np.array([0.75, 0.75, 0.75]), coverage=0.5,
                             class_balance=np.array([0.7, 0.3]), random_state=seed)
    strata = vote_strata(L, 2)
    conflicts = np.flatnonzero(strata % 2 == 1)
    return L, y, conflicts[:150]


def test_a_random_sample_passes_and_the_head_of_a_queue_does_not():
    L, y, head = queue_like()
    rng = np.random.default_rng(1)
    passed = [check_gold_sample(L, L[rng.choice(len(L), 150, replace=False)], 2,
                                seed=s).representative for s in range(10)]
    assert sum(passed) >= 9  # a 1% test: random samples pass
    biased = check_gold_sample(L, L[head], 2)
    assert not biased.representative and biased.p_value < 0.01
    assert "disagree" in biased.most_over and biased.distance > 0.5


def test_post_stratified_balance_recovers_all_items_balance():
    L, y, head = queue_like()
    truth = np.bincount(y, minlength=2) / len(y)
    free = get_model("default", 2).fit(L).predict_proba(L)
    once = post_stratified_balance(L, free, L[head], y[head], 2)
    assert once.sum() == pytest.approx(1.0)
    # strata without gold rows take the label model's mean, which its uniform prior pulls
    # toward 50/50; auto refits it at the balance found until that settles
    assert 0.5 < once[0] < truth[0]
    y_dev = np.full(len(y), -1)
    y_dev[head] = y[head]
    settled = AutoLabelModel(2).fit(L, y_dev=y_dev).class_balance_
    assert settled[0] == pytest.approx(truth[0], abs=0.03)


def test_auto_takes_a_queue_head_as_known_labels_only():
    L, y, head = queue_like()
    y_dev = np.full(len(y), -1)
    y_dev[head] = y[head]
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert model.gold_sample_["representative"] is False
    assert "not a random sample" in model.chosen_["reason"]
    assert model.chosen_["model"] == "dawid_skene" and model.cv_scores_ == []
    assert model.calibration_["method"] == "identity" and model.decide_on_ == "model"
    np.testing.assert_array_equal(model.decision_weights_, [1.0, 1.0])
    # the gold rows still inform the fit: the same model fit on them as known labels
    same = get_model("default", 2).fit(L, y_dev=y_dev, class_balance=model.class_balance_)
    np.testing.assert_allclose(model.predict_proba(L), same.predict_proba(L))
    # a random sample of the same size is used as before: chosen by CV and calibrated
    rows = np.random.default_rng(0).choice(len(y), 150, replace=False)
    y_rand = np.full(len(y), -1)
    y_rand[rows] = y[rows]
    fair = AutoLabelModel(2).fit(L, y_dev=y_rand)
    assert fair.gold_sample_["representative"] is True and fair.cv_scores_
