"""What the out-of-fold end model says of each item, for the review records to show beside
the label model's label (:mod:`labelwright.review.queue.why`)."""

from __future__ import annotations

import numpy as np

from labelwright.review.ranking.rank import RankResult


def end_model_verdicts(ranked: RankResult | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Per item, the out-of-fold end model's label (-1 where no fold's model scored the
    item) and its probability, which the review records show beside the label model's;
    None without a ranking or its end model."""
    if ranked is None or ranked.end_proba is None:
        return None
    proba = np.asarray(ranked.end_proba, dtype=np.float64)
    if proba.ndim != 2 or not len(proba):
        return None
    label = proba.argmax(axis=1)
    scored = (np.ones(len(proba), dtype=bool) if ranked.end_scored is None
              else np.asarray(ranked.end_scored, dtype=bool))
    return np.where(scored, label, -1), proba[np.arange(len(proba)), label]
