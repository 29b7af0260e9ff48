"""Triage: give each item a confidence and a status — accepted, or review with reasons.

Reasons, in the order the review queue puts them first:

* ``disputed`` — reviewers decided the item but disagree, and it awaits adjudication (no
  reviewed label yet): the queue's head, for the adjudicator;
* ``copies_disagree`` — the item has no review, and items with its text were reviewed with
  different labels that the review policy did not settle
  (:mod:`labelwright.review.feedback.copy_reviews`): a review of it settles the text;
* ``stale`` — the item was reviewed, but its decisions settle no label now: those made on
  another text than it has now are set aside, and one naming a label the project no longer
  has keeps the others from settling it (one current and one removed label is stale too);
  or it took a copy's review whose item left the data
  (:mod:`labelwright.review.feedback.deleted_copies`): it has no reviewed label until it is reviewed
  again;
* ``second_opinion`` — the item took the label of a copy's review that rests on one
  reviewer's decision against the label model and every LF vote
  (:mod:`labelwright.review.feedback.second_opinions`): a second reviewer confirms it or
  disputes it;
* ``conflict`` — LFs voted for different labels;
* ``low_confidence`` — the label model's probability for its label is below the threshold
  (by more than rounding: :data:`THRESHOLD_SLACK`);
* ``against_votes`` — LFs voted, and none for the label the model gave (the class balance
  or the LFs' learned accuracies outweighed them: :func:`against_votes`), however sure the
  model is;
* ``unread`` — every vote the item got is one the label model holds at its prior accuracy,
  which fewer reviews than the prior's pseudo-votes have moved
  (:mod:`labelwright.models.held_votes`): its confidence is the model's assumption about
  those LFs (the prior, 0.7 by default, weighed by the class balance), not something it
  read; unless the class balance alone of the label those votes are for reaches the
  threshold (:func:`sure_by_balance`), when the assumption does not decide;
* ``uncovered`` — no LF voted (the item gets no label);
* ``audit`` — a seeded random sample of accepted items, stratified by predicted label,
  so reviewers also check labels the model is sure of.

Apart from the queue, :func:`random_sample` draws items at random from all items
(``[triage] random_sample``; a run writes them to ``sample.csv``): reviews of those are a
picture of all items, which the queue's head is not.

Both draws are for items whose label nobody knows: they leave out items with a reviewed
label and, given the ``gold`` mask, items with a gold label in the dataset, whose labels
are known and held out to measure the label model (a reviewed gold item would leave the
held-out set). Runs draw so and record it (:data:`EXCLUDES_GOLD`); runs from before the
record left out reviewed items only (:func:`recorded_excludes`).

Given the items' ids, both draws rank items by a seeded hash of their id
(:func:`draw_keys`) and take the lowest: a random pick that is the same whatever order the
dataset's rows come in (a re-exported file, rows sorted otherwise, appended rows). Runs
draw so and record it (:data:`DRAWS_BY_ID`); without ids, the draws go by row position, as
runs from before that record did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from labelwright.config.schema import AUDIT_ALLOCATIONS, PER_LABEL, PROPORTIONAL
from labelwright.data.value_text import object_hashes
from labelwright.lfs.stats import vote_counts
from labelwright.short_repr import ShortRepr

#: how a run drew its audit and random samples, as its manifest records it (``triage.draws``):
#: by :func:`draw_keys` of the item ids; runs from before the key drew by row position
DRAWS_BY_ID, DRAWS_BY_ROW = "item id", "row"
#: which items the audit and random samples leave out of their draws, as a run's manifest
#: records it (``triage.excludes``): reviewed items and items with a dataset gold label;
#: runs from before the record left out reviewed items only
EXCLUDES_GOLD, EXCLUDES_REVIEWED = ("reviewed", "gold"), ("reviewed",)
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


def recorded_draws(triage_record: dict[str, object] | None) -> str:
    """How a run drew its samples, from its manifest's ``triage`` section: a run that does
    not say drew them by row (:data:`DRAWS_BY_ROW`), as runs did before they recorded it."""
    return DRAWS_BY_ID if (triage_record or {}).get("draws") == DRAWS_BY_ID else DRAWS_BY_ROW


def recorded_excludes(triage_record: dict[str, object] | None) -> tuple[str, ...]:
    """Which items a run left out of its audit and random samples, from its manifest's
    ``triage`` section: a run that does not say left out reviewed items only
    (:data:`EXCLUDES_REVIEWED`), as runs did before they recorded it."""
    excludes = (triage_record or {}).get("excludes")
    return tuple(excludes) if isinstance(excludes, list) else EXCLUDES_REVIEWED


def draw_keys(ids: Sequence[str], seed: int, stream: str) -> np.ndarray:
    """One uint64 per item from its id, ``seed`` and ``stream`` (the draw: ``"audit"``,
    ``"sample"``): the items with the lowest keys are a seeded random pick that does not
    depend on the rows' order, and each stream picks independently of the others."""
    salt = hashlib.sha256(f"labelwright draw\x1f{seed}\x1f{stream}".encode()).hexdigest()
    return object_hashes(ids, hash_key=salt[:16])  # pandas' hash of each id


