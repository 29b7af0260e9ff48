"""A reviewed text's label for its copies (:mod:`labelwright.copies`).

Under ``[review] copies = "one"`` the queue holds one item per text, so the other items with
that text are never reviewed themselves: at the next run they take the reviewed item's
label (label source ``copy``, ``copy_of`` naming the reviewed item). Only the run's labels
take it: LF accuracy, reviewer agreement, the label model's fit and ``auto``'s choice read
the reviewed items alone, each once, as the copies are no evidence of their own.

An item with decisions of its own keeps them (a disputed copy stays disputed). Reviewed
items of one text with different labels are settled as one item's raters are
(:func:`~labelwright.review.feedback.settlement.settle`), each reviewed item a vote: an item an
adjudicator decided settles the text; else under ``"majority"`` the label most reviewed items
have carries (a tie: none), under ``"adjudicate"`` none. A text so left unsettled carries
nothing and its copies without a review wait in the queue with the reason
``copies_disagree`` (one of them, as every text), so a reviewer's decision (one more vote) or
an adjudicator's settles it. Runs from before that rule carried nothing for such a text and
queued none of it (:data:`~labelwright.copies.APART_BY_POLICY`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from labelwright.copies import (
    APART_BY_POLICY,
    DRAWS_PER_ITEM,
    ONE,
    Copies,
    find_copies,
    queue_one_per_text,
)
from labelwright.counts import some_of
from labelwright.review.feedback.settlement import settle
from labelwright.triage.core import Triage

#: the label source of an item whose label is the review of its copy
COPY = "copy"
#: the label sources of a label a review decided (its own item's, or a copy's)
REVIEWED_SOURCES = ("review", COPY)


@dataclass
class CarriedReviews:
    """The reviewed labels with copies' labels added: ``gold`` per item (-1: none),
    ``copy_of`` the reviewed item's id for each item that took its copy's label (else
    None), ``conflicts``, one line per text whose reviewed items disagree and that nothing
    settled, and ``settled_apart`` one per text whose disagreeing reviewed items the policy
    or an adjudicator settled."""

    gold: np.ndarray
    copy_of: list[str | None]
    conflicts: list[str] = field(default_factory=list)
    settled_apart: list[str] = field(default_factory=list)
    #: per item: a copy without a review of a text in ``conflicts`` (triage's
    #: ``copies_disagree``: one of them is queued for a reviewer to settle the text)
    waiting: np.ndarray | None = None
    #: reviewed items without a settled label (tied, awaiting adjudication) whose text no
    #: settled review covers, with how many other items hold it: those take no label yet
    unsettled: list[tuple[str, int]] = field(default_factory=list)

    @property
    def carried(self) -> np.ndarray:
        """Items whose label is a copy's review."""
        return np.array([c is not None for c in self.copy_of], dtype=bool)

    def sources(self, label_source: np.ndarray) -> np.ndarray:
        """``label_source`` (review, model, none per item) with ``copy`` where carried."""
        return np.where(self.carried, COPY, label_source)


def carry_to_copies(gold: np.ndarray, reviewers: Sequence[Sequence[str]],
                    ids: Sequence[str], labels: Sequence[str], copies: Copies, *,
                    policy: str | None = None, adjudicators: Collection[str] = ()
                    ) -> CarriedReviews:
    """:class:`CarriedReviews` from each item's reviewed label ``gold`` (-1: none) and its
    ``reviewers`` (raters whose decisions count; none: never reviewed), grouped by
    ``copies``. The first reviewed item of a text (in data order) with the label carried
    is the one named. ``policy`` (``[review] policy``) and ``adjudicators`` settle a text
    whose reviewed items disagree (module docstring); None: it carries nothing and waits
    for no one, as runs did before."""
    gold = np.asarray(gold, dtype=np.int64)
    out = gold.copy()
    copy_of: list[str | None] = [None] * len(gold)
    unsettled = _unsettled(gold, reviewers, ids, copies)
    waiting = np.zeros(len(gold), dtype=bool)
    reviewed = np.flatnonzero((gold >= 0) & (copies.group >= 0))
    if reviewed.size == 0:
        return CarriedReviews(out, copy_of, unsettled=unsettled, waiting=waiting)
    conflicts: list[str] = []
    settled_apart: list[str] = []
    by_text: dict[int, list[int]] = {}
    for i in reviewed.tolist():
        by_text.setdefault(int(copies.group[i]), []).append(i)
    untouched = np.array([not r for r in reviewers], dtype=bool) & (gold < 0)
    shared = {g: members for g, members in by_text.items() if copies.size[g] > 1}
    if not shared:
        return CarriedReviews(out, copy_of, unsettled=unsettled, waiting=waiting)
    takers = np.flatnonzero(untouched & np.isin(copies.group, list(shared)))
    source: dict[int, int] = {}  # text -> the reviewed item whose label its copies take
    for g, members in shared.items():
        if len({int(gold[i]) for i in members}) == 1:
            source[g] = members[0]
            continue
        line = _conflict(members, gold, reviewers, ids, labels, int(copies.size[g]))
        chosen = None if policy is None else _settle_text(members, gold, reviewers,
                                                          adjudicators, policy)
        if chosen is None:
            conflicts.append(line)
            if policy is not None:
                waiting |= untouched & (copies.group == g)
        else:
            source[g] = next(i for i in members if int(gold[i]) == chosen)
            settled_apart.append(f"{line} -> {labels[chosen]}")
    for i in takers.tolist():
        g = int(copies.group[i])
        if g in source:
            out[i] = gold[source[g]]
            copy_of[i] = str(ids[source[g]])
    return CarriedReviews(out, copy_of, conflicts, settled_apart, waiting, unsettled)


