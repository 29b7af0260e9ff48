"""Sparse votes: the one-hot CSR form of a vote block and the row softmax."""

from __future__ import annotations

import numpy as np

from labelwright.models.sparse_votes import one_hot_votes, softmax_rows, vote_class_table


def test_one_hot_votes_matches_dense_indicators():
    rng = np.random.default_rng(0)
    votes = rng.integers(-1, 3, size=(50, 7)).astype(np.int8)
    votes[5] = -1  # a row with no vote
    X = one_hot_votes(votes, 3)
    dense = np.zeros((50, 21))
    for i, j in zip(*np.nonzero(votes >= 0), strict=True):
        dense[i, j * 3 + votes[i, j]] = 1.0
    np.testing.assert_array_equal(X.toarray(), dense)
    # per row: how many LFs voted each class
    counts = X @ vote_class_table(7, 3)
    for c in range(3):
        np.testing.assert_array_equal(counts[:, c], (votes == c).sum(axis=1))


def test_one_hot_votes_of_an_all_abstain_block():
    X = one_hot_votes(np.full((4, 3), -1), 2)
    assert X.shape == (4, 6) and X.nnz == 0


def test_softmax_rows_normalises_and_returns_log_normaliser():
    joint = np.array([[0.0, np.log(3.0)], [-1000.0, -1000.0], [5.0, -5.0]])
    # row 1: exp(-1000) underflows to 0; shifting by the row maximum keeps it exact
    expected_norm = np.array([np.log(4.0), -1000.0 + np.log(2.0), 5.0 + np.log1p(np.exp(-10.0))])
    post, log_norm = softmax_rows(joint.copy())
    np.testing.assert_allclose(post.sum(axis=1), 1.0)
    np.testing.assert_allclose(post[0], [0.25, 0.75])
    np.testing.assert_allclose(post[1], [0.5, 0.5])
    np.testing.assert_allclose(log_norm, expected_norm)
