"""The cells of the label matrix an apply computes, and the chunks that carry them to the
engine.

An apply computes only what the vote cache does not hold: the rows and LF columns missing
(:func:`plan_cells`), each chunk told which of its cells to compute, which items to match
for their glossary hits, and the matches the match cache already holds for the others
(:func:`plan_chunks`). Apart from :mod:`~labelwright.apply.applier` so that what is sent
to a worker is decided in one place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from labelwright.apply.chunks import Chunk
from labelwright.apply.glossary_hits import known_hits
from labelwright.apply.match_cache import MatchCache
from labelwright.data.dataset import Dataset
from labelwright.data.part_files import shown_part
from labelwright.lfs.item import GlossaryMatch

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier
    from labelwright.apply.cached_votes import ApplyState


KEEP_MATCHES_UP_TO = 200_000  # items; above this, matches are rebuilt for the items asked for


@dataclass
class Plan:
    """The cells of the label matrix an apply computes."""

    rows: np.ndarray  # the items with a cell to compute
    columns: list[int]  # the LFs with a cell to compute
    cols: np.ndarray  # ``columns`` as an index array
    needed: np.ndarray | None  # rows x columns: the cells to compute (None: all of them)
    keep: bool  # the chunks send back every item's matches
    known: tuple[np.ndarray, np.ndarray] | None  # the hits the vote cache holds
    to_match: np.ndarray | None  # per item, whether a chunk matches its hits (None: all)


def plan_cells(applier: Applier, state: ApplyState) -> Plan:
    """The cells of ``state.missing`` to compute, in rows and columns, and which items'
    glossary hits the vote cache already holds."""
    n, k = state.missing.shape
    rows = np.flatnonzero(state.missing.any(axis=1))
    columns = [j for j in range(k) if state.missing[rows, j].any()] if len(rows) else []
    cols = np.asarray(columns, dtype=np.int64)
    # the cells to compute: an LF edited while rows were added runs on every row, the
    # others on the new rows only (the rows x columns rectangle ran every LF on all)
    needed = state.missing[np.ix_(rows, cols)] if columns else None
    if needed is not None and needed.all():
        needed = None
    # shipping every item's matches back from workers costs more than matching the
    # few items the review queue asks for again, so only the local engine keeps them
    keep = applier.engine == "local" and n <= KEEP_MATCHES_UP_TO and len(rows) == n
    # the hits the vote cache holds: the chunks match only the other items (a chunk
    # that reads Docs for an edited LF matched every item again)
    known = (known_hits(applier.cache, state.hits_key, state.hashes)
             if applier.cache is not None and state.hits_key is not None
             and state.hashes is not None and len(rows) and not applier.refresh else None)
    return Plan(rows=rows, columns=columns, cols=cols, needed=needed, keep=keep,
                 known=known, to_match=~known[1] if known is not None else None)


def known_matches(applier: Applier, state: ApplyState, plan: Plan
                  ) -> Callable[[np.ndarray], list[list[GlossaryMatch] | None]] | None:
    """What finds, for dataset rows, the matches the match cache holds (None per row it
    does not), when an LF to compute reads matches on rows whose hits the vote cache
    holds (those rows are not matched for their hits); None otherwise."""
    if (plan.to_match is None or applier.cache is None or not applier.runner.has_matcher
            or state.hashes is None
            or not any(applier.runner.reads_matches[j] for j in plan.columns)):
        return None
    reader = MatchCache(applier.cache.folder.parent, state.match_key).reader()
    hashes = state.hashes

    def known(idx: np.ndarray) -> list[list[GlossaryMatch] | None]:
        found = reader.find(hashes[idx])
        return [found.get(i) for i in range(len(idx))]
    return known


def plan_chunks(applier: Applier, dataset: Dataset, rows: np.ndarray, columns: list[int],
                keep: bool, needed: np.ndarray | None = None,
                to_match: np.ndarray | None = None,
                known: Callable[[np.ndarray], list[list[GlossaryMatch] | None]] | None = None
                ) -> Iterator[Chunk]:
    """``to_match``: per row of ``rows``, whether its glossary hits are to be matched
    (None: every row's); ``known``: the matches the match cache holds of the others
    (:func:`known_matches`)."""
    contiguous = len(rows) == len(dataset)
    field_frame = dataset.fields if len(dataset.fields.columns) else None
    part_of = _part_names(dataset)
    for start in range(0, len(rows), applier.chunk_size):
        idx = rows[start:start + applier.chunk_size]
        if contiguous:
            lo, hi = int(idx[0]), int(idx[-1]) + 1
            ids, texts = dataset.ids[lo:hi], dataset.texts[lo:hi]
            part = field_frame.iloc[lo:hi] if field_frame is not None else None
        else:
            ids = [dataset.ids[i] for i in idx]
            texts = [dataset.texts[i] for i in idx]
            part = field_frame.iloc[idx] if field_frame is not None else None
        fields = ({str(c): part[c].tolist() for c in part.columns}
                  if part is not None else None)
        match = to_match[start:start + len(idx)] if to_match is not None else None
        cached = (known(idx) if known is not None and match is not None
                  and not match.all() else None)
        yield Chunk(start=start, ids=ids, texts=texts, fields=fields,
                    columns=columns if len(columns) < len(applier.lfs) else None,
                    keep_matches=keep, data_columns=dataset.data_columns,
                    file_rows=(idx if dataset.file_rows is None
                               else dataset.file_rows[idx]).tolist(),
                    files=part_of(idx) if part_of is not None else None,
                    needed=(needed[start:start + len(idx)]
                            if needed is not None else None),
                    match=None if match is None or match.all() else match,
                    known_matches=cached)


def _part_names(dataset: Dataset) -> Callable[[np.ndarray], list[str]] | None:
    """For a dataset in many files, the part (named within the folder) of the items at
    given positions, as messages name it; None for one file (or parts that do not place
    every item)."""
    counts = [part.rows for part in dataset.parts]
    if not counts or sum(counts) != len(dataset):
        return None
    names = [shown_part(part.path, dataset.parts_base) for part in dataset.parts]
    ends = np.cumsum(counts)

    def part_of(idx: np.ndarray) -> list[str]:
        return [names[k] for k in np.searchsorted(ends, idx, side="right")]
    return part_of