def _settle_text(members: list[int], gold: np.ndarray, reviewers: Sequence[Sequence[str]],
                 adjudicators: Collection[str], policy: str) -> int | None:
    """The label of a text whose reviewed items (``members``) disagree, each item a vote as
    a rater's is on one item (:func:`settle`): an item an adjudicator decided settles it,
    else ``policy``; None while unsettled."""
    judges = {str(i) for i in members if set(reviewers[i]) & set(adjudicators)}
    settled = settle({str(i): str(int(gold[i])) for i in members}, judges, policy)
    return None if settled.label is None else int(settled.label)


def _unsettled(gold: np.ndarray, reviewers: Sequence[Sequence[str]], ids: Sequence[str],
               copies: Copies) -> list[tuple[str, int]]:
    """``(item id, other items with its text)`` for reviewed items without a settled label
    whose text has copies and no settled review on any item."""
    settled_texts = set(copies.group[(gold >= 0) & (copies.group >= 0)].tolist())
    out = []
    for i in np.flatnonzero((gold < 0) & (copies.group >= 0)).tolist():
        g = int(copies.group[i])
        if reviewers[i] and copies.size[g] > 1 and g not in settled_texts:
            out.append((str(ids[i]), int(copies.size[g]) - 1))
    return out


def _conflict(members: list[int], gold: np.ndarray, reviewers: Sequence[Sequence[str]],
              ids: Sequence[str], labels: Sequence[str], size: int) -> str:
    """One text whose reviewed items disagree, by label, the label with fewer reviewed items
    last (the odd one out is usually the one to relabel): ``(text of 'c1', 1,853 items: spam
    on 18 reviewed items by ana / ham on 'c7' by ben)``."""
    by_label: dict[int, list[int]] = {}
    for i in members:
        by_label.setdefault(int(gold[i]), []).append(i)
    parts = []
    for label, items in sorted(by_label.items(), key=lambda kv: -len(kv[1])):
        raters = sorted({r for i in items for r in reviewers[i]})
        where = (", ".join(repr(ids[i]) for i in items) if len(items) <= 3
                 else f"{len(items)} reviewed items")
        parts.append(f"{labels[label]} on {where} by {', '.join(raters)}")
    return f"(text of {ids[members[0]]!r}, {size:,} items: " + " / ".join(parts) + ")"


#: the way out when items of one text differ rightly, said by both warnings of texts
#: reviewed with different labels
ALL_COPIES_HINT = ("where items of one text may rightly have different labels (one comment "
                   "posted under two videos), [review] copies = \"all\" gives no item another "
                   "item's review and queues each")


