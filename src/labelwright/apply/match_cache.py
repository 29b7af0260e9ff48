"""The match cache: the glossary matches of the review export's items, kept per row.

The review records show each queued item's glossary matches whole (glossary, label, term,
the text that matched, its token span, the term's note, the exclusion that cancelled it).
The vote cache's term hits hold only which term of which glossary matched, so a re-run had
to read every queued item's Doc back and match it again. This cache keeps the matches
themselves, under a key of everything matching depends on (:func:`match_cache_key`: the
glossary files, the pipeline fingerprint, labelwright's matching code and the labels) and
each row's hash, so an entry is never stale.

Entries live in ``<project>/.labelwright/cache/matches/<key>.npz``. New rows are written
as a shard (``<key>.parts/<digest>.npz``, temp file and rename) and folded into the entry
at once; a damaged entry or shard is a miss (its items are matched again and stored anew).
The :data:`KEEP_ENTRIES` newest entries are kept, older keys' removed.

One entry holds, for its rows sorted by hash: ``rows`` (the hashes) and ``counts`` (matches
per row), then per match ``strings`` (indices into a table of distinct strings for
glossary, label, term, text, note, excluded_by and phrase; -1 for None) and ``spans`` (start and
end token offsets). The table is one UTF-8 blob (``table``) cut by ``lengths`` in bytes.

The run's per-item matches, read from this cache or matched again when asked for, are
:class:`~labelwright.apply.match_list.MatchList` (whose names still import from here).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from labelwright.apply.cache import (
    _load,
    _shard_name,
    oldest_first,
    remove_shards,
    save_entry,
)
from labelwright.apply.match_list import ITER_BATCH as ITER_BATCH
from labelwright.apply.match_list import MatchList as MatchList
from labelwright.caches import GOES_ON, cache_write_text
from labelwright.glossaries.core import MATCHER_SHA256, Glossary
from labelwright.lfs.item import GlossaryMatch

log = logging.getLogger(__name__)

#: entries kept (the newest written): other keys are those of glossaries, pipelines or
#: labelwright versions since replaced, whose matches only a switch back would read again
KEEP_ENTRIES = 4
#: the arrays of an entry or shard
ARRAYS = ("rows", "counts", "strings", "spans", "table", "lengths")
_FIELDS = ("glossary", "label", "term", "text", "note", "excluded_by", "phrase")


def match_cache_key(glossaries: Sequence[Glossary], pipeline: str,
                    labels: Sequence[str]) -> str:
    """The key of the glossary matches of a set of glossaries: changes whenever a row's
    matches could (what a glossary LF's vote cache key holds, for all the glossaries, in
    the order they are matched)."""
    digest = hashlib.sha256(b"matches v2\x00")  # v2: each match's phrase
    for part in (pipeline, MATCHER_SHA256, "\x1f".join(labels),
                 *(f"{g.name}:{g.sha256}" for g in glossaries)):
        digest.update(part.encode() + b"\x00")
    return "matches-" + digest.hexdigest()


class _Entry:
    """One entry or shard, read: its arrays, and its string table decoded."""

    def __init__(self, arrays: tuple[np.ndarray, ...]) -> None:
        rows, counts, strings, spans, table, lengths = arrays
        if not (rows.ndim == counts.ndim == 1 and len(rows) == len(counts)
                and strings.shape == (int(counts.sum()), len(_FIELDS))
                and spans.shape == (len(strings), 2) and table.ndim == lengths.ndim == 1
                and int(lengths.sum()) == len(table) and bool((counts >= 0).all())
                and bool((strings < len(lengths)).all()) and bool((strings >= -1).all())):
            raise ValueError("its arrays do not fit together")
        blob = table.tobytes()
        ends = np.cumsum(lengths).tolist()
        self.table = [blob[a:b].decode("utf-8") for a, b in zip([0, *ends[:-1]], ends)]
        self.rows = rows.astype(np.uint64)
        self.counts = counts.astype(np.int64)
        self.strings = strings.astype(np.int64)
        self.spans = spans.astype(np.int64)


def _read_part(path: Path) -> _Entry | None:
    """An entry or shard; None when it is missing or damaged (a miss)."""
    arrays = _load(path, ARRAYS)
    if arrays is None:
        return None
    try:
        return _Entry(arrays)
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        log.warning("match cache: %s is damaged (%s); its items are matched again", path, exc)
        return None


def _match(table: list[str | None], strings: list[int], span: list[int]) -> GlossaryMatch:
    """One stored match (``table`` ends with None, what index -1 reads)."""
    glossary, label, term, text, note, excluded_by, phrase = (table[s] for s in strings)
    assert glossary is not None and label is not None and term is not None and text is not None
    return GlossaryMatch(glossary, label, term, text, span[0], span[1], note=note,
                         excluded_by=excluded_by, phrase=phrase or "")


def _table_arrays(strings: Sequence[str]) -> dict[str, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    return {"table": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            "lengths": np.array([len(e) for e in encoded], dtype=np.int64)}


def _encode(rows: np.ndarray, matches: Sequence[Sequence[GlossaryMatch]]
            ) -> dict[str, np.ndarray]:
    """The arrays of a shard holding ``matches`` (one list per row of ``rows``)."""
    index: dict[str, int] = {}
    strings: list[tuple[int, ...]] = []
    spans: list[tuple[int, int]] = []
    for found in matches:
        for m in found:
            strings.append(tuple(-1 if value is None else index.setdefault(value, len(index))
                                 for value in (m.glossary, m.label, m.term, m.text, m.note,
                                               m.excluded_by, m.phrase)))
            spans.append((m.start, m.end))
    return {
        "rows": np.asarray(rows, dtype=np.uint64),
        "counts": np.array([len(found) for found in matches], dtype=np.int32),
        "strings": np.array(strings, dtype=np.int32).reshape(len(strings), len(_FIELDS)),
        "spans": np.array(spans, dtype=np.int64).reshape(len(spans), 2),
        **_table_arrays(list(index)),
    }


class CacheReader:
    """An entry and its shards, read once and sorted by row: many lookups (a block of the
    review queue at a time) without reading and decoding the entry for each."""

    def __init__(self, paths: Sequence[Path]) -> None:
        #: per part: the entry, its rows sorted (and where each sits), where each row's
        #: matches start, the string table (index -1 reads None)
        self._parts: list[tuple[_Entry, np.ndarray, np.ndarray, np.ndarray,
                                list[str | None]]] = []
        for path in paths:  # later parts win
            entry = _read_part(path)
            if entry is None or not len(entry.rows):
                continue
            order = np.argsort(entry.rows, kind="stable")
            starts = np.concatenate([[0], np.cumsum(entry.counts)]).astype(np.int64)
            self._parts.append((entry, entry.rows[order], order, starts, [*entry.table, None]))

    def find(self, hashes: np.ndarray) -> dict[int, list[GlossaryMatch]]:
        """``{position in hashes: its matches}`` of the rows the cache holds."""
        out: dict[int, list[GlossaryMatch]] = {}
        hashes = np.asarray(hashes, dtype=np.uint64)
        if not len(hashes):
            return out
        for entry, sorted_rows, order, starts, table in self._parts:
            pos = np.searchsorted(sorted_rows, hashes).clip(0, len(sorted_rows) - 1)
            found = np.flatnonzero(sorted_rows[pos] == hashes)
            rows = order[pos[found]]
            counts = starts[rows + 1] - starts[rows]
            # the found rows' matches, in one take: the entry's as Python numbers would
            # cost more memory than the queue's records
            within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts,
                                                              counts)
            take = np.repeat(starts[rows], counts) + within
            strings, spans = entry.strings[take].tolist(), entry.spans[take].tolist()
            at = 0
            for i, count in zip(found.tolist(), counts.tolist()):
                out[i] = [_match(table, strings[j], spans[j]) for j in range(at, at + count)]
                at += count
        return out


class MatchCache:
    """Per-row glossary matches on disk under one key, found by row hash."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = Path(folder) / "matches"
        self.key = key

    @property
    def path(self) -> Path:
        return self.folder / f"{self.key}.npz"

    @property
    def _parts_folder(self) -> Path:
        return self.folder / f"{self.key}.parts"

    def _parts(self) -> list[Path]:
        """The shards not yet folded into the entry, oldest first (later ones win)."""
        return oldest_first(self._parts_folder, "*.npz")

    def lookup(self, hashes: np.ndarray) -> dict[int, list[GlossaryMatch]]:
        """``{position in hashes: its matches}`` of the rows the cache holds."""
        return self.reader().find(hashes)

    def reader(self) -> CacheReader:
        """The entry and its shards read once, for many lookups (:class:`CacheReader`)."""
        return CacheReader([self.path, *self._parts()])

    def store(self, hashes: np.ndarray, matches: Sequence[Sequence[GlossaryMatch]]) -> None:
        """Add the matches of the rows ``hashes`` and fold them into the entry."""
        if self.add(hashes, matches):
            self.fold()

    def add(self, hashes: np.ndarray, matches: Sequence[Sequence[GlossaryMatch]]) -> bool:
        """Add the matches of the rows ``hashes`` as a shard, left to :meth:`fold`: a caller
        storing block after block folds them once at the end. Whether it was written: a
        cache that cannot be written is logged and left (it only saves time)."""
        if not len(hashes):
            return False
        arrays = _encode(hashes, matches)
        try:
            save_entry(self._parts_folder / f"{_shard_name(arrays['rows'])}.npz", **arrays)
        except OSError as exc:
            self._not_written(exc)
            return False
        return True

    def fold(self) -> None:
        """:meth:`compact`, a cache that cannot be written logged and left."""
        try:
            self.compact()
        except OSError as exc:
            self._not_written(exc)

    def _not_written(self, exc: OSError) -> None:
        log.warning("%s", cache_write_text("match cache", self.folder, exc, then=GOES_ON))

    def compact(self) -> None:
        """Fold the shards into the entry (a row's last matches win), then remove them."""
        shards = self._parts()
        if not shards:
            return
        parts = [p for p in (_read_part(path) for path in [self.path, *shards]) if p]
        if parts:
            save_entry(self.path, **_merge(parts))
            self._prune()
        remove_shards(shards, self._parts_folder)


    def _prune(self) -> None:
        """Remove all but the :data:`KEEP_ENTRIES` newest entries (this one is the newest)."""
        newest_first = oldest_first(self.folder, "matches-*.npz")[::-1]
        for path in newest_first[KEEP_ENTRIES:]:
            if path != self.path:
                path.unlink(missing_ok=True)


