"""Every reviewed item settled under a review policy, for
:func:`~labelwright.review.feedback.gold.reviewed_labels`: each item's gold label and
raters, and the items whose raters disagree, tie or are overruled, from each rater's label
that counts (one item's rule is :func:`~labelwright.review.feedback.settlement.settle`).
An item whose decisions name a label the project no longer has is not settled by its
other raters; an item no longer in the data is only asked whether it would settle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from labelwright.review.decisions import ledger
from labelwright.review.feedback.label_changes import stale_raters
from labelwright.review.feedback.settlement import settle


@dataclass
class Settlements:
    """What :func:`settle_items` found, over the data's items (``position``: each id's)."""

    gold: np.ndarray  # int64 class index per item, -1 = no usable review
    #: per item, the raters whose decisions count; the unreviewed items share one empty
    #: list (read it, never append to it)
    reviewers: list[list[str]]
    disagreements: list[str] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)  # items whose adjudicators disagree
    adjudicated: list[str] = field(default_factory=list)
    overruled: list[str] = field(default_factory=list)
    #: how many decisions have each label the project no longer has
    stale_labels: Counter[str] = field(default_factory=Counter)
    stale_items: list[str] = field(default_factory=list)  # kept from settling by them
    #: items no longer in the data whose decisions settle a label
    gone_settled: list[str] = field(default_factory=list)

    def disputed(self, position: Mapping[str, int]) -> np.ndarray:
        """Bool per item: its reviewers disagree and no gold settles it yet."""
        disputed = np.zeros(len(self.gold), dtype=bool)
        disputed[[position[item_id] for item_id in self.disagreements + self.split]] = True
        return disputed & (self.gold < 0)

    def stale_reviewed(self, position: Mapping[str, int], disputed: np.ndarray,
                       text_changed: Collection[str], by_item: Mapping[str, Mapping[str, str]],
                       index: Collection[str]) -> np.ndarray:
        """Bool per item: reviewed, but its decisions settle no label now (made on another
        text, ``text_changed``, or one naming a label not in ``index``), and not
        ``disputed``."""
        outdated = set(text_changed) | {item_id for item_id, votes in by_item.items()
                                        if any(label not in index for label in votes.values())}
        stale = np.zeros(len(self.gold), dtype=bool)
        stale[[position[item_id] for item_id in outdated if item_id in position]] = True
        return stale & (self.gold < 0) & ~disputed

    def in_use(self, latest: Mapping[str, Mapping[str, ledger.Decision]],
               position: Mapping[str, int], index: Collection[str]) -> list[ledger.Decision]:
        """The decisions (of ``latest``, each rater's last per item) the gold labels rest
        on: of items in the data that no stale label keeps unsettled, with a current label."""
        unsettled = set(self.stale_items)
        return [d for item_id, by_rater in latest.items()
                if item_id in position and item_id not in unsettled
                for d in by_rater.values() if d.label in index]


def settle_items(by_item: Mapping[str, Mapping[str, str]], index: Mapping[str, int],
                 position: Mapping[str, int], adjudicators: Collection[str], policy: str,
                 *, items: int) -> Settlements:
    """Each item of ``by_item`` (each rater's label that counts, per item id) settled
    under ``policy`` and ``adjudicators``: its gold label as its ``index`` among the labels,
    for the ``items`` of the data (``position``: each id's)."""
    # one shared empty list for the items nobody reviewed (a list each cost 56 bytes an
    # item); a reviewed item's entry is replaced, never appended to
    found = Settlements(gold=np.full(items, -1, dtype=np.int64), reviewers=[[]] * items)
    for item_id, votes in by_item.items():
        i = position.get(item_id)
        usable = {rater: label for rater, label in votes.items() if label in index}
        if i is None:  # no longer in the data: did its decisions settle a label?
            if usable and not stale_raters(votes, index, adjudicators) \
                    and settle(usable, adjudicators, policy).label is not None:
                found.gone_settled.append(item_id)
            continue
        found.stale_labels.update(label for label in votes.values() if label not in index)
        if stale_raters(votes, index, adjudicators):
            found.stale_items.append(item_id)  # the others' decisions do not settle it
            continue
        if not usable:
            continue
        found.reviewers[i] = sorted(usable)
        settled = settle(usable, adjudicators, policy)
        if settled.disagree:
            found.disagreements.append(item_id)
        if settled.tie:
            found.ties.append(item_id)
        if settled.split:
            found.split.append(item_id)
        if settled.adjudicated:
            found.adjudicated.append(item_id)
        if settled.overruled:
            found.overruled.append(item_id)
        if settled.label is not None:
            found.gold[i] = index[settled.label]
    return found
