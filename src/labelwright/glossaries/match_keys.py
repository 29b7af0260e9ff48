"""The words a glossary phrase and an item's text are compared by, in each match mode.

:func:`match_keys` gives them: the words' own text as :func:`~labelwright.nlp.match_form`s
(``exact``), or the :func:`~labelwright.nlp.caseless` forms of the words (``lowercase``) or
of their lemmas (``lemma``), space tokens left out. :func:`term_keys` adds a lemma-mode
phrase's written words where they are lemmas themselves; :func:`case_folded_docs` splits a
text as its lowercase splits (the tokenizer's exceptions depend on case) and
:func:`phrase_docs` parses phrases as their mode matches them.
:mod:`~labelwright.glossaries.matching` builds its matchers on these, and
:mod:`~labelwright.glossaries.checks` compares phrases by them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from labelwright.glossaries.words import HYPHENS, joined_hyphens
from labelwright.nlp import LemmaKeys, caseless, match_form, plain_forms, table_lemmas


def match_keys(doc: Doc, mode: str, lemma: LemmaKeys) -> tuple[list[str], list[int] | None]:
    """The words of ``doc`` as ``mode`` compares them (:func:`~labelwright.nlp.match_form`s
    of the text; :func:`~labelwright.nlp.caseless` forms of the text or of its lemmas), and
    the index in ``doc`` of each (None: the Doc has no space token, so key ``i`` is token
    ``i``): space tokens and tokens of zero-width characters only (whose key is ``""``)
    are left out, so a term matches across a line break, a double space or a "\u200b", and
    so are the hyphens that join two words (:func:`~.words.joined_hyphens`)."""
    if not len(doc):
        return [], None
    if mode == "lemma":
        words = lemma.keys(doc)  # caseless already
    elif mode == "lowercase":
        strings = doc.vocab.strings  # a lowercase's caseless form is the text's
        words = [caseless(strings[h]) for h in doc.to_array(LOWER).tolist()]
    else:
        strings = doc.vocab.strings
        words = [match_form(strings[h]) for h in doc.to_array(ORTH).tolist()]
    space = doc.to_array(IS_SPACE)
    if "" in words:  # zero-width characters only (see match_form)
        space[[i for i, word in enumerate(words) if not word]] = 1
    if not HYPHENS.isdisjoint(words):
        space[joined_hyphens(doc, words)] = 1
    if not space.any():
        return words, None
    keep = np.flatnonzero(space == 0).tolist()
    return [words[i] for i in keep], keep


def term_keys(doc: Doc, mode: str, lemma: LemmaKeys) -> list[list[str]]:
    """The keys a term's phrase matches by: its :func:`match_keys`; in ``lemma`` mode, also
    its written words where each is a lemma of the table itself (Spanish's table makes the
    noun "envío", the lemma of "envíos", a form of the verb "enviar": "los envíos" missed
    the term). Not other words: caseless "Maße" is "masse", another word."""
    keys = match_keys(doc, mode, lemma)[0]
    if mode != "lemma":
        return [keys]
    written = match_keys(doc, "lowercase", lemma)[0]
    if written == keys or not written_lemmas(doc, lemma):
        return [keys]
    return [keys, written]


def written_lemmas(doc: Doc, lemma: LemmaKeys) -> bool:
    """Is every word of ``doc`` whose lemma is another word a lemma of the table as written
    (or in lowercase)?"""
    lemmas = table_lemmas(lemma.table)
    for token in doc:
        if token.is_space or caseless(token.text) == lemma.key(token):
            continue
        if token.text not in lemmas and token.lower_ not in lemmas:
            return False
    return bool(lemmas)


def case_folded_docs(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """Each text split into tokens as its lowercase is, each token keeping its own case,
    then through the pipeline's components (lemmas, tags): what ``lowercase`` and ``lemma``
    glossaries match on where case changes how a text splits ("DIDN'T" is one token,
    "didn't" two)."""
    docs = []
    for text in texts:
        split = nlp.tokenizer(_lowered_alike(text))
        docs.append(Doc(nlp.vocab, words=[text[t.idx:t.idx + len(t)] for t in split],
                        spaces=[bool(t.whitespace_) for t in split]))
    for _, component in nlp.pipeline:
        docs = [component(doc) for doc in docs]
    return docs


def _lowered_alike(text: str) -> str:
    """``text`` in lowercase, one character for one (a character whose lowercase is longer,
    "İ", stays), so every token's offsets hold in ``text`` too."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def phrase_docs(nlp: Language, mode: str, phrases: Sequence[str]) -> list[Doc]:
    """Glossary phrases (terms, exclusions) parsed as ``mode`` matches them."""
    plain = [plain_forms(p) for p in phrases]
    return list(nlp.pipe(plain)) if mode == "exact" else case_folded_docs(nlp, plain)
