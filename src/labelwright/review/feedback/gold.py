"""Reviewed labels fed back into the next run: gold labels from the review ledger.

Each rater's latest decision on an item counts (a rater is the tool's annotator when
the file names one, else the reviewer given at import). Where raters disagree:

* ``policy="majority"`` — the item gets the label most raters chose; a tie gives no
  gold label. Every item with disagreeing raters is listed in ``disagreements``.
* ``policy="adjudicate"`` — an item with disagreeing raters gets no gold label until
  an adjudicator decides it; its id is listed in ``disagreements``.

Under either policy, a decision by one of ``adjudicators`` settles the item outright:
it is the gold label whatever other raters chose, and the item does not await
adjudication. An adjudicator's decision is a settlement, never one rating among others:
``disagreements`` and ``ties`` are those of the other raters, settled or not (an
adjudicator does not undo that the raters disagreed), and ``adjudicated`` lists the ones an
adjudicator settled.
A decision for a label renamed in ``[project] renamed`` is read as the current label
(counted in ``renamed``). A decision whose label is not a project label any more (the
label set changed) is not used, and counted in ``stale``; its item is not settled by its
other raters (listed in ``stale_items``; see :mod:`~labelwright.review.feedback.label_changes`).

``sampled`` marks the items with gold that a run drew into its random sample (``review
export --sample``), up to where the sample was reviewed, whichever export carried their
decisions (:func:`sampled_items`; an adjudicator settles a disputed sample item through a
later run's queue): those are a random sample, which ``auto`` chooses and calibrates with;
the others (the queue's) are known labels.

What a run says of the reviews it could not use is
:mod:`~labelwright.review.feedback.gold_warnings`, and the reviews of random samples
:mod:`~labelwright.review.feedback.sample_reviews`. :func:`reviewed_labels` reads the
decisions it settles from in :mod:`~labelwright.review.feedback.decisions_in_use`, and
settles every item in :mod:`~labelwright.review.feedback.item_settlements`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.data.ids import float_spelt
from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import CAPPED_AT_IMPORT, ORDER_FIELD
from labelwright.review.decisions.retirements import Honoured, Retirement
from labelwright.review.feedback.decisions_in_use import (
    counted_decisions,
    decisions_in_use,
    same_rater_splits,
)

# what a run says of the reviews, in its own module; its names still import from here
from labelwright.review.feedback.gold_warnings import float_hint as float_hint
from labelwright.review.feedback.gold_warnings import review_warnings as review_warnings
from labelwright.review.feedback.gold_warnings import sample_warnings as sample_warnings
from labelwright.review.feedback.item_settlements import settle_items
from labelwright.review.feedback.run_label_gaps import RunGap, gaps_manifest, run_label_gaps
from labelwright.review.feedback.sample_reviews import (
    AS_DRAWN,
    SAMPLE_RULE_FIELD,
    sample_coverage,
    sampled_items,
)

# one item's settlement, which every item's (item_settlements.py) follows; it still
# imports from here
from labelwright.review.feedback.settlement import settle as settle
from labelwright.short_repr import ShortRepr
from labelwright.triage.core import Triage
from labelwright.triage.reasons import REVIEWED

POLICIES = ("majority", "adjudicate")


@dataclass(repr=False)
class ReviewedLabels(ShortRepr):
    gold: np.ndarray  # int64 class index per item (aligned to ids), -1 = no usable review
    #: per item, the raters whose decisions count; the unreviewed items share one empty
    #: list (read it, never append to it)
    reviewers: list[list[str]]
    #: item ids whose raters disagree, adjudicators aside, settled by one or not
    disagreements: list[str]
    #: the ones among them whose raters split evenly (no gold unless an adjudicator settles)
    ties: list[str]
    ledger_sha256: str
    count: int  # decisions in the ledger
    policy: str
    stale: int = 0  # decisions with a label the project no longer has
    #: items a rater's stale decision keeps from settling (no gold, whatever the others chose)
    stale_items: list[str] = field(default_factory=list)
    #: how many of the stale decisions have each label the project no longer has
    stale_labels: dict[str, int] = field(default_factory=dict)
    #: ``[project] renamed`` (old name: current label), and how many of the ledger's
    #: decisions were read through it, per old name
    renamed: dict[str, str] = field(default_factory=dict)
    renamed_decisions: dict[str, int] = field(default_factory=dict)
    unknown_items: list[str] = field(default_factory=list)  # reviewed ids not in ``ids``
    #: those of ``unknown_items`` whose decisions settle a label, as an item in ``ids``
    #: would be settled (their copies took that label:
    #: :mod:`labelwright.review.feedback.deleted_copies`)
    unknown_settled: list[str] = field(default_factory=list)
    #: ``(reviewed id, data id)`` for those of ``unknown_items`` the data holds written as
    #: a float (``"1"`` as ``"1.0"``) or the reverse (:func:`~labelwright.data.ids.float_spelt`)
    float_spelt: list[tuple[str, str]] = field(default_factory=list)
    sampled: np.ndarray | None = None  # bool per item: gold from a run's random sample
    sample_undecided: int = 0  # sample items with decisions but no gold (ties, adjudication)
    #: per run whose random sample has reviews: drawn, reviewed, and skipped (unreviewed
    #: items before the last reviewed one, in the sample's order); see :func:`sample_coverage`
    samples: list[dict[str, Any]] = field(default_factory=list)
    #: items whose reviews were made on another text than the item has now (not used)
    text_changed: list[str] = field(default_factory=list)
    #: runs whose decisions record no hash of the text decided on and that cannot be read
    #: (pruned, deleted, a manifest that cannot be read): per run, how many of its
    #: decisions could not be checked for a changed text (used as they are), and why
    text_unchecked: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: raters whose decision settles an item outright (``[review] adjudicators``)
    adjudicators: list[str] = field(default_factory=list)
    #: items whose adjudicators disagree among themselves (no gold; in ``disagreements``
    #: only when the other raters disagree too)
    adjudicators_split: list[str] = field(default_factory=list)
    #: the ``disagreements`` an adjudicator's decision settled (they have gold)
    adjudicated: list[str] = field(default_factory=list)
    #: items whose raters all agreed and an adjudicator gave another label (the
    #: adjudicator's is the gold): not disagreements among raters, yet worth a look
    overruled: list[str] = field(default_factory=list)
    #: the ledger's decisions these labels come from: all but those made on another text
    decisions: list[ledger.Decision] = field(default_factory=list)
    #: (run id, item id) of the decisions made on another text, set aside
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    #: bool per item (aligned to ids): reviewers disagree and no gold settles it yet, so the
    #: item awaits adjudication (triage's ``disputed``)
    disputed: np.ndarray | None = None
    #: bool per item (aligned to ids): reviewed, but its decisions settle no label now (those
    #: made on another text are set aside; one naming a label the project no longer has keeps
    #: the others from settling it, so one current and one removed label is stale too), and
    #: it is not disputed (triage's ``stale``)
    stale_reviewed: np.ndarray | None = None
    #: the ledger's rater names read as another rater's (``[review] same_rater``, and Label
    #: Studio ids an export paired with an email); ``decisions`` and ``adjudicators`` are so
    same_rater: dict[str, str] = field(default_factory=dict)
    #: names ``[review] same_rater`` ties that no decision in the ledger has
    same_rater_unused: list[str] = field(default_factory=list)
    #: (item id, rater, label that counts, {name: label}) where names read as one rater
    #: (``same_rater``) gave an item different labels: the later replaced the other
    same_rater_split: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)
    #: the runs the decisions in use came from whose labels were not the current ones
    #: (a current label missing, one dropped and added back since, or not known)
    label_gaps: list[RunGap] = field(default_factory=list)
    #: the ledger's retirement records honoured (:mod:`~labelwright.review.decisions.retirements`):
    #: the decisions they retire are read by nothing above
    retired: Honoured = field(default_factory=Honoured)
    #: whether each rater's latest decision was taken with a time after the import counted
    #: as the import's (:func:`~labelwright.review.decisions.decision_times.decision_order`)
    capped: bool = True
    #: whether the sample items are those of each run's draw, whichever export carried their
    #: decisions (:func:`~labelwright.review.feedback.sample_reviews.sampled_items`)
    drawn: bool = True

    @property
    def n_gold(self) -> int:
        return int((self.gold >= 0).sum())

    def summary(self) -> dict[str, object]:
        """What ``repr`` shows: counts, not the per-item arrays and id lists (a dataset's
        worth of them)."""
        return {"items": len(self.gold), "gold": self.n_gold, "decisions": self.count,
                "policy": self.policy, "disagreements": len(self.disagreements),
                "ties": len(self.ties), "stale": self.stale,
                "unknown_items": len(self.unknown_items)}

    def manifest(self) -> dict[str, Any]:
        """What a run's manifest records about the reviews it used."""
        return {
            "ledger_sha256": self.ledger_sha256, "decisions": self.count,
            # (runs without it took a tool's time after the import as it was)
            **({ORDER_FIELD: CAPPED_AT_IMPORT} if self.capped else {}),
            # (runs without it counted the items reviewed from a sample and nothing else)
            **({SAMPLE_RULE_FIELD: AS_DRAWN} if self.drawn else {}),
            # (only where there are any: a manifest without them honoured none)
            **self.retired.manifest(), "policy": self.policy,
            "adjudicators": self.adjudicators,
            # (only where names are tied: a manifest without it read every name apart)
            **({"same_rater": self.same_rater} if self.same_rater else {}),
            "adjudicators_disagree": len(self.adjudicators_split),
            "items_with_gold": self.n_gold, "disagreements": len(self.disagreements),
            "ties": len(self.ties), "disagreements_adjudicated": len(self.adjudicated),
            "overruled_by_adjudicators": len(self.overruled),
            "stale_decisions": self.stale,
            # (only where there are any: a manifest without them read every label as it was)
            **({"stale_labels": self.stale_labels, "stale_items": len(self.stale_items)}
               if self.stale else {}),
            **({"renamed": self.renamed} if self.renamed else {}),
            **({"decisions_renamed": self.renamed_decisions} if self.renamed_decisions else {}),
            # (only where there are any, as above)
            **gaps_manifest(self.label_gaps),
            "unknown_items": len(self.unknown_items),
            "items_from_random_sample": int(self.sampled.sum()) if self.sampled is not None
            else 0,
            "random_sample_items_without_gold": self.sample_undecided,
            "random_samples": self.samples,
            "reviewed_on_other_text": len(self.text_changed),
            # (only where there are any) per run that could not be read, its decisions that
            # could not be checked for a changed text
            **({"text_unchecked": {run_id: n for run_id, (n, _) in
                                   self.text_unchecked.items()}}
               if self.text_unchecked else {}),
            # which decisions, so that explain can say what this run did with each
            "set_aside_other_text": [{"run_id": run_id, "id": item_id}
                                     for run_id, item_id in self.set_aside],
        }


