"""Forms of a lemma-mode term that the lookup table reads as another word's: lemma mode
misses them, and nothing said so.

Spanish's table reads "recomiendo" as a form of ``recomer`` (re + comiendo), while
"recomienda", "recomendamos" and "recomendado" are ``recomendar``'s: the term
``recomendar`` missed "Lo recomiendo". A table maps each word to one lemma, so such a form
is found by analogy. Lemmas of the table that end as the term does (``encomendar``,
``enmendar``, ``remendar``) show how their forms end ("encomiendo": ``-endar`` becomes
``-iendo``); an ending change most of them share, made to the term, is a form it should
have ("recomiendo"), and where the pipeline reads that word as another lemma, the term
misses it.

The table's words come from spacy-lookups-data's file for the language (the table spaCy
holds keeps only their hashes): read once per process, about a second for Spanish's
491,547 words. The lemmas the forms are read as come from the project's pipeline, as the
matcher reads them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.language import Language

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.match_keys import phrase_docs
from labelwright.glossaries.places import term_place
from labelwright.glossaries.table_forms import inflecting_word
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import table_words

#: the endings compared: the longest a term shares with its neighbours is tried first, down
#: to the shortest, until :data:`FEWEST_NEIGHBOURS` lemmas share it
ENDINGS = range(8, 2, -1)
#: lemmas of one ending needed to read a pattern from (fewer say little)
FEWEST_NEIGHBOURS = 3
#: lemmas of one ending read (the first in alphabetical order): a bound on the work per term
MOST_NEIGHBOURS = 20
#: terms a warning names per glossary, and forms per term (the counts say how many)
SHOWN_TERMS, SHOWN_FORMS = 5, 3


def misread_forms(glossaries: Sequence[Glossary], nlp: Language,
                  texts: Sequence[str] | None = None) -> list[str]:
    """One warning per lemma-mode glossary with terms whose forms the pipeline reads as
    another lemma (module docstring), naming the terms and those forms. Asked of each
    term's last word that is not a stop word (the one that inflects) when it is its own
    lemma: a term read as another word is :func:`~.lemma_shifts.lemma_shifts`' warning. Nothing
    without a lookup table or spacy-lookups-data's words for the language.

    ``texts``: the project's items, when read: each form is named with how often it
    occurs in them (:func:`form_counts`), the most frequent first, so that the forms a
    warning shows are those the data holds ("plante", 57 times, before "plantons")."""
    lemma_mode = [g for g in glossaries if g.mode == "lemma"]
    if not lemma_mode or "lemmatizer" not in nlp.component_names:
        return []
    keys = LemmaKeys(nlp)
    if keys.table is None:  # asked first: reading the table's words takes a second
        return []
    asked = {glossary.name: _asked_words(glossary, nlp, keys) for glossary in lemma_mode}
    words = table_words(nlp.lang) if any(asked.values()) else None
    if words is None:
        return []
    neighbours = _Neighbours(words, {w.lower() for found in asked.values()
                                     for _, w in found})
    found = {glossary.name: [(term, missed) for term, word in asked[glossary.name]
                             if (missed := _missed(term, word, neighbours, nlp, keys))]
             for glossary in lemma_mode}
    counts = form_counts(texts, {caseless(form) for pairs in found.values()
                                 for _, missed in pairs for form, _ in missed}) \
        if texts is not None else None
    messages = []
    for glossary in lemma_mode:
        named = []
        for term, missed in found[glossary.name]:
            if missed:
                if counts is not None:  # the most frequent first; the stable sort keeps
                    # the alphabetical order of forms as frequent
                    missed.sort(key=lambda pair: -counts[caseless(pair[0])])
                shown = some_of([f"{form!r} (read as {lemma!r}"
                                 + (f", {counts[caseless(form)]:,} in the data)"
                                    if counts is not None else ")")
                                 for form, lemma in missed], SHOWN_FORMS)
                named.append(f"'{term.term}'{term_place(glossary, term)} misses {shown}")
        if named:
            messages.append(
                f"{glossary.path}: {len(named)} of {len(glossary.terms)} lemma-mode terms "
                f"have forms the '{nlp.lang}' lookup table reads as another word's, so "
                f"lemma mode misses them: {some_of(named, SHOWN_TERMS)}; list those forms "
                "as synonyms of their term (a synonym matches by its own lemma too: "
                "'leaves' also matches 'leave' and 'left'; where that is too wide, list them "
                "in a lowercase-mode glossary) (README: Writing a glossary, Forms read as "
                "another word)")
    return messages


def _asked_words(glossary: Glossary, nlp: Language, keys: LemmaKeys
                 ) -> list[tuple[Term, str]]:
    """Each term of ``glossary`` with the word of it that inflects
    (:func:`~labelwright.glossaries.table_forms.inflecting_word`), where that word is its
    own lemma."""
    found = []
    terms = glossary.terms
    for term, doc in zip(terms, phrase_docs(nlp, "lemma", [t.term for t in terms])):
        last = inflecting_word(doc)
        if last is not None and keys.key(last) == caseless(last.text):
            found.append((term, last.text))
    return found


def _missed(term: Term, word: str, neighbours: _Neighbours, nlp: Language,
            keys: LemmaKeys) -> list[tuple[str, str]]:
    """The forms ``word`` (the last word of ``term``) should have by its neighbours'
    pattern that the pipeline reads as another lemma, each with that lemma; forms listed
    as synonyms are left out."""
    own = caseless(word)
    listed = {caseless(phrase).split()[-1] for phrase in term.synonyms if phrase.split()}
    candidates = [form for form in neighbours.forms_of(word)
                  if caseless(form) != own and caseless(form) not in listed]
    if not candidates:
        return []
    missed = []
    table = keys.table
    for form, doc in zip(candidates, phrase_docs(nlp, "lemma", candidates)):
        read = keys.keys(doc)
        # read as another lemma; a word read as itself only where the table knows it so
        # (French "plante", the noun: a word the table does not know keeps itself)
        if len(read) == 1 and read[0] != own and (
                read[0] != caseless(form) or known_to_table(table, form)):
            missed.append((form, read[0]))
    return missed


def known_to_table(table: object, form: str) -> bool:
    """Does the lookup table list ``form`` (as written or in lowercase)?"""
    contains = getattr(table, "__contains__", None)
    return contains is not None and (contains(form) or contains(form.lower()))


#: a word of a text, as :func:`form_counts` counts them
_WORD = re.compile(r"[^\W\d_]+")


def form_counts(texts: Iterable[str], forms: set[str]) -> Counter[str]:
    """How often each of ``forms`` (caseless) occurs in ``texts`` as a word (a run of
    letters): one pass, counting only those."""
    counts: Counter[str] = Counter()
    if not forms:
        return counts
    for text in texts:
        counts.update(word for word in _WORD.findall(caseless(text)) if word in forms)
    return counts


class _Neighbours:
    """The lemmas of the table's words by ending, and their forms, for the words asked
    about: gathered in two passes over the table's words (not an index of all of them:
    memory and a second for Spanish's)."""

    def __init__(self, words: dict[str, str], asked: Iterable[str]) -> None:
        endings = {word[-n:] for word in asked for n in ENDINGS if len(word) > n}
        self._by_ending: dict[str, list[str]] = {}
        for lemma in sorted(set(words.values())):
            lowered = lemma.lower()
            for n in ENDINGS:
                if len(lowered) > n and lowered[-n:] in endings:
                    self._by_ending.setdefault(lowered[-n:], []).append(lemma)
        wanted = {lemma for found in self._by_ending.values() for lemma in found}
        self._forms: dict[str, list[str]] = {}
        for form, lemma in words.items():
            if lemma in wanted:
                self._forms.setdefault(lemma, []).append(form)

    def forms_of(self, word: str) -> list[str]:
        """The forms ``word`` takes by the most common ending changes of the lemmas that
        share its longest ending shared by :data:`FEWEST_NEIGHBOURS` or more (each change
        made by at least half of them, and by two), in ``word``'s own case."""
        lowered = word.lower()
        for n in ENDINGS:
            if len(lowered) <= n:
                continue
            near = [lemma for lemma in self._by_ending.get(lowered[-n:], ())
                    if lemma.lower() != lowered]
            if len(near) >= FEWEST_NEIGHBOURS:
                break
        else:
            return []
        near = near[:MOST_NEIGHBOURS]
        changes: Counter[tuple[str, str]] = Counter()
        for lemma in near:
            changes.update({change for form in self._forms.get(lemma, ())
                            if len((change := _change(lemma.lower(), form.lower()))[0]) <= n})
        fewest = max(2, len(near) // 2)
        return sorted({word[:len(word) - len(old)] + new
                       for (old, new), count in changes.items() if count >= fewest})


def _change(lemma: str, form: str) -> tuple[str, str]:
    """How ``form`` ends where ``lemma`` ends otherwise: the two after their common start
    (``encomendar``, "encomiendo": ``endar``, ``iendo``)."""
    same = 0
    for a, b in zip(lemma, form):
        if a != b:
            break
        same += 1
    return lemma[same:], form[same:]
