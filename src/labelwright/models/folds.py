"""Stratified folds of gold rows, for the cross-validation inside ``auto`` and calibration.

scikit-learn is imported when folds are first asked for, so that importing the label models
(every CLI command does, through ``labelwright bench``) stays quick.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def python_random_kept() -> Iterator[None]:
    """Python's ``random`` state as it was before: the first import of some scikit-learn
    modules (``sklearn.metrics``, which ``model_selection`` and ``isotonic`` import) draws
    from it, and a label model's ``random_state`` must be the only randomness it touches."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def stratified_folds(n_splits: int, y: np.ndarray, seed: int | None
                     ) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(fit rows, held-out rows)`` of each of ``n_splits`` folds of ``y``, shuffled with
    ``seed``; each class spread evenly over the folds (scikit-learn's StratifiedKFold)."""
    with python_random_kept():
        from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros((len(y), 1)), y))
