"""An apply's side of the vote cache: the label matrix as the cache holds it and the keys
its votes are kept under (:func:`look_up`), each finished chunk kept there as it comes back
(:func:`store_chunk`), the cache settled once the engine is done (:func:`settle_cache`), and
the failures the cache held told with the ones computed now (:func:`failures_with_cached`).

Apart from :mod:`~labelwright.apply.applier` because this is what makes a killed run resume
and a refresh leave no old votes behind: the order of its writes matters, and it reads best
in one place."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from labelwright.apply.cache_keys import lf_cache_key, row_hashes
from labelwright.apply.chunks import ChunkResult
from labelwright.apply.glossary_hits import hits_cache_key
from labelwright.apply.kept_votes import KeptVotes
from labelwright.apply.lf_failures import MAX_FAILED_IDS, LFFailures
from labelwright.apply.match_cache import match_cache_key
from labelwright.caches import REFRESH
from labelwright.counts import some_of
from labelwright.data.dataset import Dataset
from labelwright.errors import RunError, both_spellings
from labelwright.lfs.session_globals import Digester, session_globals
from labelwright.nlp import pipeline_fingerprint

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier
    from labelwright.apply.cell_plan import Plan

#: the applier's logger, not this module's: the uncached-LF warning said below was told
#: under ``labelwright.apply.applier`` before this module was split from it, and a user who
#: filters or silences that logger should keep doing so without renaming it
log = logging.getLogger("labelwright.apply.applier")


@dataclass
class ApplyState:
    """One apply's label matrix as it is filled in, first from the vote cache, and what
    its votes are kept under there (None, empty: no vote cache)."""

    votes: np.ndarray  # items x LFs, -1 where no vote (yet)
    failed: np.ndarray  # items x LFs: the LF failed on the item
    missing: np.ndarray  # items x LFs: the cells to compute (not found in the vote cache)
    match_key: str  # what the glossaries match: the key of the kept matches and of the hits
    #: a refresh whose old entries are still to be dropped: a refresh drops what its keys
    #: held just before the first new votes are stored, so one stopped half-way leaves only
    #: new votes; not before: an apply that fails before any vote is computed (an engine
    #: that cannot start, a scheduler out of reach, an LF failing fast, a run stopped)
    #: leaves the cache as it was
    stale: bool
    hashes: np.ndarray | None = None  # per item, its row hash
    keys: list[str] | None = None  # per LF, the key its votes are kept under
    hits_key: str | None = None  # the key the glossary hits are kept under
    #: LF -> the globals whose values cannot be digested (computed on every run)
    uncached: dict[str, tuple[str, ...]] = field(default_factory=dict)
    digester: Digester | None = None  # what several LFs read, digested once
    #: the items whose votes the vote cache holds so far, for a command cut short
    #: (:mod:`~labelwright.apply.kept_votes`); None: no vote cache
    kept: KeptVotes | None = None


def look_up(applier: Applier, dataset: Dataset) -> ApplyState:
    """The apply's label matrix as the vote cache holds it, with the keys its votes are
    kept under (none of them without a vote cache); with a cache, the LF folder is
    checked here, once the keys are made from it."""
    n, k = len(dataset), len(applier.lfs)
    fingerprint = pipeline_fingerprint(applier.nlp) if applier.nlp is not None else ""
    state = ApplyState(
        votes=np.full((n, k), -1, dtype=applier.runner.dtype),
        failed=np.zeros((n, k), dtype=bool),
        missing=np.ones((n, k), dtype=bool),
        match_key=match_cache_key(applier.glossaries, fingerprint, applier.labels),
        stale=applier.refresh)
    if applier.cache is None:
        return state
    state.hashes = row_hashes(dataset.ids, dataset.texts, dataset.fields,
                              dataset.data_columns)
    # what several LFs read is digested once; a value of an LF folder's module with
    # no digest is what the module's code made (its hash is in the key)
    state.digester = Digester(applier.lf_folder)
    reads = [session_globals(lf, digester=state.digester) for lf in applier.lfs]
    keys = [lf_cache_key(lf, applier.labels, applier.glossaries, fingerprint,
                         applier.lf_lines[lf.file], support, read)
            for lf, support, read in zip(applier.lfs, applier.supports, reads)]
    state.uncached = {lf.name: tuple(r.name for r in read.unhashable)
                      for lf, read in zip(applier.lfs, reads) if read.unhashable}
    warn_uncached(state.uncached)
    if applier.runner.lf_timeout is not None:  # which items time out depends on it
        keys = [hashlib.sha256(f"{key}|timeout={applier.runner.lf_timeout!r}".encode())
                .hexdigest() for key in keys]
    state.keys = keys
    state.hits_key = hits_cache_key(state.match_key) if applier.runner.has_matcher else None
    applier.check_lf_state("before the LFs were applied")
    if not applier.refresh:  # a refresh drops what the keys held later (drop_old)
        for j, key in enumerate(keys):
            if applier.lfs[j].name in state.uncached:
                continue  # computed on every item, every run
            column, found, bad = applier.cache.lookup(key, state.hashes)
            # -1 where not found: the column as it is (a mask per LF cost more)
            state.votes[:, j] = column
            state.failed[:, j] = bad
            # fail-fast must stop at a failure even when the cache holds it:
            # recompute those cells, so the LF raises again with its traceback
            state.missing[:, j] = ~found | bad if applier.runner.fail_fast else ~found
    return state


def store_chunk(applier: Applier, result: ChunkResult, state: ApplyState, plan: Plan,
                idx: np.ndarray, need: np.ndarray | None, hits: np.ndarray,
                now: np.ndarray) -> None:
    """One finished chunk (items ``idx``, of which ``need`` computed each column and
    ``now`` matched ``hits``) kept in the vote cache, when there is one."""
    cache, hashes, keys, hits_key = applier.cache, state.hashes, state.keys, state.hits_key
    if cache is None or hashes is None or keys is None:
        return
    # each finished chunk reaches the disk now, so a killed run resumes from here
    # instead of computing the chunk again. Hits first: cached votes mark the chunk
    # done, and a run killed between the two would otherwise resume without its hits
    if state.stale:
        drop_old(applier, keys, hits_key)
        state.stale = False
    if result.matched and hits_key is not None and len(now):
        cache.store_hits_chunk(hits_key, hashes[now], hashes[hits["row"]], hits)
    stored = False
    for c, j in enumerate(plan.columns):
        if (j in result.match_readers and not applier.key_has_matches[j]) \
                or applier.lfs[j].name in state.uncached:
            continue  # votes that depend on what the key leaves out
        done = idx if need is None else idx[need[:, c]]  # computed
        cache.store_chunk(keys[j], hashes[done], state.votes[done, j],
                          state.failed[done, j])
        if applier.lfs[j].name in result.failures:
            cache.store_error(keys[j], result.failures[applier.lfs[j].name].traceback)
        stored = True
    if stored and state.kept is not None:  # the chunk's items resume from the cache
        state.kept.kept += len(idx)


def settle_cache(applier: Applier, state: ApplyState) -> None:
    """After the engine: the LF folder checked again (the chunks stored under its keys
    discarded when it changed), the old entries of a refresh that stored nothing
    dropped, each key's shards compacted."""
    try:  # workers import the folder again: it must still be as loaded
        applier.check_lf_state("while the LFs were applied")
    except RunError:
        if applier.cache is not None and state.keys is not None:
            for key in with_hits(state.keys, state.hits_key):
                applier.cache.discard_parts(key)  # votes the keys do not describe
        raise
    if state.stale and state.keys is not None:  # a refresh of no items: nothing new to keep
        drop_old(applier, state.keys, state.hits_key)
    if applier.cache is not None and state.hashes is not None and state.keys is not None:
        for key in state.keys:  # also folds in shards a killed earlier run left
            applier.cache.compact(key)