def _lowest(candidates: np.ndarray, size: int, keys: np.ndarray) -> np.ndarray:
    """The ``size`` candidates with the lowest ``keys``, lowest first."""
    return candidates[np.argsort(keys[candidates], kind="stable")[:size]]


def recorded_allocation(triage_record: dict[str, object] | None) -> str:
    """How a run shared its audit sample across predicted labels (``[triage]
    audit_allocation``), from its manifest's ``triage`` section: in proportion to each
    label's accepted items, or alike per label (a rare label's precision can be read, and
    the overall figure is weighted back: :mod:`labelwright.review.stats.audit_estimate`). A run
    that does not say shared it in proportion (``"proportional"``), as runs did before the
    setting."""
    value = (triage_record or {}).get("audit_allocation")
    return value if value in AUDIT_ALLOCATIONS else PROPORTIONAL  # type: ignore[return-value]


def stratified_sample(
    groups: np.ndarray, candidates: np.ndarray, size: int,
    rng: np.random.Generator | None = None, *, keys: np.ndarray | None = None,
    allocation: str = PROPORTIONAL,
) -> np.ndarray:
    """Pick ``size`` of ``candidates`` (indices), shared across groups in proportion
    (largest remainders), >= 1 each while the size allows (``size`` >= groups); a smaller
    sample goes to the groups with the largest shares. With ``allocation`` ``"per_label"``
    every group gets the same share instead (:func:`equal_quota`). Within a group, ``keys``
    (:func:`draw_keys`) pick the lowest; without them, ``rng`` draws."""
    if (rng is None) == (keys is None):
        raise ValueError("give rng or keys (one of them)")
    if allocation not in AUDIT_ALLOCATIONS:
        raise ValueError(f"unknown audit allocation {allocation!r}; valid: "
                         f"{', '.join(AUDIT_ALLOCATIONS)}")
    if size <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    size = min(size, candidates.size)
    values, sizes = np.unique(groups[candidates], return_counts=True)
    quota = equal_quota(sizes, size) if allocation == PER_LABEL \
        else _proportional_quota(sizes, size)
    picked = []
    for value, q in zip(values, quota):
        members = candidates[groups[candidates] == value]
        if q > 0 and keys is not None:
            picked.append(_lowest(members, q, keys))
        elif q > 0 and rng is not None:
            picked.append(rng.choice(members, size=q, replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.empty(0, dtype=np.int64)


def equal_quota(sizes: np.ndarray, size: int) -> np.ndarray:
    """``size`` (at most ``sizes.sum()``) shared alike across groups of ``sizes`` items: a
    group with fewer items than its share gives all of them, and what it leaves goes alike
    to the others; what cannot be shared alike goes one each to the largest groups. A rare
    label so gets as many audited items as a common one (its precision can be read), and
    the estimate over all labels weights each group back by its size."""
    quota = np.zeros(len(sizes), dtype=np.int64)
    while quota.sum() < size:
        room = np.flatnonzero(quota < sizes)
        left = size - int(quota.sum())
        share = left // len(room)
        if share == 0:  # fewer left than groups with room: to the largest of them
            quota[room[np.argsort(-sizes[room], kind="stable")[:left]]] += 1
            break
        quota[room] = np.minimum(quota[room] + share, sizes[room])
    return quota


def _proportional_quota(sizes: np.ndarray, size: int) -> np.ndarray:
    """``size`` shared across groups of ``sizes`` items in proportion (largest remainders),
    >= 1 each while the size allows."""
    share = size * sizes / sizes.sum()
    least = 1 if size >= len(sizes) else 0
    quota = np.minimum(np.maximum(least, np.floor(share)).astype(int), sizes)
    while quota.sum() > size:  # the ones lifted the sum: take back where most above share
        quota[np.argmax(np.where(quota > least, quota - share, -np.inf))] -= 1
    while quota.sum() < size:  # rounding left room: to the group furthest below its share
        # (every slot went to the largest group, so the sample over-weighted its label; and
        # with fewer slots than groups the first groups got them, whatever their shares)
        room = np.where(quota < sizes, share - quota, -np.inf)
        quota[np.argmax(room)] += 1
    return quota


def _known(n: int, **masks: np.ndarray | None) -> np.ndarray:
    """The items whose label is known, which the draws leave out: those marked in any of
    ``masks`` (``reviewed``, ``gold``; None: none)."""
    known = np.zeros(n, dtype=bool)
    for name, mask in masks.items():
        if mask is not None:
            if np.shape(mask) != (n,):
                raise ValueError(f"{name} must have one entry per item ({n}), got shape "
                                 f"{np.shape(mask)}")
            known |= np.asarray(mask, dtype=bool)
    return known


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
    (:func:`unread_items`): they go to review with the conflicts and low confidence.
    ``ids``: the items' ids, which draw the audit sample whatever the rows' order
    (:func:`draw_keys`); without them it is drawn by row position.
    ``texts``: each item's text (:func:`labelwright.copies.find_copies`'s ``group``): among
    items the queue ranks alike a text more items hold comes first (its review labels more
    of them). The audit draws over items, so that it estimates accuracy over items.
    ``review_against_votes``: send items whose label no LF voted for to review
    (:func:`against_votes`); runs from before the reason did not (False recomputes them).
    ``audit_allocation``: how the audit is shared across predicted labels
    (:data:`AUDIT_ALLOCATIONS`, :func:`stratified_sample`).
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
        "conflict": _conflicts_to_review(conflict, confidence, review_conflicts),
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
    accepted = np.flatnonzero(~to_review & ~_known(n, reviewed=reviewed, gold=gold))
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
    key = confidence[queue] if score is None else -score[queue]
    # ties in the score: the text more items hold first (no copies counted: 0 for each)
    holders = np.zeros(n, dtype=np.int64) if texts is None else _holders(np.asarray(texts))
    order = queue[np.lexsort((queue, -holders[queue], key, tier[queue]))]
    return Triage(label=label, confidence=confidence, status=status, reasons=reasons, order=order)


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


def _conflicts_to_review(conflict: np.ndarray, confidence: np.ndarray,
                         review_conflicts: bool | float) -> np.ndarray:
    """The items whose conflict sends them to review: every one (``True``), none
    (``False``), or those whose confidence is below ``review_conflicts`` (by more than
    float rounding, as the threshold compares)."""
    if isinstance(review_conflicts, bool):
        return conflict if review_conflicts else np.zeros(len(conflict), dtype=bool)
    return conflict & (confidence < review_conflicts - THRESHOLD_SLACK)


def _holders(texts: np.ndarray) -> np.ndarray:
    """Per item, how many items hold its text (1 for an item without text)."""
    out = np.ones(len(texts), dtype=np.int64)
    has = texts >= 0
    out[has] = np.bincount(texts[has])[texts[has]]
    return out


def gold_left_out(tri: Triage, gold: np.ndarray, reviewed: np.ndarray, *, audit_size: int,
                  sample_size: int) -> dict[str, int]:
    """How many items with a dataset gold label (``gold``, a mask) the audit and the random
    sample of ``tri`` left out of the items they draw from, the accepted items without a
    reviewed label (``reviewed``, a mask) and all items without one: 0 for a draw of size
    0, which left out nothing."""
    gold, reviewed = np.asarray(gold, dtype=bool), np.asarray(reviewed, dtype=bool)
    audited = np.array([r == ("audit",) for r in tri.reasons], dtype=bool)
    pool = ((tri.status == ACCEPTED) | audited) & ~reviewed
    return {"audit": int((gold & pool).sum()) if audit_size > 0 else 0,
            "random_sample": int((gold & ~reviewed).sum()) if sample_size > 0 else 0}


def audit_strata(tri: Triage, gold: np.ndarray, reviewed: np.ndarray,
                 labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per predicted label, the accepted items the audit drew from (``accepted``: accepted
    or audited, without a reviewed or a dataset gold label, as :func:`triage` draws) and
    how many it drew (``audited``), for a run's manifest (``triage.audit_strata``): the
    weights that make the audit's reviews an estimate of all accepted labels whatever the
    allocation (:mod:`labelwright.review.stats.audit_estimate`). ``labels``: the run's labels, by
    class index."""
    gold, reviewed = np.asarray(gold, dtype=bool), np.asarray(reviewed, dtype=bool)
    audited = np.array([r == ("audit",) for r in tri.reasons], dtype=bool)
    pool = ((tri.status == ACCEPTED) | audited) & ~reviewed & ~gold & (tri.label >= 0)
    out = {}
    for k, name in enumerate(labels):
        in_label = pool & (tri.label == k)
        if in_label.any():
            out[name] = {"accepted": int(in_label.sum()),
                         "audited": int((in_label & audited).sum())}
    return out


def gold_left_out_line(triage_record: dict[str, object]) -> str | None:
    """The words ``run``, ``runs show`` and the report say :func:`gold_left_out`'s counts
    in, as a run's manifest records them (``triage.gold_left_out``), e.g. ``gold items (held
    out) left out of the draws: 150 from the audit, 173 from the random sample``; None when
    the draws left none out (nor for runs from before the record)."""
    left = triage_record.get("gold_left_out")
    left = left if isinstance(left, dict) else {}
    parts = [f"{left[key]} from the {name}" for key, name in (
        ("audit", "audit"), ("random_sample", "random sample")) if left.get(key)]
    return f"gold items (held out) left out of the draws: {', '.join(parts)}" if parts \
        else None


#: the reason on the records of ``sample.csv`` / ``sample.jsonl``
RANDOM_SAMPLE = "random_sample"


def random_sample(n_items: int, size: int, seed: int, *,
                  reviewed: np.ndarray | None = None,
                  ids: Sequence[str] | None = None,
                  gold: np.ndarray | None = None) -> np.ndarray:
    """``size`` item indices drawn at random (seeded) from all items not reviewed yet (and,
    with the ``gold`` mask, without a gold label in the dataset), in the order drawn:
    reviewing them gives gold rows that are a random sample of the items, which ``auto``
    may also choose and calibrate with (the head of the review queue is not one). With the
    items' ``ids``, the draw does not depend on the rows' order (:func:`draw_keys`), and
    leaving items out keeps the others in the order they were drawn in."""
    candidates = np.flatnonzero(~_known(n_items, reviewed=reviewed, gold=gold))
    if size <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    if ids is not None:
        if len(ids) != n_items:
            raise ValueError(f"ids must have one entry per item ({n_items}), got {len(ids)}")
        keys = draw_keys(ids, seed, "sample")
        return _lowest(candidates, min(size, candidates.size), keys)
    rng = np.random.default_rng([seed, 0x5A4D])  # its own stream: the audit keeps its draws
    return rng.choice(candidates, size=min(size, candidates.size), replace=False)
