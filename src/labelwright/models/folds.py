"""Stratified folds of gold rows, for the cross-validation inside ``auto`` and calibration,
and the held-out probabilities of a label model fit on each fold's others (``auto`` and
``labelwright bench`` score those).

scikit-learn is imported when folds are first asked for, so that importing the label models
(every CLI command does, through ``labelwright bench``) stays quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from labelwright.models.base import LabelModel, global_random_kept
from labelwright.models.fit_warnings import fit_warnings_left_to_caller


def stratified_folds(n_splits: int, y: np.ndarray, seed: int | None
                     ) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(fit rows, held-out rows)`` of each of ``n_splits`` folds of ``y``, shuffled with
    ``seed``; each class spread evenly over the folds (scikit-learn's StratifiedKFold)."""
    with global_random_kept():  # scikit-learn's first import draws from Python's
        from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros((len(y), 1)), y))


def held_out_proba(make: Callable[[], LabelModel], L: np.ndarray, y_dev: np.ndarray,
                   gold_rows: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]], *,
                   class_balance: np.ndarray | None = None) -> np.ndarray:
    """Probabilities of ``L[gold_rows]``, each row's from a model ``make()`` fit on ``L``
    with ``y_dev`` minus the gold of that row's fold (``folds``: pairs of positions into
    ``gold_rows``, the second the held-out ones), so no row is scored by a fit that saw
    its own gold label."""
    out: np.ndarray | None = None
    for _, held in folds:
        hidden = y_dev.copy()
        hidden[gold_rows[held]] = -1
        with fit_warnings_left_to_caller():  # a fit only to be scored
            probs = make().fit(L, y_dev=hidden, class_balance=class_balance).predict_proba(
                L[gold_rows[held]])
        if out is None:
            out = np.empty((len(gold_rows), probs.shape[1]))
        out[held] = probs
    assert out is not None, "no folds"
    return out
