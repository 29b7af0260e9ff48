"""How often reviewers changed the label they were shown: the override rate, per queue reason
and per round.

A team reviewing in rounds asks how many of the queue's suggestions its reviewers corrected,
and which reasons (conflict, low confidence, the audit, ...) put the wrong labels in the queue.
Each decision is compared with the label the run it was exported from gave the item
(:func:`~labelwright.review.stats.run_agreement.agreement_with_runs`): a round is that run.
Blind decisions are not counted: their reviewer was not shown the label; nor are the
adjudicators' (they settle disagreements, as ``review stats``' other figures leave them out).
An item queued for two reasons counts under each; a decision exported with the random
sample counts under it alone, whatever queue reasons its item had; an item its run gave no
label (no LF voted) had no suggestion to change, and is counted apart. The report's
override columns count the same way (:func:`count_overrides`).

This is not the count a run diff gives as "reviewed labels other than the label model's own":
that one compares the reviews with a label model fit with them, which has learned most.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import latest_decisions
from labelwright.review.imports.repeats import matched_export
from labelwright.review.stats.run_agreement import (
    Compared,
    RunAgreement,
    RunLabel,
    agreement_with_runs,
)

#: the group of the decisions exported with a run's random sample
RANDOM_SAMPLE = "random sample"
AUDIT = "audit"
#: the group of the queue's decisions on items queued for a reason besides the audit
QUEUE = "queue"

E = TypeVar("E", bound="Exported")


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
    adjudicators: int = 0  # the adjudicators' decisions: they settle, they do not review
    unlabelled: int = 0  # on items their run gave no label: no suggestion to change
    unmatched: int = 0  # their run is gone, or its label for the item is gone or a review's


class Exported(Compared, Protocol):
    """A decision as the override rate counts it: a ledger decision, or a row of a run's
    ``reviews.json`` (:class:`labelwright.report.reviews.Review`)."""

    @property
    def reviewer(self) -> str: ...
    @property
    def export(self) -> str: ...
    @property
    def blind(self) -> bool | None: ...


def override_groups(decision: Exported, run: RunLabel) -> list[Hashable]:
    """The groups a shown decision counts in: its reasons (or the random sample's), the
    queue's (:data:`QUEUE`: exported with the queue, for a reason besides the audit), its
    run, and all."""
    sampled = matched_export(decision.export) == "sample"
    reasons = (RANDOM_SAMPLE,) if sampled else run.reasons or ("queue, no reason recorded",)
    queue = [QUEUE] if not sampled and any(r != AUDIT for r in run.reasons) else []
    return [*(("reason", r) for r in reasons), *queue, ("run", decision.run_id), "all"]


@dataclass
class Counted:
    """The shown decisions compared (:func:`override_groups`), and those set aside."""

    compared: RunAgreement
    blind: int  # shown no label
    adjudicators: int  # the adjudicators' (shown ones): they settle, they do not review


def count_overrides(decisions: Sequence[E], runs_dir: Path, *,
                    adjudicators: Collection[str] = (),
                    renamed: Mapping[str, str] | None = None) -> Counted:
    """``decisions`` (one per rater and item) against their run's label, blind ones and the
    ``adjudicators``' aside: the one count of ``review stats`` and the report."""
    blind = [d for d in decisions if d.blind is True]
    settling = [d for d in decisions if d.blind is not True and d.reviewer in adjudicators]
    shown = [d for d in decisions if d.blind is not True and d.reviewer not in adjudicators]
    return Counted(agreement_with_runs(shown, runs_dir, override_groups, renamed=renamed),
                   len(blind), len(settling))


def overrides(decisions: Sequence[ledger.Decision], runs_dir: Path, *,
              adjudicators: Collection[str] = (),
              renamed: Mapping[str, str] | None = None, capped: bool = True) -> Overrides:
    """Each rater's latest decision per item (``capped``: the order the run read decisions
    in), against the label the run it was exported from gave the item; blind ones and the
    ``adjudicators``' (``[review] adjudicators``) not counted. ``renamed``: ``[project]
    renamed``, with which the decisions were read."""
    latest = [d for by_rater in latest_decisions(decisions, capped=capped).values()
              for d in by_rater.values()]
    counted = count_overrides(latest, runs_dir, adjudicators=adjudicators, renamed=renamed)
    result = counted.compared

    def row(group: Hashable, name: str) -> Overridden:
        agreed, n = result.pair(group)
        return Overridden(name, n, n - agreed)

    groups = list(result.decisions)
    return Overrides(
        by_reason=sorted((row(g, g[1]) for g in groups if isinstance(g, tuple)
                          and g[0] == "reason"), key=lambda r: (-r.shown, r.group)),
        by_run=[row(g, g[1]) for g in sorted(g for g in groups if isinstance(g, tuple)
                                             and g[0] == "run")],
        total=row("all", "all"), blind=counted.blind, adjudicators=counted.adjudicators,
        unlabelled=result.unlabelled, unmatched=result.unmatched)
