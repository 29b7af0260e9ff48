"""Forms of a lemma-mode term that lose their lemma when typed without accents: check's
warning.

The lookup table knows a word as spelt with its accents: "prélevé" is a form of
`prélever`, "preleve" no word at all, and "livre" (for "livré") the noun, a book. A
glossary that keeps accents misses such forms, and nothing said so; one with ``accents:
ignore`` matches them (:mod:`~labelwright.glossaries.unaccented_forms`), and so matches
every text word spelt as one that is another word ("un livre" for `livrer`). One warning
per glossary names its terms (with their lines) and those forms: all that lose their
lemma where the glossary keeps accents, those that are another word where it ignores
them; with the items' texts, only those the items hold, each with how often, most
frequent first (a verb has dozens of forms, most of them rare: "livrâmes").
The forms come from spacy-lookups-data's words for the language
(:func:`~labelwright.nlp.lemma_tables.table_words`, read once per process).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.match_keys import case_folded_docs, phrase_docs
from labelwright.glossaries.misread_forms import form_counts, known_to_table
from labelwright.glossaries.places import as_written, in_memory, phrase_at
from labelwright.glossaries.words import without_accents
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import table_words

#: phrases a warning names per glossary, and forms per phrase (the counts say how many)
SHOWN_PHRASES, SHOWN_FORMS = 5, 3


def forms_without_accents(glossaries: Sequence[Glossary], nlp: Language,
                          texts: Sequence[str] | None = None) -> list[str]:
    """One warning per lemma-mode glossary with phrases whose words have forms that lose
    their lemma typed without accents (module docstring). Nothing without a lookup table
    or spacy-lookups-data's words for the language."""
    lemma_mode = [g for g in glossaries if g.mode == "lemma"]
    if not lemma_mode or "lemmatizer" not in nlp.component_names:
        return []
    keys = LemmaKeys(nlp)
    if keys.table is None:
        return []
    asked = {g.name: _phrase_words(g, nlp, keys) for g in lemma_mode}
    wanted = {k for found in asked.values() for _, _, words in found for k in words}
    words = table_words(nlp.lang) if wanted else None
    if words is None:
        return []
    forms: dict[str, list[str]] = {}
    for form, lemma in words.items():  # 216,849 French words: the cheap test first
        key = lemma if lemma.islower() else caseless(lemma)
        if key in wanted and not form.isascii():
            forms.setdefault(key, []).append(caseless(form))
    read = _Readings(nlp, keys)
    lost = {name: [(phrase, line, [(spelt, other) for k in ks for spelt, other
                                   in read.lost(k, forms.get(k, []))])
                   for phrase, line, ks in found] for name, found in asked.items()}
    counts = form_counts(texts, {spelt for found in lost.values() for _, _, pairs in found
                                 for spelt, _ in pairs}) if texts is not None else None
    messages = []
    for glossary in lemma_mode:
        ignore = glossary.accents == "ignore"
        named = []
        for phrase, line, pairs in lost[glossary.name]:
            if ignore:  # matched now: only another word is a false hit
                pairs = [(spelt, other) for spelt, other in pairs if other is not None]
            if not pairs:
                continue
            if counts is not None:  # the forms the items hold, most frequent first
                pairs = sorted([pair for pair in pairs if counts[pair[0]]],
                               key=lambda pair: -counts[pair[0]])
            else:  # another word first: the forms a reader meets most
                pairs = sorted(pairs, key=lambda pair: (pair[1] is None, pair[0]))
            if not pairs:
                continue
            shown = some_of([_form(spelt, other, counts) for spelt, other in pairs],
                            SHOWN_FORMS)
            at = (phrase_at(glossary, phrase, line).removeprefix(f"{glossary.path} ")
                  if in_memory(glossary) else f"line {line}")
            named.append(f"{as_written(phrase)} ({at}): {shown}")
        if named:
            messages.append(_message(glossary, named, ignore))
    return messages


def _form(spelt: str, other: str | None, counts: dict[str, int] | None) -> str:
    read = f"the word {other!r}" if other is not None else "no word of the table"
    count = f", {counts.get(spelt, 0):,} in the data" if counts is not None else ""
    return f"{spelt!r} ({read}{count})"


def _message(glossary: Glossary, named: list[str], ignore: bool) -> str:
    many = len(named) > 1
    if ignore:
        return (f"{glossary.path}: {len(named)} lemma-mode phrase{'s' if many else ''} "
                f"{'have' if many else 'has'} forms that are another word typed without "
                "their accents, which accents: ignore matches as the phrase too: "
                f"{some_of(named, SHOWN_PHRASES)}; where that is not meant, list the "
                "phrase in a glossary that keeps accents (README: Writing a glossary, "
                "Accents)")
    return (f"{glossary.path}: {len(named)} lemma-mode phrase{'s' if many else ''} "
            f"{'have' if many else 'has'} forms that lose their lemma typed without their "
            f"accents, which lemma mode then misses: {some_of(named, SHOWN_PHRASES)}; set "
            "accents: ignore to match them, or list the forms as synonyms (README: "
            "Writing a glossary, Accents)")


def _phrase_words(glossary: Glossary, nlp: Language, keys: LemmaKeys
                  ) -> list[tuple[str, int, list[str]]]:
    """Each phrase of ``glossary`` with its line and the lemma keys of its words that
    inflect (not stop words, of three letters or more)."""
    listed = [pair for term in glossary.terms for pair in term.phrase_lines()]
    found = []
    for (phrase, line), doc in zip(listed, phrase_docs(nlp, "lemma", [p for p, _ in listed])):
        words = [keys.key(t) for t in doc if not t.is_stop and t.is_alpha and len(t) >= 3]
        if words:
            found.append((phrase, line, words))
    return found


class _Readings:
    """How the pipeline reads a spelling (each once), and which forms lose their lemma."""

    def __init__(self, nlp: Language, keys: LemmaKeys) -> None:
        self._nlp = nlp
        self._keys = keys
        self._read: dict[str, str | None] = {}

    def lost(self, lemma: str, forms: list[str]) -> list[tuple[str, str | None]]:
        """The spellings without accents of ``forms`` (of ``lemma``) read as another
        word (with it) or as none (None), each once."""
        spellings = sorted({without_accents(f) for f in forms})
        new = [s for s in spellings if s not in self._read]
        for spelt, doc in zip(new, case_folded_docs(self._nlp, new)):
            key = self._keys.keys(doc)[0] if len(doc) == 1 else None
            known = key is not None and (key != spelt or known_to_table(self._keys.table,
                                                                        spelt))
            self._read[spelt] = key if known else None
        return [(s, self._read[s]) for s in spellings
                if without_accents(self._read[s] or "") != without_accents(lemma)]
