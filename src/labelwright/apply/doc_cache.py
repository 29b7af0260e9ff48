"""The Doc cache: parsed items kept on disk, so a re-run reads Docs instead of parsing.

After an edit to one LF that reads ``item.doc`` (or to a glossary), the vote cache
recomputes that LF's column, which needs every item's Doc again. With the Doc cache
the Docs are read back from spaCy ``DocBin`` shards instead of parsed.

Layout: ``<project>/.labelwright/cache/docs/<pipeline key>/<shard>.npz``. The pipeline
key (:func:`pipeline_key`) changes whenever the pipeline could parse differently. Each
shard holds the Docs one chunk had to parse (format: :mod:`labelwright.apply.doc_shards`),
written atomically (temp file + rename, so a shard is whole or absent and concurrent
writers never clash).

Each process keeps an index from text hash to (shard, position), refreshed from the
folder listing before each chunk. A damaged shard is logged, removed and its items are
parsed again. Docs a ``DocBin`` cannot hold whole (``doc.tensor``, user hooks) are never
cached with ``doc_cache = "auto"``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply.cache import save_npz
from labelwright.caches import GOES_ON, cache_write_text, touch
from labelwright.config import check_doc_cache
from labelwright.nlp import pipeline_fingerprint

if TYPE_CHECKING:  # spaCy loads when Docs are read or parsed, not for the cache's key
    from spacy.language import Language
    from spacy.tokens import Doc

    from labelwright.apply.doc_shards import ShardReader, ShardWriter

#: the shards' format (:mod:`labelwright.apply.doc_shards`), part of the cache's key
FORMAT = "labelwright-docs-2"  # 2: user data as [key, value] pairs

log = logging.getLogger(__name__)

MAX_OPEN = 4  # shards one chunk may hold open; past this, its cached Docs are built first
REPARSED = -2  # a text the cache holds in a shard not worth loading for it: parsed again
#: seconds per item before this process has timed its own (the default pipeline, blank
#: English + lookup lemmas: ``benchmarks/doc_cache.py``): parsing a text, building a Doc
#: from a loaded shard, and loading a shard, per Doc it holds (zlib + msgpack of the whole
#: shard)
COSTS = {"parse": 50e-6, "read": 20e-6, "load": 2.5e-6}
PRIOR = 1000  # how many timed items the defaults weigh as
#: a shard is read when a chunk wants at least this share of its Docs, and always from the
#: upper bound on (a share so high means tiny shards, whose fixed costs the timing counts)
SHARE = (1 / 1000, 1 / 2)


def doc_cache_wanted(setting: str | bool, nlp: Language) -> bool:
    """Whether ``[apply] doc_cache`` turns the Doc cache on for this pipeline.

    ``auto``: only when the pipeline has components beyond the tokenizer (reading a Doc
    back costs about what tokenizing does; ``benchmarks/doc_cache.py`` measures both).
    """
    if check_doc_cache(setting) == "auto":
        return bool(nlp.pipe_names)
    return bool(setting)


def pipeline_key(nlp: Language) -> str:
    """The Doc cache's folder key: :func:`~labelwright.nlp.pipeline_fingerprint` (which
    changes whenever the pipeline could parse differently) plus the shard format."""
    return hashlib.sha256(f"{FORMAT}|{pipeline_fingerprint(nlp)}".encode()).hexdigest()


def text_hashes(texts: Sequence[str]) -> np.ndarray:
    """One uint64 per text (stable across processes, runs and machines)."""
    return pd.util.hash_array(np.asarray(texts, dtype=object)).astype(np.uint64)


def _sorted_run(hashes: np.ndarray, chars: np.ndarray, shard: np.ndarray, pos: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The entries sorted by hash, one per hash (the first given)."""
    hashes, first = np.unique(hashes, return_index=True)
    return hashes, chars[first], shard[first], pos[first]


