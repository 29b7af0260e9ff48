"""LFs that read Doc or Token fields the project's pipeline does not fill.

The default pipeline (``spacy.blank`` plus lookup lemmas) fills tokens, lemmas and lexical
attributes only: ``token.pos_``, ``tag_``, ``dep_``, ``ent_type_`` are "", ``token.morph``
is empty, ``doc.ents`` is empty, every token is its own ``head``, and ``doc.sents`` and
``doc.noun_chunks`` raise. An LF reading them never votes (or fails on every item) without
a word; ``check`` and ``run`` name it, with the attribute and the component that fills it.
Attributes of the item itself (``item.tag`` is a data column), methods called by these names
(``table.head(10)``) and LFs that ask ``doc.has_annotation(...)`` first are left out. An LF
is said to never vote only when it did not (``silent``); otherwise it may read the field.
Whether a field is filled is seen on a parsed sample text (``Doc.has_annotation``), so a
pipeline's own components count whatever they are called.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from labelwright.lfs.code_reads import attributes_read, methods_called, own_doc_pipeline
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.lemma_reads import gives_lemmas, lemma_readers_without_lemmas
from labelwright.matrix import ABSTAIN


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
    """The :data:`DOC_FIELDS` the pipeline leaves empty (a parser gives sentences too);
    a pipeline not built yet answers from what was seen when it last was
    (:class:`~labelwright.nlp.lazy.LazyPipeline`)."""
    from labelwright.nlp.lazy import known_facts

    facts = known_facts(nlp)
    if facts is not None:
        return [f for f in DOC_FIELDS if f.annotation in facts["unfilled"]]
    from labelwright.nlp.segmenters import package_missing  # spaCy: a built pipeline's

    if package_missing(nlp):
        return []  # it cannot parse: applying the LFs said so
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


def snorkel_pipeline(lf: LabelingFunction) -> tuple[Any, str | None, str] | None:
    """The spaCy pipeline snorkel parses ``lf``'s items with (its Doc is that pipeline's,
    not the project's), the ``language=`` it was given when known, and what made it:
    ``nlp_labeling_function``, or ``SpacyPreprocessor`` for an LF given one in ``pre=``
    (which keeps no record of its ``language=``); None for any other LF."""
    nlp = own_doc_pipeline(lf)
    if nlp is None:
        return None
    config = getattr(type(lf.snorkel), "_nlp_config", None)
    if config is None:
        return nlp, None, "SpacyPreprocessor"
    language = getattr(getattr(config, "parameters", None), "language", None)
    return nlp, str(language), "nlp_labeling_function"


def unfilled_field_readers(lfs: Iterable[LabelingFunction], nlp: Any, pipeline: str | None,
                           silent: Collection[str] = (), *,
                           snorkel: tuple[str | None, str] | None = None
                           ) -> tuple[list[str], set[str]]:
    """A warning for each kind of annotation the pipeline does not fill that LFs read,
    naming each LF, where it is and what it reads, and what fills it: that they never vote
    for the LFs in ``silent`` (those that voted on none of the items applied), that they
    may read it for the others; and the LFs said to never vote. ``snorkel``: ``nlp`` is the
    pipeline snorkel loaded for these LFs, with this ``language=`` (None: not known) and
    what loaded it (:func:`snorkel_pipeline`)."""
    readers = [(lf, attributes_read(lf.code, _ALL_ATTRS)) for lf in lfs
               if lf.uses_doc and lf.kind != "glossary"
               and not methods_called(lf.code, {"has_annotation"})]
    readers = [(lf, attrs) for lf, attrs in readers if attrs]
    if not readers:
        return [], set()
    warnings = []
    silenced: set[str] = set()
    for f in unfilled_fields(nlp):
        fix = f"name an installed pipeline that has one in [nlp] pipeline{_example(nlp)}"
        if snorkel is not None:
            fix = (f"pass {snorkel[1]}(language=...) an installed pipeline that has "
                   f"one{_example(nlp, 'language')}"
                   + (_saved_sentencizer(nlp.lang) if f.annotation == "SENT_START" else ""))
        elif f.annotation == "SENT_START":
            fix = ("set [nlp] sentencizer = true (spaCy's rule-based sentencizer: no "
                   f"download), or {fix}" if not pipeline else
                   f"{fix}, or split item.text into sentences in the LF")
        language = "" if snorkel is None or snorkel[0] is None else \
            f"language={snorkel[0]!r}, "
        name = (pipeline_name(nlp, pipeline) if snorkel is None else
                f"snorkel's pipeline for {snorkel[1]} ({language}components: "
                f"{', '.join(nlp.pipe_names) or 'none'})")
        lacks = (f"{name} has no "
                 f"{f.components.removeprefix('a ').removeprefix('an ')}: {f.without}")
        for never in (True, False):
            these = [(lf, attrs) for lf, attrs in readers
                     if attrs & f.attrs and (lf.name in silent) == never]
            named = [f"{lf.name} ({lf.location}: {_shown(f, attrs)})" for lf, attrs in these]
            if named and never:
                silenced.update(lf.name for lf, _ in these)
                warnings.append(f"LF(s) {'; '.join(named)} read {f.what}, but {lacks}, so "
                                f"these LFs never vote or fail on every item; {fix}")
            elif named:
                warnings.append(f"LF(s) {'; '.join(named)} may read {f.what}, which "
                                f"{lacks}; if they do, {fix}")
    return warnings, silenced


def silent_lfs(votes: np.ndarray, lf_names: Sequence[str]) -> set[str]:
    """The LFs whose column of ``votes`` holds no vote (abstains and failures only)."""
    return {name for j, name in enumerate(lf_names) if not (votes[:, j] != ABSTAIN).any()}


def _example(nlp: Any, setting: str = "pipeline") -> str:
    if nlp.lang == "en":
        shown = ('pipeline = "en_core_web_sm"' if setting == "pipeline" else
                 f'{setting}="en_core_web_sm"')
        return f" (e.g. {shown}, after python -m spacy download en_core_web_sm)"
    return f" (one of spaCy's trained pipelines for {nlp.lang!r}: https://spacy.io/models)"


def _saved_sentencizer(lang: str) -> str:
    """The way to sentences with no download for a snorkel LF's pipeline (a machine without
    internet access cannot download a trained one): a blank pipeline with spaCy's
    sentencizer saved in the module's folder, named from the module."""
    return (f"; or, with no download, save spacy.blank({lang!r}) with "
            f"nlp.add_pipe(\"sentencizer\") to a folder beside the module and pass "
            f"language=str(Path(__file__).parent / \"{lang}_sents\") (README, \"Writing "
            "a labeling function\": @nlp_labeling_function)")


