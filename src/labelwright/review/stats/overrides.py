"""How often reviewers changed the label they were shown: the override rate, per queue reason
and per round.

A team reviewing in rounds asks how many of the queue's suggestions its reviewers corrected,
and which reasons (conflict, low confidence, the audit, ...) put the wrong labels in the queue.
Each decision is compared with the label the run it was exported from gave the item
(:func:`~labelwright.review.stats.run_agreement.agreement_with_runs`, as the report counts
"Model label confirmed by reviewers"): a round is that run. Blind decisions are not counted:
their reviewer was not shown the label. An item queued for two reasons counts under each; an
item its run gave no label (no LF voted) had no suggestion to change, and is counted apart.

This is not the count a run diff gives as "reviewed labels other than the label model's own":
that one compares the reviews with a label model fit with them, which has learned most.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import latest_decisions
from labelwright.review.imports.repeats import matched_export
from labelwright.review.stats.run_agreement import RunLabel, agreement_with_runs

#: the group of the decisions exported with a run's random sample
RANDOM_SAMPLE = "random sample"


@dataclass(frozen=True)
class Overridden:
    """Of ``shown`` suggestions, how many the reviewers ``changed``."""

    group: str  # a queue reason, "random sample", or a run id
    shown: int
    changed: int

    @property
    def rate(self) -> float:
        return self.changed / self.shown if self.shown else float("nan")


@dataclass
class Overrides:
    """The override rate, per reason and per round (run), and what was not counted."""

    by_reason: list[Overridden] = field(default_factory=list)
    by_run: list[Overridden] = field(default_factory=list)  # oldest run first
    total: Overridden = field(default_factory=lambda: Overridden("all", 0, 0))
    blind: int = 0  # decisions of blind exports: shown no label
    unlabelled: int = 0  # on items their run gave no label: no suggestion to change
    unmatched: int = 0  # their run, or its label for the item, is gone


def _groups(decision: ledger.Decision, run: RunLabel) -> list[Hashable]:
    """The groups a shown decision counts in: its reasons (or the random sample), its run,
    and all."""
    if matched_export(decision.export) == "sample":
        reasons: tuple[str, ...] = (RANDOM_SAMPLE,)
    else:
        reasons = run.reasons or ("queue, no reason recorded",)
    return [*(("reason", r) for r in reasons), ("run", decision.run_id), "all"]


def overrides(decisions: Sequence[ledger.Decision], runs_dir: Path, *,
              renamed: Mapping[str, str] | None = None, capped: bool = True) -> Overrides:
    """Each rater's latest decision per item (``capped``: the order the run read decisions
    in), against the label the run it was exported from gave the item; blind ones only
    counted. ``renamed``: ``[project] renamed``, with which the decisions were read."""
    latest = [d for by_rater in latest_decisions(decisions, capped=capped).values()
              for d in by_rater.values()]
    shown = [d for d in latest if d.blind is not True]
    result = agreement_with_runs(shown, runs_dir, _groups, renamed=renamed)

    def row(group: Hashable, name: str) -> Overridden:
        agreed, n = result.pair(group)
        return Overridden(name, n, n - agreed)

    groups = list(result.decisions)
    return Overrides(
        by_reason=sorted((row(g, g[1]) for g in groups if isinstance(g, tuple)
                          and g[0] == "reason"), key=lambda r: (-r.shown, r.group)),
        by_run=[row(g, g[1]) for g in sorted(g for g in groups if isinstance(g, tuple)
                                             and g[0] == "run")],
        total=row("all", "all"), blind=len(latest) - len(shown),
        unlabelled=result.unlabelled, unmatched=result.unmatched)
