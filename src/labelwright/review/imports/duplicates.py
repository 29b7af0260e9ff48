"""Two or more decisions of one rater on one item in one review file.

Both are kept when the rater decided again later (the tool dates both, ISO 8601, and the
times differ: a second Label Studio annotation, a later Prodigy session), when they are
one item's copies from a run's queue and its random sample with the same label, or when
they are copies from two runs' exports with the same label (a tool dataset that took run
1's random sample and run 2's queue, which brought a disputed item back). Otherwise
they are a duplicate: with the same label, the second is a bad row (a copy) and the first
stands; with different labels, nothing says which one the rater meant (the same time, no
time, or a time that cannot be read), so every one of them is a bad row and none is
imported, not even with ``--skip-bad-rows``: taking the first would file a label the rater
may have corrected a moment later. For the same reason an earlier dated decision of that
rater on the item is not imported either: it is not the rater's last word.
"""

from __future__ import annotations

from datetime import datetime

from labelwright.errors import both_spellings
from labelwright.review.decisions.decision_times import parse_time
from labelwright.review.imports.records import Row
from labelwright.review.queue.records import EXPORTS

NAMES_ANNOTATORS = ("label-studio", "prodigy", "argilla")  # formats that can name who decided


def twins(first: Row, row: Row) -> bool:
    """Two copies of an item that is both in a run's queue and in its random sample, once
    from each export (both loaded into one tool project). With the same label both are
    kept, as they are both true: the item counts as the queue's for ``auto`` (its reviews
    were not all drawn at random) and as a sample item for the run's sample accuracy. With
    different labels they are an error, whenever each was made."""
    return first.run_id == row.run_id and {first.export, row.export} == set(EXPORTS)


def two_runs_agree(first: Row, row: Row) -> bool:
    """Two copies of an item from the exports of two runs (both named) with the same label:
    an Argilla or doccano dataset that took one run's export and then a later run's, where
    the item came back (a disputed item, a random sample drawn again). Such a tool dates no
    answer, so the two cannot be put in order, but with one label there is nothing to
    order: both are the rater's decisions, each on its run's export, and both are kept. A
    copy within one run's export is a copy, and different labels stay a conflict."""
    return (first.label == row.label and bool(first.run_id) and bool(row.run_id)
            and first.run_id != row.run_id)


def redecided(first: Row, row: Row) -> bool:
    """The tool dates both decisions (ISO 8601) and the times differ: the rater changed
    their mind (a second Label Studio annotation, a later Prodigy session). Both go to the
    ledger; the later one is the rater's label
    (:func:`~labelwright.review.decisions.decision_times.latest_decisions` goes by time). Times that
    cannot be read cannot say which is later: not a redecision."""
    a, b = parse_time(first.decided_at), parse_time(row.decided_at)
    return bool(first.decided_at and row.decided_at) and a is not None and b is not None \
        and a != b


def duplicates(group: list[Row], *, reviewer: str, fmt: str) -> dict[int, str]:
    """``{id(row): problem}`` for the bad rows among ``group``, the good rows of one rater
    on one item in file order (module docstring). Each row is compared with every earlier
    one (a group is the rows of one rater on one item: a handful at most)."""
    out: dict[int, str] = {}
    conflicts: list[tuple[Row, datetime | None]] = []  # a row of each pair that conflicts, its time
    for j, row in enumerate(group):
        for first in group[:j]:
            if twins(first, row):
                if first.label != row.label:
                    message = (f"item {row.item_id!r} is labelled {first.label!r} in one copy "
                               f"(at {first.where}) and {row.label!r} in the other: it is both "
                               "in the run's queue and in its random sample; give both copies "
                               "the same label")
                    out.setdefault(id(first), message)  # neither copy is taken
                    out.setdefault(id(row), message)
            elif two_runs_agree(first, row):
                continue
            elif not redecided(first, row):
                why = _unread(first, row) + _unnamed(first, row, reviewer=reviewer, fmt=fmt)
                if first.label == row.label:
                    out.setdefault(id(row), f"duplicate decision for item {row.item_id!r} "
                                            f"(first at {first.where}){why}")
                else:
                    out.setdefault(id(row), _conflict(row, first, "first", why))
                    out.setdefault(id(first), _conflict(first, row, "again", why))
                    conflicts.append((row, parse_time(row.decided_at)))
    # a decision dated before such a conflict is not the rater's last word either: the
    # rater decided again at that time, for one of two labels nobody can pick between
    for row in group:
        when = parse_time(row.decided_at) if row.decided_at else None
        later = [c for c, at in conflicts if at is not None and when is not None and when < at]
        if later and id(row) not in out:
            out[id(row)] = (f"decision for item {row.item_id!r} is earlier than two "
                            f"decisions of the same rater with different labels (at "
                            f"{later[0].where}) that are bad rows: which label the rater "
                            "ended with cannot be told, so this one is not imported either")
    return out


def _conflict(row: Row, other: Row, which: str, why: str) -> str:
    """The problem of ``row``, whose rater gave ``other`` another label and no later time."""
    times = {row.decided_at, other.decided_at} - {""}
    when = ("" if why.startswith("; its times") else
            f" (both made at {row.decided_at})" if len(times) == 1 and row.decided_at
            and other.decided_at else " (only one is dated)" if times else " (neither is dated)")
    runs = (f" (this one from run {row.run_id}'s export, that one from run "
            f"{other.run_id}'s)" if row.run_id and other.run_id and row.run_id != other.run_id
            else "")
    return (f"duplicate decision for item {row.item_id!r} ({which} at {other.where}) with "
            f"another label, {row.label!r} here and {other.label!r} there{runs}, and neither "
            f"is later{when}{why}: which one the rater meant cannot be told, so neither is "
            "imported (keep the one meant, delete the other)")


def _unread(first: Row, row: Row) -> str:
    """Times that are not ISO 8601, which cannot say which decision is later."""
    unread = [t for t in (first.decided_at, row.decided_at)
              if t and parse_time(t) is None]
    if not unread:
        return ""
    return (f"; its times ({', '.join(map(repr, unread))}) are not ISO 8601, so which "
            "decision is later cannot be told")


def _unnamed(first: Row, row: Row, *, reviewer: str, fmt: str) -> str:
    if row.annotator or first.annotator or fmt not in NAMES_ANNOTATORS:
        return ""
    return ("; the file names no annotator for either, so both would be filed under the "
            f"reviewer {reviewer!r}: import each person's decisions with their own "
            + both_spellings("--reviewer", "reviewer="))
