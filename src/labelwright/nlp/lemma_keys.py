"""Each token's case-insensitive lemma key, what lemma-mode glossaries match on."""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Token

from labelwright.nlp.lemma_tables import dictionary_forms, first_lemma, lemma_table, may_fold
from labelwright.nlp.word_forms import (
    caseless,
    has_ligature,
    ligatures_back,
    ligatures_spelt_out,
    match_form,
)

#: word forms (lemma, text, lowercase) whose key :class:`LemmaKeys` remembers before it
#: starts afresh
MAX_KEYS_REMEMBERED = 200_000


class LemmaKeys:
    """Case-insensitive lemma of each token, the key lemma-mode glossaries match on.

    A token the pipeline left as written (spaCy's lookup lemmatizer is case-sensitive:
    "Refunds" keeps its form) is looked up again in its :func:`match_form` and, where
    :func:`may_fold` allows, in lowercase. Keys are the lemmas' :func:`caseless` forms: a
    word the table does not know keeps its text as its lemma, and in capitals ("GRÖSSE")
    has the key it has written in lowercase ("Größe"). Works on the Doc's arrays: Token
    objects are the slow part of a pass over a Doc.
    """

    def __init__(self, nlp: Language) -> None:
        self.table = lemma_table(nlp)
        self.forms = dictionary_forms(self.table, nlp.lang)
        #: (lemma, orth, lower) -> key: a key depends on nothing else (the table and the
        #: forms are fixed), so each word form is keyed once, wherever it occurs; a word
        #: the pipeline lemmatizes otherwise in another context has another lemma, so
        #: another entry. Bounded by :data:`MAX_KEYS_REMEMBERED`.
        self._known: dict[tuple[int, int, int], str] = {}

    def key(self, token: Token) -> str:
        return self._key(token.lemma, token.orth, token.lower, token.vocab.strings)

    def keys(self, doc: Doc) -> list[str]:
        """The key of each token."""
        if not len(doc):
            return []
        strings = doc.vocab.strings
        known = self._known
        if len(known) > MAX_KEYS_REMEMBERED:  # a bound for millions of distinct words
            known.clear()
        out = []
        for lemma, orth, lower in doc.to_array([LEMMA, ORTH, LOWER]).tolist():
            word = (lemma, orth, lower)
            key = known.get(word)
            if key is None:
                key = known[word] = self._key(lemma, orth, lower, strings)
            out.append(key)
        return out

    def _key(self, lemma: int, orth: int, lower: int, strings: Any) -> str:
        table = self.table
        if table is not None and lemma in (0, orth) and (
                orth != lower or not strings[orth].isascii()):
            text = strings[orth]
            forms = [text, match_form(text)]
            if may_fold(text, self.forms):
                forms += [strings[lower], match_form(strings[lower])]
            found = next((f for f in dict.fromkeys(forms) if f in table), None)
            if found is None and has_ligature(text):  # "œuvres", as the table writes it
                spelt = next((f for f in dict.fromkeys(forms)
                              if ligatures_spelt_out(f) in table), None)
                if spelt is not None:
                    return caseless(ligatures_back(spelt, first_lemma(
                        table[ligatures_spelt_out(spelt)])))
            return caseless(first_lemma(table[found]) if found is not None else text)
        return caseless(strings[lemma or orth])
