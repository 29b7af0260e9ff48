"""What a run's reviewed audit items say of its accepted labels: per predicted label, the
precision of the accepted labels, and over all of them an accuracy weighted by label.

The audit draws its items per predicted label (a stratum): in proportion to each label's
accepted items, or alike per label (``[triage] audit_allocation = "per_label"``), so a
label with 0.5% of the items gets as many audited items as the others. Within a label the
draw is at random, so the reviewed items of a label estimate its precision
(:func:`label_precision`, with the exact Clopper-Pearson interval: a few items per label
are the usual case, and it holds the true share at least 95% of the time at every size).

Over all accepted labels, each label's share of reviewed items is no longer its share of
the accepted items when the audit is shared alike, so its precision is weighted by its
share of the accepted items (the stratum weight ``N_h / N``, the inverse of the chance an
item of it was drawn): :func:`stratified_accuracy`. Its interval is the exact interval at
the sample size that a simple random sample with the same variance would have (the
effective size; Korn and Graubard's interval for a stratified sample), at most the items
reviewed. The variance is the stratified one, with each label's finite population
correction; each label's share is smoothed by one right and one wrong in the variance only,
so that a label whose few audited items were all right does not count as known exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from labelwright.review.stats.agreement import AuditAccuracy, exact_interval

#: a label's precision from fewer reviewed audit items than this is said to rest on too
#: few: its exact interval spans 30 points or more (9 of 9 right: 66%-100%)
FEW_PER_LABEL = 10
#: what a label's precision says where it rests on fewer than :data:`FEW_PER_LABEL` items
FEW_PER_LABEL_TEXT = f"too few audited items (under {FEW_PER_LABEL})"


@dataclass(frozen=True)
class LabelPrecision:
    """How often an accepted label ``label`` was right, from the reviewed audit items the
    run gave it."""

    label: str
    reviewed: int
    correct: int
    ci_low: float
    ci_high: float
    #: the accepted items with this label the audit drew from, and how many it drew (None:
    #: the run did not record them)
    accepted: int | None = None
    audited: int | None = None

    @property
    def precision(self) -> float:
        return self.correct / self.reviewed if self.reviewed else float("nan")

    @property
    def few(self) -> bool:
        """Whether the figure rests on fewer than :data:`FEW_PER_LABEL` reviewed items."""
        return self.reviewed < FEW_PER_LABEL


def label_precision(label: str, correct: int, reviewed: int, *,
                    accepted: int | None = None, audited: int | None = None
                    ) -> LabelPrecision:
    """:class:`LabelPrecision` of ``correct`` of ``reviewed`` audit items, with its 95% exact
    interval (NaNs without reviewed items)."""
    low, high = exact_interval(correct, reviewed)
    return LabelPrecision(label=label, reviewed=reviewed, correct=correct, ci_low=low,
                          ci_high=high, accepted=accepted, audited=audited)


def per_label(predicted: Sequence[str], right: Sequence[bool],
              strata: Mapping[str, Mapping[str, int]] | None = None) -> list[LabelPrecision]:
    """Per label, the precision of the accepted labels from the reviewed audit items:
    ``predicted`` is each item's label as the run gave it, ``right`` whether the reviewed
    label is that one. ``strata``: the run's ``triage.audit_strata`` (label -> ``accepted``,
    ``audited``): every label there gets a row, one without reviewed items too (it rests on
    none); in its order, then any other label reviewed, most reviewed first."""
    strata = strata or {}
    correct: dict[str, int] = {}
    reviewed: dict[str, int] = {}
    for label, ok in zip(predicted, right):
        reviewed[label] = reviewed.get(label, 0) + 1
        correct[label] = correct.get(label, 0) + int(bool(ok))
    names = [*strata, *sorted((name for name in reviewed if name not in strata),
                              key=lambda name: (-reviewed[name], name))]
    return [label_precision(name, correct.get(name, 0), reviewed.get(name, 0),
                            accepted=(strata.get(name) or {}).get("accepted"),
                            audited=(strata.get(name) or {}).get("audited"))
            for name in names]


#: the right and wrong items added to each label's share in the variance of the weighted
#: accuracy (:func:`stratified_accuracy`): a label whose audited items were all right is
#: not read as known exactly (its variance would be 0, the interval too narrow)
SMOOTHING = 1.0


@dataclass(frozen=True)
class StratifiedAccuracy:
    """The accuracy of all accepted labels, each label's precision weighted by its share
    of the accepted items (:func:`stratified_accuracy`)."""

    accuracy: float
    ci_low: float
    ci_high: float
    #: the reviewed items it rests on, and how many of them were right (unweighted)
    reviewed: int
    correct: int
    #: the effective sample size its interval is computed at
    effective_size: float
    #: the labels with accepted items but no reviewed audit item, which the figure cannot
    #: cover, and their share of the accepted items (the figure is over the others)
    not_covered: tuple[str, ...] = ()
    not_covered_share: float = 0.0

    def as_audit_accuracy(self) -> AuditAccuracy:
        """The figure as :class:`~labelwright.review.stats.agreement.AuditAccuracy`, whose
        ``accuracy`` is then the weighted one."""
        return AuditAccuracy(reviewed=self.reviewed, correct=self.correct, ci_low=self.ci_low,
                             ci_high=self.ci_high, weighted=self.accuracy)


def stratified_accuracy(labels: Sequence[LabelPrecision], *, alpha: float = 0.05
                        ) -> StratifiedAccuracy | None:
    """The accuracy of all accepted labels from per-label precisions whose ``accepted``
    (the stratum's size) is known: the stratum-weighted mean, unbiased whatever share of
    the audit each label got, with a ``1 - alpha`` interval for a stratified sample (see
    the module's docstring). None when no label has both a size and a reviewed item."""
    sized = [p for p in labels if p.accepted]
    covered = [p for p in sized if p.reviewed]
    if not covered:
        return None
    total = sum(p.accepted or 0 for p in sized)
    counted = sum(p.accepted or 0 for p in covered)
    weight = np.array([(p.accepted or 0) / counted for p in covered])
    n = np.array([p.reviewed for p in covered], dtype=float)
    right = np.array([p.correct for p in covered], dtype=float)
    size = np.array([p.accepted or 0 for p in covered], dtype=float)
    estimate = float(weight @ (right / n))
    smoothed = (right + SMOOTHING) / (n + 2 * SMOOTHING)
    fpc = np.clip(1 - n / size, 0.0, 1.0)
    variance = float((weight ** 2 * fpc * smoothed * (1 - smoothed) / n).sum())
    reviewed = int(n.sum())
    if variance <= 0:  # every label audited whole: the accuracy is known
        low = high = estimate
        effective = float(reviewed)
    else:
        centre = float(weight @ smoothed)
        effective = min(float(reviewed), centre * (1 - centre) / variance)
        low, high = exact_interval(estimate * effective, effective, alpha=alpha)
    missing = tuple(p.label for p in sized if not p.reviewed)
    return StratifiedAccuracy(
        accuracy=estimate, ci_low=float(low), ci_high=float(high), reviewed=reviewed,
        correct=int(right.sum()), effective_size=effective, not_covered=missing,
        not_covered_share=(total - counted) / total if total else 0.0)


def precision_note(figure: LabelPrecision) -> str:
    """What ``review stats`` and the report say beside a label's precision: why it is not
    to be read as the label's precision, or "" when it can be."""
    if figure.accepted == 0:
        return "no accepted item with it to audit"
    if not figure.reviewed:
        return "no audited item reviewed"
    return FEW_PER_LABEL_TEXT if figure.few else ""


def weighted_text(figure: StratifiedAccuracy) -> str:
    """How a weighted audit figure was computed, as ``review stats`` and the report say it
    beside it: ``weighted by each label's accepted items; 46/48 right unweighted; exact
    interval at an effective size of 15.2``, with the labels it could not cover."""
    missing = (f"; leaves out {', '.join(figure.not_covered)} "
               f"({figure.not_covered_share:.1%} of the accepted items): no audited item "
               "of it reviewed" if figure.not_covered else "")
    return (f"weighted by each label's accepted items (the audit was shared alike per "
            f"label); {figure.correct}/{figure.reviewed} right unweighted; exact interval "
            f"at an effective size of {figure.effective_size:.1f}{missing}")
