"""The arrays :class:`~labelwright.models.calibration.Calibrator` is given, checked and read
into what its methods fit on: log-probabilities, gold class indices and each row's facts
(whether an LF voted on it, its vote pattern)."""

from __future__ import annotations

import numpy as np

from labelwright.models.calibration_methods import log_probs, row_facts
from labelwright.models.vote_calibration import vote_pattern_codes


def calibration_inputs(probs: np.ndarray, y: np.ndarray | None, covered: np.ndarray | None,
                       votes: np.ndarray | None, *, patterns: bool = True
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The log-probabilities, the gold classes (zeros without ``y``) and :func:`row_facts`
    (the vote patterns only if ``patterns``), each checked against ``probs``' rows.
    ``covered`` (whether an LF voted on each row) wins over what ``votes`` (the rows of
    the label matrix, -1 abstain) say of it."""
    logp = log_probs(probs)
    if logp.ndim != 2:
        raise ValueError(f"probs must be (n_items, n_labels), got shape {logp.shape}")
    n, k = logp.shape
    y_arr = np.zeros(n, dtype=np.int64)
    if y is not None:
        y_arr = np.asarray(y, dtype=np.int64)
        if y_arr.shape != (n,):
            raise ValueError(f"y must have one gold class per row of probs ({n}), "
                             f"got shape {y_arr.shape}")
        if n and (y_arr.min() < 0 or y_arr.max() >= k):
            raise ValueError(f"y must hold class indices 0..{k - 1}; "
                             f"got values {y_arr.min()}..{y_arr.max()}")
    cov, codes = None, None
    if votes is not None:
        votes = np.asarray(votes)
        if votes.ndim != 2 or len(votes) != n:
            raise ValueError(f"votes must be the label matrix's rows of the {n} rows of "
                             f"probs (n_items, n_lfs), got shape {votes.shape}")
        if votes.size and votes.max() >= k:
            row, lf = np.argwhere(votes >= k)[0]
            raise ValueError(f"votes must hold class indices 0..{k - 1} or -1 "
                             f"(abstain); got {votes[row, lf]} at row {row}, LF {lf}")
        cov = np.asarray((votes >= 0).any(axis=1))
        if patterns:
            codes = vote_pattern_codes(votes, k)
    if covered is not None:
        cov = np.asarray(covered, dtype=bool)
        if cov.shape != (n,):
            raise ValueError(f"covered must have one entry per row of probs ({n}), "
                             f"got shape {cov.shape}")
    return logp, y_arr, row_facts(n, cov, codes)
