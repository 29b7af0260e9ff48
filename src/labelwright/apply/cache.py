"""The vote cache: each LF's votes kept per row, so a re-run computes only what changed.

An entry is one LF's votes (and a glossary LF's hits) under the key
:mod:`labelwright.apply.cache_keys` makes, rows found by their row hashes. Entries live in
``<project>/.labelwright/cache/votes/<key>.npz``.

Votes reach the disk chunk by chunk: each finished chunk is written as a small shard,
``votes/<key>.parts/<digest>.npz`` (temp file + rename, so a shard is whole or absent),
and a finished apply folds the shards into the entry. The first traceback of an LF that
failed is kept beside its entry (``votes/<key>.error.txt``). A run killed half way therefore
leaves its finished chunks behind, and the next run reads them instead of computing
them again.

A run that reads an entry sets its modification time, so that ``labelwright runs prune``
can tell the entries in use (:mod:`~labelwright.caches`); shards are not
touched (their times order them).

Every entry and shard holds a ``checksum`` array: the sha256 of its other arrays (name,
dtype, shape and bytes, in name order; :func:`arrays_checksum`). One whose arrays do not
give it back (a flipped bit, a file cut and padded, an array replaced by hand) is a miss,
logged as a warning, and its rows are computed again. That catches corruption, not
tampering: whoever rewrites the votes can write the matching checksum too (``labelwright
runs verify --recompute`` catches that, by applying the LFs again without the cache).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import numpy as np

from labelwright.apply.key_scheme import KEY_SCHEME, SCHEME_FILE, scheme_found
from labelwright.caches import cache_writes, new_temp_file, touch
from labelwright.runs.store import atomic_write_text

log = logging.getLogger(__name__)

#: the array of an entry or shard that holds the sha256 of its other arrays
CHECKSUM = "checksum"

_EMPTY_HITS = np.dtype([("row", np.int64), ("glossary", np.int32), ("term", np.int32),
                        ("phrase", np.int32), ("cancelled", np.bool_)])


def save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Write an ``.npz`` atomically: a temp file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = new_temp_file(path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]  # (stubs: allow_pickle)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def arrays_checksum(arrays: dict[str, np.ndarray]) -> str:
    """The sha256 an entry's ``checksum`` holds: over its arrays in name order, each as its
    name, dtype (``str(dtype)``, e.g. ``int16``), shape and C-order bytes, every part
    followed by a NUL byte (the ``checksum`` array itself is left out)."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name == CHECKSUM:
            continue
        array = np.ascontiguousarray(arrays[name])
        for part in (name.encode(), str(array.dtype).encode(),
                     ",".join(map(str, array.shape)).encode(), array.tobytes()):
            digest.update(part + b"\0")
    return digest.hexdigest()


def save_entry(path: Path, **arrays: np.ndarray) -> None:
    """:func:`save_npz` with the ``checksum`` of the arrays, as every vote cache file has."""
    save_npz(path, **arrays, **{CHECKSUM: np.array(arrays_checksum(arrays))})


def _load(path: Path, names: Sequence[str]) -> tuple[np.ndarray, ...] | None:
    """The arrays ``names`` of an ``.npz``; None when it is missing, damaged or its arrays
    do not give back its checksum (a miss, with a warning for a file that is there)."""
    try:
        with np.load(path) as entry:
            arrays = {name: entry[name] for name in entry.files}
    except (FileNotFoundError, NotADirectoryError):  # none there (a file in the folder's
        return None  # place is the write's error to name)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        # a cut or garbled file (BadZipFile is none of the others)
        log.warning("vote cache: ignoring unreadable %s (%s: %s); its rows are computed "
                    "again", path, type(exc).__name__, exc)
        return None
    recorded = arrays.get(CHECKSUM)
    if recorded is None:  # every entry of a cache from before checksums: expected, quiet
        log.info("vote cache: ignoring %s: it has no checksum (written before entries had "
                 "one); its rows are computed again", path)
        return None
    if str(recorded) != arrays_checksum(arrays):
        log.warning("vote cache: ignoring %s: its arrays do not give back its checksum "
                    "(damaged or edited); its rows are computed again", path)
        return None
    if any(name not in arrays for name in names):
        log.warning("vote cache: ignoring %s: it lacks %s; its rows are computed again", path,
                    ", ".join(name for name in names if name not in arrays))
        return None
    return tuple(arrays[name] for name in names)