def _shown(f: DocField, attrs: set[str]) -> str:
    """The attributes of ``f`` an LF reads, as ``token.pos_, doc.ents``."""
    return ", ".join(("doc." if a in f.of_doc else "token.") + a for a in sorted(attrs & f.attrs))


def pipeline_read_warnings(lfs: Iterable[LabelingFunction], nlp: Any, pipeline: str | None,
                           silent: Collection[str] | None, *,
                           lemmatizer: bool | None) -> tuple[list[str], set[str]]:
    """Warnings for LFs reading what the pipeline does not fill: lemmas, tags, the parse,
    sentences, entities (``check`` and ``run`` both say them, after applying the LFs:
    ``silent`` names those that voted on no item; None when no item was applied, as when
    the data does not read, so none is said to have voted or not); and the LFs of
    ``silent`` they say never vote (a run's warning of LFs that voted on no item leaves
    them to these). ``pipeline`` and ``lemmatizer``: ``[nlp]``'s."""
    lfs = list(lfs)
    if not any(lf.uses_doc for lf in lfs):
        return [], set()
    # snorkel's nlp LFs read the Doc of snorkel's own pipeline: each is checked against it
    theirs: dict[int, tuple[Any, tuple[str | None, str], list[LabelingFunction]]] = {}
    own = []
    for lf in lfs:
        found = snorkel_pipeline(lf)
        if found is None:
            own.append(lf)
        else:
            their_nlp, language, maker = found
            theirs.setdefault(id(their_nlp), (their_nlp, (language, maker), []))[2].append(lf)
    warnings, silenced = lemma_readers_without_lemmas(
        own, gives_lemmas(nlp), pipeline, silent, lang=nlp.lang, lemmatizer=lemmatizer)
    fields = [unfilled_field_readers(own, nlp, pipeline, silent or ())]
    fields += [unfilled_field_readers(group, their_nlp, None, silent or (), snorkel=made)
               for their_nlp, made, group in theirs.values()]
    for said, named in fields:
        warnings += said
        silenced |= named
    return warnings, silenced
