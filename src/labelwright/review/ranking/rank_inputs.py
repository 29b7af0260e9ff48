"""The arguments :func:`~labelwright.review.ranking.rank.rank_queue` is given, checked before
the end model's folds are fit: one row or entry per item, labels and reviewed labels in
range, and the probabilities each item's label before review was shown with."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelwright.review.ranking.signals import _per_item


def checked_inputs(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *,
                   label: np.ndarray | None, reviewed_gold: np.ndarray | None
                   ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """``label`` and ``reviewed_gold`` as arrays of one class index per item (None when
    not given), and whether any LF voted on each item; :class:`ValueError` when ``probs``
    (n x k, as floats), ``votes`` and ``texts`` describe different numbers of items, or an
    argument has no entry per item, or a reviewed label is neither -1 nor a class."""
    n, k = probs.shape
    if len(texts) != n or len(votes) != n:
        raise ValueError(f"probs has {n} rows but votes has {len(votes)} and texts "
                         f"{len(texts)}; they must describe the same items")
    if label is not None:  # before the end model's folds are fit
        label = _per_item(label, n, "label")
    covered = np.asarray((np.asarray(votes) >= 0).any(axis=1) if n else [], dtype=bool)
    gold = None
    if reviewed_gold is not None:
        gold = _per_item(reviewed_gold, n, "reviewed_gold")
        if n and (gold.min() < -1 or gold.max() >= k):
            raise ValueError(f"reviewed_gold must be -1 (not reviewed) or 0..{k - 1}, got "
                             f"values from {gold.min()} to {gold.max()}")
    return label, covered, gold


def shown_label_probs(shown_probs: np.ndarray | None, probs: np.ndarray,
                shown: np.ndarray) -> np.ndarray:
    """The probabilities each item's label before review was shown with (``probs``, the
    run's own, where not given); a row of an item with a shown label must hold them."""
    if shown_probs is None:
        return probs
    shown_probs = np.asarray(shown_probs, dtype=np.float64)
    if shown_probs.shape != probs.shape:
        raise ValueError(f"shown_probs has shape {shown_probs.shape}; probs has "
                         f"{probs.shape}: they must describe the same items and labels")
    if np.isnan(shown_probs[shown >= 0]).any():
        raise ValueError("shown_probs is NaN on an item whose shown_label is a label: "
                         "give the probabilities it was shown with, or -2 (not known)")
    return shown_probs
