"""The end model's verdict on every item of the review queue, for
:func:`~labelwright.review.ranking.rank.rank_queue`: a text classifier trained out of fold
on the probabilistic labels, the reviewed items on their reviewed labels
(:mod:`labelwright.end_model.out_of_fold`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from labelwright.end_model.out_of_fold import OutOfFold, score_out_of_fold


def end_model_scores(probs: np.ndarray, texts: Sequence[str], covered: np.ndarray,
                     gold: np.ndarray | None, *, seed: int, n_splits: int,
                     workers: int | None, features: str, cache_dir: Path | None,
                     groups: np.ndarray | None,
                     progress: Callable[[str, int, int], None] | None) -> OutOfFold:
    """Out-of-fold end-model probabilities of each item's labels (n x k) and the rows a
    fold's model scored. It learns from the items some LF voted on (``covered``), with
    their probabilistic labels, and from the reviewed ones (``gold`` >= 0), with their
    reviewed label, certain, which every fold's model keeps; ``progress`` hears the folds
    (see :func:`~labelwright.review.ranking.rank.rank_queue`)."""
    k = probs.shape[1]
    train_probs, train_mask, done = probs, covered, None
    if gold is not None and (gold >= 0).any():
        done = gold >= 0
        train_probs = probs.copy()
        train_probs[done] = np.eye(k)[gold[done]]
        train_mask = covered | done
    # reviewed labels are few and certain: every fold model keeps them
    return score_out_of_fold(
        texts, train_probs, [str(c) for c in range(k)], train_mask=train_mask,
        n_splits=n_splits, seed=seed, keep=done, workers=workers, features=features,
        cache_dir=cache_dir, groups=groups,
        fold_done=(lambda done, folds: progress("review ranking", done, folds))
        if progress is not None else None)
