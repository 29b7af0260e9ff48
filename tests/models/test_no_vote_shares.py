"""The class shares of items no LF voted on, after a scaling (models/no_vote_shares.py)."""

from __future__ import annotations

import numpy as np

from labelwright.models.calibration_methods import Scaling, row_facts
from labelwright.models.no_vote_shares import (
    shares_move_top_class,
    shares_of,
    with_no_vote_shares,
)
from labelwright.models.pattern_calibration import NO_VOTE_PRIOR_ROWS


def test_the_shares_are_the_uncovered_gold_rows_classes_shrunk_toward_their_probabilities():
    # 10 uncovered rows at the model's balance (0.5), 9 of them class 0; 10 covered rows
    logp = np.log(np.r_[np.tile([0.5, 0.5], (10, 1)), np.tile([0.1, 0.9], (10, 1))])
    y = np.r_[np.zeros(9, int), 1, np.ones(10, int)]
    facts = row_facts(20, np.r_[np.zeros(10, bool), np.ones(10, bool)], None)
    fit = Scaling("identity", 2)
    shares = shares_of(fit, logp, y, facts, np.arange(20))
    expected = (9 + NO_VOTE_PRIOR_ROWS * 0.5) / (10 + NO_VOTE_PRIOR_ROWS)
    assert np.allclose(shares, [expected, 1 - expected])
    # out of fold: each held-out uncovered row gets the other folds' shares only
    folds = [(np.r_[5:10, 15:20], np.r_[0:5, 10:15]), (np.r_[0:5, 10:15], np.r_[5:10, 15:20])]
    scaled = np.exp(logp)
    out = with_no_vote_shares(scaled, logp, y, facts, folds, [fit, fit])
    first = (5 + NO_VOTE_PRIOR_ROWS * 0.5) / (5 + NO_VOTE_PRIOR_ROWS)  # rows 0-4: class 0
    second = (4 + NO_VOTE_PRIOR_ROWS * 0.5) / (5 + NO_VOTE_PRIOR_ROWS)  # rows 5-9: 4 of 5
    assert np.allclose(out[0:5, 0], second) and np.allclose(out[5:10, 0], first)
    assert np.array_equal(out[10:], scaled[10:])  # covered rows keep the scaling's


def test_a_move_of_the_top_class_is_seen_on_uncovered_rows_only():
    uncovered = np.array([True, True, False])
    scaled = np.array([[0.6, 0.4], [0.7, 0.3], [0.9, 0.1]])
    assert not shares_move_top_class(np.array([[0.8, 0.2], [0.8, 0.2], [0.1, 0.9]]),
                                     scaled, uncovered)
    assert shares_move_top_class(np.array([[0.4, 0.6], [0.4, 0.6], [0.9, 0.1]]),
                                 scaled, uncovered)
    # a tie the scaling left, now broken, is a move even toward the class argmax names
    tied = np.array([[0.5, 0.5], [0.7, 0.3], [0.9, 0.1]])
    assert shares_move_top_class(np.array([[0.8, 0.2], [0.8, 0.2], [0.9, 0.1]]),
                                 tied, uncovered)