def copy_warnings(carried: CarriedReviews | None) -> list[str]:
    """What a run says about copies: the texts whose reviewed items disagree (item ids,
    labels, raters)."""
    if carried is None:
        return []
    out = []
    if carried.conflicts:
        queued = "" if carried.waiting is None or not carried.waiting.any() else (
            f" ({int(carried.waiting.sum()):,} of them wait, one per text queued with the "
            "reason copies_disagree: a review of it is one more vote, an adjudicator's "
            "settles the text)")
        out.append(f"{len(carried.conflicts)} text(s) were reviewed with different labels on "
                   "items that share the text and the review policy did not settle them, so "
                   f"no label is given to their other copies{queued}: "
                   f"{some_of(carried.conflicts)}; or relabel one of each (review import "
                   f"--relabel); {ALL_COPIES_HINT}")
    if carried.settled_apart:
        out.append(f"{len(carried.settled_apart)} text(s) were reviewed with different labels "
                   "on items that share the text; their other copies take the label the "
                   "review policy settled on (most reviewed items, or an adjudicator's): "
                   f"{some_of(carried.settled_apart)}; {ALL_COPIES_HINT}")
    if carried.unsettled:
        waiting = sum(n for _, n in carried.unsettled)
        out.append(f"{len(carried.unsettled)} reviewed item(s) without a settled label (raters "
                   f"tied, or awaiting adjudication) share their text with {waiting:,} other "
                   "item(s), which take no reviewed label until it is settled: "
                   + some_of([f"{item!r} ({n:,})" for item, n in carried.unsettled]))
    return out


@dataclass
class CopyUse:
    """What a run does with copies under ``[review] copies`` (``setting``): the copies it
    found, the labels it carried to them (None under ``"all"``) and, once the queue is cut
    (:meth:`cut_queue`), how many queued items it left out as copies."""

    setting: str
    copies: Copies
    carried: CarriedReviews | None
    left_out: int = 0
    #: under ``"one"``, among items the queue ranks alike the text more items hold comes
    #: first (runs that recorded no ``draws`` did not:
    #: :func:`~labelwright.copies.recorded_queue_ties`)
    queue_ties: bool = True
    #: items that lost the label of a reviewed copy no longer in the data
    #: (:mod:`labelwright.review.feedback.deleted_copies`)
    lost: int = 0

    @property
    def texts(self) -> np.ndarray | None:
        """Each item's text for triage (the queue's ties go to the text more items hold);
        None under ``"all"``."""
        return self.copies.group if self.setting == ONE and self.queue_ties else None

    @property
    def waiting(self) -> np.ndarray | None:
        """Copies of texts reviewed apart and unsettled (triage's ``copies_disagree``)."""
        return None if self.carried is None else self.carried.waiting

    def known(self, gold: np.ndarray) -> np.ndarray:
        """The labels a run takes as reviewed: ``gold`` (the reviews') and the copies'."""
        return gold if self.carried is None else self.carried.gold

    def cut_queue(self, tri: Triage) -> Triage:
        """``tri`` with one item per text in its queue (audit items all kept) under
        ``"one"``; as it is under ``"all"``."""
        if self.setting != ONE:
            return tri
        tri, self.left_out = queue_one_per_text(tri, self.copies)
        return tri

    def manifest(self) -> dict[str, Any]:
        """The manifest's ``triage.copies``: the setting and its counts (a run without it
        queued every item and carried nothing)."""
        carried = self.carried
        return {"setting": self.setting,
                **({"draws": DRAWS_PER_ITEM} if self.texts is not None else {}),
                "texts_with_copies": self.copies.texts_with_copies,
                "items_with_copies": self.copies.items_with_copies,
                "left_out_of_queue": self.left_out,
                "labels_carried": int(carried.carried.sum()) if carried is not None else 0,
                "labels_lost_with_deleted_items": self.lost,
                "texts_reviewed_apart": len(carried.conflicts) + len(carried.settled_apart)
                if carried is not None else 0,
                **({"apart": APART_BY_POLICY,
                    "texts_apart_settled": len(carried.settled_apart),
                    "copies_waiting": int(carried.waiting.sum())
                    if carried.waiting is not None else 0}
                   if carried is not None else {})}


def use_copies(setting: str, texts: Sequence[str | None], gold: np.ndarray,
               reviewers: Sequence[Sequence[str]], ids: Sequence[str],
               labels: Sequence[str], *, policy: str | None = None,
               adjudicators: Collection[str] = ()) -> CopyUse:
    """Find the copies among ``texts`` and, under ``"one"``, carry the reviewed labels
    (``gold``, by ``reviewers``) to them; ``policy`` and ``adjudicators`` settle a text
    reviewed apart (None: it carries nothing, as runs before did)."""
    copies = find_copies(texts)
    carried = carry_to_copies(gold, reviewers, ids, labels, copies, policy=policy,
                              adjudicators=adjudicators) if setting == ONE else None
    return CopyUse(setting, copies, carried)
