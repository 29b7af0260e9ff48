"""Which suggested labels a review export holds: ``--label`` keeps the queue's items the run
suggested one of some labels (:func:`with_labels`); ``--spread`` takes the queue's items in
turn over their suggested labels (:func:`spread_labels`), so one label's many items (a
canned "thanks, you guys are awesome" posted in forty wordings) do not fill the head a
budget keeps while a rare label's first item waits at rank 450.

Both go by the suggested label alone (the label the run gave the item, ``suggested_label``
of each record): an item the run labelled otherwise is not kept by ``--label``, however
close its probability of that label came.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from labelwright.config.schema import NO_LABEL
from labelwright.counts import counted, some_of
from labelwright.errors import both_spellings
from labelwright.review.queue.picks import check_picks
from labelwright.triage.reasons import DOUBT_REASONS, HEAD_REASONS


def check_labels(labels: Sequence[str] | None, run_labels: Sequence[str]) -> None:
    """A ValueError for a label the run does not have, naming the valid ones."""
    check_picks(labels, [*run_labels, NO_LABEL], option=both_spellings("--label", "labels="),
                what="labels", none_means="every label", unknown="the run has no label")


def _suggested(record: dict[str, Any]) -> str:
    label = record.get("suggested_label")
    return label if isinstance(label, str) else NO_LABEL


def with_labels(records: list[dict[str, Any]], labels: Sequence[str] | None,
                run_labels: Sequence[str]) -> list[dict[str, Any]]:
    """The records suggested one of ``labels`` (None: all of them;
    :data:`~labelwright.config.schema.NO_LABEL`: those without a label, no LF voted or an
    unbroken tie), in queue order."""
    check_labels(labels, run_labels)
    if labels is None:
        return records
    wanted = set(labels)
    return [r for r in records if _suggested(r) in wanted]


def queue_tier(record: dict[str, Any]) -> int:
    """The queue's tier of a record, as triage orders them: 0 the head
    (:data:`HEAD_REASONS`), 1 what the label model left in doubt (:data:`DOUBT_REASONS`),
    2 uncovered, 3 the audit sample."""
    reasons = set(record.get("reasons") or ())
    for tier, names in enumerate((HEAD_REASONS, DOUBT_REASONS, ("uncovered",))):
        if reasons & set(names):
            return tier
    return 3


def _end_model_label(record: dict[str, Any]) -> str | None:
    label = record.get("end_model_label")
    return label if isinstance(label, str) and label else None


def _turn_label(record: dict[str, Any]) -> str:
    """The label ``--spread`` takes a record's turn under: its suggested label, or, for an
    item without one (no LF voted, an unbroken tie), the label the review ranking's end
    model gives it (``end_model_label``), so that the uncovered items, often most of a
    queue, spread over the labels too; ``(none)`` where neither is known."""
    suggested = _suggested(record)
    if suggested != NO_LABEL:
        return suggested
    return _end_model_label(record) or NO_LABEL


def _in_turns(records: list[dict[str, Any]], start: int = 0) -> list[dict[str, Any]]:
    """``records`` in turns over their labels (:func:`_turn_label`): each turn takes the
    next item of every label that has one left, the labels in the order their first item
    comes, beginning at the ``start``-th of them (counted round)."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_label.setdefault(_turn_label(record), []).append(record)
    lists = list(by_label.values())
    if lists:
        lists = lists[start % len(lists):] + lists[:start % len(lists)]
    spread: list[dict[str, Any]] = []
    turn = 0
    while len(spread) < len(records):
        spread += [items[turn] for items in lists if turn < len(items)]
        turn += 1
    return spread


def spread_labels(records: list[dict[str, Any]], *, start: int = 0
                  ) -> list[dict[str, Any]]:
    """``records`` (queue order) tier by tier (:func:`queue_tier`), as the queue has them:
    the head's (disputed items and the like, which the queue puts first whatever their
    label) as they are, then within each later tier in turns over their suggested labels,
    the end model's for an item without one (:func:`_in_turns`), so an audit or an
    uncovered item never comes before a doubtful one of another label. Each label's items
    keep their queue order within a tier. ``start``: the turns begin at the ``start``-th
    label of each tier (shard K of a spread export begins at the K-th, so that the shards'
    first items are of different labels:
    :func:`~labelwright.review.queue.shards.cut_shards`)."""
    tiers: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        tiers.setdefault(queue_tier(record), []).append(record)
    return [r for tier in sorted(tiers)
            for r in (tiers[tier] if tier == 0 else _in_turns(tiers[tier], start))]


