"""LFs that read lemmas (``token.lemma_``) under a pipeline that gives none.

With ``[nlp] lemmatizer = false`` (or a named pipeline without a lemmatizer, or a language
without a lookup table) every lemma is
"": an LF comparing lemmas stops voting, without an error. ``check`` and ``run`` warn of it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from labelwright.lfs.code_reads import attributes_read
from labelwright.lfs.core import LabelingFunction
from labelwright.nlp.errors import no_lemmas_cause, no_lemmas_note
from labelwright.nlp.lazy import known_facts

#: the token attributes that hold a lemma
LEMMA_ATTRS = frozenset({"lemma_", "lemma"})


def reads_lemmas(func: Any) -> bool:
    """Does the code of ``func``, or of a function of its own module that it calls by name
    (a helper such as ``_lemmas(doc)``, and the helpers it calls), read ``.lemma_``?"""
    return bool(attributes_read(func, LEMMA_ATTRS))


def lemma_readers_without_lemmas(lfs: Iterable[LabelingFunction], gives_lemmas: bool,
                                 pipeline: str | None, silent: Collection[str] | None, *,
                                 lang: str, lemmatizer: bool | None
                                 ) -> tuple[list[str], set[str]]:
    """Warnings naming the LFs that read lemmas, when the pipeline gives none: that they
    never vote for those in ``silent`` (they voted on none of the items applied), that
    their lemma tests never hold for the others (which vote by some other test too); and
    the LFs said to never vote. ``lemmatizer``: ``[nlp] lemmatizer`` (None: not set), which
    with ``pipeline`` and ``lang`` says why (:func:`~labelwright.nlp.errors.no_lemmas_cause`)."""
    if gives_lemmas:
        return [], set()
    readers = [lf for lf in lfs if lf.kind != "glossary" and reads_lemmas(lf.code)]
    why, fix = no_lemmas_cause(lang, pipeline, lemmatizer)
    warnings = []
    silenced = {lf.name for lf in readers if silent is not None and lf.name in silent}
    for never in (True, False):
        named = ", ".join(f"{lf.name} ({lf.location})" for lf in readers
                          if (lf.name in silenced) == never)
        if not named:
            continue
        effect = ("they voted on none of the items" if never else
                  "their tests of a lemma never hold" if silent is None else
                  "their tests of a lemma never hold (they voted on some items by another "
                  "test)")
        warnings.append(f"LF(s) {named} read token.lemma_, but {why}: every lemma is '', so "
                        f"{effect}; {fix}, or read token.lower_")
    return warnings, silenced


def gives_lemmas(nlp: Any) -> bool:
    """Does the pipeline set lemmas (tried on a few English words: a lookup lemmatizer
    keeps a word it does not know as its lemma)? A pipeline not built yet answers from
    what was seen when it last was (:class:`~labelwright.nlp.lazy.LazyPipeline`)."""
    facts = known_facts(nlp)
    if facts is not None:
        return bool(facts["gives_lemmas"])
    return any(t.lemma_ for t in nlp("refunds were charged"))


def reads_lemmas_somewhere(glossaries: Iterable[Any], lfs: Iterable[LabelingFunction]) -> bool:
    """Whether a lemma-mode glossary or a Python LF reads lemmas: where a pipeline without
    them changes what the project does (a Chinese project's note that it has none came on
    every check and run, lemmas read or not)."""
    return any(getattr(g, "mode", None) == "lemma" for g in glossaries) or any(
        lf.kind != "glossary" and reads_lemmas(lf.code) for lf in lfs)


def no_lemmas_read_note(nlp_config: Any, glossaries: Iterable[Any],
                        lfs: Iterable[LabelingFunction]) -> str | None:
    """The note that the default pipeline has no lemmas for ``[nlp] lang``
    (:func:`~labelwright.nlp.errors.no_lemmas_note`), where a lemma-mode glossary or an LF
    reads them (:func:`reads_lemmas_somewhere`); None otherwise. What ``check`` and ``run``
    both say."""
    note = no_lemmas_note(nlp_config.lang, nlp_config.pipeline, nlp_config.lemmatizer)
    return note if note is not None and reads_lemmas_somewhere(glossaries, lfs) else None
