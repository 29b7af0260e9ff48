"""The lemma components labelwright adds to spaCy pipelines: :class:`LookupLemmas` (the
default pipeline's, the lookup table with case folding in one array pass) and
:class:`CaseFoldLemmas` (its predecessor, still usable by name)."""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from labelwright.nlp.lemma_keys import LemmaKeys
from labelwright.nlp.lemma_tables import (
    CAPITALISED_NOUNS,
    dictionary_forms,
    first_lemma,
    lemma_table,
    may_fold,
    reads_as_other_word,
    table_lemmas,
)
from labelwright.nlp.word_forms import (
    has_ligature,
    ligatures_back,
    ligatures_spelt_out,
    match_form,
    sharp_s_readings,
)
from labelwright.text_form import WITHOUT_INVISIBLE

LOOKUP_LEMMAS = "labelwright_lookup_lemmas"
CASE_FOLD = "labelwright_case_fold_lemmas"  # the default before LOOKUP_LEMMAS; still usable

#: words :class:`LookupLemmas` remembers the lemma of before it starts afresh
_MAX_KNOWN = 200_000


@Language.factory(LOOKUP_LEMMAS)
def _lookup_lemmas(nlp: Language, name: str) -> LookupLemmas:
    return LookupLemmas(nlp)


class LookupLemmas:
    """Set each token's lemma from the lookup table, capitalised words included.

    Gives the lemmas spaCy's lookup lemmatizer gives (the table's entry for the word, or
    the word itself), except that a capitalised word the table does not know as written
    ("Refunded" at the start of a sentence) is looked up in lowercase ("refund"); a word
    in capitals that neither finds, in title case ("GÄRTEN" as "Gärten": "Garten"), and so
    is, in a language that capitalises its nouns, a lowercase word the table knows neither
    as a word nor as a lemma ("rechnungen" as "Rechnungen": "Rechnung"; "antworten", a
    lemma, stays). Then, in a table that writes "ß", a word still not found is read with its
    "ss" as "ß" (:func:`sharp_s_readings`: "Strassen" as "Straßen", "GRÜSSE" as "Grüße"),
    and one with a ligature with it spelt out (French's table writes none: "œuvres" is
    looked up as "oeuvres", and its lemma is written "œuvre", :meth:`_ligature_lemma`).
    Works on hashes: one ``to_array`` / ``from_array`` per Doc instead of Python calls per
    token.
    """

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._lemmas: dict[int, int] | None = None
        self._forms: frozenset[str] = frozenset()
        #: every lemma of the table, in any language (:meth:`_dictionary_form`)
        self._all_forms: frozenset[str] | None = None
        self._sharp_s = False  # does the table write "ß"?
        self._nouns = False  # does the language capitalise its nouns?
        self._stop_words: frozenset[str] = frozenset()
        #: word -> lemma, of the words the table does not know as written
        self._known: dict[int, int] = {}

    def _table(self) -> dict[int, int]:
        """The table as hashes (word -> lemma); notes whether any lemma holds "ß"."""
        table = lemma_table(self._nlp)
        strings = self._nlp.vocab.strings
        lemmas: dict[int, int] = {}
        if table is not None:
            for key, value in table.items():
                lemma = first_lemma(value)
                lemmas[key] = strings.add(lemma)
                self._sharp_s = self._sharp_s or "ß" in lemma
        return lemmas

    def _sharp_s_lemma(self, lemmas: dict[int, int], text: str, orth: int, lower: int
                       ) -> int:
        """The lemma of a word whose "ss" stands for "ß" ("GRÜSSE": "Gruß"; "Strassen",
        Swiss spelling, "Straße"; "Passwörter", the table knowing only "Paßwörter":
        "Paßwort"), when the table knows the word by none of its "ss" readings, as a word or
        a lemma ("MASSE" stays "Masse", mass, and is not read as "Maße"); else ``orth``.
        Only what the table holds: the first reading it knows, as a word (its lemma) or a
        lemma. A word in capitals is read in title case; one in lowercase as written, then
        (in a language that capitalises its nouns) in title case; any other as written."""
        strings = self._nlp.vocab.strings
        if not may_fold(text, self._forms) or strings[lower] in self._forms:
            return orth
        written = match_form(text)
        if text.isupper():
            shapes = [written.title()]
        elif orth == lower and self._nouns:
            shapes = [written, written.title()]
        else:
            shapes = [written]
        for shape in shapes:
            for reading in sharp_s_readings(shape):
                lemma = lemmas.get(get_string_id(reading))
                if lemma is not None:
                    return lemma
                if reading in self._forms:
                    return strings.add(reading)
        return orth

    def __call__(self, doc: Doc) -> Doc:
        if self._lemmas is None:  # tables are loaded by nlp.initialize(), after add_pipe
            self._lemmas = self._table()
            self._forms = dictionary_forms(lemma_table(self._nlp), self._nlp.lang)
            self._nouns = self._nlp.lang in CAPITALISED_NOUNS
            self._stop_words = frozenset(self._nlp.Defaults.stop_words)
        if not len(doc):
            return doc
        get, known = self._lemmas.get, self._known
        if len(known) > _MAX_KNOWN:  # a bound for millions of distinct words
            known.clear()
        lemmas = []
        for orth, lower in doc.to_array([ORTH, LOWER]).tolist():
            lemma = get(orth, orth)
            if lemma == orth:  # not in the table as written: remembered, as most words recur
                found = known.get(orth)
                if found is None:
                    found = known[orth] = self._not_as_written(orth, lower)
                lemma = found
            lemmas.append(lemma)
        values: Any = np.array(lemmas, dtype=np.uint64).reshape(-1, 1)  # spaCy's stub: Ints2d
        doc.from_array([LEMMA], values)
        return doc

    def _dictionary_form(self, text: str, lower: int) -> int:
        """The lemma of a capitalised or shouted word the table has no entry for, when a
        form of it is itself a dictionary form: "Crash" opening a sentence and "ERROR" are
        "crash" and "error" (the table lists only inflected forms, so the base form in
        capitals was its own lemma, and an LF testing ``"crash" in lemmas`` missed it); a
        shouted "RECHNUNG" is "Rechnung" where nouns are capitalised. A capitalised word in
        such a language is left as it is (a noun), as is any word whose forms the table
        does not have ("Paris")."""
        if self._all_forms is None:  # made when first needed: 0.1-0.4 s per table
            self._all_forms = table_lemmas(lemma_table(self._nlp))
        forms, strings = self._all_forms, self._nlp.vocab.strings
        if text.isupper():
            titled = match_form(text).title()
            if titled in forms:
                return strings.add(titled)
        elif self._nouns:
            return strings.add(text)
        return lower if strings[lower] in forms else strings.add(text)

    def _lowercase_noun(self, text: str, orth: int) -> int:
        """The lemma of a lowercase word read as a noun typed in lowercase, where nouns are
        capitalised: the table knows "Rechnungen" and "Wochen", not "rechnungen" nor
        "wochen" ("Rechnung", "Woche"). Not a word that reads as another kind of word
        (:func:`reads_as_other_word`), which stays as written: "brauche" is not "Brauch",
        "wegen" not "Weg", "schöne" not "Schönes", "as" not "A". A capitalised form the
        table reads as no noun ("Bezahlbare": "bezahlbar") gives its lemma."""
        assert self._lemmas is not None
        written = match_form(text)
        lemma = self._lemmas.get(get_string_id(written.title()), orth)
        if lemma == orth or self._nlp.vocab.strings[lemma][:1].islower():
            return lemma
        if reads_as_other_word(written, self._forms, self._stop_words):
            return orth
        return lemma

    def _ligature_lemma(self, text: str, orth: int, lower: int) -> int:
        """The lemma of a word with a ligature the table does not know: the word (as
        written, then in lowercase) looked up with its ligatures spelt out, the lemma
        written with them again (:func:`ligatures_back`): French's table writes "oeuvres",
        "coeurs", "soeurs", never "œ", so "œuvres" and "cœurs" kept themselves as their
        lemma and missed the terms `œuvre` and `cœur`. ``orth`` when neither is found."""
        assert self._lemmas is not None
        strings = self._nlp.vocab.strings
        for form in dict.fromkeys((match_form(text), match_form(strings[lower]))):
            found = self._lemmas.get(get_string_id(ligatures_spelt_out(form)))
            if found is not None:
                return strings.add(ligatures_back(form, strings[found]))
        return orth

    def _not_as_written(self, orth: int, lower: int) -> int:
        """The lemma of a word the table does not know as written (``orth`` if none)."""
        assert self._lemmas is not None
        get, forms = self._lemmas.get, self._forms
        strings = self._nlp.vocab.strings
        text = strings[orth]
        lemma = orth
        if not text.isascii() and match_form(text) != text:  # with ’, or decomposed?
            lemma = get(strings.add(match_form(text)), orth)
            lower = strings.add(match_form(strings[lower]))
        if lemma == orth and orth != lower and may_fold(text, forms):
            lemma = get(lower, lemma)
        if lemma == orth and len(text) > 1 and text.isupper():
            lemma = get(get_string_id(match_form(text).title()), orth)  # shouted
        elif (lemma == orth and len(text) > 1 and self._nouns and orth == lower
              and orth not in self._lemmas and text not in forms):
            lemma = self._lowercase_noun(text, orth)
        if lemma == orth and self._sharp_s and len(text) > 2 and (
                "ss" in text or "SS" in text):
            lemma = self._sharp_s_lemma(self._lemmas, text, orth, lower)
        if lemma == orth and has_ligature(text):
            lemma = self._ligature_lemma(text, orth, lower)
        if lemma == orth and orth != lower and len(text) > 1 and may_fold(text, forms):
            lemma = self._dictionary_form(text, lower)  # ("I" stays "I")
        if lemma == orth and not text.isascii():
            # a word with a zero-width character inside ("so\u200bng") is, unknown to the
            # table, the word without it, as glossary matching reads it
            bare = text.translate(WITHOUT_INVISIBLE)
            if bare != text and bare:
                lemma = strings.add(bare)
        return lemma


@Language.factory(CASE_FOLD)
def _case_fold_lemmas(nlp: Language, name: str) -> CaseFoldLemmas:
    return CaseFoldLemmas(nlp)


class CaseFoldLemmas:
    """After spaCy's lookup lemmatizer: lemmatize capitalised words it left as written.

    The default pipeline used this before :class:`LookupLemmas` did both in one pass;
    it stays available to pipelines that name it.
    """

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._keys: LemmaKeys | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self._keys is None:  # the tables are loaded by nlp.initialize(), after add_pipe
            self._keys = LemmaKeys(self._nlp)
        table = self._keys.table
        if table is None:
            return doc
        for token in doc:
            if token.text != token.lower_ and token.lemma_ == token.text and token.lower_ in table:
                token.lemma_ = table[token.lower_]
        return doc
