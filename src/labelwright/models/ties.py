"""From probabilistic labels to one class per item: the tie-break policies every label
model's ``predict`` applies, and the row-wise helpers models share."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from labelwright.data.value_text import object_hashes

TIE_BREAKS = ("abstain", "first", "random")
#: classes whose probabilities are within this of the row maximum tie (see break_ties)
TIE_TOL = 1e-5


def row_max(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=1, keepdims=True)``, column by column: much faster for few columns."""
    out = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        np.maximum(out, a[:, c], out=out)
    return out[:, None]


def row_sum(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1, keepdims=True)``, column by column: much faster for few columns."""
    out = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        out += a[:, c]
    return out[:, None]


def row_hash(rows: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic per-row hash: SHA-1 of the row index plus ``seed``.

    With ``seed=0`` this is snorkel's ``probs_to_preds(tie_break_policy="random")`` hash,
    so majority vote reproduces WRENCH's published numbers.
    """
    return np.array(
        [int(hashlib.sha1(str(int(i)).encode()).hexdigest(), 16) + seed for i in rows],
        dtype=object,
    )


def break_ties(probs: np.ndarray, tie_break: str, seed: int = 0,
               row_ids: np.ndarray | None = None) -> np.ndarray:
    """Turn probabilistic labels into class indices, breaking ties by ``tie_break``.

    Classes within :data:`TIE_TOL` of the row maximum tie. ``"abstain"`` gives -1,
    ``"first"`` the lowest tied class, ``"random"`` a tied class chosen by :func:`row_hash`
    of the row index (``row_ids[i]`` for row ``i`` when given: rows taken out of a larger
    matrix get the coin flips they get there).
    """
    if tie_break not in TIE_BREAKS:
        raise ValueError(f"unknown tie_break {tie_break!r}; valid: {', '.join(TIE_BREAKS)}")
    preds = probs.argmax(axis=1).astype(np.int64)
    tied = row_sum((probs >= row_max(probs) - TIE_TOL).astype(np.int8))[:, 0] > 1
    rows = np.flatnonzero(tied)
    if len(rows) == 0:
        return preds
    if tie_break == "abstain":
        preds[rows] = -1
        return preds
    near = probs[rows] >= probs[rows].max(axis=1, keepdims=True) - TIE_TOL
    if tie_break == "first":
        preds[rows] = near.argmax(axis=1)
        return preds
    n_tied = near.sum(axis=1)
    ids = rows if row_ids is None else np.asarray(row_ids, dtype=np.int64)[rows]
    pick = (row_hash(ids, seed) % n_tied).astype(np.int64)
    # position of the pick-th tied class in each row
    rank = np.cumsum(near, axis=1) - 1
    preds[rows] = np.argmax(near & (rank == pick[:, None]), axis=1)
    return preds


def id_numbers(ids: Sequence[str]) -> np.ndarray:
    """A number per item from its id (int64, the same in every process and on every
    machine), for :func:`break_ties`' ``row_ids``: a tied item then gets the same coin flip
    whatever row it is in, so sorting or re-exporting a dataset moves no label."""
    hashed = object_hashes(ids, hash_key="labelwright ties")  # pandas' hash of each id
    return (hashed >> np.uint64(1)).astype(np.int64)
