"""How one item's reviews settle into a reviewed label under ``[review] policy`` and
``adjudicators``: the policy's per-item rule, in one place, so a run
(:func:`~labelwright.review.feedback.gold.reviewed_labels`) and ``explain`` tell the same story
of an item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from labelwright.counts import counted


@dataclass(frozen=True)
class Settlement:
    """How one item's reviews settle under a review policy (:func:`settle`): the reviewed
    label, or None, and the facts it rests on, so a run and ``explain`` tell the same
    story of an item."""

    #: the reviewed label, None when the reviews give none (a tie, a disagreement waiting
    #: for an adjudicator under ``"adjudicate"``, adjudicators who disagree)
    label: str | None
    #: each rater's label, adjudicators aside, as :func:`settle` got them
    raters: dict[str, str]
    #: each adjudicator's label, for the adjudicators who decided the item
    adjudicators: dict[str, str]
    policy: str
    #: per adjudicator, who imported the decision read as theirs, where that is someone
    #: else (:mod:`~labelwright.review.imports.adjudicators`): ``describe`` names them
    importers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def counts(self) -> list[tuple[str, int]]:
        """The raters' labels (adjudicators aside) with how many chose each, most first
        (counted once: every other property reads it)."""
        return Counter(self.raters.values()).most_common()

    @property
    def disagree(self) -> bool:
        return len(self.counts) > 1

    @property
    def tie(self) -> bool:
        """The raters split evenly between their two most chosen labels."""
        counts = self.counts
        return len(counts) > 1 and counts[0][1] == counts[1][1]

    @property
    def split(self) -> bool:
        """Adjudicators who disagree among themselves: they settle nothing."""
        return len(set(self.adjudicators.values())) > 1

    @property
    def adjudicated(self) -> bool:
        """An adjudicator settled a disagreement among the raters."""
        return bool(self.adjudicators) and not self.split and self.disagree

    @property
    def overruled(self) -> bool:
        """The raters agreed, and an adjudicator gave another label (the adjudicator's
        counts)."""
        return (bool(self.adjudicators) and not self.split and not self.disagree
                and bool(self.raters) and self.label != self.counts[0][0])

    def _chose(self, label: str) -> list[str]:
        return sorted(rater for rater, chosen in self.raters.items() if chosen == label)

    def describe(self) -> str:
        """In words, for ``explain``: ``a 2-1 majority of 3 raters (ana, ben: billing; cy:
        bug)``, ``a 1-1 tie settled by adjudicator lead``, ``adjudicator lead overruled 2
        agreeing raters (bug)``."""
        counts = self.counts
        votes = "; ".join(f"{', '.join(self._chose(label))}: {label}" for label, _ in counts)
        split = "-".join(str(n) for _, n in counts)
        judges = ", ".join(f"{name} (imported by {self.importers[name]})"
                           if name in self.importers else name
                           for name in sorted(self.adjudicators))
        one = "adjudicator" if len(self.adjudicators) == 1 else "adjudicators"
        if self.split:
            said = "; ".join(f"{r}: {lab}" for r, lab in sorted(self.adjudicators.items()))
            return f"no reviewed label: the adjudicators disagree ({said})"
        if self.adjudicators and not self.raters:
            return f"decided by {one} {judges} alone"
        if self.overruled:
            return (f"{one} {judges} overruled {counted(len(self.raters), 'agreeing rater')} "
                    f"({votes}) with {self.label}")
        if self.adjudicated:
            kind = "tie" if self.tie else "split"
            return f"a {split} {kind} of the raters ({votes}) settled by {one} {judges}"
        if self.adjudicators:  # the raters agree, and so does the adjudicator
            return (f"agreed by {counted(len(self.raters), 'rater')} ({votes}) and {one} "
                    f"{judges}")
        if not self.disagree:
            return (f"agreed by {counted(len(self.raters), 'rater')} ({votes})"
                    if len(self.raters) > 1 else f"decided by one rater ({votes})")
        if self.tie:
            return (f"no reviewed label: a {split} tie of the raters ({votes}) awaits an "
                    "adjudicator")
        if self.label is None:
            return (f"no reviewed label: the raters split {split} ({votes}) and [review] "
                    f"policy = \"{self.policy}\" waits for an adjudicator")
        return f"a {split} majority of {counted(len(self.raters), 'rater')} ({votes})"


def settle(usable: dict[str, str], adjudicators: Collection[str], policy: str) -> Settlement:
    """The reviewed label of one item from each rater's latest label (``usable``: rater ->
    label, labels of the project only) under ``policy`` (module docstring): a decision by
    one of ``adjudicators`` settles the item outright, adjudicators who disagree settle
    nothing, and otherwise the raters' majority counts (under ``"majority"``; a tie gives
    no label) or their agreement (under ``"adjudicate"``)."""
    raters = {r: label for r, label in usable.items() if r not in adjudicators}
    judges = {r: label for r, label in usable.items() if r in adjudicators}
    undecided = Settlement(None, raters, judges, policy)
    if judges:
        return undecided if undecided.split else Settlement(
            next(iter(judges.values())), raters, judges, policy)
    if undecided.tie or (undecided.disagree and policy == "adjudicate"):
        return undecided
    return Settlement(undecided.counts[0][0], raters, judges, policy)
