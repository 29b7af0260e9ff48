"""The vote-pattern parts of :class:`~labelwright.models.calibration.Calibrator`'s methods:
what ``vote_pattern`` and ``no_vote_bias`` fit one temperature for, and the probabilities
``no_vote_bias`` gives items no LF voted on."""

from __future__ import annotations

import numpy as np

from labelwright.models.vote_calibration import VOTE_PATTERNS

#: ``no_vote_bias``: the model's own probabilities on the uncovered items count as this
#: many gold rows beside the uncovered gold rows: a few, so that ten such rows move the
#: shares most of the way (UCI SMS, 33 of 500 valid rows: 31 ham, shares 0.91 from 0.5),
#: while one or two do not decide alone
NO_VOTE_PRIOR_ROWS = 2.0


def no_vote_probs(probs: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """The class shares of the gold rows no LF voted on (``probs``: their probabilities,
    ``y``: their classes), shrunk toward the model's mean probabilities on them. A label
    model gives every such item its class balance; where that balance is not the
    uncovered items' mix (an even balance on a set of 13.6% spam, whose uncovered items are
    92.5% ham), no temperature can move them, and a bias on every class moved covered items
    that were right."""
    prior = probs.mean(axis=0) if len(probs) else np.full(k, 1.0 / k)
    counts = np.bincount(y, minlength=k).astype(np.float64)
    shares = (counts + NO_VOTE_PRIOR_ROWS * prior) / (len(y) + NO_VOTE_PRIOR_ROWS)
    return np.clip(shares, 1e-12, 1.0)


#: the vote patterns of items some LF voted on
COVERED_PATTERNS = tuple(p for p in VOTE_PATTERNS if p != "no_vote")


def pattern_keys(method: str, k: int) -> tuple[str, ...]:
    """What ``method`` fits one temperature for: each vote pattern (``vote_pattern``); each
    vote pattern of the covered items and top class, as ``"one_vote/1"`` (``no_vote_bias``,
    which gives the items with no vote :func:`no_vote_probs` instead); nothing otherwise.
    By top class too, because one pattern can hold two kinds of item: on UCI SMS at an even
    class balance, the one-vote items whose top class is spam were 0.99 confident and 50-70%
    right, those whose top class is ham 0.87-0.89 confident and 98% right; one temperature
    for both softened the right ones (test ECE 2.9% -> 7.8%)."""
    if method == "vote_pattern":
        return VOTE_PATTERNS
    if method == "no_vote_bias":
        return tuple(f"{p}/{c}" for p in COVERED_PATTERNS for c in range(k))
    return ()


def pattern_places(method: str, codes: np.ndarray, top: np.ndarray, k: int) -> np.ndarray:
    """Each row's place among :func:`pattern_keys` (-1: none, the shared temperature), from
    its vote pattern's place in :data:`~labelwright.models.vote_calibration.VOTE_PATTERNS`
    (``codes``, -1 when not known) and, for ``no_vote_bias``, its top class (``top``)."""
    if method != "no_vote_bias":
        return codes
    covered_place = np.array([COVERED_PATTERNS.index(p) if p in COVERED_PATTERNS else -1
                              for p in VOTE_PATTERNS] + [-1])
    place = covered_place[codes]  # a code of -1 reads the last entry: -1
    return np.where(place >= 0, place * k + top, -1)