class DocCache:
    """Parsed Docs on disk for one pipeline, looked up by text hash.

    Parameters
    ----------
    folder
        The Doc cache folder (``.labelwright/cache/docs``); shards go in a subfolder
        named by the pipeline key.
    key
        :func:`pipeline_key` of the pipeline that parses.
    keep_lossy
        Also cache Docs a DocBin cannot hold whole (``doc.tensor``, user hooks), and
        read such shards. Off with ``auto``: those Docs are parsed every time.
    """

    def __init__(self, folder: Path, key: str, *, keep_lossy: bool = False) -> None:
        self.folder = Path(folder) / key[:32]
        self.keep_lossy = keep_lossy
        self.writable = True
        self.read = 0  # Docs read back, in this process
        self.parsed = 0  # Docs parsed, in this process
        self._shards: dict[str, tuple[np.ndarray, np.ndarray, bool]] = {}
        # sorted runs of (hash, chars, shard number, position); None: to be built
        self._runs: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._names: list[str] = []  # shard number -> shard file name
        #: seconds spent and items done in this process, per cost (see :data:`COSTS`)
        self._spent = dict.fromkeys(COSTS, 0.0)
        self._done = dict.fromkeys(COSTS, 0)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_shards"], state["_runs"], state["_names"] = {}, None, []  # each process
        # builds its own index
        return state

    # -- the index ---------------------------------------------------------------------
    def _refresh(self) -> None:
        """Index the shards now in the folder: new ones are added, gone ones dropped.

        The index is a few sorted runs of (hash, chars, shard number, position), merged
        like a binary counter: a new shard is a run of its own, merged with the last run
        while that is not larger. Adding a shard per chunk so costs O(log n) amortised per
        entry, not a re-sort of the whole cache per chunk.
        """
        try:
            names = {e.name for e in os.scandir(self.folder)
                     if e.name.endswith(".npz") and not e.name.startswith(".")}
        except OSError:
            names = set()
        gone = set(self._shards) - names
        for name in gone:  # removed (or damaged) since: index from scratch
            del self._shards[name]
        if gone:
            self._runs = None
        new = names - set(self._shards)
        if not new and self._runs is not None:
            return
        if self._runs is None:
            self._runs, self._names = [], []
            for name in sorted(self._shards):
                self._add_run(name)
        for name in sorted(new):
            try:
                with np.load(self.folder / name) as entry:
                    hashes = entry["hashes"].astype(np.uint64)
                    chars = entry["chars"].astype(np.int64)
                    lossy = bool(entry["lossy"])
                if len(hashes) != len(chars):
                    raise ValueError("hashes and chars differ in length")
            except FileNotFoundError:
                continue  # removed since the listing
            except Exception as exc:  # a damaged shard must never fail a run
                self._discard(name, exc)
                continue
            self._shards[name] = (hashes, chars, lossy)
            self._add_run(name)

    def _add_run(self, name: str) -> None:
        hashes, chars, lossy = self._shards[name]
        if lossy and not self.keep_lossy:
            return
        assert self._runs is not None
        number = len(self._names)
        self._names.append(name)
        run = _sorted_run(hashes, chars, np.full(len(hashes), number, np.int32),
                          np.arange(len(hashes), dtype=np.int64))
        while self._runs and len(self._runs[-1][0]) <= len(run[0]):
            last = self._runs.pop()
            run = _sorted_run(*(np.concatenate([a, b]) for a, b in zip(last, run)))
        self._runs.append(run)

    def _discard(self, name: str, exc: BaseException) -> None:
        log.warning("Doc cache: ignoring damaged shard %s (%s: %s); its items are parsed "
                    "again", self.folder / name, type(exc).__name__, exc)
        try:
            (self.folder / name).unlink()
        except OSError:
            pass
        self._shards.pop(name, None)
        if name in self._names:  # indexed: index again without it
            self._runs = None

    def _lookup(self, hashes: np.ndarray, chars: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                        list[str]]:
        """(shard number or -1, position) per text, and the shard names."""
        self._refresh()
        assert self._runs is not None
        where = np.full(len(hashes), -1, dtype=np.int64)
        at = np.zeros(len(hashes), dtype=np.int64)
        for keys, lengths, shard, pos in self._runs:
            todo = np.flatnonzero(where < 0)
            if not len(keys) or not len(todo):
                continue
            i = np.searchsorted(keys, hashes[todo]).clip(0, len(keys) - 1)
            hit = (keys[i] == hashes[todo]) & (lengths[i] == chars[todo])
            where[todo[hit]] = shard[i[hit]]
            at[todo[hit]] = pos[i[hit]]
        return where, at, self._names

    # -- Docs --------------------------------------------------------------------------
    def docs(self, nlp: Language, texts: Sequence[str], *, batch_size: int = 256,
             store: bool = True) -> Iterator[Doc]:
        """One Doc per text, in order: read from the cache, else parsed (and stored).

        A text is stored once, in the shard of the chunk that first parsed it, so a chunk
        whose texts repeat earlier chunks' finds a few of them in each of many shards.
        Loading a shard costs about the same whatever it is asked for, so a shard is read
        only when the Docs wanted from it pay for that (:meth:`_worth_reading`); the
        others' few texts are parsed again (and not stored again).
        """
        from labelwright.apply.doc_shards import ShardReader, ShardWriter

        clock = time.perf_counter
        hashes = text_hashes(texts)
        chars = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        where, at, names = self._lookup(hashes, chars)
        shards: dict[int, ShardReader] = {}
        found, wanted = np.unique(where[where >= 0], return_counts=True)
        for k, count in zip(found.tolist(), wanted.tolist()):
            if not self._worth_reading(count, len(self._shards[names[k]][0])):
                where[where == k] = REPARSED  # in the cache already: parsed, not stored
                continue
            try:
                started = clock()
                shards[k] = ShardReader(self.folder / names[k], nlp)
                self._spent["load"] += clock() - started
                self._done["load"] += len(shards[k].starts)
                touch(self.folder / names[k])  # used now: `runs prune` keeps it
            except FileNotFoundError:
                where[where == k] = -1
            except Exception as exc:
                self._discard(names[k], exc)
                where[where == k] = -1
        built: dict[int, Doc] = {}
        if len(shards) > MAX_OPEN:  # rows spread over many shards: one shard at a time
            started = clock()
            for k in list(shards):
                shard = shards.pop(k)
                for row in np.flatnonzero(where == k).tolist():
                    built[row] = shard.doc(int(at[row]))
            self._spent["read"] += clock() - started
            self._done["read"] += len(built)
        misses = np.flatnonzero(where < 0).tolist()
        new = int((where == -1).sum())  # the misses that are stored
        parsed = iter(nlp.pipe((texts[i] for i in misses), batch_size=batch_size))
        writer = ShardWriter() if store and new and self.writable else None
        for row in range(len(texts)):
            k = int(where[row])
            if k >= 0:
                if row in built:
                    doc = built.pop(row)
                else:
                    started = clock()
                    doc = shards[k].doc(int(at[row]))
                    self._spent["read"] += clock() - started
                    self._done["read"] += 1
                self.read += 1
            else:
                started = clock()
                doc = next(parsed)
                self._spent["parse"] += clock() - started
                self._done["parse"] += 1
                self.parsed += 1
                if writer is not None and k == -1:
                    writer = self._add(writer, int(hashes[row]), texts[row], doc)
                    if writer is not None and len(writer) == new:
                        self._write(writer, nlp)  # written before the last Doc is used
                        writer = None
            yield doc

    def _worth_reading(self, wanted: int, held: int) -> bool:
        """Whether loading a shard that holds ``held`` Docs to read ``wanted`` of them costs
        less than parsing those texts: ``wanted`` x (parse - read) >= ``held`` x load per
        Doc held, with the costs seen so far in this process (:data:`COSTS` weighs in as
        :data:`PRIOR` items seen), the share bounded by :data:`SHARE`."""
        cost = {what: (self._spent[what] + COSTS[what] * PRIOR) / (self._done[what] + PRIOR)
                for what in COSTS}
        gain = max(cost["parse"] - cost["read"], 1e-9)
        share = min(max(cost["load"] / gain, SHARE[0]), SHARE[1])
        return wanted >= share * held

    def _add(self, writer: ShardWriter, text_hash: int, text: str,
             doc: Doc) -> ShardWriter | None:
        from labelwright.apply.doc_shards import is_lossy

        if is_lossy(doc):
            if not self.keep_lossy:
                log.info("Doc cache: off for this run; the pipeline sets doc.tensor or user "
                         "hooks, which a DocBin does not keep ([apply] doc_cache = true "
                         "caches such Docs without them)")
                self.writable = False
                return None
            writer.lossy = True
        writer.add(text_hash, text, doc)
        return writer

    def _write(self, writer: ShardWriter, nlp: Language) -> None:
        try:
            arrays = writer.shard_arrays(nlp)
        except Exception as exc:  # e.g. user data msgpack cannot hold: parse these again
            log.warning("Doc cache: cannot store these Docs (%s: %s); they are parsed on "
                        "every run", type(exc).__name__, exc)
            return
        name = hashlib.sha256(arrays["hashes"].tobytes()).hexdigest()[:32] + ".npz"
        path = self.folder / name
        try:
            save_npz(path, **arrays)
        except OSError as exc:  # a full disk must not fail the run
            log.warning("%s", cache_write_text("Doc cache", self.folder, exc,
                                               then=GOES_ON))
