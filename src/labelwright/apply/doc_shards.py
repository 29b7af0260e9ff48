"""The Doc cache's shard format: the Docs one chunk parsed, in one ``.npz``.

* ``hashes``: a 64-bit hash of each Doc's text, in DocBin order; ``chars``: text lengths;
* ``docbin``: the ``DocBin`` bytes (``DocBin().from_bytes(...)`` reads them);
* ``user_data``: every Doc's ``doc.user_data`` (custom ``._`` values) as ``[key, value]``
  pairs, one msgpack blob; a Doc whose user data would not come back equal (msgpack has no
  tuples: a tuple value would come back a list) makes its chunk uncacheable;
* ``lossy``: whether ``doc.tensor`` or user hooks were dropped (only with ``true``).

What a ``DocBin`` does not keep: ``doc.tensor`` (a trained pipeline's ``tok2vec`` output,
which ``token.vector`` falls back to without static vectors) and ``doc.user_hooks``
(:func:`is_lossy`). :class:`ShardWriter` collects a chunk's Docs and serialises them;
:class:`ShardReader` builds them back one at a time. Writing the file (atomically) and
finding Docs by text hash is :mod:`labelwright.apply.doc_cache`'s job.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import srsly
from spacy.attrs import DEP, HEAD, IDS, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._serialize import ALL_ATTRS

from labelwright.apply.doc_cache import FORMAT as FORMAT  # defined there, spaCy-free

_ATTRS = [IDS[name] for name in ALL_ATTRS]  # what a DocBin keeps by default: ORTH first
_ATTRS_SPACY = [*_ATTRS, SPACY]  # what one to_array call per Doc reads
_STRING_ATTRS = {IDS[name] for name in ("ORTH", "NORM", "TAG", "DEP", "ENT_TYPE", "ENT_KB_ID",
                                        "ENT_ID", "LEMMA", "MORPH")}


def user_data_from_pairs(pairs: list[list[Any]]) -> dict[Any, Any]:
    """``doc.user_data`` from stored ``[key, value]`` pairs (keys back to tuples)."""
    return {tuple(k) if isinstance(k, list) else k: v for k, v in pairs}


def is_lossy(doc: Doc) -> bool:
    """Whether a DocBin would drop something an LF could read from this Doc."""
    return bool(doc.tensor.size or doc.user_hooks or doc.user_token_hooks or doc.user_span_hooks)


class ShardReader:
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
            doc.user_data.update(user_data_from_pairs(pairs))
        return doc


class ShardWriter:
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
                back = user_data_from_pairs(srsly.msgpack_loads(srsly.msgpack_dumps(pairs)))
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

    def shard_arrays(self, nlp: Language) -> dict[str, np.ndarray]:
        """The shard's arrays (see the module docstring); ValueError when some Doc's user
        data would not read back equal."""
        if self.unstorable is not None:
            raise ValueError(self.unstorable)
        user_data = srsly.msgpack_dumps(self.user_data) if self.user_data else b""
        return {"hashes": np.asarray(self.hashes, dtype=np.uint64),
                "chars": np.asarray(self.chars, dtype=np.int64),
                "docbin": np.frombuffer(self.docbin_bytes(nlp), dtype=np.uint8),
                "user_data": np.frombuffer(user_data, dtype=np.uint8),
                "lossy": np.asarray(self.lossy)}

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
