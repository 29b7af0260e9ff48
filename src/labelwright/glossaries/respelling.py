"""Lemma-mode words that ``accents: ignore`` must match as spelt, not by lemma.

A lemma-mode glossary compares lemmas, and folds accents after the table has read each
word. Where a word without its accent, or with one put on by mistake, is another word of
the table, folding comes too late: "está" is a form of ``estar``, "esta" one of ``este``,
so "la app esta rota" missed the term ``está rota``; "sé" is a form of ``ser``, so "no sé
conecta" missed ``no se conecta``. Such a term word (its spellings with and without
accents have other lemmas: :meth:`Respellings.add_patterns`) is also matched by its spelling
without accents: each term holding one gets a pattern with that word as a *mark* of its
spelling, and a text holding one of those spellings is matched once more on its keys with
the same marks (:meth:`Respellings.text_keys`). A word spelt otherwise keeps its lemma
("estas" is still ``este``'s and no "está"), and the other words of the term still match
by lemma ("esta rotas"), also where the text's word is marked, being spelt as another
term's word is (:func:`_marked_patterns`). A glossary's exclusions are read alike: "no
está" cancels "no esta rota" (:meth:`Respellings.note_cues`, :meth:`Respellings.cues`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import islice, product
from math import prod
from typing import TYPE_CHECKING

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from labelwright.glossaries.exclusions import Cue
from labelwright.glossaries.match_keys import case_folded_docs, match_keys, phrase_docs
from labelwright.glossaries.words import is_word, without_accents
from labelwright.nlp import LemmaKeys, caseless

if TYPE_CHECKING:
    from labelwright.glossaries.core import Glossary
    from labelwright.glossaries.first_words import FirstWords

#: what a key that stands for a spelling starts with: no token's text or lemma does
MARK = "\x00"
#: text words whose mark (or none) :meth:`Respellings.text_keys` remembers, per matcher kind
MAX_REMEMBERED = 200_000


@lru_cache(maxsize=1)
def accented_letters() -> dict[str, str]:
    """Each ASCII letter with the lowercase Latin letters that are it with a mark ("e":
    "èéêë..."; "n": "ñńņňŉ"), from Latin-1 to Latin Extended-B."""
    found: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = without_accents(letter)
        if letter.islower() and len(base) == 1 and base.isascii() and base != letter:
            found[base] = found.get(base, "") + letter
    return found


def exclusion_spellings(nlp: Language, lemma: LemmaKeys, phrases: Sequence[str]
                        ) -> list[tuple[list[str], list[str], str]]:
    """Each lemma-mode exclusion of a glossary with ``accents: ignore`` as its words' keys
    as the window compares them (:func:`~labelwright.glossaries.exclusions.exclusion_cues`)
    and its words as written (caseless, without accents), with the phrase; an exclusion
    whose two readings have other lengths is left to its lemmas."""
    found = []
    for phrase, doc in zip(phrases, phrase_docs(nlp, "lemma", phrases)):
        keys = match_keys(doc, "lemma", lemma)[0]
        written = match_keys(doc, "lowercase", lemma)[0]
        if len(keys) == len(written):
            pairs = [(without_accents(k), without_accents(w))
                     for k, w in zip(keys, written) if is_word(k)]
            found.append(([k for k, _ in pairs], [w for _, w in pairs], phrase))
    return found


def one_mark_spellings(word: str) -> list[str]:
    """``word`` (without accents) with one of its letters given a mark, in every way:
    the slips of typing a word with an accent where it has none ("se": "sé", "sè", ...)."""
    letters = accented_letters()
    return [word[:i] + marked + word[i + 1:]
            for i, char in enumerate(word) for marked in letters.get(char, "")]


#: patterns with marks one phrase may get (its words by lemma read as spelt, in every way):
#: their number is a product over the phrase's words, so a long phrase could make
#: thousands; a phrase that needs more is named by check (:mod:`.capped_patterns`)
MAX_MARKED_PATTERNS = 16


def _marked_patterns(written: list[str], keys: list[str], spelt: dict[str, str | None],
                     spelt_with: dict[str, list[str]]) -> list[list[str]]:
    """A phrase's patterns with marks: each word matched as spelt as its mark, and each
    other word by its lemma key or as the mark of a spelling of that lemma's words matched
    as spelt. A text's keys mark every such spelling, so `se estaba cerrando` needs "está"
    marked beside "sé" where `está rota` makes "esta" a spelling matched as spelt ("sé
    está cerrando")."""
    choices = [[MARK + word] if word in spelt
               else [k, *(MARK + other for other in spelt_with.get(k, ()))]
               for word, k in zip(written, keys)]
    return [list(words) for words in islice(product(*choices), MAX_MARKED_PATTERNS)]


def _marked_pattern_count(written: list[str], keys: list[str], spelt: dict[str, str | None],
                          spelt_with: dict[str, list[str]]) -> int:
    """How many patterns with marks :func:`_marked_patterns` would make of a phrase
    without its cap."""
    return prod(1 if word in spelt else 1 + len(spelt_with.get(k, ()))
                for word, k in zip(written, keys))


class Respellings:
    """The term words of lemma-mode glossaries with ``accents: ignore`` that are matched
    by their spelling without accents too, per matcher kind, and the patterns and text
    keys that do it (module docstring)."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        self._nlp = nlp
        self._lemma = lemma
        #: kind -> the spellings (caseless, without accents) matched as spelt, each with
        #: the lemma key of the term words spelt so (None when they have several)
        self._spelt: dict[str, dict[str, str | None]] = {}
        #: (spelling, the term word's key) -> is it read otherwise? (asked once)
        self._asked: dict[tuple[str, str], bool] = {}
        #: the phrases to give a pattern with marks, once every spelling is known
        self._phrases: list[tuple[PhraseMatcher, str, str, list[str], list[str]]] = []
        #: kind -> the text words (orths) asked about, and those of them spelt as a word
        #: matched as spelt, with that spelling
        self._asked_words: dict[str, set[int]] = {}
        self._marked: dict[str, dict[int, str]] = {}
        #: exclusions to give marks, and the cues with marks made of them, per glossary
        #: name (before a match, and after it)
        self._exclusions: list[tuple[str, str, int, list[tuple[list[str], list[str], str]]]] = []
        self._cues: dict[str, tuple[list[Cue], list[Cue]]] = {}
        #: the phrases (their matcher keys) and exclusions ((glossary name, phrase)) that
        #: needed more patterns with marks than :data:`MAX_MARKED_PATTERNS`, with how
        #: many: texts spelt as those left out are missed, which check says
        #: (:mod:`.capped_patterns`)
        self.capped: dict[str, int] = {}
        self.capped_cues: dict[tuple[str, str], int] = {}

    def note(self, matcher: PhraseMatcher, kind: str, key: str, written: list[str],
             keys: list[str]) -> None:
        """A phrase of ``kind`` added to ``matcher`` as ``key``: its words as written and
        its lemma keys, both caseless and without accents."""
        if len(written) == len(keys):
            self._phrases.append((matcher, kind, key, written, keys))

    def note_cues(self, kind: str, glossary: Glossary, side: int,
                  words: list[tuple[list[str], list[str], str]]) -> None:
        """A glossary's exclusions (``side`` 0: before a match, 1: after it), each as its
        words' lemma keys as the window compares them, its words as written (caseless,
        without accents) and the phrase (:func:`exclusion_spellings`)."""
        self._exclusions.append((kind, glossary.name, side, words))

    def cues(self, name: str) -> tuple[list[Cue], list[Cue]]:
        """The exclusions (before a match, after it) of the glossary ``name`` that hold a
        word matched as spelt, with marks: compared with the keys
        :meth:`text_keys` gives."""
        return self._cues.get(name, ([], []))

    def add_patterns(self, vocab: Vocab, first: FirstWords) -> None:
        """Find the words of the noted phrases and exclusions matched as spelt
        (:meth:`_ask`), then give each phrase that holds one its pattern with marks (a
        spelling one phrase's word makes ambiguous is marked in every text, so in every
        phrase), and each such exclusion its cue with marks."""
        words = {(kind, word, k) for _, kind, _, written, keys in self._phrases
                 for word, k in zip(written, keys)}
        words.update((kind, word, k) for kind, _, _, cues in self._exclusions
                     for keys, written, _ in cues for word, k in zip(written, keys))
        self._ask({(w, k) for _, w, k in words})
        keys_of: dict[tuple[str, str], set[str]] = {}
        for kind, word, k in words:
            keys_of.setdefault((kind, word), set()).add(k)
        #: kind -> a lemma key -> the spellings matched as spelt of term words with it
        spelt_with: dict[str, dict[str, list[str]]] = {}
        for (kind, word), found in sorted(keys_of.items()):
            if any(self._asked[word, k] for k in found):
                self._spelt.setdefault(kind, {})[word] = \
                    next(iter(found)) if len(found) == 1 else None
                for k in found:
                    spelt_with.setdefault(kind, {}).setdefault(k, []).append(word)
        for matcher, kind, key, written, keys in self._phrases:
            spelt = self._spelt.get(kind, {})
            if not spelt.keys().isdisjoint(written):
                patterns = _marked_patterns(written, keys, spelt, spelt_with.get(kind, {}))
                matcher.add(key, [Doc(vocab, words=marked) for marked in patterns])
                first.add(kind, patterns)
                needed = _marked_pattern_count(written, keys, spelt, spelt_with.get(kind, {}))
                if needed > MAX_MARKED_PATTERNS:
                    self.capped[key] = needed
        self._phrases.clear()
        for kind, name, side, cues in self._exclusions:
            spelt = self._spelt.get(kind, {})
            for cue_keys, written, phrase in cues:
                if not spelt.keys().isdisjoint(written):
                    self._cues.setdefault(name, ([], []))[side].extend(
                        (tuple(words), phrase) for words in _marked_patterns(
                            written, cue_keys, spelt, spelt_with.get(kind, {})))
                    needed = _marked_pattern_count(written, cue_keys, spelt,
                                                   spelt_with.get(kind, {}))
                    if needed > MAX_MARKED_PATTERNS:
                        self.capped_cues[name, phrase] = needed
        self._exclusions.clear()

    def _ask(self, words: set[tuple[str, str]]) -> None:
        """Ask of each (term word without accents, its lemma key) not asked yet whether the
        word, spelt so or with one mark more (:func:`one_mark_spellings`, those the lookup
        table knows), has another lemma in the table; the spellings parsed in one batch."""
        table = self._lemma.table
        spellings = {word: [word] + ([s for s in one_mark_spellings(word) if s in table]
                                     if table is not None else [])
                     for word, key in words if (word, key) not in self._asked}
        batch = sorted({s for found in spellings.values() for s in found})
        read = dict(zip(batch, self._keys_of(batch)))
        for word, key in words:
            if (word, key) not in self._asked:
                self._asked[word, key] = any(
                    (other := read.get(s)) is not None and other != key
                    for s in spellings[word])

    def _keys_of(self, words: list[str]) -> list[str | None]:
        """The lemma key, without accents, of each of ``words`` (None where the tokenizer
        splits it)."""
        return [without_accents(self._lemma.keys(doc)[0]) if len(doc) == 1 else None
                for doc in case_folded_docs(self._nlp, words)]

    def text_keys(self, kind: str, doc: Doc, keys: list[str], keep: list[int] | None
                  ) -> list[str] | None:
        """``keys`` (of ``doc``'s tokens, ``keep`` their positions) with each word spelt,
        without accents, as a word ``kind`` matches as spelt, as its mark; None when no
        word is (most texts), or when each such word has the lemma of the term words
        spelt so (the reflexive "se" of "se conecta"): the keys find every match then."""
        spelt = self._spelt.get(kind)
        if not spelt:
            return None
        asked = self._asked_words.setdefault(kind, set())
        spelt_as = self._marked.setdefault(kind, {})
        if len(asked) > MAX_REMEMBERED:
            asked.clear()
            spelt_as.clear()
        orths = doc.to_array(ORTH).tolist()
        new = set(orths).difference(asked)  # set operations: most texts hold no such word
        if new:
            strings = doc.vocab.strings
            for orth in new:
                spelling = without_accents(caseless(strings[orth]))
                if spelling in spelt:
                    spelt_as[orth] = spelling
            asked.update(new)
        if spelt_as.keys().isdisjoint(orths):
            return None
        marked = list(keys)
        needed = False
        for i, at in enumerate(keep if keep is not None else range(len(orths))):
            word = spelt_as.get(orths[at])
            if word is not None:
                marked[i] = MARK + word
                needed = needed or spelt[word] != keys[i]
        return marked if needed else None
