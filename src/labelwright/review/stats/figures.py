"""The figures ``labelwright review stats`` reports (:class:`ReviewStats`): agreement
between raters, the LFs' accuracy on reviewed items and the run's own, each field saying
what it counts and on which items. They are computed from the ledger and a run by
:func:`~labelwright.review.stats.summary.review_stats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import ReviewedLabels
from labelwright.review.stats import agreement
from labelwright.review.stats.anchoring import Anchoring
from labelwright.review.stats.overrides import Overrides
from labelwright.review.stats.run_accuracy import RunAccuracy
from labelwright.short_repr import ShortRepr


@dataclass(repr=False)
class ReviewStats(ShortRepr):
    run_id: str
    reviewed: ReviewedLabels
    raters: list[str]  # every rater, adjudicators too
    items_reviewed: int
    items_multi: int  # items with two or more raters
    pairs: pd.DataFrame  # Cohen's kappa per rater pair (pairs with an adjudicator too)
    #: Fleiss' kappa, Krippendorff's alpha and the consensus are those of the raters who
    #: rate independently: the adjudicators' decisions settle disagreements, and counted
    #: as ratings they would add agreement where the raters had none
    fleiss: float
    fleiss_items: int
    alpha: float
    consensus: pd.DataFrame
    #: per LF, its accuracy on every reviewed item, random sample and queue together; the
    #: CLI shows ``lfs_sample`` and ``lfs_queue`` (the two apart), as the LF table counts
    lfs: pd.DataFrame
    audit: agreement.AuditAccuracy
    #: the run's labels on the reviewed items of its own random sample, whichever export
    #: they were reviewed through (items without a label count as wrong): an estimate of
    #: the accuracy of every label the run gave
    sample: agreement.AuditAccuracy
    #: the items of the run's audit sample and of its random sample, reviewed or not: the
    #: N of "n of N reviewed" (None: not known)
    audit_items: int | None = None
    sample_items: int | None = None
    #: ``sample`` on the reviewed sample items the run gave a label (accuracy apart from
    #: coverage; None: not measured)
    sample_labelled: agreement.AuditAccuracy | None = None
    #: reviewed items of the audit and random samples with no reviewed label, per why
    #: (``tied``, ...): left out of ``audit`` and ``sample``
    audit_left_out: dict[str, int] = field(default_factory=dict)
    sample_left_out: dict[str, int] = field(default_factory=dict)
    #: the run's figures from its audit and random samples, whole (per label, the audit's
    #: allocation and weighted figure: :class:`~labelwright.review.stats.run_accuracy.RunAccuracy`)
    own: RunAccuracy | None = None
    #: when no audit item of this run has a reviewed label: the runs whose audit items do,
    #: with how many (newest first), the count of that run's own figure. Each run draws its
    #: own audit sample, and the next run gives reviewed items their reviewed label, so the
    #: reviews measure the run that drew them: ``review stats RUN`` shows that run's figure
    audits_elsewhere: dict[str, int] = field(default_factory=dict)
    #: the same for the random sample
    samples_elsewhere: dict[str, int] = field(default_factory=dict)
    #: the run's manifest record of its triage (``triage``: the audit asked for, how many
    #: items it drew and why it drew none); {} for a run that recorded none
    triage: dict[str, Any] = field(default_factory=dict)
    #: agreement with the run's label, blind and shown decisions apart (every run's
    #: decisions, each against the label of the run it was exported from)
    anchoring: Anchoring = field(default_factory=Anchoring)
    #: how often reviewers changed the label they were shown, per queue reason and round
    #: (every run's shown decisions, each against the label of the run it was exported from)
    overrides: Overrides = field(default_factory=Overrides)
    #: the raters in ``[review] adjudicators`` with decisions here, left out of the figures
    #: above but the pairs (each rater against an adjudicator's decisions)
    adjudicators: list[str] = field(default_factory=list)
    #: per LF, on the items reviewed from a random sample (``review export --sample``), which
    #: picture its votes: the LF table's ``emp_accuracy`` counts them (with the data's gold)
    lfs_sample: pd.DataFrame | None = None
    #: per LF, on the items reviewed from the review queue or audit: the hard items, picked
    #: because LFs conflict, the model is unsure or no LF voted; the LF table's
    #: ``queue_accuracy``
    lfs_queue: pd.DataFrame | None = None
    #: the project's labels, which the reviews are read with (a run's warnings name them)
    labels: list[str] = field(default_factory=list)
    #: with ``as_read``: why the ledger's first decisions are not those the run read (an
    #: edit since), as ``explain`` says it; [] when they are
    ledger_changed: list[str] = field(default_factory=list)
    #: (item id, adjudicator, importer) of the items settled by an adjudicator's decision
    #: someone else imported (:mod:`~labelwright.review.imports.adjudicators`)
    settled_by_others: list[tuple[str, str, str]] = field(default_factory=list)
    #: the ledger's decisions the run read, as its manifest records (None: not recorded)
    run_read: int | None = None
    #: whether every figure counts only those (``as_read``), not the ledger as it is now
    as_read: bool = False
    #: the ledger's decisions now
    ledger_count: int = 0
    #: 95% bootstrap intervals over items of ``fleiss`` and ``alpha`` (the pairs' are in
    #: ``pairs``), seeded by the project's ``seed``
    #: (:mod:`~labelwright.review.stats.bootstrap`)
    fleiss_ci: tuple[float, float] = (float("nan"), float("nan"))
    alpha_ci: tuple[float, float] = (float("nan"), float("nan"))
    #: the number of ratings per item Fleiss' kappa is computed at (the most common), and
    #: the items with two or more ratings of the raters counted (alpha counts them all)
    fleiss_ratings: int = 0
    items_rated_twice: int = 0
    #: per label, the raters' agreement on it (specific agreement, one-vs-rest alpha:
    #: :func:`~labelwright.review.stats.label_agreement.label_agreement`)
    per_label: pd.DataFrame | None = None
    #: the pairs of labels the raters split on, with how many items each (most first:
    #: :func:`~labelwright.review.stats.label_agreement.label_splits`)
    splits: list[tuple[str, str, int]] = field(default_factory=list)
    #: the seed of the bootstrap intervals
    seed: int = 0
    #: per rater (adjudicators too), how many items they decided: their latest decision
    #: per item, retired ones and items not the run's aside
    rater_items: dict[str, int] = field(default_factory=dict)
    #: per rater, the files their decisions came from and whether the file or
    #: ``--reviewer`` named them (:func:`~labelwright.review.decisions.tool_names.rater_sources`)
    rater_sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def peer_pairs(self) -> pd.DataFrame:
        """The rows of ``pairs`` of two raters who rate independently."""
        return self.pairs[~self._with_adjudicator()]

    @property
    def adjudicator_pairs(self) -> pd.DataFrame:
        """The rows of ``pairs`` with an adjudicator: a rater against the adjudicator's
        decisions, which are mostly on the items raters disputed, so lower by design."""
        judged = self.pairs[self._with_adjudicator()].copy()
        # the adjudicator second, as the table names the columns
        swap = judged["rater_a"].isin(set(self.adjudicators)) \
            & ~judged["rater_b"].isin(set(self.adjudicators))
        judged.loc[swap, ["rater_a", "rater_b"]] = judged.loc[swap, ["rater_b", "rater_a"]
                                                              ].to_numpy()
        return judged

    def _with_adjudicator(self) -> pd.Series:
        judges = set(self.adjudicators)
        return self.pairs["rater_a"].isin(judges) | self.pairs["rater_b"].isin(judges)

    @property
    def cut_texts(self) -> list[ledger.Decision]:
        """The decisions these figures read that were made on a cut text (a spreadsheet
        cut the cell: :attr:`~labelwright.review.decisions.ledger.Decision.cut`)."""
        return [d for d in self.reviewed.decisions if d.cut is not None]

    @property
    def independent(self) -> list[str]:
        """The raters Fleiss' kappa, alpha and the consensus measure."""
        return [r for r in self.raters if r not in self.adjudicators]

    def summary(self) -> dict[str, object]:
        return {"run_id": self.run_id, "raters": self.raters,
                "items_reviewed": self.items_reviewed, "fleiss": self.fleiss,
                "alpha": self.alpha, "audit_accuracy": self.audit.accuracy,
                "sample_accuracy": self.sample.accuracy}
