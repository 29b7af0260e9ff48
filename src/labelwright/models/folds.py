"""Stratified folds of gold rows, for the cross-validation inside ``auto`` and calibration.

scikit-learn is imported when folds are first asked for, so that importing the label models
(every CLI command does, through ``labelwright bench``) stays quick.
"""

from __future__ import annotations

import numpy as np

from labelwright.models.base import global_random_kept


def stratified_folds(n_splits: int, y: np.ndarray, seed: int | None
                     ) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(fit rows, held-out rows)`` of each of ``n_splits`` folds of ``y``, shuffled with
    ``seed``; each class spread evenly over the folds (scikit-learn's StratifiedKFold)."""
    with global_random_kept():  # scikit-learn's first import draws from Python's
        from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros((len(y), 1)), y))
