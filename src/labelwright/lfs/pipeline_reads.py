"""LFs that read Doc or Token fields the project's pipeline does not fill.

The default pipeline (``spacy.blank`` plus lookup lemmas) fills tokens, lemmas and lexical
attributes only: ``token.pos_``, ``tag_``, ``dep_``, ``ent_type_`` are "", ``token.morph``
is empty, ``doc.ents`` is empty, every token is its own ``head``, and ``doc.sents`` and
``doc.noun_chunks`` raise. An LF reading them never votes (or fails on every item) without
a word; ``check`` and ``run`` name it, with the attribute and the component that fills it.
Whether a field is filled is seen on a parsed sample text (``Doc.has_annotation``), so a
pipeline's own components count whatever they are called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from labelwright.lfs.code_reads import attributes_read
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.lemma_reads import gives_lemmas, lemma_readers_without_lemmas


@dataclass(frozen=True)
class DocField:
    """Fields one kind of annotation fills: ``attrs`` (read as ``token.x`` unless in
    ``of_doc``), what they are, the components that fill them, what an LF sees without."""

    annotation: str  # the Doc.has_annotation key
    attrs: frozenset[str]
    what: str
    components: str
    without: str
    of_doc: frozenset[str] = frozenset()


#: each kind of annotation the default pipeline does not fill, and the fields holding it
DOC_FIELDS = (
    DocField("POS", frozenset({"pos_", "pos"}), "part-of-speech tags",
             "a morphologizer, or a tagger with an attribute_ruler", "token.pos_ is ''"),
    DocField("TAG", frozenset({"tag_", "tag"}), "fine-grained tags", "a tagger",
             "token.tag_ is ''"),
    DocField("MORPH", frozenset({"morph"}), "morphological features", "a morphologizer",
             "token.morph is empty"),
    DocField("DEP", frozenset({"dep_", "dep", "head", "children", "lefts", "rights",
                               "subtree", "ancestors", "noun_chunks"}),
             "a dependency parse", "a parser",
             "token.dep_ is '', every token is its own head with no children, and "
             "doc.noun_chunks raises ValueError", frozenset({"noun_chunks"})),
    DocField("SENT_START", frozenset({"sents", "sent", "is_sent_start", "is_sent_end"}),
             "sentence boundaries", "a parser, senter or sentencizer",
             "doc.sents and token.sent raise ValueError, token.is_sent_start is None past "
             "the first token", frozenset({"sents"})),
    DocField("ENT_IOB", frozenset({"ents", "ent_type_", "ent_type", "ent_iob_", "ent_iob"}),
             "named entities", "an ner or entity_ruler",
             "doc.ents is empty and token.ent_type_ is ''", frozenset({"ents"})),
)
_ALL_ATTRS = frozenset().union(*(f.attrs for f in DOC_FIELDS))
#: parsed to see which fields the pipeline fills: two sentences, a name, an amount
_SAMPLE = "The app crashed in Paris on Monday. I was charged $20 twice!"


def unfilled_fields(nlp: Any) -> list[DocField]:
    """The :data:`DOC_FIELDS` the pipeline leaves empty (a parser gives sentences too)."""
    doc = nlp(_SAMPLE)
    filled = {f.annotation for f in DOC_FIELDS if doc.has_annotation(f.annotation)}
    if "DEP" in filled:
        filled.add("SENT_START")
    return [f for f in DOC_FIELDS if f.annotation not in filled]


def pipeline_name(nlp: Any, pipeline: str | None) -> str:
    """The pipeline as a warning names it."""
    if pipeline:
        return (f"the pipeline {pipeline!r} (components: "
                f"{', '.join(nlp.pipe_names) or 'none'})")
    return f"the default pipeline (spacy.blank({nlp.lang!r}) with lookup lemmas)"


def unfilled_field_readers(lfs: Iterable[LabelingFunction], nlp: Any,
                           pipeline: str | None) -> list[str]:
    """A warning for each kind of annotation the pipeline does not fill that LFs read,
    naming each LF, where it is and what it reads, and what fills it."""
    readers = [(lf, attributes_read(lf.func, _ALL_ATTRS)) for lf in lfs
               if lf.uses_doc and lf.kind != "glossary"]
    readers = [(lf, attrs) for lf, attrs in readers if attrs]
    if not readers:
        return []
    warnings = []
    for f in unfilled_fields(nlp):
        named = [f"{lf.name} ({lf.location}: {_shown(f, attrs)})"
                 for lf, attrs in readers if attrs & f.attrs]
        if not named:
            continue
        fix = f"name an installed pipeline that has one in [nlp] pipeline{_example(nlp)}"
        if f.annotation == "SENT_START":
            fix = ("set [nlp] sentencizer = true (spaCy's rule-based sentencizer: no "
                   f"download), or {fix}" if not pipeline else
                   f"{fix}, or split item.text into sentences in the LF")
        warnings.append(
            f"LF(s) {'; '.join(named)} read {f.what}, but {pipeline_name(nlp, pipeline)} "
            f"has no {f.components.removeprefix('a ').removeprefix('an ')}: {f.without}, so "
            f"these LFs never vote or fail on every item; {fix}")
    return warnings


def _example(nlp: Any) -> str:
    if nlp.lang == "en":
        return ' (e.g. pipeline = "en_core_web_sm", after python -m spacy download en_core_web_sm)'
    return f" (one of spaCy's trained pipelines for {nlp.lang!r}: https://spacy.io/models)"


def _shown(f: DocField, attrs: set[str]) -> str:
    """The attributes of ``f`` an LF reads, as ``token.pos_, doc.ents``."""
    return ", ".join(("doc." if a in f.of_doc else "token.") + a for a in sorted(attrs & f.attrs))


def pipeline_read_warnings(lfs: Iterable[LabelingFunction], nlp: Any,
                           pipeline: str | None) -> list[str]:
    """Warnings for LFs reading what the pipeline does not fill: lemmas, tags, the parse,
    sentences, entities (``check`` and ``run`` both say them)."""
    lfs = list(lfs)
    if not any(lf.uses_doc for lf in lfs):
        return []
    return (lemma_readers_without_lemmas(lfs, gives_lemmas(nlp), pipeline)
            + unfilled_field_readers(lfs, nlp, pipeline))
