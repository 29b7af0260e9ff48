"""The vote cache's glossary hits read back from an entry and many shards: a row's hits are
those of the last part that matched it, whatever came before."""

from __future__ import annotations

import os

import numpy as np

from labelwright.apply.cache import _EMPTY_HITS, VoteCache


def _part(rng, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A part matching ``rows``: 0-2 hits each, with a term that says which part it is."""
    counts = rng.integers(0, 3, size=len(rows))
    hit_rows = np.repeat(rows, counts)
    hits = np.zeros(len(hit_rows), dtype=_EMPTY_HITS)
    hits["term"] = rng.integers(0, 1000, size=len(hit_rows))
    hits["glossary"] = rng.integers(0, 3, size=len(hit_rows))
    return rows.astype(np.uint64), hit_rows.astype(np.uint64), hits


def test_hits_of_the_last_part_that_matched_each_row(tmp_path):
    rng = np.random.default_rng(3)
    cache, key = VoteCache(tmp_path), "hits-test"
    expected: dict[int, list[tuple[int, int]]] = {}
    for k in range(8):  # the first folded into the entry, then seven shards
        rows = np.unique(rng.integers(1, 60, size=25))  # rows matched again by later parts
        matched, hit_hashes, hits = _part(rng, rows)
        cache.store_hits_chunk(key, matched, hit_hashes, hits)
        for row in rows.tolist():
            expected[row] = sorted((int(g), int(t)) for h, g, t in
                                   zip(hit_hashes, hits["glossary"], hits["term"]) if h == row)
        if k == 0:
            cache.compact_hits(key)
        else:  # shards are read oldest first
            shard = max(cache._parts(key).glob("*.npz"), key=lambda p: p.stat().st_mtime_ns)
            os.utime(shard, ns=(k * 10**9, k * 10**9))
    for _ in range(2):  # shards read as they are, then folded into the entry
        hashes = np.arange(0, 70, dtype=np.uint64)
        found, held = cache.lookup_hits(key, hashes, np.ones(len(hashes), dtype=bool))
        assert np.flatnonzero(held).tolist() == sorted(expected)
        got: dict[int, list[tuple[int, int]]] = {row: [] for row in expected}
        for hit in found:
            got[int(hashes[hit["row"]])].append((int(hit["glossary"]), int(hit["term"])))
        assert {row: sorted(h) for row, h in got.items()} == expected
        cache.compact_hits(key)
