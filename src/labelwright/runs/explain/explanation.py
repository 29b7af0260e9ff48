"""What ``explain`` gives for one item: :class:`Explanation`, its :class:`Vote` rows, and
the shape of the function that gives an item's review decisions (:data:`DecisionsFor`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.feedback.settlement import Settlement
from labelwright.runs.explain.queue_place import QueuePlace

#: ``decisions_for(item_id) -> list of decisions``, newest last. A decision is a dict with
#: at least ``label`` and, when known, ``reviewer``, ``decided_at`` and ``source`` (the file
#: the decision was imported from).
DecisionsFor = Callable[[str], list[dict[str, Any]]]


@dataclass(frozen=True)
class Vote:
    """One LF's vote on the item: a label name, or ``None`` for abstain (or a failure:
    ``failed`` is True when the LF raised on the item, None when that is not known: a run
    from before runs kept every failure (``lf_failures.parquet``) lists only the first
    items an LF raised on, so this abstain may be one)."""

    lf: str
    kind: str
    location: str
    vote: str | None
    failed: bool | None = False
    #: on how many of the run's items the LF raised (0: none)
    failures: int = 0


@dataclass
class Explanation:
    """Everything that produced one item's label in one run."""

    item_id: str
    run_id: str
    run_dir: Path
    text: str | None
    fields: dict[str, Any]
    votes: list[Vote]
    matches: list[GlossaryMatch]
    probabilities: dict[str, float]
    model: str
    label: str | None
    confidence: float
    status: str
    reasons: list[str]
    #: "model", "none", "review" when the run took a reviewed label, or "copy" when it took
    #: the reviewed label of another item with the same text (``copy_of``)
    label_source: str
    model_label: str | None  # the label model's label (for a reviewed item: its argmax)
    gold: str | None = None
    decisions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: how the decisions the run read settle under its review policy (None: none read)
    settlement: Settlement | None = None
    #: the ``[review] policy`` and adjudicators that settlement is under: the run's, as its
    #: manifest records them, else the project's now (``policy_recorded`` False)
    review_policy: str | None = None
    adjudicators: list[str] = field(default_factory=list)
    policy_recorded: bool = True
    #: what ``auto`` chose (``{"model", "params", "reason"}``), None for another model
    chosen: dict[str, Any] | None = None
    #: ``"reused from run X (fit by run Y)"`` when the run reused another run's label
    #: model (``run --label-model-from``): its choice is that fit's, not this run's
    model_reused: str | None = None
    #: the file and row the item came from (``data/complaints/2026-03.csv row 123 (data
    #: part 3 of 5)``: :mod:`~labelwright.runs.item_origin`); None for a run on a DataFrame
    origin: str | None = None
    #: why a model label is not the most probable class, or that no LF voted for it
    #: (:func:`~labelwright.runs.explain.label.label_notes`)
    label_notes: list[str] = field(default_factory=list)
    #: the item's label from ``labelwright train``'s end model on this run
    #: (``{"label", "confidence", "label_source"}``), None when train has not run on it
    end_model: dict[str, Any] | None = None
    #: the reviewed item whose label this one took as a copy of its text, and who decided
    #: it (the raters whose decisions the run read); None when the label is no copy's
    copy_of: str | None = None
    copy_reviewers: list[str] = field(default_factory=list)
    #: where the item sits in the run's review queue: its rank and the ranking signals
    #: that put it there, with their values (None: not queued)
    queue: QueuePlace | None = None

    def describe(self, *, text_chars: int | None = 2000) -> str:
        """Where the label came from, in the lines ``labelwright explain`` prints: votes
        with their LF's file and line, glossary matches, the label model's probabilities,
        each review with its rater, time and file row, the final label and the end model's
        (:func:`~labelwright.runs.explain.story.explanation_text`; ``text_chars``: the
        characters of the item's text shown, None for all). ``print(explanation)`` prints
        it; the cell's repr stays one line."""
        from labelwright.runs.explain.story import explanation_text

        return explanation_text(self, text_chars=text_chars)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        """One line a notebook can show: the item, the run, the label and where it came
        from, and how much lies behind it (the fields hold all of it; the dataclass's own
        repr printed every vote, match and note, several KB per item)."""
        voted = sum(v.vote is not None for v in self.votes)
        confidence = "" if self.label is None else f", {self.confidence:.2f}"
        return (f"Explanation(item_id={self.item_id!r}, run_id={self.run_id!r}, "
                f"label={self.label!r} ({self.label_source}{confidence}), "
                f"votes={voted} of {len(self.votes)} LFs, matches={len(self.matches)}, "
                f"decisions={len(self.decisions)}, warnings={len(self.warnings)})")
