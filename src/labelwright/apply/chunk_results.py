"""What the engine's chunks send back, taken into the apply: each chunk's votes, failures,
timings, glossary hits and kept matches (:func:`take_chunk`), and every item's hits once
the engine is done (:func:`gather_hits`).

Apart from :mod:`~labelwright.apply.applier` because a chunk's result is merged the same way
whichever engine computed it, and its rows are those :mod:`~labelwright.apply.cell_plan`
chose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from labelwright.apply.cached_votes import ApplyState, store_chunk
from labelwright.apply.cell_plan import Plan
from labelwright.apply.chunks import HIT_DTYPE, ChunkResult
from labelwright.apply.glossary_hits import every_items_hits
from labelwright.apply.lf_failures import LFFailures, merge_failures
from labelwright.data.dataset import Dataset
from labelwright.lfs.item import GlossaryMatch

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier


@dataclass
class Tally:
    """What the engine's chunks sent back besides their votes, summed over the chunks."""

    lf_seconds: dict[str, float]
    failures: dict[str, LFFailures] = field(default_factory=dict)
    hit_parts: list[np.ndarray] = field(default_factory=list)  # each chunk's hits
    matched: list[np.ndarray] = field(default_factory=list)  # the items each chunk matched
    kept: dict[int, list[GlossaryMatch]] = field(default_factory=dict)  # item -> its matches
    docs_read: int = 0
    spent: list[float] = field(default_factory=lambda: [0.0, 0.0])  # parse, match seconds
    workers_seen: list[str] | None = None


def take_chunk(applier: Applier, result: ChunkResult, state: ApplyState, plan: Plan,
               tally: Tally) -> int:
    """One finished chunk's votes, failures, timings and hits into the apply's arrays
    and ``tally``, and into the vote cache (:func:`store_chunk`); returns how many
    items it held."""
    idx = plan.rows[result.start:result.start + len(result.votes)]
    cells = np.ix_(idx, plan.cols)
    need = (plan.needed[result.start:result.start + len(idx)]
            if plan.needed is not None else None)
    if need is None:  # every cell computed (the usual case)
        state.votes[cells] = result.votes
        state.failed[cells] = False  # recomputed: old failures are gone
    else:
        state.votes[cells] = np.where(need, result.votes, state.votes[cells])
        state.failed[cells] &= ~need
    merge_failures(tally.failures, result.failures)
    for name in result.failures:
        state.failed[idx[result.failed_rows[name]], applier.lf_columns[name]] = True
    tally.docs_read += result.docs_read
    tally.spent[0] += result.parse_seconds
    tally.spent[1] += result.match_seconds
    for name, seconds in result.lf_seconds.items():
        tally.lf_seconds[name] += seconds
    hits = result.hits
    if len(hits):
        hits = hits.copy()
        hits["row"] = idx[hits["row"]]
        tally.hit_parts.append(hits)
    # the rows the chunk matched: hits is all of theirs
    now = idx if plan.to_match is None else idx[plan.to_match[idx]]
    if result.matched:
        tally.matched.append(now)
    store_chunk(applier, result, state, plan, idx, need, hits, now)
    if result.matches is not None:
        tally.kept.update((i, found) for i, found in zip(idx.tolist(), result.matches)
                          if found is not None)
    return len(idx)


def gather_hits(applier: Applier, dataset: Dataset, state: ApplyState, plan: Plan,
                tally: Tally) -> np.ndarray:
    """Every item's glossary hits (:func:`every_items_hits`): the chunks', the vote
    cache's, and those of items no chunk matched, matched here (their seconds added to
    ``tally``)."""
    done = np.concatenate(tally.matched) if tally.matched else plan.rows[:0]
    cached_hits = ((applier.cache, state.hits_key, state.hashes) if applier.cache is not None
                   and state.hits_key is not None and state.hashes is not None else None)
    before = list(applier.runner.spent)  # items matched for their hits alone, here
    hits = (every_items_hits(applier.runner, dataset.texts, done, tally.hit_parts,
                             applier.chunk_size, cached_hits, plan.known)
            if applier.runner.has_matcher else np.zeros(0, HIT_DTYPE))
    tally.spent = [s + now - was
                   for s, now, was in zip(tally.spent, applier.runner.spent, before)]
    return hits