def _merge(parts: list[_Entry]) -> dict[str, np.ndarray]:
    """One entry of ``parts`` (later parts win for a row): rows sorted, one string table."""
    table: dict[str, int] = {}
    rows, counts, starts, strings, spans = [], [], [], [], []
    offset = 0
    for part in parts:
        remap = np.array([table.setdefault(s, len(table)) for s in part.table] + [-1],
                         dtype=np.int64)
        strings.append(remap[part.strings])  # -1 reads the -1 appended
        spans.append(part.spans)
        rows.append(part.rows)
        counts.append(part.counts)
        starts.append(offset + np.concatenate([[0], np.cumsum(part.counts)[:-1]])
                      .astype(np.int64))
        offset += len(part.strings)
    all_rows = np.concatenate(rows)
    all_counts = np.concatenate(counts)
    all_starts = np.concatenate(starts)
    _, first = np.unique(all_rows[::-1], return_index=True)  # sorted; each row's last
    keep = len(all_rows) - 1 - first
    kept_counts = all_counts[keep]
    total = int(kept_counts.sum())
    # each kept row's matches in place: its start repeated, plus 0, 1, ... within the row
    within = np.arange(total) - np.repeat(np.cumsum(kept_counts) - kept_counts, kept_counts)
    take = np.repeat(all_starts[keep], kept_counts) + within
    merged = np.concatenate(strings)[take]
    # only the strings still used (replaced rows may leave some behind), in table order
    used = np.unique(merged[merged >= 0])
    remap = np.full(len(table) + 1, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    names = list(table)
    return {
        "rows": all_rows[keep].astype(np.uint64),
        "counts": kept_counts.astype(np.int32),
        "strings": remap[merged].astype(np.int32).reshape(total, len(_FIELDS)),
        "spans": np.concatenate(spans)[take].astype(np.int64).reshape(total, 2),
        **_table_arrays([names[i] for i in used.tolist()]),
    }
