"""What a review export wrote and counted (:class:`ReviewExport`, which
:func:`~labelwright.review.queue.export.export_review` returns and ``review export``
prints), and how the exported records' texts are counted: the other items that share
them, which a record's review stands for too (:func:`exported_copies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.copies import same_text_key
from labelwright.review.queue.cell_limit import LongCell
from labelwright.review.queue.shards import Shard


@dataclass(frozen=True)
class ReviewExport:
    """What :func:`~labelwright.review.queue.export.export_review` wrote: ``files`` (the
    tasks first, then a tool's config), ``queued`` (how many items the queue, or the random
    sample, holds with any of the reasons asked: what the budget cut from), ``exported``
    (how many records were written) and ``copies`` (how many other items share the texts
    of those records: the items their reviews stand for besides themselves; None for a run
    from before records counted them); ``carried``: the run carries reviews to copies
    (``[review] copies = "one"``)."""

    files: list[Path]
    queued: int
    exported: int
    copies: int | None = None
    carried: bool = False
    #: items left out because the rater named by ``skip_reviewed_by`` decided them already
    skipped_reviewed: int = 0
    #: items of the run's queue (sample) left out because ``labelwright erase`` erased them
    erased: int = 0
    #: the CSV's cells longer than an Excel cell holds, which Excel cuts when it saves
    long_cells: tuple[LongCell, ...] = ()
    #: the different texts of the records (fewer than ``exported`` when a sample or the
    #: audit drew several items of one text), and what their ``copies`` add up to: each
    #: record counts every other item of its text, the exported ones too, so a text
    #: exported twice is counted twice there (None for a run from before records had them)
    texts: int | None = None
    copies_column: int | None = None
    #: the rater ``skip_reviewed_by`` counts as (``[review] same_rater``, a Label Studio id
    #: paired with an email), when that is another name; else None
    skipped_as: str | None = None
    #: the export asked for more items than the run wrote (it wrote only the head of its
    #: queue, ``[review] queue_limit``): what became of the rest and what to run to export
    #: them (:func:`~labelwright.runs.queue_files.unwritten_note`); else None
    unwritten: str | None = None
    #: the run wrote only the head of its queue: how many items its whole queue holds with
    #: the reasons and labels asked (what a fractional budget is a fraction of; the items a
    #: rater decided or erased since still counted); else None, ``queued`` is the queue
    whole_queued: int | None = None
    #: items ``per_pattern`` held back: beyond the cap of their vote pattern (they stay in
    #: the queue for a later export)
    held_back: int = 0
    #: the vote patterns that hold a large share of the exported records, biggest first,
    #: with their counts (:func:`~labelwright.review.queue.patterns.biggest_patterns`)
    patterns: tuple[tuple[str, int], ...] = ()
    #: the shard exported, and how many items the selection it is a shard of holds; else None
    shard: Shard | None = None
    shard_of: int | None = None
    #: ``(key, name)`` of the shown fields whose names share a key with another one's
    #: (``prénom``, ``prènom``), each under a key of its own
    #: (:func:`~labelwright.review.queue.shown_fields.renamed_keys`): a CSV header or a
    #: Prodigy ``meta`` shows the key alone, so the export names which field it is
    renamed_fields: tuple[tuple[str, str], ...] = ()
    #: how many items of that selection each shard holds, shard 1 first (a budget is the
    #: total of the shards, split evenly over them, spread or not:
    #: :func:`~labelwright.review.queue.shards.cut_shards`); else ()
    shard_sizes: tuple[int, ...] = ()
    #: how the exported records spread over their suggested labels, and the end model's
    #: labels of those without one (:func:`~labelwright.review.queue.label_mix.label_mix_said`)
    label_mix: str | None = None
    #: ids of exported items a rater decided after the run queued them (an export with
    #: neither ``skip_reviewed`` nor ``skip_reviewed_by``;
    #: :func:`~labelwright.review.queue.decided_by.decided_since`)
    decided_since: tuple[str, ...] = ()
    #: with ``spread``, why the export holds no item of labels its selection has: their
    #: items sit in a later tier of the queue than the budget reached, or their turn did
    #: not come (:func:`~labelwright.review.queue.label_mix.unreached_said`); else None
    unreached: str | None = None


def exported_copies(records: Sequence[dict[str, Any]]) -> tuple[int, int, int] | None:
    """Of ``records``, in one pass: how many items not among them share a text with one
    of them (each text once: an audit may export several items of one text, each record
    counting the same copies; the exported items themselves left out), how many different
    texts they hold (each record without a text one of its own), and what their ``copies``
    add up to; None for a run from before records counted copies."""
    texts: dict[str, list[int]] = {}  # text -> [items holding it, of them exported]
    blank = column = 0
    for record in records:
        copies = record.get("copies")
        if not isinstance(copies, int):
            return None
        column += copies
        key = same_text_key(record.get("text"))
        if key is None:
            blank += 1
        else:
            texts.setdefault(key, [copies + 1, 0])[1] += 1
    behind = sum(max(size - exported, 0) for size, exported in texts.values())
    return behind, len(texts) + blank, column


def exported_texts(records: Sequence[dict[str, Any]]) -> tuple[int, int] | None:
    """(different texts, the records' ``copies`` added up) of :func:`exported_copies`."""
    counted = exported_copies(records)
    return None if counted is None else counted[1:]


def copies_behind(records: Sequence[dict[str, Any]]) -> int | None:
    """The items not among ``records`` that share their texts, of :func:`exported_copies`."""
    counted = exported_copies(records)
    return None if counted is None else counted[0]
