"""Phrases that ``accents: ignore`` reads as other words: check's warning.

A glossary that ignores accents matches a phrase without them, and in Spanish a word
without its accent is often another word: `año` (year) matches "ano", `sí` every "si"
(if), `más` every "mas". The README says so, but check named none of a glossary's phrases
that do it. A word is another word when its spelling without accents is one the pipeline's
lookup table knows (a form it lists or one of its lemmas) and its lemma is not the word's
own: "compré" without its accent is "compre", a form of the same verb, and is not named.
Not the language's stop words: Spanish's list "tambien" beside "también".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Token

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.match_keys import case_folded_docs, phrase_docs
from labelwright.glossaries.places import as_written, phrase_place
from labelwright.glossaries.words import without_accents
from labelwright.nlp import LemmaKeys, caseless, table_lemmas

#: phrases a warning names per glossary (the count says how many)
SHOWN_PHRASES = 5


def other_words_without_accents(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """One warning per glossary with ``accents: ignore`` naming its phrases (with their
    lines) that hold a word that is another word without its accents (module docstring).
    Nothing without the pipeline's lookup table, which says what a word is."""
    folding = [g for g in glossaries if g.accents == "ignore"]
    if not folding or "lemmatizer" not in nlp.component_names:
        return []
    lemma = LemmaKeys(nlp)
    if lemma.table is None:
        return []
    known = _Words(nlp, lemma)
    messages = []
    for glossary in folding:
        listed = [pair for term in glossary.terms for pair in term.phrase_lines()]
        named = []
        for (phrase, line), doc in zip(listed, phrase_docs(nlp, "lowercase",
                                                           [p for p, _ in listed])):
            read = next((key for token in doc if not token.is_space
                         and (key := known.other_word(token)) is not None), None)
            if read is not None:
                at = phrase_place(glossary, phrase, line)
                folded = " ".join(without_accents(caseless(phrase)).split())
                named.append(f"{as_written(phrase)} ({at}) as {folded!r} (read as {read!r})")
        if named:
            many = len(named) > 1
            messages.append(
                f"{glossary.path}: {len(named)} phrase{'s' if many else ''} "
                f"read{'' if many else 's'} as other words without their accents, which "
                f"accents: ignore matches too: {some_of(named, SHOWN_PHRASES)}; where that "
                "is not meant, list such a phrase in a glossary with accents: keep "
                "(README: Writing a glossary, Accents)")
    return messages


class _Words:
    """Asks whether a word is another word without its accents, each spelling once."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        self._nlp = nlp
        self._lemma = lemma
        table: Any = lemma.table
        self._table = table
        self._lemmas = table_lemmas(table)
        self._keys: dict[str, str | None] = {}  # a spelling -> its lemma key (None: unknown)

    def other_word(self, token: Token) -> str | None:
        """The lemma of ``token``'s spelling without accents where the table knows that
        spelling and its lemma is not the token's; None where not."""
        written = caseless(token.text)
        folded = without_accents(written)
        if folded == written:
            return None
        key = self._key(folded)
        return key if key is not None and key != self._lemma.key(token) else None

    def _key(self, word: str) -> str | None:
        if word not in self._keys:
            known = word in self._table or word in self._lemmas
            doc = case_folded_docs(self._nlp, [word])[0] if known else None
            self._keys[word] = self._lemma.keys(doc)[0] if doc is not None \
                and len(doc) == 1 else None
        return self._keys[word]
