"""Decisions dated before the export they answer: a tool's time (Prodigy's ``_timestamp``,
Label Studio's ``updated_at``) earlier than the item's first export from its run
(``runs/REVIEW_EXPORTS.jsonl``), or than the run itself, which no decision can be. The
clock of the machine that stamped it was wrong, and the time decides which of a rater's
decisions on an item is the latest (:func:`~labelwright.review.decisions.decision_times.
latest_decisions`): such a decision loses to an older one, or an older file's wins over it.
The import keeps them (the label may well be right) and warns, with the first items.

So it does of decisions dated after their import, which cannot be either (a clock ahead):
each counts as made when it was imported
(:func:`~labelwright.review.decisions.decision_times.decided`), so a correction imported
later outranks it, which a stamp a day ahead kept it from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from labelwright.counts import some_of
from labelwright.review.decisions.decision_times import latest_decisions, parse_time
from labelwright.review.decisions.ledger import Decision
from labelwright.review.decisions.raters import as_one_rater
from labelwright.runs.review_exports import read_review_exports

#: clocks of two machines differ by seconds to minutes: a decision this much before the
#: export is taken for one made right after it on a clock a little behind
MARGIN = timedelta(minutes=10)


def earliest_exports(runs_dir: Path, decisions: Sequence[Decision]
                     ) -> dict[tuple[str, str], datetime]:
    """``{(run id, item id): when it was first exported}`` of the decisions' items, from
    ``runs/REVIEW_EXPORTS.jsonl``; an item whose export was not recorded is left out, and
    so is every item when the record cannot be read (the import has appended its
    decisions by then: the run's start is the bound, and `runs prune` names the record's
    fault)."""
    from labelwright.errors import LabelwrightError

    wanted = {(d.run_id, d.item_id) for d in decisions}
    runs = {run_id for run_id, _ in wanted}
    first: dict[tuple[str, str], datetime] = {}
    try:
        records = read_review_exports(runs_dir)
    except (LabelwrightError, OSError):
        return first
    for record in records:
        when = parse_time(record.exported_at)
        if record.run_id not in runs or when is None:
            continue
        for item in record.items:
            key = (record.run_id, item)
            if key in wanted and (key not in first or when < first[key]):
                first[key] = when
    return first


def run_started(runs_dir: Path, run_id: str) -> datetime | None:
    """When run ``run_id`` started (its manifest's ``started_at``); None when not known (a
    pruned run, a manifest from before it was recorded)."""
    from labelwright.errors import LabelwrightError
    from labelwright.runs.store import read_manifest

    try:
        return parse_time(read_manifest(runs_dir / run_id).get("started_at"))
    except (LabelwrightError, OSError, ValueError):
        return None


def early_decisions(decisions: Sequence[Decision], runs_dir: Path
                    ) -> list[tuple[Decision, datetime, str]]:
    """``(decision, the time it cannot precede, what that time is)`` of each dated decision
    made more than :data:`MARGIN` before its item's first export from its run (or, with no
    export recorded, before the run started)."""
    dated = [(d, when) for d in decisions if d.decided_at
             and (when := parse_time(d.decided_at)) is not None]
    if not dated:
        return []
    exported = earliest_exports(runs_dir, [d for d, _ in dated])
    started: dict[str, datetime | None] = {}
    found = []
    for d, when in dated:
        bound, what = exported.get((d.run_id, d.item_id)), "exported"
        if bound is None:
            if d.run_id not in started:
                started[d.run_id] = run_started(runs_dir, d.run_id)
            bound, what = started[d.run_id], "its run started"
        if bound is not None and when < bound - MARGIN:
            found.append((d, bound, what))
    return found


def early_warning(early: Sequence[tuple[Decision, datetime, str]]) -> str | None:
    """The import's warning of :func:`early_decisions` (None when there are none)."""
    if not early:
        return None
    shown = [f"{d.item_id!r} decided {d.decided_at[:19]}, {what} {bound.isoformat()[:19]}"
             for d, bound, what in early]
    return (f"{len(early)} decision(s) are dated before the export they answer, which "
            f"cannot be: {some_of(shown, 3, clauses=True)}. The clock of the machine "
            "that dated them (the review tool's server, or the reviewer's) was wrong, and "
            "the time decides which of a rater's decisions on an item is the latest, so "
            "these may lose to older ones; imported all the same. Set the clock right and "
            "export again from the tool, or check the items with `labelwright explain ID`")


def future_decisions(decisions: Sequence[Decision]) -> list[Decision]:
    """The dated decisions made, by their tool's time, more than :data:`MARGIN` after they
    were imported, which cannot be: the clock that dated them was ahead. Each counts as
    made when it was imported (:func:`~labelwright.review.decisions.decision_times.decided`)."""
    found = []
    for d in decisions:
        when = parse_time(d.decided_at) if d.decided_at else None
        imported = parse_time(d.imported_at)
        if when is not None and imported is not None and when > imported + MARGIN:
            found.append(d)
    return found


def outranking(future: Sequence[Decision], decisions: Sequence[Decision],
               names: Mapping[str, str]) -> list[str]:
    """The items of ``future`` on which one of them is its rater's latest decision among
    ``decisions`` (the ledger's and the import's, ``future`` among them) while the rater
    gave another label too: where a wrong clock may have put a decision over its rater's
    correction. ``names``: raters that count as another
    (:func:`~labelwright.review.decisions.raters.rater_names`)."""
    ahead = {id(d) for d in future}
    concerned = {(d.item_id, names.get(d.rater, d.rater)) for d in future}
    mine = [d for d in decisions if (d.item_id, names.get(d.rater, d.rater)) in concerned]
    merged = as_one_rater(mine, names)  # in the same order: position k is mine[k]
    original = {id(m): d for m, d in zip(merged, mine, strict=True)}
    given: dict[tuple[str, str], set[str]] = {}  # the labels each rater gave each item
    for m in merged:  # once: a server clock ahead dates every decision of a file
        given.setdefault((m.item_id, m.rater), set()).add(m.label)
    found = set()
    for item, by_rater in latest_decisions(merged).items():
        for who, won in by_rater.items():
            if id(original[id(won)]) in ahead and len(given[item, who]) > 1:
                found.add(item)
    return sorted(found)


def future_warning(future: Sequence[Decision], outranked: Sequence[str]) -> str | None:
    """The import's warning of :func:`future_decisions` (None when there are none), with
    the items on which one of them outranks another decision of its rater (``outranked``):
    those the reviewer may have corrected."""
    if not future:
        return None
    imported = future[0].imported_at[:19]
    shown = [f"{d.item_id!r} at {d.source_row} decided {d.decided_at[:19]}" for d in future]
    beaten = (f"; on {some_of([repr(item) for item in outranked], 3)} one of them is now "
              "its rater's latest decision over another label they gave, and which label "
              "they meant last the wrong clock cannot tell: check with `labelwright explain "
              "ID`, and where the other label is meant, import it again dated now, with "
              "--relabel" if outranked else "")
    return (f"{len(future)} decision(s) are dated after this import ({imported}), which "
            f"cannot be: {some_of(shown, 3, clauses=True)}. The clock of the machine that "
            "dated them (the review tool's server, or the reviewer's) was ahead; each counts "
            "as made when it was imported, so a decision of its rater imported later "
            "outranks it" + beaten + ". Imported all the same; set the clock right and "
            "export again from the tool")
