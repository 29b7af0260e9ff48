"""Vote patterns in a review export: which votes the exported items carry, how many share
each (:func:`biggest_patterns`), and ``--per-pattern N`` (:func:`per_pattern`), which keeps
at most N items of each.

Items of one vote pattern (say, only ``short_comment=ham``) are alike to the label model:
they get one probability, cross the threshold together and can fill a queue's head (249
such items in one project), while a reviewer learns what they hold from the first few.
Capping each pattern lets the rest of the queue in; the items held back stay in the run's
queue, and a later export (with ``--skip-reviewed-by``, once the first decisions are
imported) takes the next of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from labelwright.errors import both_spellings
from labelwright.review.queue.why import NO_VOTES, vote_pattern

#: a pattern is named in the export's summary when it holds at least this share of the
#: exported items (and at least :data:`SUMMARY_MIN` of them) ...
SUMMARY_SHARE = 0.1
SUMMARY_MIN = 2
#: ... and at most this many patterns are named, the biggest first
SUMMARY_PATTERNS = 3


def record_pattern(record: dict[str, Any]) -> str:
    """The record's ``vote_pattern``; from its votes for a run from before records held it."""
    pattern = record.get("vote_pattern")
    return pattern if isinstance(pattern, str) else vote_pattern(record.get("votes") or {})


def check_per_pattern(per: int | None, *, sample: bool) -> None:
    """A ValueError for a cap below 1, or a cap asked of the random sample (capped, its
    reviews would no longer be a random sample of the items)."""
    option = both_spellings("--per-pattern", "per_pattern=")
    if per is None:
        return
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise ValueError(f"{option} takes a count of items of 1 or more, got {per!r}")
    if sample:
        raise ValueError(f"{option} picks the queue's items by their votes; the random sample "
                         f"({both_spellings('--sample', 'sample=True')}) counts as a random "
                         "sample only as drawn: leave it out, or export the queue")


def per_pattern(records: Sequence[dict[str, Any]], per: int | None
                ) -> tuple[list[dict[str, Any]], int]:
    """The first ``per`` records of each vote pattern, in queue order, and how many were
    held back (None: all of them, none held back)."""
    if per is None:
        return list(records), 0
    taken: Counter[str] = Counter()
    kept = []
    for record in records:
        pattern = record_pattern(record)
        if taken[pattern] < per:
            taken[pattern] += 1
            kept.append(record)
    return kept, len(records) - len(kept)


def biggest_patterns(records: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """The vote patterns that hold a large share of ``records`` (:data:`SUMMARY_SHARE`, at
    least :data:`SUMMARY_MIN` items), biggest first, at most :data:`SUMMARY_PATTERNS`."""
    counts = Counter(record_pattern(r) for r in records).most_common(SUMMARY_PATTERNS)
    floor = max(SUMMARY_MIN, SUMMARY_SHARE * len(records))
    return [(pattern, n) for pattern, n in counts if n >= floor]


def patterns_said(patterns: Sequence[tuple[str, int]]) -> str:
    """``249 items carry only short_comment=ham; 40 carry has_url=spam, link=spam``."""
    said = []
    for k, (pattern, n) in enumerate(patterns):
        items = f"{n:,} item{'s' * (n != 1)}" if k == 0 else f"{n:,}"
        if pattern == NO_VOTES:
            said.append(f"{items} carry no vote")
        elif ", " in pattern:
            said.append(f"{items} carry {pattern}")
        else:
            said.append(f"{items} carry only {pattern}")
    return "; ".join(said)
