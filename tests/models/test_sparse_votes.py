"""Sparse votes: the one-hot CSR form of a vote block and the row softmax."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models.sparse_votes import (
    _ones,
    one_hot_votes,
    order_rows,
    softmax_relative,
    softmax_rows,
    sparse_votes,
    storage,
    vote_class_table,
)


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


def dense_one_hot(votes: np.ndarray, k: int) -> np.ndarray:
    dense = np.zeros((votes.shape[0], votes.shape[1] * k))
    for i, j in zip(*np.nonzero(votes >= 0), strict=True):
        dense[i, j * k + votes[i, j]] = 1.0
    return dense


@pytest.mark.parametrize(("m", "k", "dtype"), [(7, 3, np.int64), (100, 3, np.int8),
                                               (300, 2, np.int16), (90, 3, np.int32)])
def test_one_hot_votes_of_wide_blocks_and_any_int_dtype(m, k, dtype):
    # more than 256 (LF, vote) columns take two-byte codes; 256+ LFs count votes another way
    rng = np.random.default_rng(m)
    votes = rng.integers(-1, k, size=(40, m)).astype(dtype)
    votes[3] = -1
    np.testing.assert_array_equal(one_hot_votes(votes, k).toarray(), dense_one_hot(votes, k))


def test_one_hot_votes_share_one_array_of_ones():
    # scipy copies a CSR matrix's data when it views less than half of its base array: a
    # small block made after a large one must still view the shared ones, not own a copy
    rng = np.random.default_rng(1)
    big = one_hot_votes(rng.integers(-1, 2, size=(5000, 20)), 2)
    for rows in (10, 700, 3000, 5000, 9000):
        X = one_hot_votes(rng.integers(-1, 2, size=(rows, 20)), 2)
        assert X.data.base is not None and not X.data.flags.owndata
        assert np.shares_memory(X.data, _ones(X.nnz)) and np.all(X.data == 1.0)
    assert not big.data.flags.writeable


def test_sparse_votes_orders_rows_by_number_of_votes():
    rng = np.random.default_rng(2)
    votes = rng.integers(-1, 3, size=(500, 9))
    votes[::7] = -1
    weights = rng.random(500)
    gold = rng.integers(-1, 3, 500)
    sv = sparse_votes(votes, 3, weights, gold)
    per_row = np.diff(sv.X.indptr)
    assert np.all(np.diff(per_row) >= 0)  # rows by increasing number of votes
    order = order_rows(votes, 3).order
    np.testing.assert_array_equal(sv.X.toarray(), dense_one_hot(votes, 3)[order])
    np.testing.assert_array_equal(sv.weights, weights[order])
    np.testing.assert_array_equal(sv.gold, gold[order])
    # the order is the only change: weighted sums over rows are the same
    np.testing.assert_allclose(sv.XT @ sv.weights, dense_one_hot(votes, 3).T @ weights)


def test_sparse_votes_fill_the_storage_they_are_given():
    rng = np.random.default_rng(3)
    votes = rng.integers(-1, 2, size=(300, 6)).astype(np.int8)
    rows = order_rows(votes, 2)
    store = storage(rows, weighted=True, gold=True)
    sv = sparse_votes(votes, 2, rng.random(300), rng.integers(-1, 2, 300), rows=rows,
                      store=store)
    for kept, given in ((sv.X.indices, store.indices), (sv.X.indptr, store.indptr),
                        (sv.weights, store.weights), (sv.gold, store.gold)):
        assert kept is given or kept.base is given
    # unit weights: nothing stored, the shared ones are read
    unit = sparse_votes(votes, 2, None)
    assert unit.unit_weights and np.shares_memory(unit.weights, _ones(300))
    assert unit.XT is unit.XT  # transposed once


@pytest.mark.parametrize("k", [2, 3, 5])
def test_softmax_relative_matches_softmax_rows(k):
    rng = np.random.default_rng(k)
    rel = rng.normal(0.0, 30.0, size=(200, k - 1))
    rel[:3] = [[800.0] * (k - 1), [-800.0] * (k - 1), [0.0] * (k - 1)]  # exp would overflow
    expected_post, expected_norm = softmax_rows(np.column_stack([np.zeros(200), rel]))
    post, norm = softmax_relative(rel.copy())
    assert np.all(np.isfinite(post)) and np.all(np.isfinite(norm))
    np.testing.assert_allclose(post, expected_post[:, 1:], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(norm, expected_norm, rtol=1e-12)


@pytest.mark.parametrize(("k", "m", "dtype"), [(2, 140, ">i2"), (20, 3300, ">i8"), (3, 10, ">i1")])
def test_big_endian_votes_give_the_same_one_hot_as_native_ones(k, m, dtype):
    # big-endian matrices come from .npy files, np.frombuffer, HDF5: their bytes must not be
    # reinterpreted as native codes (out-of-range column indices corrupted the heap)
    L = np.random.default_rng(0).integers(-1, k, (6, m))
    X = one_hot_votes(L.astype(dtype), k)
    ref = one_hot_votes(L, k)
    assert X.indices.max() < m * k
    assert (X != ref).nnz == 0
