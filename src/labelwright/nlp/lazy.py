"""A project's default pipeline, built only when something parses (:class:`LazyPipeline`).

Building the blank pipeline loads spaCy's lookup tables (5 s for Spanish's), which a run
whose votes all come from the vote cache never reads: it needs only the pipeline's
fingerprint (the caches' keys) and what a manifest records of it. Those are kept in the
project's cache (``.labelwright/cache/pipelines/<key>.json``) under a key of everything
the fingerprint is made of that can be read without building the pipeline: the
``[nlp]`` settings, the installed spaCy and spacy-lookups-data (their versions, and the
size and time of each of the language's table files), the version of the package the
language's tokenizer needs (Japanese's sudachipy) and labelwright's own parsing code
(:data:`~labelwright.nlp.fingerprint.OWN_SOURCES`, and :data:`FACT_SOURCES`). With no
entry for the key the pipeline is built at once, as before, and its facts stored; a named
pipeline (``[nlp] pipeline``)
or a segmenter other than spaCy's own is always built at once: files of its own, or of a
package, shape how it parses.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from labelwright.caches import say_cache_not_written, sources_sha256, store_newest, touch
from labelwright.nlp.fingerprint import own_sources_sha256

if TYPE_CHECKING:
    from spacy.language import Language

    from labelwright.config import NLPConfig

_log = logging.getLogger(__name__)

#: the facts kept per key (the newest written): other keys are settings or installs
#: since replaced
KEEP_ENTRIES = 4
#: what an entry holds; one without all of them is a miss
_FACTS = ("fingerprint_parts", "description", "gives_lemmas", "unfilled")
#: the methods of spaCy's ``Language`` that change the pipeline in place
CHANGES = frozenset({"add_pipe", "remove_pipe", "replace_pipe", "rename_pipe", "disable_pipe",
                     "enable_pipe", "disable_pipes", "select_pipes", "initialize",
                     "resume_training", "update", "rehearse", "from_disk", "from_bytes"})
#: the code that works out the facts beyond the fingerprint (whether the pipeline gives
#: lemmas, which annotations it leaves unfilled): a labelwright that reads them otherwise
#: misses
FACT_SOURCES = tuple(Path(__file__).parent.parent / "lfs" / name
                     for name in ("lemma_reads.py", "pipeline_reads.py"))
#: the stand-in's own attributes (any other is the pipeline's)
_OWN = ("_config", "_facts", "_nlp", "_private")


class LazyPipeline:
    """Stands in for the spaCy pipeline of ``config`` (a blank one) until one of its
    attributes is asked for: then it builds it (:func:`~labelwright.nlp.load_pipeline`)
    and hands the attribute on, so code written for a ``Language`` reads it unchanged.
    :func:`~labelwright.nlp.pipeline_fingerprint`, :func:`~labelwright.nlp.fingerprint.
    fingerprint_parts` and :func:`~labelwright.nlp.pipeline_description` take its
    :attr:`facts` instead of building it. Pickled, it is its settings and facts.

    A change made through it (an attribute set, ``nlp.add_pipe(...)`` or another of
    :data:`CHANGES`) reaches the pipeline, which may then parse otherwise: the facts are
    dropped, and the fingerprint and the rest are read from the pipeline itself. The
    change is made to a pipeline of its own (built again): the blank pipeline of a setting
    is one per process, and a change to it reached every later load of those settings,
    whose stored facts then no longer told what it parses like."""

    #: a blank pipeline is loaded from no folder (spaCy's ``Language._path``), which
    #: callers ask of any pipeline: answered without building it
    _path = None

    def __init__(self, config: NLPConfig, facts: dict[str, Any]) -> None:
        self._config = config
        self._facts: dict[str, Any] | None = facts
        self._nlp: Language | None = None
        self._private = False

    @property
    def facts(self) -> dict[str, Any] | None:
        """The fingerprint parts (``fingerprint_parts``) and the manifest's description
        (``description``) of the pipeline the settings build; None once a change was made
        through the stand-in (they are the pipeline's own then)."""
        return self._facts

    @property
    def loaded(self) -> bool:
        """Whether the pipeline has been built."""
        return self._nlp is not None

    def language(self) -> Language:
        """The spaCy ``Language`` it stands for, built on the first call."""
        if self._nlp is None:
            from labelwright.nlp.pipeline import load_pipeline

            _log.info("loading the spaCy pipeline for [nlp] lang %r (something parses)",
                      self._config.lang)
            self._nlp = load_pipeline(self._config)
        return self._nlp

    @property
    def pipeline(self) -> CallablePipeline:
        """spaCy's ``Language.pipeline``, the ``(name, component)`` pairs (built first), as
        code written for a ``Language`` reads it: this had been the method that builds the
        pipeline, and ``for name, component in nlp.pipeline`` raised "'method' object is
        not iterable" once a re-run's stand-in took the place of the built pipeline (a
        lowercase or lemma glossary with exclusions in ``check_project(project=...)``).
        Still callable for code written for that method: ``nlp.pipeline()`` is
        :meth:`language`."""
        return CallablePipeline(self.language().pipeline, self.language)

    @property
    def lang(self) -> str:
        """The language (a blank pipeline's is the ``[nlp] lang`` it was made for)."""
        return self._config.lang

    @property
    def pipe_names(self) -> list[str]:
        """The components' names, known without building it (the Doc cache's ``auto``
        setting reads them)."""
        if self._facts is None:
            return list(self.language().pipe_names)
        return list(self._facts["description"]["components"])

    def _to_change(self) -> Language:
        """The pipeline, about to be changed: one of the stand-in's own from now on."""
        nlp = self._nlp
        if nlp is None or not self._private:
            from labelwright.nlp.pipeline import load_pipeline

            nlp = self._nlp = load_pipeline(self._config, shared=False)
            self._private = True
        self._facts = None
        return nlp

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            raise AttributeError(name)  # copy and pickle ask for these before __init__
        nlp = self._to_change() if name in CHANGES else self.language()
        return getattr(nlp, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OWN:
            object.__setattr__(self, name, value)
            return
        setattr(self._to_change(), name, value)

    def __call__(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self.language()(text, *args, **kwargs)

    def __getstate__(self) -> dict[str, Any]:
        # a changed pipeline goes whole: its settings would build it unchanged
        return {"_config": self._config, "_facts": self._facts,
                "_nlp": self._nlp if self._facts is None else None,
                "_private": self._private}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"_private": False, **state})

    def __repr__(self) -> str:
        state = "built" if self._nlp is not None else "not built yet"
        return f"LazyPipeline(lang={self._config.lang!r}, {state})"


class CallablePipeline(list[tuple[str, Any]]):
    """A :class:`LazyPipeline`'s ``pipeline``: spaCy's list of ``(name, component)``, which
    called gives the ``Language`` (what ``nlp.pipeline()`` gave before it was the list)."""

    def __init__(self, pairs: list[tuple[str, Any]], language: Callable[[], Language]) -> None:
        super().__init__(pairs)
        self._language = language

    def __call__(self) -> Language:
        return self._language()


def as_pipeline(nlp: Any) -> Any:
    """The spaCy pipeline ``nlp`` stands for: a :class:`LazyPipeline`'s, built now; any
    other ``nlp`` as it is. For code that hands it to spaCy, which wants the real one."""
    return nlp.language() if isinstance(nlp, LazyPipeline) else nlp


def known_facts(nlp: Any) -> dict[str, Any] | None:
    """The stored facts of a :class:`LazyPipeline` (None for a real pipeline)."""
    return nlp.facts if isinstance(nlp, LazyPipeline) else None


def pipeline_for(config: NLPConfig, cache_dir: Path | None) -> Language:
    """The pipeline of ``config``: a :class:`LazyPipeline` when ``cache_dir`` (the
    project's ``.labelwright/cache``; None: the caches are off) holds its facts, else
    built now (and its facts stored there for the next run)."""
    key = facts_key(config) if cache_dir is not None else None
    entry = None if key is None or cache_dir is None \
        else cache_dir / "pipelines" / f"{key}.json"
    facts = _read(entry) if entry is not None else None
    if entry is not None and facts is not None:
        touch(entry)
        return cast("Language", LazyPipeline(config, facts))  # stands in for one
    # spaCy (and what it loads) is imported only here, when a pipeline is built
    from labelwright.nlp.pipeline import load_pipeline

    nlp = load_pipeline(config)
    if entry is None:
        return nlp
    from labelwright.nlp.segmenters import package_missing

    if not package_missing(nlp):  # one that cannot parse is built each time, as it says
        _store(entry, pipeline_facts(nlp))
    return nlp


def pipeline_facts(nlp: Language) -> dict[str, Any]:
    """What a :class:`LazyPipeline` answers for ``nlp`` without building it: its
    fingerprint parts and manifest description, and what the warnings of LFs reading
    what it does not fill see of it (whether it gives lemmas, which annotations it leaves
    unfilled: :mod:`labelwright.lfs.pipeline_reads`), so that a run that does not build
    it warns as one that does."""
    from labelwright.lfs.lemma_reads import gives_lemmas
    from labelwright.lfs.pipeline_reads import unfilled_fields
    from labelwright.nlp.description import pipeline_description
    from labelwright.nlp.fingerprint import fingerprint_parts

    parts = fingerprint_parts(nlp)
    return {"fingerprint_parts": parts,
            "description": pipeline_description(nlp, parts["fingerprint"] or ""),
            "gives_lemmas": gives_lemmas(nlp),
            "unfilled": [f.annotation for f in unfilled_fields(nlp)]}


def facts_key(config: NLPConfig) -> str | None:
    """The key of the facts of the blank pipeline ``config`` builds: a digest of what
    its fingerprint is made of that is read without building it; None for a named
    pipeline or a segmenter of another package, built at once."""
    if config.pipeline or config.segmenter not in (None, "char"):
        return None
    from labelwright.nlp.language_packages import LANGUAGE_PACKAGES

    digest = hashlib.sha256(b"pipeline facts v1\x00")
    settings = [config.lang, config.lemmatizer, config.sentencizer, config.segmenter]
    # the package a language's tokenizer needs (Japanese's sudachipy): installed, upgraded
    # or removed, the pipeline built now may parse otherwise, or not at all
    tokenizer = [_version(name) for name in LANGUAGE_PACKAGES.get(config.lang, "").split()]
    for part in (json.dumps(settings), sys.version, _version("spacy"), _version("thinc"),
                 _version("spacy-lookups-data"), _table_files(config.lang),
                 own_sources_sha256().hex(), sources_sha256(FACT_SOURCES).hex(),
                 json.dumps(tokenizer)):
        digest.update(part.encode() + b"\x00")
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _table_files(lang: str) -> str:
    """The name, size and time of each of spacy-lookups-data's files for ``lang``: a
    table edited in place (or a package reinstalled under the same version) changes the
    key, as it changes the fingerprint."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        return "-"
    folder = Path(spec.origin).parent / "data"
    try:
        files = sorted(folder.glob(f"{lang}_*"))
        return "|".join(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    except OSError:
        return "?"


def _read(entry: Path) -> dict[str, Any] | None:
    """An entry's facts; a missing, unreadable or damaged one is a miss."""
    try:
        facts = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(facts, dict) or any(name not in facts for name in _FACTS):
        return None
    return facts


def _store(entry: Path, facts: dict[str, Any]) -> None:
    """Keep ``facts`` in ``entry``; a cache that cannot be written only costs the next run
    the time of building the pipeline, so it is a warning (a debug line for a read-only
    folder: :func:`~labelwright.caches.say_cache_not_written`)."""
    text = json.dumps(facts, sort_keys=True).encode()
    try:
        store_newest(entry, lambda out: out.write(text), KEEP_ENTRIES, suffix=".json")
    except OSError as exc:
        say_cache_not_written(_log, "pipeline facts cache", entry.parent, exc)
