"""Do reviewers lean on the suggestion they are shown? Agreement with the run's label,
blind decisions and shown ones apart.

A reviewer shown the run's suggestion (a normal export) may take it more often than one
who decides from the text alone (``review export --blind``): anchoring. Each decision is
compared with the label its run gave the item (what a shown reviewer saw, and a blind one
did not; :mod:`~labelwright.review.stats.run_agreement`, which the run report counts with too),
within one export: the queue holds the items the model was least sure of, the random
sample all items, so the two are never pooled. Within one export, blind and shown
decisions may still be on items of different difficulty (another run's queue, another
stretch of it); the fair test is one random sample reviewed both ways, by different
reviewers.

A gap counts as a sign of anchoring only when both groups hold at least
:data:`MIN_DECISIONS` decisions and the shown group's 95% Wilson interval lies wholly
above the blind group's: a conservative test (overlapping intervals may still hide a real
gap), so that a team is not told its reviewers are anchored on the strength of a few items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import latest_decisions
from labelwright.review.imports.repeats import matched_export
from labelwright.review.stats import agreement
from labelwright.review.stats.run_agreement import RunAgreement, agreement_with_runs

#: decisions each group needs before blind and shown are compared: at 30, a 95% Wilson
#: interval around a rate of 0.8 is still ±0.14 wide; fewer leave it too wide to tell a gap
MIN_DECISIONS = 30
#: the exports compared apart: the random sample, and the queue (with the decisions of files
#: from before labelwright recorded the export, which were the queue's)
EXPORT_KINDS = ("sample", "queue")
ANCHORING, NO_SIGN, TOO_FEW = "anchoring", "no sign of anchoring", "too few decisions"


@dataclass(frozen=True)
class Agreement:
    """How often one group's decisions took the label the run gave the item."""

    export: str  # "sample" or "queue"
    blind: bool | None  # None: decisions the ledger does not know to be blind or shown
    decisions: int
    agreed: int
    ci_low: float
    ci_high: float

    @property
    def rate(self) -> float:
        return self.agreed / self.decisions if self.decisions else float("nan")


@dataclass
class Anchoring:
    """Agreement with the run's label per export and blindness, and the verdicts."""

    #: per export (the sample first): blind, shown, not known; a group without decisions
    #: is left out
    groups: list[Agreement] = field(default_factory=list)
    unlabelled: int = 0  # decisions on items their run gave no label: nothing to agree with
    unmatched: int = 0  # decisions not comparable: their run, or its label, is gone

    def group(self, export: str, blind: bool | None) -> Agreement | None:
        return next((g for g in self.groups if (g.export, g.blind) == (export, blind)), None)

    def verdict(self, export: str) -> str:
        """:data:`ANCHORING` when the shown decisions of ``export`` agree with the run
        clearly more often than its blind ones, :data:`TOO_FEW` when either group holds
        fewer than :data:`MIN_DECISIONS`, else :data:`NO_SIGN`."""
        blind, shown = self.group(export, True), self.group(export, False)
        if blind is None or shown is None or min(blind.decisions,
                                                 shown.decisions) < MIN_DECISIONS:
            return TOO_FEW
        return ANCHORING if shown.ci_low > blind.ci_high else NO_SIGN


def export_kind(decision: ledger.Decision) -> str:
    """The export a decision is compared within (no export counts as the queue's), as an
    import matches it (:func:`~labelwright.review.imports.repeats.matched_export`)."""
    return matched_export(decision.export)


def anchoring(decisions: Sequence[ledger.Decision], runs_dir: Path, *,
              renamed: Mapping[str, str] | None = None, capped: bool = True) -> Anchoring:
    """Each rater's latest decision per item, per export and blindness (a rater who
    reviewed an item both blind and shown counts in both), against the label the run it
    was exported from gave the item (``renamed``: ``[project] renamed``, with which the
    decisions were read: a run made before a rename named the label by its old name;
    ``capped``: the order the run read decisions in, :func:`~labelwright.review.decisions.
    decision_times.decision_order`)."""
    by_group: dict[tuple[str, bool | None], list[ledger.Decision]] = {}
    for d in decisions:
        by_group.setdefault((export_kind(d), d.blind), []).append(d)
    latest = [d for group in by_group.values()
              for by_rater in latest_decisions(group, capped=capped).values()
              for d in by_rater.values()]
    result = agreement_with_runs(latest, runs_dir, lambda d, _: [(export_kind(d), d.blind)],
                                 renamed=renamed)
    groups = [Agreement(kind, blind, *_counts(result, (kind, blind)))
              for kind in EXPORT_KINDS for blind in (True, False, None)
              if result.decisions[kind, blind]]
    return Anchoring(groups=groups, unlabelled=result.unlabelled, unmatched=result.unmatched)


def _counts(result: RunAgreement, group: tuple[str, bool | None]
            ) -> tuple[int, int, float, float]:
    """``(decisions, agreed, ci_low, ci_high)`` of one group."""
    agreed, n = result.pair(group)
    return (n, agreed, *agreement.wilson_interval(agreed, n))