def failures_with_cached(applier: Applier, dataset: Dataset, state: ApplyState, plan: Plan,
                         failures: dict[str, LFFailures]) -> dict[str, LFFailures]:
    """Per LF that failed (in LF order), its failures: those computed now (``failures``)
    and those read from the vote cache, with the traceback it kept."""
    recomputed = set(plan.columns)
    for j, lf in enumerate(applier.lfs):  # failures on cached rows, with the kept traceback
        old = state.failed[:, j].copy()
        if j in recomputed:
            old[state.missing[:, j]] = False
        if not old.any():
            continue
        assert applier.cache is not None and state.keys is not None  # cached rows: a cache lookup
        kept_tb = applier.cache.error(state.keys[j])
        tb = (f"(from the vote cache: the first traceback of this code, as an earlier "
              f"run kept it)\n{kept_tb}" if kept_tb else
              "(from the vote cache; run with "
              f"{both_spellings('--no-cache', 'cache=' + repr(REFRESH))} for the traceback)")
        failed = failures.setdefault(lf.name, LFFailures(lf.name))
        for i in np.flatnonzero(old):
            failed.add(dataset.ids[i], tb)
        failed.cached += int(old.sum())
        # the first ids in item order, cached or not
        first = np.flatnonzero(state.failed[:, j])[:MAX_FAILED_IDS]
        failed.item_ids = [dataset.ids[i] for i in first]
        if old[first[0]]:  # the first item listed is cached: its traceback, not
            # that of the first item computed now, which comes later (a resumed run)
            failed.traceback, failed.raised_at = tb, ""
    return {lf.name: failures[lf.name] for lf in applier.lfs if lf.name in failures}


def drop_old(applier: Applier, keys: Sequence[str], hits_key: str | None) -> None:
    """A refresh: drop everything the vote cache held under ``keys`` and ``hits_key``."""
    assert applier.cache is not None
    for key in with_hits(keys, hits_key):
        applier.cache.drop(key)


#: the uncached LFs already warned of in this process (a notebook re-runs them often)
_warned: set[tuple[str, tuple[str, ...]]] = set()


def uncached_text(uncached: dict[str, tuple[str, ...]]) -> str:
    """One line on the LFs whose votes the vote cache cannot keep (``{LF: globals}``)."""
    shown = some_of([f"{lf} ({', '.join(names)})" for lf, names in list(uncached.items())[:5]],
                    total=len(uncached))
    one = len(uncached) == 1
    return (f"vote cache: {'LF' if one else 'LFs'} {shown} "
            f"read{'s' if one else ''} globals whose values cannot be hashed (an "
            f"object, a DataFrame): {'its' if one else 'their'} votes are computed on every "
            "run, not cached")


def with_hits(keys: Sequence[str], hits_key: str | None) -> list[str]:
    """The vote cache keys a run's votes are kept under: ``keys``, and ``hits_key`` when
    there is one."""
    return [*keys, *([hits_key] if hits_key is not None else [])]


def warn_uncached(uncached: dict[str, tuple[str, ...]]) -> None:
    """Log :func:`uncached_text` once per process for the same LFs and globals."""
    new = {lf: names for lf, names in uncached.items() if (lf, names) not in _warned}
    if new:
        _warned.update(new.items())
        log.warning("%s", uncached_text(new))

