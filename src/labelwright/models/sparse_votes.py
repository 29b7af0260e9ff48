"""Sparse votes: a block of vote patterns kept as its non-abstain entries only.

A label matrix with 50 LFs at 20% coverage has ~10 votes per row; an EM step over it only
needs those 10 ``(LF, vote)`` pairs per row, not 50 columns turned into one float matrix
per outcome. :class:`SparseVotes` holds a block as a CSR one-hot matrix ``X`` of shape
``(rows, n_lfs * cardinality)``: row ``i`` has a 1 in column ``j * cardinality + v`` when LF
``j`` voted ``v`` on it. Then, for a table ``W`` with one row per (LF, vote),

* ``X @ W`` sums, per row, the entries of the votes it got (the E-step's log-likelihoods),
* ``X.T @ P`` sums, per (LF, vote), the rows that got that vote (the M-step's counts),

each one pass over the entries in compiled code. The stored ``1`` values are views of one
shared array, so a block costs 4 bytes per vote plus 4 per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

_ONES = np.ones(0)


def _ones(n: int) -> np.ndarray:
    """A read-only view of ``n`` float64 ones, shared between blocks."""
    global _ONES
    if len(_ONES) < n:
        _ONES = np.ones(max(n, 2 * len(_ONES)))
        _ONES.flags.writeable = False
    return _ONES[:n]


@dataclass
class SparseVotes:
    """One block: ``X`` (rows, m*k) CSR one-hot of the votes, the rows' ``weights`` (how
    many items share each pattern) and ``gold`` (gold class per row, -1 = none; or None)."""

    X: sparse.csr_matrix
    weights: np.ndarray
    gold: np.ndarray | None

    @property
    def n_rows(self) -> int:
        return self.X.shape[0]


def one_hot_votes(votes: np.ndarray, cardinality: int) -> sparse.csr_matrix:
    """CSR ``(rows, m * cardinality)`` one-hot of a vote block (-1 = abstain, no entry)."""
    rows, m = votes.shape
    k = cardinality
    flat_votes = np.ascontiguousarray(votes).reshape(-1)
    voted = flat_votes >= 0
    where = np.flatnonzero(voted)
    index_type = np.int32 if rows * m < 2**31 else np.int64
    columns = where.astype(index_type) % m  # the LF of each vote ...
    columns *= k
    columns += flat_votes.take(where)  # ... and its vote
    indptr = np.zeros(rows + 1, dtype=index_type)
    np.cumsum(voted.reshape(rows, m).view(np.uint8).sum(axis=1, dtype=index_type),
              out=indptr[1:])
    return sparse.csr_matrix((_ones(len(where)), columns, indptr), shape=(rows, m * k),
                             copy=False)


def sparse_votes(votes: np.ndarray, cardinality: int, weights: np.ndarray,
                 gold: np.ndarray | None = None) -> SparseVotes:
    return SparseVotes(one_hot_votes(votes, cardinality), weights, gold)


def vote_class_table(n_lfs: int, cardinality: int) -> np.ndarray:
    """(m*k, k) table mapping each (LF, vote) column of ``X`` to its voted class."""
    return np.tile(np.eye(cardinality), (n_lfs, 1))


def softmax_rows(joint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalise ``exp(joint)`` per row in place; returns (posterior, log normaliser).

    Works column by column: for the few columns of a label model this is much faster than
    reductions along axis 1.
    """
    k = joint.shape[1]
    top = joint[:, 0].copy()
    for c in range(1, k):
        np.maximum(top, joint[:, c], out=top)
    joint -= top[:, None]
    np.exp(joint, out=joint)
    norm = joint[:, 0].copy()
    for c in range(1, k):
        norm += joint[:, c]
    joint /= norm[:, None]
    np.log(norm, out=norm)
    norm += top
    return joint, norm
