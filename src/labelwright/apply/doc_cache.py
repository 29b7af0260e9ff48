"""The Doc cache: parsed items kept on disk, so a re-run reads Docs instead of parsing.

After an edit to one LF that reads ``item.doc`` (or to a glossary), the vote cache
recomputes that LF's column, which needs every item's Doc again. With the Doc cache
the Docs are read back from spaCy ``DocBin`` shards instead of parsed.

Layout: ``<project>/.labelwright/cache/docs/<pipeline key>/<shard>.npz``. The pipeline
key (:func:`pipeline_key`) changes whenever the pipeline could parse differently. Each
shard holds the Docs one chunk had to parse, in one ``.npz`` written atomically (temp
file + rename, so a shard is whole or absent and concurrent writers never clash):

* ``hashes``: a 64-bit hash of each Doc's text, in DocBin order; ``chars``: text lengths;
* ``docbin``: the ``DocBin`` bytes (``DocBin().from_bytes(...)`` reads them);
* ``user_data``: every Doc's ``doc.user_data`` (custom ``._`` values) as ``[key, value]``
  pairs, one msgpack blob; a Doc whose user data would not come back equal (msgpack has no
  tuples: a tuple value would come back a list) makes its chunk uncacheable;
* ``lossy``: whether ``doc.tensor`` or user hooks were dropped (only with ``true``).

Each process keeps an index from text hash to (shard, position), refreshed from the
folder listing before each chunk. A damaged shard is logged, removed and its items are
parsed again. What a ``DocBin`` does not keep: ``doc.tensor`` (a trained pipeline's
``tok2vec`` output, which ``token.vector`` falls back to without static vectors) and
``doc.user_hooks``; with ``doc_cache = "auto"`` such Docs are never cached.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import srsly
from spacy.attrs import DEP, HEAD, IDS, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._serialize import ALL_ATTRS

from labelwright.nlp import pipeline_fingerprint

log = logging.getLogger(__name__)

FORMAT = "labelwright-docs-2"  # 2: user data as [key, value] pairs
MAX_OPEN = 4  # shards one chunk may hold open; past this, its cached Docs are built first

_ATTRS = [IDS[name] for name in ALL_ATTRS]  # what a DocBin keeps by default: ORTH first
_ATTRS_SPACY = [*_ATTRS, SPACY]  # what one to_array call per Doc reads
_STRING_ATTRS = {IDS[name] for name in ("ORTH", "NORM", "TAG", "DEP", "ENT_TYPE", "ENT_KB_ID",
                                        "ENT_ID", "LEMMA", "MORPH")}


def doc_cache_wanted(setting: str | bool, nlp: Language) -> bool:
    """Whether ``[apply] doc_cache`` turns the Doc cache on for this pipeline.

    ``auto``: only when the pipeline has components beyond the tokenizer (reading a Doc
    back costs about what tokenizing does; see the notes on the measurement).
    """
    if setting != "auto" and not isinstance(setting, bool):
        raise ValueError(f"doc_cache must be one of \"auto\", true, false; got {setting!r}")
    if setting == "auto":
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


def _user_data(pairs: list[list[Any]]) -> dict[Any, Any]:
    """``doc.user_data`` from stored ``[key, value]`` pairs (keys back to tuples)."""
    return {tuple(k) if isinstance(k, list) else k: v for k, v in pairs}


def _lossy(doc: Doc) -> bool:
    """Whether a DocBin would drop something an LF could read from this Doc."""
    return bool(doc.tensor.size or doc.user_hooks or doc.user_token_hooks or doc.user_span_hooks)


class _Shard:
    """One shard read from disk: Docs built on demand, by position.

    Reads the DocBin message directly (as ``DocBin.from_bytes`` does, without splitting
    every Doc's rows up front) and builds one Doc the way ``DocBin.get_docs`` does.
    """

    def __init__(self, path: Path, nlp: Language) -> None:
        with np.load(path) as entry:
            hashes, data, user_data = entry["hashes"], entry["docbin"], entry["user_data"]
        message = srsly.msgpack_loads(zlib.decompress(data.tobytes()))
        self.attrs: list[int | str] = list(message["attrs"])
        lengths = np.frombuffer(message["lengths"], dtype=np.int32).astype(np.int64)
        self.ends = np.cumsum(lengths).tolist()
        self.starts = (np.cumsum(lengths) - lengths).tolist()
        self.tokens = np.frombuffer(message["tokens"], dtype=np.uint64).reshape(
            -1, len(self.attrs))
        self.spaces = np.frombuffer(message["spaces"], dtype=bool)
        if not len(lengths) == len(hashes) == len(message["flags"]) or \
                not len(self.tokens) == len(self.spaces) == (self.ends[-1] if self.ends else 0):
            raise ValueError(f"{len(lengths)} Docs, {len(self.tokens)} tokens for "
                             f"{len(hashes)} hashes")
        self.flags = message["flags"]
        self.cats = message["cats"]
        self.span_groups = message["span_groups"]
        self.user_data: dict[int, list[list[Any]]] = (
            srsly.msgpack_loads(user_data.tobytes()) if len(user_data) else {})
        self.vocab = nlp.vocab
        add = self.vocab.strings.add
        for string in message["strings"]:
            add(string)
        self.orth = self.attrs.index(ORTH)

    def doc(self, i: int) -> Doc:
        """The Doc at position ``i``."""
        start, end = self.starts[i], self.ends[i]
        tokens = self.tokens[start:end]
        spaces = None if self.flags[i].get("has_unknown_spaces") else self.spaces[start:end]
        # words as orth ids and spaces as an array, as DocBin.get_docs passes them
        doc = Doc(self.vocab, words=tokens[:, self.orth], spaces=spaces)  # type: ignore[arg-type]
        doc.from_array(self.attrs, tokens)  # type: ignore[arg-type]
        doc.cats = dict(self.cats[i])
        groups = self.span_groups[i]
        if groups and groups != b"\x90":  # b"\x90": no span groups
            doc.spans.from_bytes(groups)
        pairs = self.user_data.get(i)
        if pairs:
            doc.user_data.update(_user_data(pairs))
        return doc


class _ShardWriter:
    """Collects newly parsed Docs of one chunk and writes them as a shard."""

    def __init__(self) -> None:
        self.hashes: list[int] = []
        self.chars: list[int] = []
        self.arrays: list[np.ndarray] = []  # per Doc: the _ATTRS columns, then SPACY
        self.flags: list[dict[str, bool]] = []
        self.cats: list[dict[str, float]] = []
        self.spans: list[bytes] = []
        self.span_strings: set[str] = set()
        self.user_data: dict[int, list[list[Any]]] = {}
        self.lossy = False
        self.unstorable: str | None = None  # why these Docs cannot be cached, if so

    def __len__(self) -> int:
        return len(self.hashes)

    def add(self, text_hash: int, text: str, doc: Doc) -> None:
        if doc.user_data and self.unstorable is None:
            pairs = [[list(k) if isinstance(k, tuple) else k, v]
                     for k, v in doc.user_data.items()]
            try:
                back = _user_data(srsly.msgpack_loads(srsly.msgpack_dumps(pairs)))
            except Exception as exc:  # a value msgpack cannot hold
                self.unstorable = f"{type(exc).__name__}: {exc}"
            else:
                if back != doc.user_data:
                    self.unstorable = "user data that would not read back equal (a tuple?)"
            self.user_data[len(self.hashes)] = pairs
        self.hashes.append(text_hash)
        self.chars.append(len(text))
        self.arrays.append(doc.to_array(_ATTRS_SPACY).reshape(len(doc), len(_ATTRS_SPACY)))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self.cats.append(dict(doc.cats))
        self.spans.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            for span in group:
                self.span_strings.update((span.label_, span.kb_id_, span.id_))

    def docbin_bytes(self, nlp: Language) -> bytes:
        """The Docs as ``DocBin.to_bytes`` would write them, with two differences that
        ``DocBin.from_bytes`` does not see: only the attributes some Doc sets are kept,
        and zlib compresses at level 1 (several times faster to write, as fast to read).
        """
        stacked = np.vstack(self.arrays)
        used = {attr for attr, column in zip(_ATTRS, stacked.T) if column.any()}
        if {HEAD, DEP} & used:
            used |= {HEAD, DEP}  # a parse is set from both together
        attrs = [ORTH, *sorted(used - {ORTH})]  # the order DocBin gives them
        columns = [_ATTRS.index(attr) for attr in attrs]
        strings = self.span_strings - {""}
        store = nlp.vocab.strings
        text_columns = [_ATTRS.index(attr) for attr in attrs if attr in _STRING_ATTRS]
        for value in np.unique(stacked[:, text_columns]).tolist():
            if value:
                strings.add(store[value])  # KeyError: a hash the vocab does not know
        message = {
            "version": "0.1",
            "attrs": attrs,
            "tokens": np.ascontiguousarray(stacked[:, columns]).tobytes("C"),
            "spaces": stacked[:, -1].astype(bool).tobytes("C"),
            "lengths": np.array([len(a) for a in self.arrays], dtype=np.int32).tobytes("C"),
            "strings": sorted(strings),
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.spans,
        }
        return zlib.compress(srsly.msgpack_dumps(message), 1)


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
        """One Doc per text, in order: read from the cache, else parsed (and stored)."""
        hashes = text_hashes(texts)
        chars = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        where, at, names = self._lookup(hashes, chars)
        shards: dict[int, _Shard] = {}
        for k in np.unique(where[where >= 0]).tolist():
            try:
                shards[k] = _Shard(self.folder / names[k], nlp)
            except FileNotFoundError:
                where[where == k] = -1
            except Exception as exc:
                self._discard(names[k], exc)
                where[where == k] = -1
        built: dict[int, Doc] = {}
        if len(shards) > MAX_OPEN:  # rows spread over many shards: one shard at a time
            for k in list(shards):
                shard = shards.pop(k)
                for row in np.flatnonzero(where == k).tolist():
                    built[row] = shard.doc(int(at[row]))
        misses = np.flatnonzero(where < 0).tolist()
        parsed = iter(nlp.pipe((texts[i] for i in misses), batch_size=batch_size))
        writer = _ShardWriter() if store and misses and self.writable else None
        for row in range(len(texts)):
            k = int(where[row])
            if k >= 0:
                doc = built.pop(row) if row in built else shards[k].doc(int(at[row]))
                self.read += 1
            else:
                doc = next(parsed)
                self.parsed += 1
                if writer is not None:
                    writer = self._add(writer, int(hashes[row]), texts[row], doc)
                    if writer is not None and len(writer) == len(misses):
                        self._write(writer, nlp)  # written before the last Doc is used
                        writer = None
            yield doc

    def _add(self, writer: _ShardWriter, text_hash: int, text: str,
             doc: Doc) -> _ShardWriter | None:
        if _lossy(doc):
            if not self.keep_lossy:
                log.info("Doc cache: off for this run; the pipeline sets doc.tensor or user "
                         "hooks, which a DocBin does not keep ([apply] doc_cache = true "
                         "caches such Docs without them)")
                self.writable = False
                return None
            writer.lossy = True
        writer.add(text_hash, text, doc)
        return writer

    def _write(self, writer: _ShardWriter, nlp: Language) -> None:
        try:
            if writer.unstorable is not None:
                raise ValueError(writer.unstorable)
            data = writer.docbin_bytes(nlp)
            user_data = srsly.msgpack_dumps(writer.user_data) if writer.user_data else b""
        except Exception as exc:  # e.g. user data msgpack cannot hold: parse these again
            log.warning("Doc cache: cannot store these Docs (%s: %s); they are parsed on "
                        "every run", type(exc).__name__, exc)
            return
        hashes = np.asarray(writer.hashes, dtype=np.uint64)
        name = hashlib.sha256(hashes.tobytes()).hexdigest()[:32] + ".npz"
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, hashes=hashes, chars=np.asarray(writer.chars, dtype=np.int64),
                         docbin=np.frombuffer(data, dtype=np.uint8),
                         user_data=np.frombuffer(user_data, dtype=np.uint8),
                         lossy=np.asarray(writer.lossy))
            os.replace(tmp, self.folder / name)
        except OSError as exc:  # a full disk must not fail the run
            log.warning("Doc cache: cannot write %s (%s)", self.folder / name, exc)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