def reviewed_labels(
    root: str | Path,
    ids: Sequence[str],
    labels: Sequence[str],
    *,
    policy: str = "majority",
    adjudicators: Collection[str] = (),
    runs_dir: Path | None = None,
    texts: Sequence[str | None] | None = None,
    data_sha256: str | None = None,
    data_columns: tuple[str, str] | None = None,
    same_rater: Mapping[str, str] | None = None,
    renamed: Mapping[str, str] | None = None,
    retirements: int | None = None,
    records: Sequence[Retirement] | None = None,
    decisions: int | None = None,
    names: Mapping[str, str] | None = None,
    set_aside: Collection[tuple[str, str]] | None = None,
    read: Sequence[ledger.Decision] | None = None,
    capped: bool = True,
    drawn: bool = True,
) -> ReviewedLabels:
    """Gold labels for ``ids`` from the ledger in the project folder ``root``; with
    ``runs_dir``, also how completely each run's random sample was reviewed, and with
    ``texts`` (and the data's ``data_sha256`` and ``(id column, text column)``) which
    decisions were made on a text the item no longer has (:func:`~labelwright.review.
    decided_texts.check_texts`): those are not used, and those that cannot be checked are
    counted in ``text_unchecked``. ``same_rater``: rater names that are one person (``[review]
    same_rater``; None: the project's at ``root``); with the Label Studio ids the ledger
    paired with emails, decisions and ``adjudicators`` are read as the rater they count as
    (:func:`~labelwright.review.decisions.raters.rater_names`). ``renamed``: old label names with
    the current label each is now (``[project] renamed``; None: the project's at ``root``);
    decisions for an old name are read as the current label. Retired decisions are not
    read; ``retirements``: honour only the ledger's first ones (those a run honoured), None:
    every one; ``records``: the ledger's retirement records, when read already.

    To read the ledger as a run read it (``runs verify --recompute``), whatever was
    appended since: ``decisions``, read only the ledger's first ones (those a run read;
    None: every one); ``names``, the rater each name counts as as the run recorded it (its
    manifest's ``same_rater``), read in place of ``same_rater`` and the ledger's Label
    Studio pairs now, with ``adjudicators`` the names the run read them as (its manifest's
    ``adjudicators``); ``set_aside``, the (run id, item id) of the decisions the run set
    aside as made on another text, in place of finding them in ``runs_dir`` now; ``read``,
    the ledger's decisions, when read already (``runs verify`` reads them once for every
    run); ``capped``, the order the run read decisions in (:func:`~labelwright.review.
    decisions.decision_times.recorded_order`: False for runs from before a decision dated
    after its import counted from the import); ``drawn``, the rule the run counted its
    sample items by (:func:`~labelwright.review.feedback.sample_reviews.recorded_sample_rule`)."""
    if policy not in POLICIES:
        raise ValueError(f"unknown disagreement policy {policy!r}; valid: {', '.join(POLICIES)}")
    counted = counted_decisions(root, adjudicators=adjudicators, same_rater=same_rater,
                                renamed=renamed, retirements=retirements, records=records,
                                decisions=decisions, names=names, read=read)
    used, other, unchecked = decisions_in_use(
        counted.everything, ids, set_aside=set_aside, runs_dir=runs_dir, texts=texts,
        data_sha256=data_sha256, data_columns=data_columns)
    text_changed = sorted({item for _, item in other})
    latest = ledger.latest_decisions(used, capped=capped)  # each rater's last word, per item
    by_item = ledger.labels_by_rater(latest)
    split_names = same_rater_splits(counted, by_item, other)
    index = {label: k for k, label in enumerate(labels)}
    position = {item_id: i for i, item_id in enumerate(ids)}
    found = settle_items(by_item, index, position, counted.adjudicators, policy, items=len(ids))
    # items a stale label keeps unsettled are not "tied or awaiting adjudication"
    sampled, undecided = sampled_items(used, ids, found.gold, stale=set(found.stale_items),
                                       runs_dir=runs_dir, drawn=drawn)
    in_use = found.in_use(latest, position, index)
    disputed = found.disputed(position)
    stale_reviewed = found.stale_reviewed(position, disputed, text_changed, by_item, index)
    unknown = sorted(set(by_item) - set(position))
    return ReviewedLabels(
        gold=found.gold, reviewers=found.reviewers, disagreements=found.disagreements,
        ties=found.ties, ledger_sha256=ledger.ledger_digest(counted.raw),
        count=len(counted.raw), retired=counted.honoured, policy=policy, capped=capped,
        drawn=drawn, adjudicators=counted.adjudicators, adjudicators_split=found.split,
        adjudicated=found.adjudicated, overruled=found.overruled,
        stale=sum(found.stale_labels.values()), stale_items=found.stale_items,
        stale_labels=dict(found.stale_labels.most_common()),
        renamed={old: new for old, new in sorted(counted.renames.items())},
        renamed_decisions=counted.renamed_counts, unknown_items=unknown,
        float_spelt=float_spelt(unknown, position), unknown_settled=sorted(found.gone_settled),
        sampled=sampled, sample_undecided=undecided,
        samples=sample_coverage(counted.everything, runs_dir) if runs_dir is not None else [],
        text_changed=text_changed, text_unchecked=unchecked, decisions=list(used),
        set_aside=sorted(other), disputed=disputed, stale_reviewed=stale_reviewed,
        same_rater=counted.same_rater(), same_rater_unused=counted.same_rater_unused(),
        same_rater_split=split_names,
        label_gaps=[] if runs_dir is None else run_label_gaps(in_use, labels, counted.renames,
                                                              runs_dir),
    )


def apply_reviews(tri: Triage, gold: np.ndarray) -> tuple[Triage, np.ndarray]:
    """Put reviewed labels over a run's triage; returns it and each item's label source.

    A reviewed item takes the reviewed label with confidence 1, status ``"reviewed"``,
    no reasons, and leaves the review queue. Label sources: ``"review"``, ``"model"``
    (a label from the label model) or ``"none"``.
    """
    done = gold >= 0
    label = np.where(done, gold, tri.label).astype(np.int64)
    confidence = np.where(done, 1.0, tri.confidence)
    status = np.where(done, REVIEWED, tri.status)
    reasons = [() if d else r for d, r in zip(done.tolist(), tri.reasons)]
    order = tri.order[~done[tri.order]]
    source = np.where(done, "review", np.where(label >= 0, "model", "none"))
    return Triage(label=label, confidence=confidence, status=status, reasons=reasons,
                  order=order), source
