"""Which of a run's queued items a review export takes, and in what order: the reasons and
picks asked checked (a random sample has no reasons, and is not picked or reordered by
label), the items with the reasons asked, the cap per vote pattern and the spread over
labels (:func:`queue_order`, which ``RunResult.review_queue`` shares), and a fractional
budget of a queue the run wrote only the head of. The export itself
(:mod:`~labelwright.review.queue.export`) takes these steps in that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from labelwright.errors import both_spellings
from labelwright.review.queue.budget import budget_size
from labelwright.review.queue.label_mix import spread_labels
from labelwright.review.queue.patterns import per_pattern as per_pattern_cap
from labelwright.review.queue.picks import check_picks
from labelwright.triage.reasons import REASONS


def check_reasons(reasons: Sequence[str] | None, *, sample: bool = False) -> None:
    """A ValueError for a reason triage does not give (naming the valid ones), or for
    reasons asked of the random sample, whose items have none."""
    option = both_spellings("--reason", "reasons=")
    check_picks(reasons, REASONS, option=option, what="reasons", none_means="the whole queue",
                unknown="unknown reason")
    if reasons is not None and sample:
        raise ValueError(f"{option} selects items of the review queue; the random sample "
                         f"({both_spellings('--sample', 'sample=True')}) is drawn from all "
                         "items and has none")


def check_sample_picks(labels: Sequence[str] | None, spread: bool, *, sample: bool) -> None:
    """A ValueError for ``--label`` or ``--spread`` asked of the random sample: picked or
    ordered by suggested label, its records would still be marked ``export: sample``, and
    their reviews be read as a random sample of all items though they are not one."""
    given = [option for option, asked in ((both_spellings("--label", "labels="),
                                           labels is not None),
                                          (both_spellings("--spread", "spread=True"), spread))
             if asked]
    if sample and given:
        raise ValueError(f"{' and '.join(given)} pick or order the queue's items by their "
                         "suggested label; the random sample "
                         f"({both_spellings('--sample', 'sample=True')}) is drawn from all "
                         "items at random, and its reviews count as a random sample only "
                         "as drawn: leave them out, or export the queue")


def queue_order(records: Sequence[dict[str, Any]], *, spread: bool = False,
                per_pattern: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The queue's ``records`` as ``per_pattern`` and ``spread`` leave them, and how many
    the cap held back: at most ``per_pattern`` items of each vote pattern, in queue order
    (:func:`~labelwright.review.queue.patterns.per_pattern`), then, with ``spread``, in
    turns over their suggested labels within each tier of the queue
    (:func:`~labelwright.review.queue.label_mix.spread_labels`). What ``review export``
    cuts its budget from, and what ``RunResult.review_queue`` gives with the same
    arguments."""
    capped, held_back = per_pattern_cap(records, per_pattern)
    return (spread_labels(capped) if spread else capped), held_back


def with_reasons(records: list[dict[str, Any]], reasons: Sequence[str] | None
                 ) -> list[dict[str, Any]]:
    """The queue's records with any of ``reasons`` (None: all of them), in queue order."""
    check_reasons(reasons)
    if reasons is None:
        return records
    wanted = set(reasons)
    return [r for r in records if wanted.intersection(r.get("reasons") or ())]


def budget_of_whole(budget: int | float | None, whole: int | None) -> int | float | None:
    """A fractional ``budget`` as the count of items it is of the whole queue (``whole``
    items with the reasons and labels asked), when the run wrote only the queue's head;
    else ``budget`` as it is (a count, or a fraction of records that are the queue)."""
    if whole is None or not isinstance(budget, float) or not 0 < budget <= 1:
        return budget
    return budget_size(whole, budget)
