"""What the end model learns from and is scored on: probabilistic labels (n x k) as
``labelwright train`` gives them, or one label per text, as scikit-learn's ``fit(X, y)``
and ``score(X, y)`` give them: label names or class indices, ``None``, NaN or -1 where a
text has none (read as :func:`~labelwright.lfs.stats.lf_summary` reads its ``gold``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from labelwright.lfs.stats_inputs import label_indices


def class_targets(y: Any, labels: Sequence[str], who: str) -> np.ndarray:
    """``y`` (one label name or class index per text) as class indices of ``labels``, -1
    where there is none; a ValueError or TypeError naming the position of a value that is
    neither (``who``: the method the message names)."""
    array = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    return label_indices(array, tuple(labels), "y", who)


def as_probs(y: Any, n: int, labels: Sequence[str]) -> Any:
    """``y`` as probabilistic labels for :meth:`~labelwright.end_model.EndModel.fit`: one
    label per text (a 1-D list, array or Series) one-hot, a row of zeros where a text has
    none (fit leaves it out); anything else as given, for the probabilities' own check."""
    array = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    if array.ndim != 1:
        return y
    if len(array) != n:
        raise ValueError(f"fit: y has {len(array)} labels for {n} texts: give one per text, "
                         f"or probabilistic labels of shape (n_texts, {len(labels)})")
    classes = class_targets(array, labels, "fit")
    probs = np.zeros((n, len(labels)))
    rows = np.flatnonzero(classes >= 0)
    probs[rows, classes[rows]] = 1.0
    return probs
