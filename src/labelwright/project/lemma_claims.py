"""The phrases of different labels a lemma-mode glossary matches on the same words
(:func:`~labelwright.glossaries.checks.lemma_problems`), kept in the project's cache.

Working them out parses every phrase with the pipeline and reads its whole lemma table
(4 s for 56 Spanish phrases), before every apply. What they are depends only on the
glossaries (their files' bytes, hence their lines, and paths), the labels, the pipeline
(its fingerprint) and labelwright's glossary code, so they are kept under a key of those
(``.labelwright/cache/lemma_claims/<key>.json``) and read back while none changed: the
same problems, in the same words, and no pipeline built for them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.caches import say_cache_not_written, store_newest, touch
from labelwright.glossaries.checks import lemma_problems
from labelwright.glossaries.core import MATCHER_SHA256, Glossary
from labelwright.nlp.lazy import as_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

_log = logging.getLogger(__name__)

#: entries kept (the newest written): other keys are glossary versions since edited
KEEP_ENTRIES = 4


def lemma_clashes(glossaries: Sequence[Glossary], labels: Sequence[str], nlp: Language,
                  cache_dir: Path | None) -> list[str]:
    """The lemma clashes of ``glossaries`` (each a line of the error it makes), read from
    ``cache_dir`` (the project's ``.labelwright/cache``; None: the caches are off) when it
    holds them for these glossaries and this pipeline, else worked out and stored there."""
    if not any(g.mode == "lemma" for g in glossaries):
        return []
    if cache_dir is None:
        return lemma_problems(glossaries, as_pipeline(nlp))
    entry = cache_dir / "lemma_claims" / f"{claims_key(glossaries, labels, nlp)}.json"
    known = _read(entry)
    if known is not None:
        touch(entry)
        return known
    problems = lemma_problems(glossaries, as_pipeline(nlp))
    _store(entry, problems)
    return problems


def claims_key(glossaries: Sequence[Glossary], labels: Sequence[str], nlp: Language) -> str:
    """What the lemma clashes depend on, as one digest: each glossary's name, path and
    bytes (its ``sha256``: the lines the problems name come from them), in order; the
    labels; the pipeline's fingerprint; labelwright's glossary and parsing code."""
    from labelwright.nlp import pipeline_fingerprint

    digest = hashlib.sha256(b"lemma claims v1\x00")
    for part in (pipeline_fingerprint(nlp), MATCHER_SHA256, "\x1f".join(labels),
                 *(f"{g.name}\x1f{g.path}\x1f{g.sha256}" for g in glossaries)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def _read(entry: Path) -> list[str] | None:
    """An entry's problems; a missing, unreadable or damaged one is a miss."""
    try:
        problems = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        return None
    return problems


def _store(entry: Path, problems: list[str]) -> None:
    """Keep ``problems`` in ``entry``; a cache that cannot be written only costs the next
    run the time of working them out again, so it is a warning (a debug line for a
    read-only folder: :func:`~labelwright.caches.say_cache_not_written`)."""
    text = json.dumps(problems, ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        store_newest(entry, lambda out: out.write(text), KEEP_ENTRIES, suffix=".json")
    except OSError as exc:
        say_cache_not_written(_log, "lemma clash cache", entry.parent, exc)