def oldest_first(folder: Path, pattern: str) -> list[Path]:
    """The files of ``folder`` named by ``pattern``, oldest first (by modification time,
    then name); none when the folder is not there, and a file removed while they are
    listed is left out."""
    found = []
    for path in folder.glob(pattern) if folder.is_dir() else ():
        try:
            found.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:
            continue
    return [path for _, _, path in sorted(found)]


def remove_shards(shards: Sequence[Path], folder: Path) -> None:
    """Remove ``shards``, folded into their entry, then their ``folder`` when that left it
    empty (another run may be writing shards into it: they stay for the next fold)."""
    for shard in shards:
        shard.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _shard_name(hashes: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(hashes, dtype=np.uint64).tobytes()).hexdigest()[:32]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _writes(method: Callable[Concatenate[VoteCache, _P], _R]
            ) -> Callable[Concatenate[VoteCache, _P], _R]:
    """A :class:`VoteCache` method that writes: an ``OSError`` of it (a read-only folder, a
    full disk) is a one-line :class:`~labelwright.errors.CacheError` naming the folder and
    the fixes, not a traceback of the shard the write failed on."""
    @functools.wraps(method)
    def writing(self: VoteCache, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with cache_writes("vote cache", self.folder):
            return method(self, *args, **kwargs)

    return writing


class VoteCache:
    """Per-LF vote columns on disk, looked up row by row through row hashes."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / "votes"
        # the last lookup's positions: the columns of one dataset usually hold the same
        # rows, so the hash search is done once per apply instead of once per LF
        self._positions: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._all_found = False  # whether the last lookup's positions found every hash
        # the last fold's row hashes (entry and shards, in order) and the rows it kept:
        # every LF's key holds the same rows after an apply, and sorting them once per
        # key was a third of the cache's compaction after the engine
        self._folded: tuple[np.ndarray, np.ndarray] | None = None
        #: the key scheme of the entries found before this cache wrote any, when it is
        #: not :data:`KEY_SCHEME` (None: the same, or no entry): every key then misses
        self.older_scheme, said = scheme_found(self.folder)
        # whether SCHEME_FILE names KEY_SCHEME (read so, or written by this cache): a run
        # rewrites it only when it does not
        self._marked = said

    def _mark_scheme(self) -> None:
        """Write :data:`SCHEME_FILE` once per cache, as an entry is folded, unless it named
        :data:`KEY_SCHEME` already."""
        if not self._marked:
            atomic_write_text(self.folder / SCHEME_FILE, KEY_SCHEME + "\n")
            self._marked = True

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def _parts(self, key: str) -> Path:
        return self.folder / f"{key}.parts"

    def _shards(self, key: str) -> list[Path]:
        """The chunk shards of ``key``, oldest first (later shards win)."""
        return oldest_first(self._parts(key), "*.npz")

    def _read(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The entry merged with its shards, sorted by hash; None when there is none."""
        shards = [p for p in (_load(s, ("hashes", "votes", "failed"))
                              for s in self._shards(key)) if p]
        entry = _load(self._path(key), ("hashes", "votes", "failed"))
        if entry is not None:
            touch(self._path(key))  # used now: `runs prune` keeps what runs use
        if entry is not None and not shards:
            return entry  # type: ignore[return-value]  # entries are written sorted
        parts = ([entry] if entry is not None else []) + shards
        if not parts:
            return None
        hashes = np.concatenate([p[0] for p in parts])
        votes = np.concatenate([p[1] for p in parts])
        failed = np.concatenate([p[2] for p in parts])
        if self._folded is not None and np.array_equal(self._folded[0], hashes):
            keep = self._folded[1]
        else:  # keep the last occurrence of each hash (in hash order): reverse, take the first
            _, first = np.unique(hashes[::-1], return_index=True)
            keep = len(hashes) - 1 - first
            self._folded = hashes, keep
        return hashes[keep], votes[keep], failed[keep]

    def lookup(self, key: str, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(votes, found mask, failed mask) for ``hashes``; votes are -1 where not found."""
        n = len(hashes)
        votes = np.full(n, -1, dtype=np.int16)
        found = np.zeros(n, dtype=bool)
        failed = np.zeros(n, dtype=bool)
        entry = self._read(key)
        if entry is None:
            return votes, found, failed
        keys, cached, bad = entry
        if len(keys):
            pos, found = self._find(keys, hashes)
            if self._all_found:  # a re-run's usual case: no mask to apply on either side
                return cached[pos].astype(np.int16, copy=False), found, bad[pos]
            votes[found] = cached[pos[found]]
            failed[found] = bad[pos[found]]
        return votes, found, failed

    def _find(self, keys: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each of ``hashes`` is in the sorted ``keys`` (clipped), and whether found."""
        last = self._positions
        if last is not None and np.array_equal(last[0], keys) \
                and np.array_equal(last[1], hashes):
            return last[2], last[3]
        pos = np.searchsorted(keys, hashes).clip(0, len(keys) - 1)
        found = keys[pos] == hashes
        self._positions = (keys, hashes, pos, found)
        self._all_found = bool(found.all())
        return pos, found

    @_writes
    def store_chunk(self, key: str, hashes: np.ndarray, votes: np.ndarray,
                    failed: np.ndarray) -> None:
        """Write one finished chunk's votes as a shard, atomically (see :meth:`compact`)."""
        save_entry(self._parts(key) / f"{_shard_name(hashes)}.npz", hashes=hashes,
              votes=np.asarray(votes).astype(np.int16), failed=np.asarray(failed, dtype=bool))

    @_writes
    def store_error(self, key: str, traceback: str) -> None:
        """Keep the first traceback of the LF code ``key`` describes, so that its failures
        read from the cache in a later run can be shown with it (written once)."""
        path = self.folder / f"{key}.error.txt"
        if traceback and not path.exists():
            atomic_write_text(path, traceback)

    def error(self, key: str) -> str | None:
        """The traceback :meth:`store_error` kept for ``key``, or None (none was kept:
        a cache written before labelwright kept them)."""
        try:
            return (self.folder / f"{key}.error.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def store(self, key: str, hashes: np.ndarray, votes: np.ndarray, failed: np.ndarray) -> None:
        """Merge rows into the entry (new values win); written atomically."""
        self.store_chunk(key, hashes, votes, failed)
        self.compact(key)

    @_writes
    def drop(self, key: str) -> None:
        """Remove everything kept under ``key``: its entry, its shards and its traceback (a
        refresh: a refresh killed half-way then leaves only new votes, and the rest are
        computed again, never read back old)."""
        self._path(key).unlink(missing_ok=True)
        (self.folder / f"{key}.error.txt").unlink(missing_ok=True)
        self.discard_parts(key)

    def discard_parts(self, key: str) -> None:
        """Drop the chunks stored under ``key`` since its last compaction (votes of code
        that is not the code the key describes)."""
        shutil.rmtree(self._parts(key), ignore_errors=True)

    @_writes
    def compact(self, key: str) -> None:
        """Fold the shards of ``key`` into its entry, then remove them."""
        shards = self._shards(key)
        if not shards:
            return
        entry = self._read(key)
        if entry is not None:
            hashes, votes, failed = entry
            save_entry(self._path(key), hashes=hashes, votes=votes.astype(np.int16),
                       failed=failed)
            self._mark_scheme()
        remove_shards(shards, self._parts(key))

    # -- glossary term hits -----------------------------------------------------------
    def _read_hits(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(matched row hashes, hit hashes, hits) of the entry with its shards applied in
        order: a row is matched when its hits are all there (it may have none). A hit is
        kept unless a later part matched its row again (that part's hits replace it)."""
        parts = []
        loaded = _load(self._path(key), ("matched", "hashes", "hits"))
        if loaded is not None:
            parts.append(loaded)
            touch(self._path(key))
        parts += [p for p in (_load(shard, ("matched", "hashes", "hits"))
                              for shard in self._shards(key)) if p is not None]
        if not parts:
            return np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, _EMPTY_HITS)
        dtype = parts[0][2].dtype if loaded is not None else _EMPTY_HITS
        # in one pass, not part by part: folding each shard into all before it (a union
        # and an isin of everything so far) took 3.5 s of 300,000 items' 30 shards, and
        # grew with the square of their number
        matched_all = np.concatenate([p[0].astype(np.uint64) for p in parts])
        matched_in = np.repeat(np.arange(len(parts)), [len(p[0]) for p in parts])
        # each matched row once (sorted), with the last part that matched it
        matched, first = np.unique(matched_all[::-1], return_index=True)
        last = matched_in[::-1][first]
        hit_hashes = np.concatenate([p[1].astype(np.uint64) for p in parts])
        hit_in = np.repeat(np.arange(len(parts)), [len(p[1]) for p in parts])
        hits = np.concatenate([p[2].astype(dtype) for p in parts])
        if not len(matched):
            return matched, hit_hashes, hits
        pos = np.searchsorted(matched, hit_hashes).clip(0, len(matched) - 1)
        matched_last = np.where(matched[pos] == hit_hashes, last[pos], -1)
        keep = matched_last <= hit_in
        return matched, hit_hashes[keep], hits[keep]

    @_writes
    def store_hits_chunk(self, key: str, matched: np.ndarray, hit_hashes: np.ndarray,
                         hits: np.ndarray) -> None:
        """Write one chunk's glossary hits (of its ``matched`` rows) as a shard."""
        save_entry(self._parts(key) / f"{_shard_name(matched)}.npz", matched=matched,
                   hashes=hit_hashes, hits=hits)

    @_writes
    def compact_hits(self, key: str) -> None:
        """Fold the hit shards of ``key`` into its entry, then remove them."""
        shards = self._shards(key)
        if not shards:
            return
        matched, hit_hashes, hits = self._read_hits(key)
        save_entry(self._path(key), matched=matched, hashes=hit_hashes, hits=hits)
        self._mark_scheme()
        remove_shards(shards, self._parts(key))

    def store_hits(self, key: str, matched: np.ndarray, hit_hashes: np.ndarray,
                   hits: np.ndarray) -> None:
        """Replace the glossary hits of the ``matched`` rows (hits keyed by row hash)."""
        self.store_hits_chunk(key, matched, hit_hashes, hits)
        self.compact_hits(key)

    def lookup_hits(self, key: str, hashes: np.ndarray, wanted: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Cached hits of the rows where ``wanted`` is set, with ``row`` set to their index,
        and which of those rows the entry holds (matched once: their hits are all there,
        none for a row no term matched); the others must be matched."""
        matched, hit_hashes, hits = self._read_hits(key)
        rows = np.flatnonzero(wanted)
        held = np.zeros(len(hashes), dtype=bool)
        held[rows] = np.isin(hashes[rows], matched)
        if not len(hits) or not len(rows):
            return np.zeros(0, dtype=hits.dtype if len(hits) else _EMPTY_HITS), held
        order = np.argsort(hashes[rows])
        sorted_hashes = hashes[rows][order]
        pos = np.searchsorted(sorted_hashes, hit_hashes).clip(0, len(rows) - 1)
        ok = sorted_hashes[pos] == hit_hashes
        out = hits[ok].copy()
        out["row"] = rows[order[pos[ok]]]
        return out, held
