"""Why an item goes to review: the reasons and statuses triage gives, in the order the queue
puts them first, and the per-item tests behind the reasons the label model's output alone
does not give (:func:`against_votes`, :func:`unread_items`). :mod:`labelwright.triage`
describes each reason."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

#: the manifest key (``triage.unread_by_balance``) of runs whose ``unread`` reason leaves
#: out votes for a label the class balance alone makes sure (:func:`sure_by_balance`);
#: runs without it gave the reason to every item of unread votes
UNREAD_BY_BALANCE = "unread_by_balance"

REASONS = ("disputed", "copies_disagree", "stale", "second_opinion", "conflict",
           "low_confidence", "against_votes", "unread", "uncovered", "audit")
#: the reasons a human decision gives (or took back): the queue's head
HEAD_REASONS = ("disputed", "copies_disagree", "stale", "second_opinion")
#: the reasons of the queue's second tier, ranked together (by score, or least confident
#: first): what the label model left in doubt
DOUBT_REASONS = ("conflict", "low_confidence", "against_votes", "unread")
#: a confidence this close below the threshold counts as at it: a model's 0.7 may come out
#: of its arithmetic as 0.6999999999999998, and is shown (and meant) as 0.7
THRESHOLD_SLACK = 1e-9
ACCEPTED, REVIEW, REVIEWED = "accepted", "review", "reviewed"


def triage_counts(status: Sequence[str] | np.ndarray,
                  reasons: Sequence[Collection[str]]) -> dict[str, int]:
    """A run's ``triage.counts``: how many items have each status and each reason, from each
    item's status and its reasons (:meth:`Triage.counts`; ``runs verify`` counts them again
    from ``labels.parquet``)."""
    status = np.asarray(status)
    out = {name: int((status == name).sum()) for name in (ACCEPTED, REVIEW, REVIEWED)}
    for reason in REASONS:
        out[reason] = sum(reason in r for r in reasons)
    return out


def item_reasons(flags: dict[str, np.ndarray], n: int) -> list[tuple[str, ...]]:
    """Each of ``n`` items' reasons, in :data:`REASONS` order, from a mask per reason: one
    tuple per combination of reasons, which the items that have it share (a tuple each cost
    some 56 bytes an item in review)."""
    code = np.zeros(n, dtype=np.int64)
    for bit, reason in enumerate(REASONS):
        if reason in flags:
            code |= np.asarray(flags[reason], dtype=bool).astype(np.int64) << bit
    combos = {int(c): tuple(r for bit, r in enumerate(REASONS) if int(c) >> bit & 1)
              for c in np.unique(code)}
    return [combos[c] for c in code.tolist()]


#: the statuses, as :func:`statuses` points to them
_STATUSES = np.array([ACCEPTED, REVIEW], dtype=object)


def statuses(to_review: np.ndarray) -> np.ndarray:
    """Each item's status, ``review`` or ``accepted``, as an array of the two strings (8
    bytes an item; a fixed-width string array holds 32)."""
    return _STATUSES[np.asarray(to_review, dtype=bool).astype(np.intp)]


def against_votes(counts: np.ndarray, label: np.ndarray) -> np.ndarray:
    """The items some LF voted on whose label (``label``, -1: none) no LF voted for, from
    the per-item vote ``counts`` per label: the label model's class balance or its reading
    of the LFs outweighed every vote, which a high confidence does not make right (a pharma
    spam post with one spam vote labelled ``ok`` at 0.73, the prior of ``ok`` winning)."""
    has = label >= 0
    out = np.zeros(len(label), dtype=bool)
    rows = np.flatnonzero(has)
    out[rows] = (counts[rows, label[rows]] == 0) & (counts[rows].sum(axis=1) > 0)
    return out


def sure_by_balance(balance: np.ndarray | None, threshold: float) -> np.ndarray | None:
    """Per label, whether the class ``balance`` alone makes an item it is voted for sure
    enough to accept: its balance reaches ``threshold`` (by :data:`THRESHOLD_SLACK`) and is
    more than half (so no other label can outweigh it). A held vote is read at no less than
    chance (:mod:`labelwright.models.held_votes`), so an item only held votes for that label
    speak for has at least its balance for it, whatever accuracy the prior assumes: its
    acceptance does not rest on the assumption (:func:`unread_items`). None without a
    balance."""
    if balance is None:
        return None
    balance = np.asarray(balance, dtype=float)
    return (balance >= threshold - THRESHOLD_SLACK) & (balance > 0.5)


def unread_items(votes: np.ndarray, unread: np.ndarray | None,
                 sure: np.ndarray | None = None) -> np.ndarray | None:
    """Per item, whether it has a vote and every vote it has is an unread one: ``unread``
    (m, k) marks LF ``j``'s vote ``v`` (:func:`labelwright.models.held_votes.unread_votes`;
    None: the model reads every vote, and None is returned). One vote the model read is
    enough to leave an item out: then the model's confidence rests on more than its prior.
    ``sure`` (k,) marks the labels the class balance alone makes sure enough
    (:func:`sure_by_balance`): an item whose every vote is for one of them is not unread,
    as its acceptance does not rest on the accuracy assumed of its votes (one held vote for
    another label may take it below the balance: that item stays unread)."""
    if unread is None or not unread.any():
        return None
    votes = np.asarray(votes)
    all_unread = _every_vote(votes, unread)
    if sure is not None:
        sure = np.asarray(sure, dtype=bool)
        all_unread &= ~_every_vote(votes, np.broadcast_to(sure, unread.shape))
    return all_unread


def _every_vote(votes: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """Per item, whether it has a vote and ``marked`` (m, k) marks every vote it has."""
    every: np.ndarray = np.asarray((votes >= 0).any(axis=1)).copy()
    for j in np.flatnonzero((votes >= 0).any(axis=0)):  # a column at a time: no n x m copy
        cast = votes[:, j]
        voted = cast >= 0
        every[voted] &= marked[j, cast[voted]]
    return every


def conflicts_to_review(conflict: np.ndarray, confidence: np.ndarray,
                         review_conflicts: bool | float) -> np.ndarray:
    """The items whose conflict sends them to review: every one (``True``), none
    (``False``), or those whose confidence is below ``review_conflicts`` (by more than
    float rounding, as the threshold compares)."""
    if isinstance(review_conflicts, bool):
        return conflict if review_conflicts else np.zeros(len(conflict), dtype=bool)
    return conflict & (confidence < review_conflicts - THRESHOLD_SLACK)

