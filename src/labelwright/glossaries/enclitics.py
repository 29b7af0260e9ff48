"""Spanish words with their pronouns written on: the infinitive, the gerund and the
imperative take them at their end ("conectarse", "conectarme", "conectándose",
"conéctate", "conectémonos", "dámelo").

Spanish's lookup table knows none of these words, so each kept itself as its lemma: the
term `conectarse` matched only "conectarse", and `conectar` missed "no puedo conectarme"
and "conéctate". Such a word is read as its reflexive pronoun (if it has one) and the verb
it is a form of, with the accent the pronoun put on it taken off ("conéctate" is "conecta"
+ "te"): the term `conectarse` is the pronoun `se` and the verb `conectar` to
:mod:`~labelwright.glossaries.reflexive`, and a text's "conectándome" is "me" and
`conectar` (:meth:`Enclitics.text_keys`). Object pronouns (lo, la, le and their plurals)
are taken off too, and not kept. Only a word the table does not know is read so (it
knows "conectase", a form of `conectar` of its own), and in a text only where the verb is
a term word's (a bound on the work and on false readings: "parte" is no "par" + "te").
"""

from __future__ import annotations

import unicodedata

from labelwright.glossaries.words import fold_accents
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import first_lemma, table_lemmas

#: reflexive pronouns written on a verb, and object pronouns (after them: "dár-se-lo")
REFLEXIVE = ("nos", "os", "me", "te", "se")
OBJECT = ("los", "las", "les", "lo", "la", "le")
#: endings of the infinitives a verb form's lemma has
INFINITIVE = ("ar", "er", "ir", "ír")
#: letters a stem keeps at least ("irse": "ir" is too short a stem to read safely)
SHORTEST_STEM = 3
#: words remembered before starting afresh
MAX_REMEMBERED = 200_000

_ACUTE = "\u0301"


def without_acute(word: str) -> str:
    """``word`` without its acute accents ("conécta": "conecta"), other marks kept
    ("ñ", "ü")."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).replace(_ACUTE, ""))


class Enclitics:
    """Reads Spanish words with pronouns written on as the reflexive pronoun and the verb
    (module docstring)."""

    def __init__(self, lemma: LemmaKeys) -> None:
        self._table = lemma.table
        self._lemmas = table_lemmas(self._table)
        #: word -> (its reflexive pronoun or "", the verb's lemma), or None
        self._read: dict[str, tuple[str, str] | None] = {}
        #: the words read so that are some verb's form (:meth:`text_keys` asks a text for
        #: them at once)
        self._split: set[str] = set()

    def read(self, word: str) -> tuple[str, str] | None:
        """``word`` (caseless) as its reflexive pronoun ("" for none) and its verb's lemma
        (caseless), or None when it is no verb with a pronoun written on."""
        known = self._read.get(word)
        if known is not None or word in self._read:
            return known
        if len(self._read) > MAX_REMEMBERED:
            self._forget()
        return self._remember(word)

    def _forget(self) -> None:
        """Start afresh: a bound on memory over millions of distinct words."""
        self._read.clear()
        self._split.clear()

    def _remember(self, word: str) -> tuple[str, str] | None:
        """:meth:`read` of a word not read yet, remembered."""
        found = self._read[word] = self._reading(word)
        if found is not None:
            self._split.add(word)
        return found

    def _reading(self, word: str) -> tuple[str, str] | None:
        table = self._table
        if table is None or not word.isalpha() or word in table:
            return None
        stem, reflexive = word, ""
        for pronoun in OBJECT:
            if stem.endswith(pronoun):
                stem = stem[:-len(pronoun)]
                break
        for pronoun in REFLEXIVE:
            if stem.endswith(pronoun):
                stem, reflexive = stem[:-len(pronoun)], pronoun
                break
        if stem == word or len(stem) < SHORTEST_STEM:
            return None
        # "conectémo-nos" drops the "s" of "conectemos", "conecta-os" the "d" of "conectad"
        shapes = [stem, stem + "s"] if reflexive == "nos" else [stem, stem + "d"] \
            if reflexive == "os" else [stem]
        for shape in shapes:
            for spelt in dict.fromkeys((shape, without_acute(shape))):
                lemma = self._verb(spelt)
                if lemma is not None:
                    return reflexive, lemma
        return None

    def _verb(self, stem: str) -> str | None:
        """The lemma of ``stem`` where it is a verb's form (its lemma ends as an
        infinitive does), else None."""
        value = self._table.get(stem) if self._table is not None else None
        lemma = first_lemma(value) if value is not None else (
            stem if stem in self._lemmas else None)
        if lemma is None or not lemma.endswith(INFINITIVE):
            return None
        return caseless(lemma)

    def split_phrase(self, keys: list[str]) -> list[str] | None:
        """A phrase's keys with its first word that has a reflexive pronoun written on
        ("conectarse") as the pronoun and the verb (``se``, ``conectar``); None when it
        has none."""
        for i, key in enumerate(keys):
            found = self.read(key)
            if found is not None and found[0]:
                return [*keys[:i], *found, *keys[i + 1:]]
        return None

    def text_keys(self, words: list[str], accents: str, verbs: frozenset[str]
                  ) -> tuple[list[str], list[int]] | None:
        """A text's keys ``words`` (folded as ``accents`` says) with each word of a verb
        of ``verbs`` (term words' keys) with pronouns written on as its reflexive pronoun
        and the verb, with each key's position in ``words``; None when none is."""
        held = set(words)
        new = held.difference(self._read)
        if new and len(self._read) + len(new) > MAX_REMEMBERED:
            # before the text's words are read, not among them: a start afresh halfway
            # forgot the words read before it, and their text went unread
            self._forget()
            new = held
        for word in new:  # each word read once (remembered)
            self._remember(word)
        if self._split.isdisjoint(held):
            return None
        out: list[str] | None = None
        at: list[int] = []
        for i, word in enumerate(words):
            found = self._read.get(word) if word in self._split else None
            if found is not None and found[1] not in verbs:
                found = None
            if found is None:
                if out is not None:
                    out.append(word)
                    at.append(i)
                continue
            if out is None:
                out, at = list(words[:i]), list(range(i))
            reflexive, verb = found
            if reflexive:
                out.append(reflexive)
                at.append(i)
            out.append(fold_accents(verb, accents))
            at.append(i)
        return (out, at) if out is not None else None
