"""The copy of a Doc that glossary matching reads where the text holds typographic
apostrophes or full-width forms (:func:`~labelwright.nlp.plain_forms`): the Doc the
pipeline makes of the plain text, as far as matching reads it (tokens, their lemmas).

The copy used to be the whole text parsed again through the whole pipeline: on a contract
of 200,000 characters, where nearly every text holds a "’", that doubled the parse. Now:

- where the pipeline's tokenizer is spaCy's own, splitting each run of non-space
  characters on its own (no special case holds a space between other characters), and the
  components neither change tokens nor read one token's neighbours to set its lemma
  (:data:`SPLICE_SAFE`: the default pipeline's lookup lemmas and sentence boundaries), only
  the runs of non-space characters that hold such a character are split again, with a run
  either side whose tokens must come out as the item's did; every other token, and its
  lemma, is the item's own;
- else the plain text goes through the tokenizer and only the components matching reads:
  none for ``exact`` and ``lowercase`` glossaries, those up to the last that may set lemmas
  for ``lemma`` ones, where every component is one known to leave the tokens as they are
  (:data:`KEEPS_TOKENS`); the whole pipeline otherwise.

Either gives the tokens and lemmas the whole pipeline gives the plain text
(tests/glossaries/test_plain_copy.py compares them).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

import numpy as np
from spacy.attrs import IDX, LEMMA, ORTH, SPACY
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from labelwright.nlp.lemma_components import CASE_FOLD, LOOKUP_LEMMAS
from labelwright.nlp.sentence_openers import SENTENCE_OPENERS
from labelwright.nlp.word_forms import _PLAIN

#: components whose lemmas depend on each token alone and which change no token, and those
#: that set no lemma and change no token: where the pipeline has only these, a copy
#: re-splits only the runs of characters that :func:`~labelwright.nlp.plain_forms` changes
SPLICE_SAFE = frozenset({LOOKUP_LEMMAS, CASE_FOLD, "sentencizer", SENTENCE_OPENERS})
#: spaCy's components (and labelwright's) that never merge or split tokens
KEEPS_TOKENS = SPLICE_SAFE | frozenset({
    "tok2vec", "transformer", "tagger", "morphologizer", "parser", "beam_parser", "senter",
    "attribute_ruler", "lemmatizer", "trainable_lemmatizer", "ner", "beam_ner",
    "entity_ruler", "span_ruler", "spancat", "spancat_singlelabel", "textcat",
    "textcat_multilabel", "entity_linker", "span_finder",
})
#: of :data:`KEEPS_TOKENS`, those that may set or feed a lemma: the components a lemma-mode
#: copy runs are those up to the last of these
SETS_LEMMAS = frozenset({LOOKUP_LEMMAS, CASE_FOLD, "attribute_ruler", "lemmatizer",
                         "trainable_lemmatizer"})

#: a character :func:`~labelwright.nlp.plain_forms` writes otherwise
_CHANGED = re.compile("[" + "".join(re.escape(chr(c)) for c in _PLAIN) + "]")
_SPACE = re.compile(r"\s")


class PlainCopies:
    """Makes the plain copies of :mod:`labelwright.glossaries.plain_copy` for one pipeline."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        factories = [nlp.get_pipe_meta(name).factory for name, _ in nlp.pipeline]
        components = [component for _, component in nlp.pipeline]
        tokenizer: Any = nlp.tokenizer
        rules = getattr(tokenizer, "rules", None) or {}
        # a special case such as Spanish "EE. UU." spans two runs: runs are not split alone
        runs_alone = isinstance(tokenizer, Tokenizer) and not any(
            _SPACE.search(key) and not key.isspace() for key in rules)
        lookup = all(getattr(component, "mode", "lookup") == "lookup"
                     for factory, component in zip(factories, components)
                     if factory == "lemmatizer")
        #: may a copy re-split only the changed runs?
        self.splices = runs_alone and lookup and all(f in SPLICE_SAFE or f == "lemmatizer"
                                                     for f in factories)
        keeps = all(f in KEEPS_TOKENS for f in factories)
        last = max((i for i, f in enumerate(factories) if f in SETS_LEMMAS), default=-1)
        #: the components a copy runs: for lemmas, and for words only
        self._for_lemmas = components[:last + 1] if keeps else components
        self._for_words = [] if keeps else components

    def copy(self, doc: Doc, text: str, plain: str, lemmas: bool) -> Doc:
        """The Doc of ``plain`` (``text`` with :func:`~labelwright.nlp.plain_forms`, one
        character for one) as matching reads it; ``doc``: the item's Doc of ``text``;
        ``lemmas``: whether lemmas are read (a lemma-mode glossary)."""
        if self.splices and len(doc):
            spliced = self._spliced(doc, text, plain, lemmas)
            if spliced is not None:
                return spliced
        return self._parsed(plain, lemmas)

    def _parsed(self, text: str, lemmas: bool) -> Doc:
        """``text`` through the tokenizer and the components matching reads."""
        doc = self._nlp.make_doc(text)
        for component in self._for_lemmas if lemmas else self._for_words:
            doc = component(doc)
        return doc

    def _spliced(self, doc: Doc, text: str, plain: str, lemmas: bool) -> Doc | None:
        """``doc`` with the runs of non-space characters that ``plain`` writes otherwise
        split again (None where that cannot be told apart from a parse of ``plain``: a
        changed character is a space, or a neighbouring run splits otherwise alone)."""
        runs: list[tuple[int, int]] = []  # (start, end) of each changed run, in order
        for m in _CHANGED.finditer(text):
            at = m.start()
            if runs and at < runs[-1][1]:
                continue  # in the run before
            if text[at].isspace() or plain[at].isspace():
                return None  # the ideographic space: runs change
            runs.append(_run(text, at))
        if not runs:
            return None
        starts = doc.to_array(IDX).tolist()
        attrs = [ORTH, SPACY, LEMMA] if lemmas else [ORTH, SPACY]
        own = doc.to_array(attrs)
        pieces: list[np.ndarray] = []
        done = 0  # tokens of doc taken so far
        for start, end in runs:
            first, after = bisect_left(starts, start), bisect_left(starts, end)
            # the run with the run either side: these must split as in the item's Doc
            lo, hi = _neighbour(text, start, -1), _neighbour(text, end, 1)
            # the neighbours as written: each run splits on its own, so theirs is the
            # item's whatever else the plain text changes
            part = self._nlp.make_doc(text[lo:start] + plain[start:end] + text[end:hi])
            lo_i, hi_i = bisect_left(starts, lo), bisect_left(starts, hi)
            offsets = part.to_array(IDX).tolist()
            a, b = bisect_left(offsets, start - lo), bisect_left(offsets, end - lo)
            words = part.to_array(ORTH)
            if not (np.array_equal(words[:a], own[lo_i:first, 0])
                    and np.array_equal(words[b:], own[after:hi_i, 0])
                    and offsets[:a] == [s - lo for s in starts[lo_i:first]]):
                return None
            piece = part[a:b].as_doc()
            if lemmas:
                for component in self._for_lemmas:
                    piece = component(piece)
            new = piece.to_array(attrs)
            new[-1, 1] = own[after - 1, 1]  # the whitespace after the run, as in doc
            pieces += [own[done:first], new]
            done = after
        pieces.append(own[done:])
        array = np.concatenate(pieces)
        strings = doc.vocab.strings
        copy = Doc(doc.vocab, words=[strings[h] for h in array[:, 0].tolist()],
                   spaces=array[:, 1].astype(bool).tolist())
        if lemmas:
            values: Any = array[:, 2:3]  # spaCy's stub wants Ints2d
            copy.from_array([LEMMA], values)
        return copy


def _run(text: str, at: int) -> tuple[int, int]:
    """The run of non-space characters of ``text`` holding ``text[at]``."""
    start = at
    while start and not text[start - 1].isspace():
        start -= 1
    end = at + 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _neighbour(text: str, at: int, step: int) -> int:
    """Where the run of non-space characters next to the run ending (``step`` 1) or
    starting (-1) at ``at`` ends or starts, the spaces between taken along (``at`` itself
    at the text's end or start)."""
    if step > 0:
        i = at
        while i < len(text) and text[i].isspace():
            i += 1
        while i < len(text) and not text[i].isspace():
            i += 1
        return i
    i = at
    while i and text[i - 1].isspace():
        i -= 1
    while i and not text[i - 1].isspace():
        i -= 1
    return i
