"""Held votes: read at the prior moved by their reviews, and unread while few reviews say."""

from __future__ import annotations

import numpy as np

from labelwright.models import DawidSkene, MajorityVote, get_model
from labelwright.models.held_votes import held_accuracy, held_evidence, unread_votes


def test_held_accuracy_is_the_prior_moved_by_each_votes_reviews():
    # LF 0 votes 0 on 4 gold rows (3 right) and 1 on 2 (0 right); LF 1 has no gold vote
    L = np.array([[0, -1]] * 4 + [[1, -1]] * 2 + [[-1, 1]] * 3)
    y = np.array([0, 0, 0, 1, 0, 0, -1, -1, -1])
    acc, reviews = held_accuracy(L, y, 2, prior_accuracy=0.7, prior_strength=10.0)
    assert reviews.tolist() == [[4, 2], [0, 0]]
    assert np.isclose(acc[0, 0], (3 + 7) / 14)
    assert np.isclose(acc[0, 1], 7 / 12)
    assert np.allclose(acc[1], 0.7)  # no review: the prior
    none, counted = held_accuracy(L, None, 2, prior_accuracy=0.7, prior_strength=10.0)
    assert np.allclose(none, 0.7) and not counted.any()


def test_reviews_never_take_a_held_vote_below_chance():
    # 30 reviews, none right: the vote loses its weight, it is not read as pointing elsewhere
    L = np.array([[2]] * 30)
    acc, _ = held_accuracy(L, np.zeros(30, dtype=int), 3, prior_accuracy=0.7,
                           prior_strength=10.0)
    assert np.isclose(acc[0, 2], 1 / 3)
    # no prior weight and no review: the prior, not 0 / 0
    bare, _ = held_accuracy(L, None, 3, prior_accuracy=0.7, prior_strength=0.0)
    assert np.allclose(bare, 0.7)


def test_held_evidence_gives_a_lone_vote_its_accuracy_under_equal_classes():
    ev = held_evidence(np.array([[0.6, 0.9, 0.4]]))
    post = np.exp(ev) / np.exp(ev).sum(axis=1, keepdims=True)  # each row: one vote alone
    assert np.allclose(np.diag(post), [0.6, 0.9, 0.4])


def odd_lf_votes(n: int = 3000, seed: int = 3):
    """Three fair LFs and LF 3, which votes 1 mostly on class-0 items: the fit reads that
    vote against its class and the ``monotone`` rule holds it."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    good = [np.where(rng.random(n) < 0.8, y, 1 - y) for _ in range(3)]
    odd = np.where((y == 0) & (rng.random(n) < 0.5), 1, -1)
    return np.column_stack([*good, odd]), y


def test_reviews_of_a_held_votes_items_move_its_reading():
    L, _ = odd_lf_votes()
    only_odd = np.array([[-1, -1, -1, 1]])
    held = DawidSkene(2).fit(L)
    assert held.prior_votes_[3, 1]
    # the prior (0.7, the threshold) weighed by the class balance: nothing read from data
    b = held.class_balance_
    lone = held.predict_proba(only_odd)[0, 1]
    assert np.isclose(lone, 0.7 * b[1] / (0.7 * b[1] + 0.3 * b[0])) and abs(lone - 0.7) < 0.05
    # 12 of its items reviewed, all of class 0; no class-1 gold row, so gold cannot show the
    # vote against class 1 and the vote stays held: the reviews now weigh it
    voted = np.flatnonzero(L[:, 3] == 1)[:12]
    y_dev = np.full(len(L), -1)
    y_dev[voted] = 0
    wrong = DawidSkene(2).fit(L, y_dev=y_dev)
    assert wrong.prior_votes_[3, 1] and wrong.held_reviews_[3, 1] == 12
    assert wrong.predict_proba(only_odd)[0, 1] < 0.6
    # the same items reviewed as class 1 raise it above the prior
    y_dev[voted] = 1
    right = DawidSkene(2).fit(L, y_dev=y_dev)
    assert right.prior_votes_[3, 1]
    assert right.predict_proba(only_odd)[0, 1] > 0.8


def test_unread_votes_are_held_votes_with_fewer_reviews_than_the_prior_weighs():
    L, _ = odd_lf_votes()
    model = DawidSkene(2).fit(L)
    unread = unread_votes(model)
    assert unread is not None and unread.tolist() == model.prior_votes_.tolist()
    y_dev = np.full(len(L), -1)
    y_dev[np.flatnonzero(L[:, 3] == 1)[:10]] = 0
    read = DawidSkene(2).fit(L, y_dev=y_dev)  # 10 reviews: as many as the prior's votes
    assert read.prior_votes_[3, 1] and not unread_votes(read).any()
    # auto: the model it chose; majority vote holds no vote
    auto = get_model("auto", cardinality=2, random_state=0).fit(L)
    assert unread_votes(auto).tolist() == unread.tolist()
    assert unread_votes(MajorityVote(2).fit(L)) is None


def test_a_document_saved_before_held_accuracies_reads_held_votes_at_the_prior():
    L, _ = odd_lf_votes(n=2000)
    model = DawidSkene(2).fit(L)
    doc = model.to_dict()
    del doc["learned"]["held_accuracy_"], doc["learned"]["held_reviews_"]
    older = DawidSkene.from_dict(doc)
    assert np.allclose(older.held_accuracy_, 0.7) and not older.held_reviews_.any()
    np.testing.assert_allclose(older.predict_proba(L), model.predict_proba(L))


def test_a_held_vote_and_a_one_sided_lf_shrink_their_reviews_alike():
    """One rule for both (:func:`~labelwright.models.one_sided.shrunk_accuracy`): a held
    vote's accuracy above chance is the one-sided LF's under ``abstain="ignore"``."""
    from labelwright.models.one_sided import gold_accuracy, shrunk_accuracy

    L = np.array([[0, 1], [0, -1], [0, 1], [-1, 1], [0, -1]], dtype=np.int8)
    y = np.array([0, 1, 0, 0, -1])
    held, reviews = held_accuracy(L, y, 2, 0.7, 10.0)
    one_sided = gold_accuracy(L, y, np.array([0, 1]), np.array([0, 1]), 0.7, 10.0)
    assert reviews[[0, 1], [0, 1]].tolist() == [3, 3]  # row 4 has no gold
    assert np.allclose(held[[0, 1], [0, 1]], one_sided)
    assert np.allclose(one_sided, [(2 + 7.0) / 13, (0 + 7.0) / 13])  # both above chance
    assert shrunk_accuracy(np.zeros(1), np.zeros(1), 0.7, 0.0).tolist() == [0.7]
