"""Vote patterns: compress a label matrix to its unique rows so work grows with patterns.

Real label matrices repeat a few thousand vote patterns over millions of items; a model
that fits and predicts per unique pattern (weighted by its count) does the same maths at a
fraction of the cost. Matrices whose rows barely repeat (judged on the first rows; e.g.
random synthetic ones) are processed in row chunks instead, as views of ``L`` without copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

CHUNK_ROWS = 1 << 18
#: rows per slice in inner loops (fits in CPU cache)
SLICE_ROWS = 4096
#: compress only when unique rows are at most this share of the probed rows
MAX_UNIQUE_SHARE = 0.5


@dataclass
class Block:
    """A set of vote patterns: ``votes`` (u, m), how many items share each (``counts``, or
    None for 1 each) and the gold class of those items (``gold``, -1 = none; or None)."""

    votes: np.ndarray
    counts: np.ndarray | None
    gold: np.ndarray | None

    @property
    def weights(self) -> np.ndarray:
        if self.counts is None:
            return np.ones(len(self.votes))
        return self.counts


def _row_keys(a: np.ndarray) -> np.ndarray:
    """A 64-bit key per row: sum of (value + 2) times a fixed odd constant per column,
    modulo 2**64. Equal rows get equal keys; different rows collide with probability
    ~2**-64 per pair (:func:`_unique_rows` checks)."""
    rng = np.random.default_rng(0x1AB31)
    mult = np.asarray(rng.integers(1, 2**63, size=a.shape[1], dtype=np.uint64)) | np.uint64(1)
    keys = np.zeros(len(a), dtype=np.uint64)
    for j in range(a.shape[1]):
        col = a[:, j].astype(np.uint64)
        col += np.uint64(2)  # -1 (abstain) becomes 1, never 0
        col *= mult[j]
        keys += col
    return keys


def _unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique rows of a small-int matrix, with inverse and counts.

    Sorts one 64-bit key per row instead of whole rows (several times faster), then checks
    that every row equals its representative; on a key collision it sorts rows instead.
    """
    a = np.ascontiguousarray(a)
    _, first, inverse, counts = np.unique(_row_keys(a), return_index=True,
                                          return_inverse=True, return_counts=True)
    uniq = a[first]
    if not np.array_equal(uniq[inverse], a):
        uniq, inverse, counts = np.unique(a, axis=0, return_inverse=True, return_counts=True)
    return uniq, inverse.reshape(-1), counts


def _compact(L: np.ndarray) -> np.ndarray:
    """The smallest signed int dtype holding L (votes fit int8 below 128 classes)."""
    if L.dtype.itemsize > 1 and L.max() < 127:
        return L.astype(np.int8)
    return L


def worth_compressing(L: np.ndarray, probe_rows: int = 20_000) -> bool:
    """Whether rows repeat enough (judged on the first ``probe_rows``) to work on patterns."""
    n = L.shape[0]
    if n <= probe_rows:
        return True
    keys = np.sort(_row_keys(L[:probe_rows]))  # counted on sorted keys: np.unique is slower
    distinct = 1 + int(np.count_nonzero(keys[1:] != keys[:-1]))
    return distinct <= MAX_UNIQUE_SHARE * probe_rows


def blocks(L: np.ndarray, y_dev: np.ndarray | None = None,
           chunk_rows: int = CHUNK_ROWS) -> Iterator[Block]:
    """Yield the label matrix as blocks of (pattern, count, gold) rows.

    When rows repeat (:func:`worth_compressing`), each chunk is compressed to its unique
    (votes, gold) rows with counts; otherwise chunks are views of ``L`` with ``counts=None``.
    """
    compress = worth_compressing(L)
    for start in range(0, L.shape[0], chunk_rows):
        yield block(L, y_dev, start, start + chunk_rows, compress)


def block(L: np.ndarray, y_dev: np.ndarray | None, start: int, stop: int,
          compress: bool) -> Block:
    """Rows ``start:stop`` of ``L`` as one block of :func:`blocks` (``compress`` as
    :func:`worth_compressing` says for the whole matrix); blocks can so be made on
    several threads."""
    part = L[start:stop]
    gold = None if y_dev is None else y_dev[start:stop]
    if not compress:
        return Block(part, None, gold)
    key = _compact(part)
    if gold is not None:  # a signed type, so gold -1 (none) stays -1 next to uint8 votes
        signed = np.promote_types(key.dtype, np.int8)
        signed = signed if signed.kind == "i" else np.dtype(np.int64)
        if gold.size:  # and wide enough for the gold classes (>= 128 wrapped in int8)
            signed = np.promote_types(signed, np.min_scalar_type(-int(gold.max()) - 1))
        key = np.column_stack([key.astype(signed, copy=False), gold.astype(signed)])
    uniq, _, counts = _unique_rows(key)
    g = None if gold is None else uniq[:, -1].astype(np.int64)
    return Block(uniq[:, : L.shape[1]], counts.astype(np.float64), g)


def map_patterns(L: np.ndarray, fn: Callable[[np.ndarray], np.ndarray], n_out: int,
                 chunk_rows: int = CHUNK_ROWS) -> np.ndarray:
    """Apply ``fn`` (patterns (u, m) -> (u, n_out) float64) to every row of ``L``.

    ``fn`` runs on unique rows per chunk when rows repeat, on the raw chunk otherwise, so the
    result is identical either way and memory is bounded by the chunk size plus the output.
    """
    n = L.shape[0]
    out = np.empty((n, n_out), dtype=np.float64)
    compress = worth_compressing(L)
    for start in range(0, n, chunk_rows):
        part = L[start:start + chunk_rows]
        if compress:
            uniq, inverse, _ = _unique_rows(_compact(part))
            out[start:start + len(part)] = fn(uniq)[inverse]
        else:
            out[start:start + len(part)] = fn(part)
    return out


def class_vote_counts(votes: np.ndarray, cardinality: int,
                      weights: np.ndarray | None = None) -> np.ndarray:
    """(u, k) float64: per pattern, the (weighted) number of LFs voting each class.

    Computed in float32 on slices of ``SLICE_ROWS`` rows, which stay in CPU cache (several
    times faster than one pass over a large chunk); unweighted counts are exact.
    """
    u, m = votes.shape
    w = np.ones(m, dtype=np.float32) if weights is None else np.asarray(weights, np.float32)
    out = np.empty((u, cardinality), dtype=np.float64)
    for start in range(0, u, SLICE_ROWS):
        part = votes[start:start + SLICE_ROWS]
        for c in range(cardinality):
            out[start:start + SLICE_ROWS, c] = (part == c).astype(np.float32) @ w
    return out
