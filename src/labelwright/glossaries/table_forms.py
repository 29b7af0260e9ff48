"""Lemma-mode terms the lookup table knows no other form of: they match only as written.

A lookup table lemmatizes only the words it lists. German's lists few forms of compounds
("Impfungen", "Steuerbescheids", "Gesundheitsämter" are not in it), so the term "Impfung"
matched "Impfung" and "IMPFUNG" and missed the plural, and nothing said so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.enclitics import Enclitics
from labelwright.glossaries.match_keys import phrase_docs
from labelwright.glossaries.places import term_place
from labelwright.glossaries.reflexive import REFLEXIVE
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import first_lemma, lemma_table, per_table, table_lemmas
from labelwright.nlp.word_forms import ligatures_spelt_out

#: what "only as written" leaves out, per glossary ``accents``: the matcher folds case in
#: lemma mode, and accents as the glossary says
_AS_WRITTEN = {"keep": "ignoring case", "ignore": "ignoring case and accents",
               "umlauts": "ignoring case, umlauts also spelt out"}
#: terms a :func:`terms_without_forms` warning names per glossary (the count says how many)
SHOWN_TERMS = 5
#: a term's word this short is not asked about: names and abbreviations ("sso", "vat")
#: seldom inflect
SHORTEST_WORD = 4


def inflecting_word(doc: Doc) -> Token | None:
    """The word of a term's Doc the lemma-mode checks ask about, the one that inflects (in
    German, English and Spanish): its last word that is not a stop word ("log in": "log");
    None when there is none or it has fewer than :data:`SHORTEST_WORD` letters."""
    words = [token for token in doc if token.is_alpha and not token.is_stop]
    return words[-1] if words and len(words[-1]) >= SHORTEST_WORD else None


def lemmas_with_forms(table: object) -> frozenset[str]:
    """The lemmas of a lookup table that some other word of it is a form of ("Rechnung",
    of "Rechnungen"; not "Habe", whose only entry is itself), made once per table
    (:func:`~labelwright.nlp.lemma_tables.per_table`). 0.3 s for German's."""
    return per_table(table, _with_forms)


def _with_forms(table: Any) -> frozenset[str]:
    return frozenset(lemma for key, value in table.items()
                     if get_string_id(lemma := first_lemma(value)) != key)


def written_on(nlp: Language) -> Enclitics | None:
    """What reads the words of the pipeline's language with pronouns written on
    (Spanish's "conectarse"), or None for a language that writes none."""
    data = REFLEXIVE.get(nlp.lang or "")
    return Enclitics(LemmaKeys(nlp)) if data is not None and data.enclitic else None


def lists_its_forms(term: Term) -> bool:
    """Does a synonym of the term start with the term ("Steuerbescheid":
    "Steuerbescheide")? Then its writer lists its forms already."""
    own = term.term.casefold()
    return any(synonym.casefold().startswith(own) for synonym in term.synonyms)


