"""The vote cache: each LF's votes kept per row, so a re-run computes only what changed.

An entry is one LF's votes under a key made of everything the votes depend on: the
source of the LF's whole module (so edits to helpers and module constants count), the
labels, the glossary files and the pipeline fingerprint where the LF reads them. Rows are
keyed by a 64-bit hash of id, text and fields, so appended or edited rows are the only
rows computed again. Entries live in ``<project>/.labelwright/cache/votes/<key>.npz``.
"""

from __future__ import annotations

import ast
import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.glossaries import Glossary
from labelwright.lfs import LabelingFunction

_MATCH_ATTRS = {"matches", "matched", "all_matches"}


def row_hashes(ids: Sequence[str], texts: Sequence[str], fields: pd.DataFrame | None) -> np.ndarray:
    """One uint64 per row from its id, text and fields (stable across runs and machines)."""
    frame = pd.DataFrame({"\x00id": list(ids), "\x00text": list(texts)})
    if fields is not None and len(fields.columns):
        extra = fields.reset_index(drop=True).astype(str)
        extra.columns = [f"f:{c}" for c in extra.columns]
        frame = pd.concat([frame, extra], axis=1)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


@lru_cache(maxsize=256)
def _file_facts(path: str, mtime_ns: int, size: int, lf_lines: frozenset[int]) -> tuple[str, bool]:
    raw = Path(path).read_bytes()
    try:
        tree = ast.parse(raw)
    except SyntaxError:
        return hashlib.sha256(raw).hexdigest(), True
    reads_matches = any(isinstance(n, ast.Attribute) and n.attr in _MATCH_ATTRS
                        for n in ast.walk(tree))
    # blank out the LF functions themselves: each LF's own source is in its key already,
    # so editing one LF does not invalidate its neighbours; helpers and constants count
    lines = raw.decode("utf-8", errors="replace").splitlines()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if lf_lines & set(range(first, node.lineno + 1)):
                for i in range(first - 1, node.end_lineno or node.lineno):
                    lines[i] = ""
    return hashlib.sha256("\n".join(lines).encode()).hexdigest(), reads_matches


def module_facts(file: str, lf_lines: frozenset[int] = frozenset()) -> tuple[str, bool]:
    """(hash of the LF's module without the LF functions in ``lf_lines``, reads matches?)."""
    try:
        stat = os.stat(file)
    except OSError:
        return "", False
    return _file_facts(file, stat.st_mtime_ns, stat.st_size, lf_lines)


def lf_cache_key(lf: LabelingFunction, labels: Sequence[str], glossaries: Sequence[Glossary],
                 pipeline: str, lf_lines: frozenset[int] = frozenset()) -> str:
    """The key of an LF's votes: changes whenever the votes could change."""
    digest = hashlib.sha256()
    for part in ("v1", lf.name, lf.kind, lf.source_hash, "\x1f".join(labels)):
        digest.update(part.encode() + b"\x00")
    if lf.kind == "glossary":  # source_hash holds the glossary file hash + pipeline
        digest.update(pipeline.encode())
        return digest.hexdigest()
    module_sha, reads_matches = module_facts(lf.file, lf_lines)
    digest.update(module_sha.encode() + b"\x00")
    digest.update(repr(sorted(lf.resources.items())).encode(errors="replace"))
    if lf.uses_doc or reads_matches:
        digest.update(pipeline.encode())
    if reads_matches:
        for g in glossaries:
            digest.update(f"{g.name}:{g.sha256}".encode())
    return digest.hexdigest()


class VoteCache:
    """Per-LF vote columns on disk, looked up row by row through row hashes."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / "votes"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def lookup(self, key: str, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(votes, found mask, failed mask) for ``hashes``; votes are -1 where not found."""
        n = len(hashes)
        votes = np.full(n, -1, dtype=np.int16)
        found = np.zeros(n, dtype=bool)
        failed = np.zeros(n, dtype=bool)
        path = self._path(key)
        if not path.exists():
            return votes, found, failed
        try:
            with np.load(path) as entry:
                keys, cached, bad = entry["hashes"], entry["votes"], entry["failed"]
        except (OSError, ValueError, KeyError):
            return votes, found, failed  # a damaged entry is a miss
        if len(keys):
            pos = np.searchsorted(keys, hashes).clip(0, len(keys) - 1)
            found = keys[pos] == hashes
            votes[found] = cached[pos[found]]
            failed[found] = bad[pos[found]]
        return votes, found, failed

    def store(self, key: str, hashes: np.ndarray, votes: np.ndarray, failed: np.ndarray) -> None:
        """Merge rows into the entry (new values win); written atomically."""
        path = self._path(key)
        if path.exists():
            try:
                with np.load(path) as entry:
                    old = entry["hashes"], entry["votes"], entry["failed"]
                keep = ~np.isin(old[0], hashes)
                hashes = np.concatenate([old[0][keep], hashes])
                votes = np.concatenate([old[1][keep], votes])
                failed = np.concatenate([old[2][keep], failed])
            except (OSError, ValueError, KeyError):
                pass
        order = np.argsort(hashes, kind="stable")
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, hashes=hashes[order], votes=votes[order].astype(np.int16),
                     failed=failed[order])
        os.replace(tmp, path)

    def store_hits(self, key: str, matched: np.ndarray, hit_hashes: np.ndarray,
                   hits: np.ndarray) -> None:
        """Replace the glossary hits of the ``matched`` rows (hits keyed by row hash)."""
        path = self._path(key)
        old_hashes, old_hits = np.zeros(0, np.uint64), hits[:0]
        if path.exists():
            try:
                with np.load(path) as entry:
                    old_hashes, old_hits = entry["hashes"], entry["hits"]
            except (OSError, ValueError, KeyError):
                pass
        keep = ~np.isin(old_hashes, matched)
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, hashes=np.concatenate([old_hashes[keep], hit_hashes]),
                     hits=np.concatenate([old_hits[keep], hits]))
        os.replace(tmp, path)

    def lookup_hits(self, key: str, hashes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Cached hits of the rows where ``wanted`` is set, with ``row`` set to their index."""
        path = self._path(key)
        try:
            with np.load(path) as entry:
                hit_hashes, hits = entry["hashes"], entry["hits"]
        except (OSError, ValueError, KeyError):
            return np.zeros(0, dtype=np.dtype([("row", np.int64), ("glossary", np.int32),
                                               ("term", np.int32), ("cancelled", np.bool_)]))
        rows = np.flatnonzero(wanted)
        order = np.argsort(hashes[rows])
        sorted_hashes = hashes[rows][order]
        pos = np.searchsorted(sorted_hashes, hit_hashes).clip(0, max(len(rows) - 1, 0))
        ok = (sorted_hashes[pos] == hit_hashes) if len(rows) else np.zeros(len(hits), bool)
        out = hits[ok].copy()
        out["row"] = rows[order[pos[ok]]]
        return out
