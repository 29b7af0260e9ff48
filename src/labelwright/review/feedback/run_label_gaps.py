"""Review decisions made from a run whose labels were not the project's now.

A reviewer chooses among the labels of the run the file was exported from (its manifest's
``project.labels``). After a label is added (``"neutral"``), a decision from a run without
it was made by a reviewer who could not choose it: an item that is truly ``neutral`` has
one of the other labels. After a label name is dropped and later added back, a decision
for it from a run before it was dropped has the name's old meaning. Such decisions still
count; runs, ``review import``, ``review stats`` and ``explain`` name them, with the runs
they came from, and what to do: review those items again from a run with the current
labels. A label renamed in ``[project] renamed`` is its current name, never missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.counts import some_of
from labelwright.review.decisions import ledger
from labelwright.review.feedback.label_changes import run_labels_reader
from labelwright.runs.label_set import reading_labels

#: what a message says of a run whose labels are not known (pruned, or its manifest gone)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class RunGap:
    """The decisions in use that came from one run whose labels were not the current ones.

    ``labels``: the run's (None: not known, the run pruned or its manifest gone);
    ``missing``: current labels it did not have; ``readded``: labels it had that a later
    run did not, current again; ``by_label``: how many of its decisions have each label."""

    run_id: str
    labels: tuple[str, ...] | None
    missing: tuple[str, ...]
    readded: tuple[str, ...]
    items: tuple[str, ...]
    by_label: dict[str, int]

    @property
    def decisions(self) -> int:
        return sum(self.by_label.values())

    def describe(self) -> str:
        """``run R (labels positive, negative; could not choose 'neutral')``."""
        if self.labels is None:
            return f"run {self.run_id} (labels {UNKNOWN}: pruned, or its manifest is gone)"
        could_not = (f"; could not choose {', '.join(map(repr, self.missing))}"
                     if self.missing else "")
        return f"run {self.run_id} (labels {', '.join(self.labels)}{could_not})"


def run_label_gaps(decisions: Sequence[ledger.Decision], labels: Sequence[str],
                   renamed: Mapping[str, str], runs_dir: Path) -> list[RunGap]:
    """Per run that ``decisions`` (those in use, each label a current one) came from, what
    its labels lacked; runs whose labels were the current ones are left out, runs whose
    labels are not known are kept (``labels`` None)."""
    labels_of = run_labels_reader(runs_dir)
    later = _later_runs(runs_dir, labels_of, renamed)
    by_run: dict[str, list[ledger.Decision]] = {}
    for d in decisions:
        by_run.setdefault(d.run_id, []).append(d)
    gaps = []
    for run_id, made in sorted(by_run.items()):
        theirs = labels_of(run_id)
        had = _as_now(theirs, renamed)
        missing = () if had is None else tuple(lab for lab in labels if lab not in had)
        readded = () if had is None else tuple(
            lab for lab in labels if lab in had
            and any(other > run_id and lab not in theirs_then
                    for other, theirs_then in later.items()))
        if had is not None and not missing and not readded:
            continue
        gaps.append(RunGap(run_id, None if theirs is None else tuple(theirs), missing,
                           readded, tuple(sorted({d.item_id for d in made})),
                           dict(Counter(d.label for d in made).most_common())))
    return gaps


def _as_now(theirs: Sequence[str] | None, renamed: Mapping[str, str]) -> set[str] | None:
    """A run's labels ``theirs`` as the project names them now, each renamed one under its
    current name (:func:`~labelwright.runs.label_set.reading_labels`); None when they are
    not known."""
    return None if theirs is None else set(reading_labels(theirs, renamed))


def _later_runs(runs_dir: Path, labels_of: Callable[[str], list[str] | None],
                renamed: Mapping[str, str]) -> dict[str, set[str]]:
    """The labels of each of the project's runs whose labels are known, as named now (run
    ids sort oldest first, so a later run's id is greater)."""
    from labelwright.runs.store import list_runs

    known = {run_id: _as_now(labels_of(run_id), renamed) for run_id in list_runs(runs_dir)}
    return {run_id: had for run_id, had in known.items() if had is not None}


