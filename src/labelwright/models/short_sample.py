"""A random sample of reviews too short of a class for ``auto`` to choose with: the class
balance it may still set, and the labels it lacks.

With a few dozen reviews a label of a few percent has 0-4 of them, and its share taken as
found sets its LFs' accuracies by it. So the votes' share of each label stands unless the
sample shows it wrong (:func:`sample_against_votes`), and a label the votes give many items
that the sample holds none of is named (:func:`missing_labels`; the run's words for it:
:func:`~labelwright.models.balance_notes.missing_labels_warning`). Which samples count as short,
and what else their rows may do, :mod:`~labelwright.models.gold_use` decides.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, majority_vote_items

#: a random sample too short of a class to choose (CV cannot check its mix) keeps a class's
#: share of the votes' balance (:func:`~labelwright.models.class_prior.votes_prior`) where it
#: lies within the Wilson interval of its share of the sample at this level, 1 - 0.05: 95%
#: (:func:`sample_against_votes`): 29 reviews without address_change (6.7% by the votes,
#: 4.6% truly) had set it to 2.8%, and 109 right labels went to praise (benchmarks/RESULTS.md,
#: "Gold that made the label model worse")
SAMPLE_INTERVAL_ALPHA = 0.05
#: how many reviews the votes' balance counts as beside the sample's mix, for a class whose
#: votes' share the sample shows wrong: 2 eminem reviews in 100 (4.8% of the items) taken as
#: found had set that label to 2.9%, and accuracy where labeled fell from 95.5% to 85.4%
#: (benchmarks/RESULTS.md, "A random sample short of a label")
SHORT_SAMPLE_VOTE_ROWS = MIN_GOLD_FOR_BALANCE
#: a label the votes give at least this many items, absent from a random sample too short
#: of a class to choose, is named in the run's warnings
#: (:func:`~labelwright.models.balance_notes.missing_labels_warning`)
MISSING_LABEL_ITEMS = 20


def sample_against_votes(share: np.ndarray, votes: np.ndarray, counts: np.ndarray
                         ) -> np.ndarray:
    """The class balance from a random sample too short of a class for CV to check its mix:
    each class at the votes' share ``votes`` where that lies in the 95% interval of its
    share of the sample's reviews (``counts``, of ``counts.sum()``;
    :func:`~labelwright.review.stats.agreement.wilson_interval` at
    :data:`SAMPLE_INTERVAL_ALPHA`), else at the sample's post-stratified ``share`` shrunk
    toward the votes' as if they were :data:`SHORT_SAMPLE_VOTE_ROWS` more reviews;
    renormalised.

    0 of 29 reviews is what a label of 6.7% gives 13% of the time, and its interval (0 to
    11.7%) holds 6.7%: such a sample cannot move the votes' share (shrunk, it took that
    label to 2.8% and 109 of its right labels). 0 of 30 against the votes' 20% can. Moving
    each share only to the interval's edge instead cost a 16-label project 1.6 points of
    accuracy: a share the sample shows wrong is the votes' bias, and the edge keeps part
    of it (benchmarks/RESULTS.md, "Gold that made the label model worse")."""
    from labelwright.review.stats.agreement import wilson_interval

    n = int(np.sum(counts))
    votes = np.asarray(votes, dtype=np.float64)
    # no review: no interval, and the votes' share stands (shrunk by 0 reviews it is theirs)
    low, high = np.array([wilson_interval(int(c), n, alpha=SAMPLE_INTERVAL_ALPHA)
                          if n else (0.0, 1.0) for c in np.asarray(counts)]).T
    shrunk = (n * np.asarray(share, dtype=np.float64) + SHORT_SAMPLE_VOTE_ROWS * votes) / (
        n + SHORT_SAMPLE_VOTE_ROWS)
    balance = np.where((votes >= low) & (votes <= high), votes, shrunk)
    return balance / balance.sum()


def missing_labels(L: np.ndarray, y_drawn: np.ndarray, cardinality: int) -> list[list[Any]]:
    """``[class, items the votes give it]`` for each class absent from a random sample's
    reviews ``y_drawn`` that the votes give >= :data:`MISSING_LABEL_ITEMS` of the items
    ``L`` the sample stands for (:func:`~labelwright.models.class_prior.majority_vote_items`),
    most items first."""
    items = majority_vote_items(L, cardinality)
    counts = np.bincount(y_drawn, minlength=cardinality)
    absent = [c for c in range(cardinality)
              if counts[c] == 0 and items[c] >= MISSING_LABEL_ITEMS]
    return [[int(c), round(float(items[c]))] for c in sorted(absent, key=lambda c: -items[c])]
