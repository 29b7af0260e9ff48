"""Text words typed without their accents that are forms of a term's lemma: what a
lemma-mode glossary with ``accents: ignore`` also matches.

The lookup table knows a word as spelt with its accents. Typed without them, a form is
either no word of the table ("preleve" for "prélevé", "debite", "geniale": each kept
itself as its lemma) or another word ("livre", the noun, for "livré"; "facture", the noun,
for "facturé"), so the terms `prélever`, `débiter`, `génial`, `livrer` and `facturer`
missed them, though the glossary ignores accents; only a spelling of the term's own word
matched (:mod:`~labelwright.glossaries.respelling`). Here a text word is also read, accents
put back, as each spelling of it the table knows: where one of them is a form of a term
word's lemma, the word is matched as that lemma too (:meth:`UnaccentedForms.text_keys`
gives the keys to match once more).

The price is false hits: "livre" (a book) now matches `livrer`, and a term whose lemma
has a form that is a common word without its accents matches that word ("été", summer
and a form of `être`; "du" and `devoir`'s "dû"). A text word is asked only when it starts
as a term word does (:data:`STEM`), with up to :data:`MOST_MARKS` accents put back, of the
accented letters the table's lemmas use; each word once (remembered).
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from labelwright.glossaries.respelling import MARK
from labelwright.glossaries.words import without_accents
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import first_lemma, per_table, table_lemmas

#: letters a text word shares with a term word's lemma before it is asked about
STEM = 3
#: accents put back into one word at most ("réexpédié" needs four: it is missed)
MOST_MARKS = 3
#: spellings asked of one word at most (a long word with many vowels has thousands)
MOST_SPELLINGS = 2_000
#: text words remembered per matcher kind before starting afresh
MAX_REMEMBERED = 200_000


def _accented_letters(table: Any) -> frozenset[str]:
    """The lowercase letters with a mark that the table's lemmas use (French: "é", "è",
    "ê", "à", "ç", ...): the letters put back into a word typed without them."""
    return frozenset(c for lemma in table_lemmas(table) if not lemma.isascii()
                     for c in lemma.lower() if c.isalpha() and without_accents(c) != c
                     and len(without_accents(c)) == 1)


def accented_spellings(word: str, letters: frozenset[str]) -> list[str]:
    """``word`` (without accents) with one to :data:`MOST_MARKS` of its letters given a
    mark of ``letters``, the fewest marks first, up to :data:`MOST_SPELLINGS`."""
    marked: dict[str, list[str]] = {}
    for letter in sorted(letters):
        marked.setdefault(without_accents(letter), []).append(letter)
    at = [i for i, c in enumerate(word) if c in marked]
    found: list[str] = []
    for n in range(1, min(MOST_MARKS, len(at)) + 1):
        for places in combinations(at, n):
            for chosen in product(*(marked[word[i]] for i in places)):
                spelt = list(word)
                for i, letter in zip(places, chosen):
                    spelt[i] = letter
                found.append("".join(spelt))
                if len(found) >= MOST_SPELLINGS:
                    return found
    return found


class UnaccentedForms:
    """The lemmas of lemma-mode term words under ``accents: ignore``, per matcher kind, and
    the text words typed without accents that are forms of them (module docstring)."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        self._table = lemma.table
        self._letters = (per_table(self._table, _accented_letters)
                         if self._table is not None else frozenset())
        #: kind -> the term words' lemma keys (without accents), and how they start
        self._lemmas: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] = {}
        #: kind -> text word (orth) -> the term lemmas it is a form of (most: none)
        self._read: dict[str, dict[int, tuple[str, ...]]] = {}

    def note(self, kind: str, keys: list[str]) -> None:
        """A term phrase's lemma keys (without accents) in a kind that ignores accents."""
        if not self._letters:
            return
        words = [k for k in keys if len(k) >= STEM and k.isalpha()]
        self._lemmas.setdefault(kind, set()).update(words)
        self._stems.setdefault(kind, set()).update(k[:STEM] for k in words)

    def text_keys(self, kind: str, doc: Doc, keys: list[str], keep: list[int] | None
                  ) -> list[str] | None:
        """``keys`` (of ``doc``'s tokens, ``keep`` their positions) with each word that is,
        accents put back, a form of a term word's lemma as that lemma; None when no word
        is read otherwise (most texts)."""
        stems = self._stems.get(kind)
        if not stems:
            return None
        read = self._read.setdefault(kind, {})
        if len(read) > MAX_REMEMBERED:
            read.clear()
        orths = doc.to_array(ORTH).tolist()
        strings = doc.vocab.strings
        changed: list[str] | None = None
        for i, at in enumerate(keep if keep is not None else range(len(orths))):
            orth = orths[at]
            lemmas = read.get(orth)
            if lemmas is None:
                lemmas = read[orth] = self._term_lemmas(kind, strings[orth], stems)
            # the word's own reading is matched on ``keys`` already
            other = next((lemma for lemma in lemmas if lemma != keys[i]), None)
            if other is not None and not keys[i].startswith(MARK):
                changed = list(keys) if changed is None else changed
                changed[i] = other
        return changed

    def _term_lemmas(self, kind: str, text: str, stems: set[str]) -> tuple[str, ...]:
        """The lemmas of term words that ``text``, its accents put back, is a form of
        (those of the spellings with the fewest accents first)."""
        word = without_accents(caseless(text))
        if len(word) < STEM or word[:STEM] not in stems or not word.isalpha():
            return ()
        table, lemmas = self._table, self._lemmas[kind]
        found: dict[str, None] = {}
        for spelt in accented_spellings(word, self._letters):
            value = table.get(spelt) if table is not None else None
            if value is not None:
                lemma = without_accents(caseless(first_lemma(value)))
                if lemma in lemmas:
                    found[lemma] = None
        return tuple(found)
