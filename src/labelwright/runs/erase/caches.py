"""The cache entries ``labelwright erase`` drops: those that may hold an erased text.

Once its row is deleted, an item's text is known to labelwright only through what it kept,
and the caches find entries by hashes of texts and rows, not by ids. So:

* a Doc cache shard (``docs/``: parsed Docs, their words) or a match cache entry
  (``matches/``: the matched words of exported items) is dropped when it holds a text
  (a row) the data no longer holds: the erased items' are among those, and a shard of a
  text edited since is no more than a miss;
* every term counts (``term_counts/``) and ranking (``ranking/``) entry is dropped: each
  holds a row per item of the data it was made from (the words counted, the end model's
  probabilities), keyed by a hash of all texts, so which items it holds cannot be told;
* every decompressed copy of a compressed data file (``decompressed/``) is dropped: a copy
  of the file before the erased rows were deleted from it holds their texts as written;
* the vote cache (``votes/``: 8-byte row hashes and votes) and the fit cache (``fit/``:
  the label model's parameters) hold no text, and are left as they are.

A dropped entry is a miss: the next run parses, matches, counts and ranks again, and its
labels are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

#: the caches whose every entry an erasure drops (README "What the caches hold")
DROPPED_WHOLE = ("term_counts", "ranking", "decompressed")


def _holds_other(path: Path, key: str, held: np.ndarray) -> bool:
    """Whether the ``.npz`` at ``path`` holds under ``key`` a hash not in ``held``
    (sorted); an entry that cannot be read counts as holding one."""
    try:
        with np.load(path, allow_pickle=False) as entry:
            hashes = np.asarray(entry[key], dtype=np.uint64)
    except Exception:  # noqa: BLE001 - damaged or foreign: dropped, the next run remakes it
        return True
    if not len(hashes):
        return False
    pos = np.searchsorted(held, hashes).clip(0, max(len(held) - 1, 0))
    return not len(held) or bool((held[pos] != hashes).any())


def stale_entries(cache: Path, texts: list[str], rows: np.ndarray) -> Iterator[Path]:
    """The cache files under ``cache`` (a project's ``.labelwright/cache``) an erasure
    drops, for data whose texts are ``texts`` and row hashes ``rows``
    (:func:`~labelwright.apply.cache_keys.row_hashes`)."""
    from labelwright.apply.doc_cache import text_hashes

    if not cache.is_dir():
        return
    doc_hashes = np.unique(text_hashes(texts)) if texts else np.zeros(0, np.uint64)
    for shard in sorted((cache / "docs").glob("*/*.npz")):
        if _holds_other(shard, "hashes", doc_hashes):
            yield shard
    row_hashes = np.unique(np.asarray(rows, dtype=np.uint64))
    for entry in sorted((cache / "matches").rglob("*.npz")):
        if _holds_other(entry, "rows", row_hashes):
            yield entry
    for name in DROPPED_WHOLE:
        yield from sorted(p for p in (cache / name).rglob("*") if p.is_file())
