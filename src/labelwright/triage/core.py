"""Triage itself: each item's label, confidence, status and reasons, and the review queue's
order, from the label model's probabilities and the LFs' votes (:func:`triage`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from labelwright.config.schema import PROPORTIONAL
from labelwright.lfs.stats import vote_counts
from labelwright.short_repr import ShortRepr
from labelwright.triage.draws import draw_keys, known_items, stratified_sample
from labelwright.triage.reasons import (
    ACCEPTED,
    DOUBT_REASONS,
    HEAD_REASONS,
    REVIEW,
    REVIEWED,
    THRESHOLD_SLACK,
    against_votes,
    conflicts_to_review,
    item_reasons,
    statuses,
    triage_counts,
)


@dataclass(repr=False)
class Triage(ShortRepr):
    label: np.ndarray  # class index per item, -1 where no label
    confidence: np.ndarray  # probability of that label; 0 where no label
    status: np.ndarray  # "accepted" | "review"
    reasons: list[tuple[str, ...]]
    order: np.ndarray  # item indices of the review queue, most useful first

    def counts(self) -> dict[str, int]:
        return triage_counts(self.status, self.reasons)

    def summary(self) -> dict[str, object]:
        return {"items": len(self.label), "queue": len(self.order),
                **{status: int((self.status == status).sum())
                   for status in (ACCEPTED, REVIEW, REVIEWED)}}


def _check_inputs(probs: np.ndarray, votes: np.ndarray, predicted: np.ndarray,
                  threshold: float, reviewed: np.ndarray | None,
                  score: np.ndarray | None, head: dict[str, np.ndarray | None]) -> None:
    """A ValueError naming the input that does not fit (numpy's own errors said neither
    which nor why, and a NaN threshold or probability let every item pass)."""
    if np.ndim(probs) != 2:
        raise ValueError(f"probs must be (items, labels), got shape {np.shape(probs)}")
    n, k = np.shape(probs)
    if not np.all(np.isfinite(probs)):
        raise ValueError("probs hold NaN or infinite values: the label model's fit went wrong")
    if not isinstance(threshold, int | float | np.number) or not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be a number from 0 to 1, got {threshold!r}")
    votes = np.asarray(votes)
    if votes.ndim != 2 or len(votes) != n or not np.issubdtype(votes.dtype, np.integer):
        raise ValueError(f"votes must be an integer matrix with one row per item ({n}), got "
                         f"shape {votes.shape} ({votes.dtype})")
    if votes.size and (votes.min() < -1 or votes.max() >= k):
        raise ValueError(f"votes must be -1 (abstain) or 0..{k - 1}, got values from "
                         f"{votes.min()} to {votes.max()}")
    predicted = np.asarray(predicted)
    if predicted.shape != (n,) or (n and (predicted.min() < -1 or predicted.max() >= k)):
        raise ValueError(f"predicted must hold one class index -1..{k - 1} per item ({n})")
    for name, value in (("reviewed", reviewed), ("score", score), *head.items()):
        if value is not None and np.shape(value) != (n,):
            raise ValueError(f"{name} must have one entry per item ({n}), got shape "
                             f"{np.shape(value)}")


def triage(
    probs: np.ndarray,
    votes: np.ndarray,
    predicted: np.ndarray,
    *,
    threshold: float,
    audit_size: int,
    seed: int,
    review_conflicts: bool | float = True,
    reviewed: np.ndarray | None = None,
    score: np.ndarray | None = None,
    disputed: np.ndarray | None = None,
    ids: Sequence[str] | None = None,
    gold: np.ndarray | None = None,
    texts: np.ndarray | None = None,
    copies_disagree: np.ndarray | None = None,
    stale: np.ndarray | None = None,
    review_against_votes: bool = True,
    unread: np.ndarray | None = None,
    audit_allocation: str = PROPORTIONAL,
    ties_by_id: bool = True,
) -> Triage:
    """Decide, for every item, whether its label is accepted or goes to review, and why.

    ``reviewed`` marks items that already have a reviewed label and ``gold`` items with a
    gold label in the dataset: both are left out of the audit sample, which should check
    labels nobody knows (they stay in the queue for its other reasons). ``score`` (higher:
    more likely wrong, e.g. from :func:`labelwright.review.ranking.rank.rank_queue`) orders items
    within each tier of the queue; without it, the least confident come first.
    ``disputed`` marks items whose reviewers disagree and that await adjudication: they go
    to review, first; so do items marked in ``copies_disagree`` (copies without a review of a
    text reviewed apart) and ``stale`` (reviewed items with decisions of which none settles
    a label now, or copies that lost their reviewed item's label).
    ``unread`` marks items whose votes the label model read at its prior alone
    (:func:`~.reasons.unread_items`): they go to review with the conflicts and low confidence.
    ``ids``: the items' ids, which draw the audit sample and order the queue's items
    ranked alike (after rounding off float noise: :data:`RANK_DECIMALS`) whatever the rows'
    order (:func:`~.draws.draw_keys`); without them both go by row position.
    ``ties_by_id``: False orders the queue's ties by row even with ``ids`` (how runs did
    before their manifests recorded ``triage.queue_ties``).
    ``texts``: each item's text (:func:`labelwright.copies.find_copies`'s ``group``): among
    items the queue ranks alike a text more items hold comes first (its review labels more
    of them). The audit draws over items, so that it estimates accuracy over items.
    ``review_against_votes``: send items whose label no LF voted for to review
    (:func:`~.reasons.against_votes`); runs from before the reason did not (False
    recomputes them).
    ``audit_allocation``: how the audit is shared across predicted labels
    (:data:`~labelwright.config.schema.AUDIT_ALLOCATIONS`,
    :func:`~.draws.stratified_sample`).
    """
    head = {"disputed": disputed, "copies_disagree": copies_disagree, "stale": stale}
    _check_inputs(probs, votes, predicted, threshold, reviewed, score,
                  {**head, "unread": unread})
    n, n_labels = probs.shape
    counts = vote_counts(votes, n_labels)
    n_votes = counts.sum(axis=1)
    uncovered = n_votes == 0
    conflict = (counts > 0).sum(axis=1) > 1
    label = np.where(uncovered, -1, predicted).astype(np.int64)
    confidence = np.zeros(n)
    has_label = label >= 0
    confidence[has_label] = probs[np.flatnonzero(has_label), label[has_label]]
    low = has_label & (confidence < threshold - THRESHOLD_SLACK)
    tie = ~uncovered & ~has_label  # the tie-break policy left the item without a label
    flags = {
        **{name: np.zeros(n, dtype=bool) if mask is None else np.asarray(mask, bool)
           for name, mask in head.items()},
        "conflict": conflicts_to_review(conflict, confidence, review_conflicts),
        "low_confidence": low | tie,
        "against_votes": against_votes(counts, label) if review_against_votes
        else np.zeros(n, dtype=bool),
        "unread": has_label & (np.zeros(n, dtype=bool) if unread is None
                               else np.asarray(unread, dtype=bool)),
        "uncovered": uncovered,
        "second_opinion": np.zeros(n, dtype=bool),  # given after reviews are applied
    }
    first = np.logical_or.reduce([flags[name] for name in HEAD_REASONS])
    doubtful = np.logical_or.reduce([flags[name] for name in DOUBT_REASONS])
    to_review = first | doubtful | flags["uncovered"]
    accepted = np.flatnonzero(~to_review & ~known_items(n, reviewed=reviewed, gold=gold))
    if ids is not None:
        if len(ids) != n:
            raise ValueError(f"ids must have one entry per item ({n}), got {len(ids)}")
        audit = stratified_sample(label, accepted, audit_size,
                                  keys=draw_keys(ids, seed, "audit"), allocation=audit_allocation)
    else:
        audit = stratified_sample(label, accepted, audit_size, np.random.default_rng(seed),
                                  allocation=audit_allocation)
    flags["audit"] = np.zeros(n, dtype=bool)
    flags["audit"][audit] = True
    to_review |= flags["audit"]
    reasons = item_reasons(flags, n)
    status = statuses(to_review)
    # Queue order: disputed, copies that disagree and stale reviews, conflicts, low
    # confidence, labels against the votes and unread votes (least confident first),
    # uncovered, then audit.
    tier = np.select([first, doubtful, flags["uncovered"]], [0, 1, 2], 3)
    queue = np.flatnonzero(to_review)
    key = _rank_key(confidence[queue] if score is None else -score[queue])
    # ties in the score: the text more items hold first (no copies counted: 0 for each)
    holders = np.zeros(n, dtype=np.int64) if texts is None else _holders(np.asarray(texts))
    ties = _tie_keys(ids if ties_by_id else None, seed, n)
    order = queue[np.lexsort((queue, ties[queue], -holders[queue], key, tier[queue]))]
    return Triage(label=label, confidence=confidence, status=status, reasons=reasons, order=order)


#: decimals of a confidence or score the queue's order reads: a label model fit on the
#: rows in another order gives the same probabilities but for the last bits (~1e-15), which
#: must not decide which of two items ranked alike comes first
RANK_DECIMALS = 12


def _rank_key(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to :data:`RANK_DECIMALS`: float noise is no difference in rank."""
    return np.round(np.asarray(values, dtype=np.float64), RANK_DECIMALS)


def _tie_keys(ids: Sequence[str] | None, seed: int, n: int) -> np.ndarray:
    """Per item, what orders the queue's items ranked alike (same tier, score and text
    count): a seeded hash of its id (:func:`~.draws.draw_keys`, stream ``"queue"``), so a
    re-ordered file queues them alike; without ids, the row position (as runs before)."""
    if ids is None:
        return np.arange(n)
    return draw_keys(ids, seed, "queue")


def _holders(texts: np.ndarray) -> np.ndarray:
    """Per item, how many items hold its text (1 for an item without text)."""
    out = np.ones(len(texts), dtype=np.int64)
    has = texts >= 0
    out[has] = np.bincount(texts[has])[texts[has]]
    return out