def gaps_manifest(gaps: Sequence[RunGap]) -> dict[str, Any]:
    """What a run's manifest records of them (nothing when no known run lacked a label)."""
    known = [g for g in gaps if g.labels is not None]
    if not known:
        return {}
    missing: Counter[str] = Counter()
    readded: Counter[str] = Counter()
    for g in known:
        for label in g.missing:
            missing[label] += g.decisions
        for label in g.readded:
            readded[label] += g.by_label.get(label, 0)
    return {"decisions_without_labels": sum(g.decisions for g in known if g.missing),
            "labels_not_offered": dict(missing),
            **({"decisions_readded_labels": dict(readded)} if +readded else {}),
            "runs_with_other_labels": {g.run_id: list(g.labels) if g.labels is not None
                                       else UNKNOWN for g in gaps}}


def gap_warnings(gaps: Sequence[RunGap], labels: Sequence[str], what: str = "in use"
                 ) -> list[str]:
    """What a run, an import or ``review stats`` says of them: the decisions made without
    a current label to choose, and those whose label was dropped and added back since,
    each with the runs they came from and what to do."""
    known = [g for g in gaps if g.labels is not None]
    unknown = [g for g in gaps if g.labels is None]
    again = (f"review those items again from a run with the current labels "
             f"({', '.join(labels)}): `labelwright run`, then `labelwright review export` of "
             "the latest run")
    more = ("; and " + "; ".join(f"{g.describe()}: {g.decisions} decision(s)" for g in unknown)
            if unknown else "")
    out = []
    short = [g for g in known if g.missing]
    if short:
        out.append(
            f"{sum(g.decisions for g in short)} review decision(s) {what} were made from "
            "run(s) without a label the project has now, so their reviewers could not "
            "choose it: " + "; ".join(f"{g.describe()}: {g.decisions} decision(s) on "
                                      f"{len(g.items)} item(s) "
                                      f"({some_of([repr(i) for i in g.items])})"
                                      for g in short)
            + f"{more}; an item may truly have the label its reviewer could not give: "
            + again)
    back = [g for g in known if any(g.by_label.get(lab) for lab in g.readded)]
    if back:
        named = "; ".join(
            f"{g.describe()}: " + ", ".join(f"{lab!r} ({g.by_label[lab]})"
                                           for lab in g.readded if g.by_label.get(lab))
            for g in back)
        out.append(f"review decision(s) {what} have a label that a later run did not have "
                   f"and the project has again, so they carry the name's old meaning: "
                   f"{named}; if the label was renamed, name the old name in [project] "
                   "renamed and drop it from [project] labels; else " + again)
    return out


def gap_notes(read: Mapping[str, str], came_from: Mapping[str, str], runs_dir: Path,
              labels: Sequence[str], renamed: Mapping[str, str]) -> list[str]:
    """What ``explain`` says of an item's decisions (``read``: rater -> label; ``came_from``:
    rater -> the run the decision came from) made from a run that lacked one of ``labels``
    (the explained run's): ``alice's decision (positive) was made from run R, when the
    labels were positive, negative: 'neutral' could not be chosen``. A run whose labels
    are not known is said to be so only when some other decision's run lacked a label."""
    labels_of = run_labels_reader(runs_dir)
    notes, unknown = [], []
    for rater, label in sorted(read.items()):
        run_id = came_from.get(rater, "")
        theirs = labels_of(run_id)
        said = f"{rater}'s decision ({label}) was made from run {run_id}"
        if theirs is None:
            unknown.append(f"{said}, whose labels are {UNKNOWN} (pruned, or its manifest is "
                           "gone)")
            continue
        had = _as_now(theirs, renamed) or set()
        missing = [lab for lab in labels if lab not in had]
        if missing:
            notes.append(f"{said}, when the labels were {', '.join(theirs)}: "
                         f"{', '.join(map(repr, missing))} could not be chosen; review the "
                         "item again from a run with the current labels")
    return notes + unknown if notes else []
