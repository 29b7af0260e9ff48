"""Confidence against accuracy on gold per vote pattern, measured for the run's summary,
``runs show`` and the report: how the LFs' votes on an item stand (agreeing, conflicting,
split, one vote, none), and per pattern the label model's mean confidence against its
accuracy. It changes no probability: the calibration that fits a temperature per vote
pattern is :mod:`~labelwright.models.pattern_calibration`. One expected calibration error
over all items (:mod:`labelwright.models.reliability`) averages an over-confident small
group (a split the model settles with a high probability) with a well-calibrated large one
and hides it.

numpy only (the interval is numpy and the standard library too): ``runs
show`` prints these numbers from a manifest without loading the label models."""

from __future__ import annotations

from typing import Any

import numpy as np

#: how the LFs' votes on an item stand, the groups :func:`calibration_by_votes` measures:
#: two or more votes all for one label; votes for two or more labels, one with the most;
#: votes for two or more labels, the top two with as many votes each (a split); one vote
#: only; no vote
VOTE_PATTERNS = ("agree", "conflict", "split", "one_vote", "no_vote")
#: each pattern in the words the run's summary and the report show it with
VOTE_PATTERN_WORDS = {"agree": "votes agree", "conflict": "votes conflict, one label ahead",
                      "split": "votes split, top labels tied", "one_vote": "one vote only",
                      "no_vote": "no vote"}
#: each :func:`confidence_gap` in the words the run's summary, ``runs show`` and the report
#: flag it with
GAP_WORDS = {"over": "over-confident", "under": "under-confident"}


def vote_patterns(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """Each item's entry of :data:`VOTE_PATTERNS` from its row of the label matrix
    ``votes`` (-1: abstain). A label model reads a split as evidence either way and may
    still put a high probability on one side, so its confidence there is worth checking
    apart from the items whose votes agree."""
    return np.asarray(VOTE_PATTERNS)[vote_pattern_codes(votes, n_labels)]


def vote_pattern_codes(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """:func:`vote_patterns` as int8 positions in :data:`VOTE_PATTERNS` (a calibration
    per pattern reads them for every item it calibrates)."""
    votes = np.asarray(votes)
    counts = np.zeros((len(votes), max(n_labels, 2)), dtype=np.int64)
    for column in votes.T:
        voted = column >= 0
        counts[np.flatnonzero(voted), column[voted]] += 1
    ranked = np.sort(counts, axis=1)
    top, second, total = ranked[:, -1], ranked[:, -2], counts.sum(axis=1)
    code = VOTE_PATTERNS.index
    return np.select([total == 0, total == 1, second == 0, top == second],
                     [code("no_vote"), code("one_vote"), code("agree"), code("split")],
                     code("conflict")).astype(np.int8)


def calibration_by_votes(patterns: np.ndarray, confidence: np.ndarray,
                         correct: np.ndarray) -> dict[str, dict[str, Any]]:
    """Per vote pattern (:func:`vote_patterns` of the gold items) that holds an item, in
    :data:`VOTE_PATTERNS` order: ``items``, mean ``confidence``, ``correct`` and
    ``accuracy`` of the labels given, the 95% Wilson interval of that accuracy
    (``ci_low``, ``ci_high``) and ``gap`` (:func:`confidence_gap`: ``"over"``, ``"under"``
    or None)."""
    patterns, confidence = np.asarray(patterns), np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=bool)
    out: dict[str, dict[str, Any]] = {}
    for pattern in VOTE_PATTERNS:
        mask = patterns == pattern
        n = int(mask.sum())
        if n:
            right, mean = int(correct[mask].sum()), float(confidence[mask].mean())
            low, high = _wilson(right, n)
            out[pattern] = {"items": n, "confidence": mean, "correct": right,
                            "accuracy": right / n, "ci_low": low, "ci_high": high,
                            "gap": confidence_gap(right, n, mean)}
    return out


def confidence_gap(correct: int, items: int, confidence: float) -> str | None:
    """``"over"`` when the accuracy's 95% Wilson interval (``correct`` of ``items``) lies
    wholly below the mean ``confidence`` (right less often than it says), ``"under"``
    when it lies wholly above (right more often: items go to review that need not), None
    when the interval holds it or there are no items."""
    if items <= 0:
        return None
    low, high = _wilson(correct, items)
    return "over" if high < confidence else "under" if low > confidence else None


def _wilson(correct: int, items: int) -> tuple[float, float]:
    """The project's 95% Wilson interval."""
    from labelwright.review.stats.agreement import wilson_interval

    return wilson_interval(int(correct), int(items))
