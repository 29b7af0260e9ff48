"""A run's review files (``review.csv`` and ``review.jsonl``, ``sample.csv`` and
``sample.jsonl``) written a block of items at a time.

One record per queued item holds its text, fields, votes, probabilities and glossary
matches; a run that queued 1.36 million items of 2 million held them all at once, and its
memory grew by 2.5 GB while it wrote them. Here the records of :data:`BLOCK` items are
made (their matches found together, :meth:`~labelwright.apply.match_list.MatchList.blocks`),
written to both files and dropped before the next block's: the files are byte for byte
those of the records made all at once, and memory holds one block.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.queue.cell_limit import LongCell
from labelwright.review.queue.csv_sheet import write_csv
from labelwright.review.queue.formats import jsonl_encoder

#: items whose records are made and written at once
BLOCK = 10_000


class MakeRecords(Protocol):
    """The records of a block of items (as :func:`~labelwright.review.queue.records.review_records`
    takes them): ``order``, the items; ``matches``, their glossary matches by item;
    ``first_rank``, the first one's rank."""

    def __call__(self, *, order: np.ndarray, matches: Mapping[int, Sequence[GlossaryMatch]],
                 first_rank: int) -> list[dict[str, Any]]: ...


def record_blocks(order: np.ndarray, matches: Sequence[Sequence[GlossaryMatch]],
                  make: MakeRecords, *, size: int | None = None, first_rank: int = 1
                  ) -> Iterator[list[dict[str, Any]]]:
    """The records of the items in ``order``, ``size`` (default :data:`BLOCK`) items at a
    time, ranked on from block to block (the first ``first_rank``); ``matches``: every
    item's glossary matches (a :class:`~labelwright.apply.match_list.MatchList` finds a
    block's together and keeps none of them)."""
    size = size or BLOCK
    items = np.asarray(order, dtype=np.int64).tolist()
    if hasattr(matches, "blocks"):
        pairs = matches.blocks(items, size)
    else:  # every item's matches at hand (a list)
        pairs = ((items[start:start + size], matches) for start in range(0, len(items), size))
    rank = first_rank
    for block, found in pairs:
        yield make(order=np.asarray(block, dtype=np.int64), matches=found, first_rank=rank)
        rank += len(block)


def tail_blocks(items: np.ndarray, order: np.ndarray,
                matches: Sequence[Sequence[GlossaryMatch]], make: MakeRecords
                ) -> Iterator[list[dict[str, Any]]]:
    """The records of ``items``, some of the queue ``order``'s past its written head (the
    audit past ``[review] queue_limit``), each with its rank in ``order``: one run of
    consecutive ranks at a time."""
    if not len(items):
        return
    rank_of = np.empty(int(np.max(order)) + 1 if len(order) else 0, dtype=np.int64)
    rank_of[np.asarray(order, dtype=np.int64)] = np.arange(1, len(order) + 1)
    ranks = rank_of[np.asarray(items, dtype=np.int64)]
    breaks = np.flatnonzero(np.diff(ranks) != 1) + 1
    for run, its_ranks in zip(np.split(items, breaks), np.split(ranks, breaks)):
        yield from record_blocks(run, matches, make, first_rank=int(its_ranks[0]))


def write_review_files(csv_path: Path, jsonl_path: Path,
                       blocks: Iterable[list[dict[str, Any]]], *, labels: Sequence[str],
                       lf_names: Sequence[str], show: Sequence[str] = ()) -> list[LongCell]:
    """Write the records of ``blocks`` as the run's CSV sheet (:func:`write_csv`) and as
    JSONL (:func:`~labelwright.review.queue.formats.write_jsonl`), each block to both files in
    turn; returns the CSV's cells longer than an Excel cell holds. ``show``: the item's
    fields in columns after the text (``[review] show_fields``), as ``review export``'s CSV
    has them; the JSONL holds every field under ``fields`` either way, as the export's."""
    encode = jsonl_encoder()
    with open(jsonl_path, "w", encoding="utf-8") as jsonl:
        def records() -> Iterator[dict[str, Any]]:
            for block in blocks:  # its JSONL lines, then its CSV rows
                jsonl.write("".join([encode(r) + "\n" for r in block]))
                yield from block

        return write_csv(records(), csv_path, labels=labels, lf_names=lf_names,
                         show=show)