#: each tier of the queue (:func:`queue_tier`) in words, as :func:`unreached_said` names it
TIER_NAMES = ("the head (disputed and the like)",
              "the model's doubts (" + ", ".join(DOUBT_REASONS) + ")",
              "the uncovered items", "the audit sample")
_TIER_SHORT = ("head", "doubts", "uncovered", "audit")


def unreached_said(ordered: Sequence[dict[str, Any]], kept: int, labels: Sequence[str]
                   ) -> str | None:
    """Why a ``--spread`` export holds no item of some labels that its selection has:
    ``ordered`` is the selection as :func:`spread_labels` orders it, ``kept`` how many of
    its first items the budget kept, ``labels`` the run's. The turns go tier by tier, so a
    label whose items all sit in a later tier than the budget reached (a confident label,
    queued only by the audit, behind 1,800 doubtful items of six others) gets none, as
    does one whose turn in the last tier reached did not come: ``no item suggested billing,
    roaming: --spread takes turns over the labels within each tier of the queue, an
    earlier tier's items first, and the 250 exported ended in the model's doubts (...),
    1,831 items; their 196 items all sit in later tiers (audit 196); `--label billing` or
    `--reason audit` exports them; --budget 2022 reaches the first of them``. Labels by
    suggested label, as the export's ``suggested labels:`` line counts them. None when
    every label of the selection has an item, or nothing was kept or left out."""
    if kept <= 0 or kept >= len(ordered):
        return None
    head, rest = ordered[:kept], ordered[kept:]
    have = {_suggested(r) for r in head}
    tiers: dict[str, dict[int, int]] = {}
    for record in rest:
        label = _suggested(record)
        if label != NO_LABEL and label not in have:
            by_tier = tiers.setdefault(label, {})
            tier = queue_tier(record)
            by_tier[tier] = by_tier.get(tier, 0) + 1
    if not tiers:
        return None
    order = {label: k for k, label in enumerate(labels)}
    missed = sorted(tiers, key=lambda label: order.get(label, len(order)))
    last = queue_tier(head[-1])
    in_last = sum(queue_tier(r) == last for r in ordered)
    later = [label for label in missed if min(tiers[label]) > last]
    waiting = [label for label in missed if min(tiers[label]) == last]
    first = kept + next(k for k, r in enumerate(rest) if _suggested(r) in tiers)
    parts = [f"no item suggested {some_of(missed, _SHOWN)}: --spread takes turns over the labels "
             "within each tier of the queue, an earlier tier's items first, and the "
             f"{kept:,} exported ended in {TIER_NAMES[last]}, {in_last:,} items"]
    if later:
        counts: dict[int, int] = {}
        for label in later:
            for tier, n in tiers[label].items():
                counts[tier] = counts.get(tier, 0) + n
        where = ", ".join(f"{_TIER_SHORT[tier]} {n:,}" for tier, n in sorted(counts.items()))
        whose = "its" if len(later) == 1 else "their"
        if waiting:  # which labels these are
            whose = f"{some_of(later, _SHOWN)}: {whose}"
        parts.append(f"{whose} {sum(counts.values()):,} items all sit in later tiers "
                     f"({where})")
    if waiting:
        parts.append(f"{some_of(waiting, _SHOWN)}: the budget ended before "
                     f"{'its' if len(waiting) == 1 else 'their'} turn in it")
    audit = any(3 in tiers[label] for label in later)
    parts.append(f"`--label {missed[0]}`" + (" or `--reason audit`" if audit else "")
                 + f" exports them; --budget {first + 1} reaches the first of them")
    return "; ".join(parts)


