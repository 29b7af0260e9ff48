"""Do reviewers lean on the suggestion they are shown? Agreement with the run's label,
blind decisions and shown ones apart.

A reviewer shown the run's suggestion (a normal export) may take it more often than one
who decides from the text alone (``review export --blind``): anchoring. Each decision is
compared with the label its run gave the item (the ``suggested_label`` of the run's
``review.jsonl`` or ``sample.jsonl``: what a shown reviewer saw, and a blind one did not),
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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labelwright.review import agreement, ledger
from labelwright.review.feedback import run_exported_records

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
    unmatched: int = 0  # decisions whose run, or its record of the item, is gone

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
    return "sample" if decision.export == "sample" else "queue"


def anchoring(decisions: Sequence[ledger.Decision], runs_dir: Path) -> Anchoring:
    """Each rater's latest decision per item, per export and blindness (a rater who
    reviewed an item both blind and shown counts in both), against the label the run it
    was exported from gave the item."""
    suggested = _suggestions(decisions, runs_dir)
    counts: Counter[tuple[str, bool | None]] = Counter()
    agreed: Counter[tuple[str, bool | None]] = Counter()
    unlabelled = unmatched = 0
    by_group: dict[tuple[str, bool | None], list[ledger.Decision]] = {}
    for d in decisions:
        by_group.setdefault((export_kind(d), d.blind), []).append(d)
    for (kind, blind), group in by_group.items():
        for by_rater in ledger.latest_decisions(group).values():
            for d in by_rater.values():
                if (d.run_id, d.item_id) not in suggested:
                    unmatched += 1
                elif suggested[d.run_id, d.item_id] is None:
                    unlabelled += 1
                else:
                    counts[kind, blind] += 1
                    agreed[kind, blind] += d.label == suggested[d.run_id, d.item_id]
    groups = [Agreement(kind, blind, counts[kind, blind], agreed[kind, blind],
                        *agreement.wilson_interval(agreed[kind, blind], counts[kind, blind]))
              for kind in EXPORT_KINDS for blind in (True, False, None) if counts[kind, blind]]
    return Anchoring(groups=groups, unlabelled=unlabelled, unmatched=unmatched)


def _suggestions(decisions: Sequence[ledger.Decision], runs_dir: Path
                 ) -> dict[tuple[str, str], str | None]:
    """``{(run id, item id): the label the run suggested}`` (None: it gave none) for the
    items ``decisions`` name, from each run's review and sample JSONL (the same label in
    both: the run's). An item a run's files do not hold (the run deleted) is left out."""
    wanted: dict[str, set[str]] = {}
    for d in decisions:
        wanted.setdefault(d.run_id, set()).add(d.item_id)
    found: dict[tuple[str, str], str | None] = {}
    for run_id, items in wanted.items():
        for record in run_exported_records(runs_dir / run_id, items):
            if "suggested_label" in record:
                label = record["suggested_label"]
                found[run_id, str(record["id"])] = None if label is None else str(label)
    return found
