"""How Dawid–Skene's confusion matrices are read: as log tables of votes and classes
(:func:`log_tables`), the form both EM's E-step and prediction take them in, and which
(LF, vote) pairs the fitted tables read against their own class (:func:`against_own_class`).

Apart from :mod:`~labelwright.models.dawid_skene`, which keeps the model: these are plain
functions of its learned arrays."""

from __future__ import annotations

import numpy as np

from labelwright.models.duplicate_lfs import evidence_shares
from labelwright.models.held_votes import held_evidence

#: log(0) is floored here, so tables stay finite (0 * -inf would be nan)
LOG_FLOOR = -1e4


def log_tables(confusion: np.ndarray, class_balance: np.ndarray, *, informative: bool,
               copy_of: np.ndarray | None, held: np.ndarray | None = None,
               held_accuracy: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(W, base)`` of ``confusion`` (m, k, k+1): ``W`` (m*k, k) holds log P(vote v | y) at
    row ``j*k + v``; ``base`` (k,) is log P(y). When abstains inform (``informative``),
    ``base`` also sums every LF's log P(abstain | y) and ``W`` subtracts the voting LF's,
    so ``X @ W + base`` is the full log joint either way. ``held`` (m, k) bool: the (LF,
    vote) pairs read at ``held_accuracy`` instead
    (:func:`~labelwright.models.held_votes.held_evidence`); ``copy_of``: each group of
    exact copies of an LF weighs as one (None: no copies)."""
    m, k = confusion.shape[0], confusion.shape[1]
    with np.errstate(divide="ignore"):
        log_conf = np.maximum(np.log(confusion), LOG_FLOOR)
    votes = log_conf[:, :, 1:]  # (m, y, v)
    base = np.log(class_balance)
    W = votes.transpose(0, 2, 1).reshape(m * k, k)
    if held is not None and held.any():
        assert held_accuracy is not None  # recorded with held
        W = np.where(held.reshape(-1, 1), held_evidence(held_accuracy), W)
    shares = evidence_shares(copy_of)  # None: no copies
    if informative:
        W = W - np.repeat(log_conf[:, :, 0], k, axis=0)
        base = base + (log_conf[:, :, 0].sum(axis=0) if shares is None
                       else shares @ log_conf[:, :, 0])
    return (W, base) if shares is None else (W * np.repeat(shares, k)[:, None], base)


def against_own_class(W: np.ndarray, k: int) -> np.ndarray:
    """(m, k) bool: LF j's vote v is better explained by another class than by v, in the
    tables ``W`` (m*k, k) of :func:`log_tables`."""
    m = W.shape[0] // k
    own = W[np.arange(m * k), np.tile(np.arange(k), m)]
    return (own < W.max(axis=1) - 1e-9).reshape(m, k)