def label_mix_said(records: Sequence[dict[str, Any]], labels: Sequence[str]) -> str | None:
    """How ``records`` spread over their suggested labels, in the run's label order
    (``labels``) with a count each, then those without one (``(none)``, as ``--label``
    names them: a label may be called "none"), with the end model's labels of them where
    the records hold it: ``suggested labels: Katy Perry 6, Shakira 4, (none) 190 (the end
    model's labels of those without one: Shakira 68, ...)``. A label no record has is
    said with 0, so a label the export misses shows, unless no record has one (an export
    of uncovered items: a row of zeros says nothing). None without records."""
    if not records:
        return None
    counts = dict.fromkeys(labels, 0)
    guesses: dict[str, int] = {}
    without = 0
    for record in records:
        label = _suggested(record)
        if label == NO_LABEL:
            without += 1
            guess = _end_model_label(record)
            if guess is not None:
                guesses[guess] = guesses.get(guess, 0) + 1
        else:
            counts[label] = counts.get(label, 0) + 1
    line = "suggested labels: " + label_counts_said(counts, without)
    if guesses:
        order = {label: k for k, label in enumerate(labels)}
        line += (" (the end model's labels of those without one: "
                 + ", ".join(f"{label} {guesses.get(label, 0):,}"
                             for label in sorted({*labels, *guesses},
                                                 key=lambda x: order.get(x, len(order))))
                 + ")")
    return line


#: with more labels than this, :func:`label_counts_said` names the labels with the most
#: items and those with none, a few of each (:func:`~labelwright.counts.some_of`)
LABEL_COUNTS_SHOWN = 10
_SHOWN = 5  # how many of each :func:`label_counts_said` names then


def label_counts_said(counts: Mapping[str, int], without: int,
                      queued: Mapping[str, int] | None = None,
                      queued_without: int | None = None) -> str:
    """Items counted by suggested label (``counts``, every label in the run's order, 0
    too, so a label they miss shows), then those without one as ``(none)`` (as ``--label``
    names them: a label may be called "none"): ``a 2, b 0, (none) 3``. Items without a
    suggested label alone are said as ``(none) 3``: a row of zeros says nothing. With more
    than :data:`LABEL_COUNTS_SHOWN` labels, a few of the labels with items, the most first,
    and of those with none: ``l7 9, l3 8, l1 5, l2 4, l5 3 and 43 more labels (the most
    first); 0 of 12 labels: l50, l51, l52, l53, l54 and 7 more; (none) 4`` (60 labels made
    a line of 60 counts). What ``run``'s queue line and an export's ``suggested labels:``
    line say. ``queued`` and ``queued_without``: how many of them the queue holds, said
    beside a count they differ from (``a 817 (473 in the queue)``): ``run`` counts items,
    copies of one text too, and its queue holds one item per text."""
    def said(label: str, n: int) -> str:
        return _count_said(label, n, None if queued is None else queued.get(label, 0))

    none = _count_said(NO_LABEL, without, queued_without)
    if len(counts) > LABEL_COUNTS_SHOWN and any(counts.values()):
        return "; ".join(_many_label_counts(counts, said) + ([none] if without else []))
    parts = ([said(label, n) for label, n in counts.items()] if any(counts.values())
             else [])
    if without:
        parts.append(none)
    return ", ".join(parts)


def _count_said(name: str, n: int, held: int | None) -> str:
    """``name n``, and how many of them the queue holds (``held``) when that differs:
    ``a 817 (473 in the queue)``; a label and ``(none)`` alike."""
    return f"{name} {n:,}" + (f" ({held:,} in the queue)" if held not in (None, n) else "")


def _many_label_counts(counts: Mapping[str, int], said: Callable[[str, int], str]
                       ) -> list[str]:
    """:func:`label_counts_said`'s parts for many labels: some of those with items, the
    most first (in the run's order among equals), then some of those with none."""
    most = sorted((label for label, n in counts.items() if n), key=lambda label: -counts[label])
    shown = some_of([said(label, counts[label]) for label in most], _SHOWN)
    parts = [shown + (" labels" if len(most) > _SHOWN else "") + " (the most first)"]
    none = [label for label, n in counts.items() if not n]
    if none:
        parts.append(f"0 of {counted(len(none), 'label')}: {some_of(none, _SHOWN)}")
    return parts
