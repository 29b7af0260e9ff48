"""Every item's glossary hits, whatever the vote cache holds.

The hit tables (``glossary_hits.csv``, ``glossary_phrase_hits.csv``, the report's "Terms
that never matched") count every glossary on every item, whether an LF needed its matches
or the votes came from the cache. An apply gathers them from three places: the rows it
matched itself, the hits the vote cache kept for the others, and the rest matched now.
The cache is read before the apply (:func:`known_hits`), so that its chunks match only the
items whose hits it lacks: an edited LF that reads Docs needs no item matched again.
Hits are kept under a key of what the glossaries match (:func:`hits_cache_key`), whichever
LFs read them, so a glossary whose LF was left out is counted too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from labelwright.apply.cache import VoteCache
from labelwright.apply.chunks import HIT_DTYPE
from labelwright.apply.core import ChunkRunner


def hits_cache_key(match_key: str) -> str:
    """The vote cache's key of the hits of glossaries whose matches are kept under
    ``match_key`` (:func:`~labelwright.apply.match_cache.match_cache_key`)."""
    return "hits-" + hashlib.sha256(f"hits v2|{match_key}".encode()).hexdigest()


def every_items_hits(runner: ChunkRunner, texts: Sequence[str], done: np.ndarray,
                     parts: list[np.ndarray], chunk_size: int,
                     cached: tuple[VoteCache, str, np.ndarray] | None,
                     known: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The hit records of all ``texts``: ``parts``, those of the rows ``done`` in this
    apply; with ``cached`` (the vote cache, :func:`hits_cache_key`, the row hashes) those
    of the others the cache holds, the computed rows' hits (written chunk by chunk)
    folded in; and the rest matched now by ``runner`` and stored. ``known``: what
    :func:`known_hits` found before the apply (the cache is not read again)."""
    fresh = [*parts]
    rest = np.ones(len(texts), dtype=bool)
    rest[done] = False
    if cached is not None:
        cache, key, hashes = cached
        cache.compact_hits(key)
        if known is None:
            found, held = cache.lookup_hits(key, hashes, rest)
        else:
            found, held = known
            found = found[rest[found["row"]]]
        fresh.append(found)
        rest &= ~held
    todo = np.flatnonzero(rest)
    for start in range(0, len(todo), chunk_size):
        idx = todo[start:start + chunk_size]
        hits = runner.match_hits([texts[i] for i in idx])
        hits["row"] = idx[hits["row"]]
        if cached is not None:
            cache.store_hits_chunk(key, hashes[idx], hashes[hits["row"]], hits)
        fresh.append(hits)
    if len(todo) and cached is not None:
        cache.compact_hits(key)
    fresh = [part.astype(HIT_DTYPE) for part in fresh if len(part)]
    return np.concatenate(fresh) if fresh else np.zeros(0, HIT_DTYPE)


def known_hits(cache: VoteCache, key: str, hashes: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """(hit records, which rows) of the rows whose hits the vote cache holds under ``key``,
    read before an apply: its chunks match only the other rows' Docs (an LF that reads
    matches finds them on first use on the others), and :func:`every_items_hits` adds
    these."""
    cache.compact_hits(key)
    return cache.lookup_hits(key, hashes, np.ones(len(hashes), dtype=bool))