def terms_without_forms(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """One warning per lemma-mode glossary whose terms the pipeline's lookup table knows
    in no other form: the last word of each (the one that inflects, in German and English)
    is its own lemma and no other word of the table is a form of it, so the term matches
    only as written (ignoring case, and accents where the glossary's ``accents`` says so,
    as the warning says). The last word
    that is not a stop word ("log in": "log"); not a term whose synonyms begin with it (its
    forms are listed), nor one whose word has three letters or fewer ("sso", "vat": names
    and abbreviations, which seldom inflect). Then :func:`language_hint`, when most of
    them are named."""
    table = lemma_table(nlp)
    if table is None or "lemmatizer" not in nlp.component_names:
        return []
    every = list(glossaries)  # all their phrases show the letters of their language
    glossaries = [g for g in every if g.mode == "lemma"]
    if not glossaries:
        return []
    with_forms = lemmas_with_forms(table)
    enclitics = written_on(nlp)
    messages = []
    asked, unknown = 0, []
    for glossary in glossaries:
        terms = [term for term in glossary.terms if not lists_its_forms(term)]
        named = []
        for term, doc in zip(terms, phrase_docs(nlp, "lemma", [t.term for t in terms])):
            last = inflecting_word(doc)
            if last is None:
                continue
            asked += 1
            if enclitics is not None and enclitics.read(caseless(last.text)) is not None:
                continue  # "conectarse": `se` and `conectar`, whose forms the table knows
            spelt = ligatures_spelt_out(last.lemma_)  # the table's "oeuvre" for `œuvre`
            if (last.lemma_.casefold() == last.text.casefold()
                    and last.lemma_ not in with_forms and last.text not in with_forms
                    and spelt not in with_forms):
                named.append(f"'{term.term}'{term_place(glossary, term)}")
                unknown.append(term.term)
        if named:
            messages.append(
                f"{glossary.path}: {len(named)} of {len(glossary.terms)} lemma-mode terms are "
                f"words the '{nlp.lang}' lookup table knows no other form of, so each "
                f"matches only as written ({_AS_WRITTEN[glossary.accents]}): "
                f"{some_of(named, SHOWN_TERMS)}; "
                "list the forms the data may hold (plurals, other endings) as synonyms, or "
                "match them in a Python LF with a regular expression (README: Writing a "
                "glossary, Words the lookup table does not know)")
    written = [phrase for g in every for term in g.terms for phrase in term.phrases]
    return messages + language_hint(unknown, asked, table, str(nlp.lang), written=written)


#: a letter held by fewer than this share of a lookup table's lemmas is not of its
#: language's alphabet (English's: "é" 0.08%, as in "café"; Spanish's "ü" 0.14%, "ñ" 1.5%)
ALPHABET_SHARE = 0.001


def alphabet(table: object) -> frozenset[str]:
    """The letters (lowercase) of a lookup table's language: those at least
    :data:`ALPHABET_SHARE` of its lemmas hold, made once per table."""
    return per_table(table, _alphabet)


def _alphabet(table: Any) -> frozenset[str]:
    lemmas = table_lemmas(table)
    held = Counter(letter for lemma in lemmas for letter in set(lemma.lower())
                   if letter.isalpha())
    return frozenset(letter for letter, n in held.items() if n >= ALPHABET_SHARE * len(lemmas))


#: the letters that tell a language written in the Latin alphabet from the others (a
#: letter several share is under each), for the guess of :func:`guessed_language`
SIGNS = {"es": "ñ¿¡áíóú", "de": "äöüß", "fr": "àâçèêëîïôœùû", "pt": "ãõâêôçà", "it": "àèìòù"}
#: language names the hint gives with a guess
LANGUAGE_NAMES = {"es": "Spanish", "de": "German", "fr": "French", "pt": "Portuguese",
                  "it": "Italian"}
#: the lemma-mode terms a hint on the share of unknown terms alone needs asked: fewer are
#: a glossary of names and jargon as often as one in another language
MIN_ASKED = 8


def guessed_language(phrases: Sequence[str], lang: str) -> tuple[str, list[str]] | None:
    """The language whose letters (:data:`SIGNS`) the ``phrases`` hold most of, with those
    letters; None when they hold none, two languages tie, or it is ``lang`` itself."""
    held = {c for phrase in phrases for c in phrase.lower()}
    scores = {code: sorted(held & set(signs)) for code, signs in SIGNS.items()}
    ranked = sorted(scores.items(), key=lambda pair: -len(pair[1]))
    (best, letters), (_, second) = ranked[0], ranked[1]
    if not letters or len(letters) == len(second) or best == lang:
        return None
    return best, letters


def language_hint(unknown: Sequence[str], asked: int, table: object, lang: str, *,
                  written: Sequence[str] = ()) -> list[str]:
    """A warning that ``[nlp] lang`` may be wrong: more than half of the ``asked``
    lemma-mode terms are ``unknown`` to its table (known in no other form), and a third or
    more of those hold letters its words seldom do (:func:`alphabet`); or three quarters
    or more of :data:`MIN_ASKED` or more terms are unknown, some of them with such
    letters, and the glossaries' phrases (``written``) hold the letters of another
    language (:func:`guessed_language`), which it names. Spanish glossaries under
    ``lang = "en"`` were told, term by term, to list their forms as synonyms; Spanish
    vocabulary is mostly written without accents ("precio", "pagar", "cerrar"), so a
    glossary of 19 unknown terms, 4 of them accented, got no hint."""
    if 2 * len(unknown) <= asked:
        return []
    letters = alphabet(table)
    foreign = [term for term in unknown
               if any(c.isalpha() and c not in letters for c in term.lower())]
    guess = guessed_language(written or unknown, lang)
    mostly = (4 * len(unknown) >= 3 * asked and asked >= MIN_ASKED and bool(foreign)
              and guess is not None)
    if 3 * len(foreign) < len(unknown) and not mostly:
        return []
    outside = sorted({c for term in foreign for c in term.lower()
                      if c.isalpha() and c not in letters})
    meant = ""
    if guess is not None:
        code, signs = guess
        meant = (f"; did you mean lang = {code!r}? (the glossaries' phrases hold "
                 f"{', '.join(signs)}, {LANGUAGE_NAMES[code]} letters)")
    return [f"[nlp] lang is {lang!r}, but {len(unknown)} of the {asked} lemma-mode terms "
            f"are words its lookup table knows no other form of, {len(foreign)} of them "
            f"with letters its words seldom hold ({', '.join(outside[:8])}){meant}: if the "
            "glossaries and the data are in another language, set [nlp] lang in "
            "labelwright.toml to its code (es, de, fr, ...; `labelwright init --lang CODE` "
            "writes it in a new project), so that lemma mode reads that language's lemmas; "
            "the advice above to list forms as synonyms holds only if they are in "
            f"{lang!r}"]
