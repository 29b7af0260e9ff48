"""The run's glossary matches, item by item: those a run kept, the rest read from the match
cache (:mod:`labelwright.apply.match_cache`) or matched again when asked for, so a large
run need not hold every item's matches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from labelwright.lfs.item import GlossaryMatch

if TYPE_CHECKING:
    from labelwright.apply.core import ChunkRunner
    from labelwright.apply.match_cache import CacheReader, MatchCache

ITER_BATCH = 10_000  # items matched at once when every item's matches are asked for


class MatchList(Sequence[list[GlossaryMatch]]):
    """Per-item glossary matches; items not kept are matched again when asked for.

    Large runs do not keep every item's matches (they would cost more memory than the
    label matrix); the review export asks only for the queued items, which are parsed
    and matched again here, giving the same matches. With a :class:`MatchCache`
    (and each item's row hash), :meth:`prefetch` reads them from it instead, and stores
    the ones it had to match.
    """

    def __init__(self, n: int, texts: Sequence[str], runner: ChunkRunner | None,
                 kept: dict[int, list[GlossaryMatch]] | None = None, *,
                 cache: MatchCache | None = None, hashes: np.ndarray | None = None) -> None:
        self._n = n
        self._texts = texts
        self._runner = runner
        self._kept = kept if kept is not None else {}
        self._cache = cache if hashes is not None else None
        self._hashes = hashes
        self.cached = 0  # items whose matches came from the match cache

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._n))]
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(index)
        found = self._kept.get(index)
        if found is None:
            found = self._runner.match_texts([self._texts[index]])[0] if self._runner else []
            self._kept[index] = found
        return found

    def __iter__(self) -> Iterator[list[GlossaryMatch]]:
        """Every item's matches in order: those not kept are matched a batch of
        :data:`ITER_BATCH` at a time (one by one, each item looked up in the Doc cache
        alone, is far slower), and kept."""
        for start in range(0, self._n, ITER_BATCH):
            stop = min(start + ITER_BATCH, self._n)
            self._match([i for i in range(start, stop) if i not in self._kept])
            for i in range(start, stop):
                yield self[i]

    def prefetch(self, indices: Sequence[int]) -> None:
        """Match many items in one batch (faster than one by one): from the match cache
        when it holds them, and into it when it did not."""
        if self._runner is None:
            return
        cache = self._cache if self._hashes is not None else None
        found, new = self._block(indices, cache.reader() if cache is not None else None)
        self._kept.update(found)
        if new and cache is not None and self._hashes is not None:
            cache.store(self._hashes[np.asarray(new, dtype=np.int64)], [found[i] for i in new])

    def blocks(self, indices: Sequence[int], size: int
               ) -> Iterator[tuple[list[int], dict[int, list[GlossaryMatch]]]]:
        """``indices`` ``size`` at a time, each block with its items' matches, found as
        :meth:`prefetch` finds them but not kept: the review files of a queue of a million
        items hold one block's matches at a time. The match cache is read once, the
        matches it lacked stored a block at a time and folded into it at the end."""
        reader = (self._cache.reader() if self._runner is not None and self._cache is not None
                  and self._hashes is not None else None)
        stored = False
        try:
            for start in range(0, len(indices), size):
                block = list(indices[start:start + size])
                found, new = self._block(block, reader)
                if new and self._cache is not None and self._hashes is not None:
                    stored |= self._cache.add(self._hashes[np.asarray(new, dtype=np.int64)],
                                              [found[i] for i in new])
                yield block, found
        finally:
            if stored and self._cache is not None:
                self._cache.fold()

    def _block(self, block: Sequence[int], reader: CacheReader | None
               ) -> tuple[dict[int, list[GlossaryMatch]], list[int]]:
        """The matches of the items of ``block`` (kept, from ``reader``, or matched now),
        and the items the cache lacked, to store."""
        wanted = list(dict.fromkeys(block))
        if self._runner is None:  # no glossaries: no item has matches (none kept for it)
            return {i: self._kept.get(i, []) for i in wanted}, []
        found: dict[int, list[GlossaryMatch]] = {}
        new = wanted
        if reader is not None and self._hashes is not None:
            cached = reader.find(self._hashes[np.asarray(wanted, dtype=np.int64)])
            found.update((wanted[position], matches) for position, matches in cached.items())
            self.cached += len(cached)
            new = [i for position, i in enumerate(wanted) if position not in cached]
        todo = []
        for i in new:
            if i in self._kept:
                found[i] = self._kept[i]
            else:
                todo.append(i)
        if todo:
            found.update(zip(todo, self._runner.match_texts([self._texts[i] for i in todo])))
        return found, new if reader is not None else []

    def _match(self, todo: Sequence[int]) -> None:
        if todo and self._runner is not None:
            for i, found in zip(todo, self._runner.match_texts([self._texts[i] for i in todo])):
                self._kept[i] = found
