"""A vote never more likely on another class than on its own, in every M-step: the
constrained counts, and a rare class that another LF's votes took over in the fit."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import DawidSkene
from labelwright.models.monotone import monotone_counts
from labelwright.models.synthetic import QUOTED_SHARES, question_takeover, quoted_takeover


def test_classes_above_the_own_class_rate_are_pooled_with_it():
    # one LF, 3 classes, outcomes (abstain, vote 0, vote 1, vote 2); vote 0's rate:
    # class 0 10/100, class 1 60/100, class 2 5/100 (below: left alone)
    stats = np.array([[[90.0, 10, 0, 0], [30, 60, 5, 5], [80, 5, 0, 15]]])
    out, bound = monotone_counts(stats)
    rate = out[0, :, 1] / out[0].sum(axis=1)
    assert rate[0] == pytest.approx(0.35) and rate[1] == pytest.approx(0.35)
    assert out[0, 2].tolist() == stats[0, 2].tolist()
    np.testing.assert_allclose(out.sum(axis=2), stats.sum(axis=2))  # row totals kept
    # the other outcomes of a pooled row keep their proportions: 30:5:5
    assert out[0, 1, 0] / out[0, 1, 2] == pytest.approx(6.0)
    assert bound.tolist() == [[True, False, False]]
    # votes already at most their own class's rate: nothing moves
    fine = np.array([[[50.0, 40, 10, 0], [80, 10, 10, 0], [90, 5, 0, 5]]])
    out, bound = monotone_counts(fine)
    assert out.tolist() == fine.tolist() and not bound.any()


def test_the_pooled_rate_takes_classes_in_until_none_is_above_it():
    # vote 0 at 0.1 on class 0, 0.5 on class 1, 0.2 on class 2: class 1 pooled first
    # (0.3 with class 0), then class 2 is below the pooled rate and stays out
    stats = np.array([[[90.0, 10, 0], [50, 50, 0], [80, 20, 0]]])
    stats = np.concatenate([stats, np.zeros((1, 3, 1))], axis=2)  # k = 3, vote 2 unused
    out, _ = monotone_counts(stats)
    rate = out[0, :, 1] / out[0].sum(axis=1)
    np.testing.assert_allclose(rate, [0.3, 0.3, 0.2])
    # 0.6 on class 2 too: both pooled, (10 + 50 + 60) / 300
    stats[0, 2] = [40, 60, 0, 0]
    out, _ = monotone_counts(stats)
    np.testing.assert_allclose(out[0, :, 1] / out[0].sum(axis=1), [0.4, 0.4, 0.4])


def test_pairs_the_gold_rows_free_are_left_as_counted():
    stats = np.array([[[90.0, 10, 0], [40, 60, 0]], [[90.0, 10, 0], [40, 60, 0]]])
    free = np.array([[True, False], [False, False]])
    out, bound = monotone_counts(stats, free)
    assert out[0].tolist() == stats[0].tolist()
    assert out[1, 1, 1] / out[1, 1].sum() == pytest.approx(0.35)
    assert bound.tolist() == [[False, False], [True, False]]


def recall(model: DawidSkene, L: np.ndarray, y: np.ndarray, c: int) -> float:
    """Share of the covered items of class ``c`` the model labels ``c``."""
    mine = (y == c) & (L >= 0).any(axis=1)
    return float((model.predict(L)[mine] == c).mean())


@pytest.mark.parametrize("seed", [0, 1])
def test_a_rare_class_with_one_precise_lf_is_not_taken_over_by_another_lfs_items(seed):
    L, y = question_takeover(random_state=seed)
    free = DawidSkene(3, monotone=False).fit(L)
    # the takeover this guards against: LF 1 votes ok on most of the rare class's items
    assert free.confusion_[1, 2, 1] > 0.5 and recall(free, L, y, 2) < 0.1
    model = DawidSkene(3).fit(L)
    assert model.balance_from_votes_  # the votes' balance, as the walkthrough's run took
    assert recall(model, L, y, 2) > 0.95
    assert recall(model, L, y, 0) > 0.95 and recall(model, L, y, 1) > 0.95
    ok_votes = model.confusion_[1, :, 1]  # P(LF 1 votes ok | class)
    assert ok_votes.max() <= ok_votes[0] + 1e-12
    # the rare LF keeps its reading: its votes are its class's, read as such
    assert model.accuracies_[4] > 0.8 and not model.prior_votes_[4, 2]
    # LF 1's vote, held as likely on other classes as on ok, counts as the prior's
    assert model.prior_votes_[1, 0]


def test_a_given_balance_does_not_hand_a_class_to_another_labels_lf():
    L, y = quoted_takeover()
    balance = list(QUOTED_SHARES)
    free = DawidSkene(4, monotone=False).fit(L, class_balance=balance)
    assert free.confusion_[1, 1, 1] > 0.9  # the takeover
    model = DawidSkene(4).fit(L, class_balance=balance)
    assert model.confusion_[1, 1, 1] <= model.confusion_[1, 0, 1] + 1e-12
    assert recall(model, L, y, 1) > 0.85
    assert all(recall(model, L, y, c) > 0.9 for c in (0, 2, 3))


def test_only_lfs_voting_one_class_are_held_to_it_in_the_fit():
    """An LF voting several classes shows its confusion in its votes: EM reads it freely
    (one right 45% of the time between two classes is read so); gold frees a pair too."""
    from labelwright.models.monotone import gold_shows_against, unconstrained_votes

    # LF 0 votes both classes, LFs 1-2 one each
    L = np.array([[0, 1, -1], [1, 1, 0], [0, -1, 0], [-1, 1, -1]])
    votes = np.stack([(L == c).sum(axis=0) for c in range(2)], axis=1)
    none = np.zeros((3, 2), dtype=bool)
    assert unconstrained_votes(votes, none).tolist() == [[True, True], [False, False],
                                                         [False, False]]
    # LF 1 votes 1 on 5 gold rows of class 0, LFs 0 and 2 vote 0 on 5 of class 1: gold
    # shows those votes against their class
    gold_L = np.array([[-1, 1, -1]] * 5 + [[0, -1, 0]] * 5)
    y_dev = np.array([0] * 5 + [1] * 5)
    gold_votes = np.stack([(gold_L == c).sum(axis=0) for c in range(2)], axis=1)
    free = unconstrained_votes(gold_votes, gold_shows_against(gold_L, y_dev, 2))
    assert free.tolist() == [[True, False], [False, True], [True, False]]
    # in a fit: LF 0 of a two-class matrix right 45% of the time is read so, not held at 50%
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 20000)
    right = [0.45, 0.8, 0.8, 0.8]
    cols = [np.where(rng.random(20000) < 0.5,
                     np.where(rng.random(20000) < a, y, 1 - y), -1) for a in right]
    model = DawidSkene(2).fit(np.column_stack(cols))
    assert model.accuracies_[0] < 0.48
