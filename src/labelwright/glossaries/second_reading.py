"""A lemma-mode text matched once more, on a second reading of its keys: French and
Spanish reflexive verbs with any person's pronoun and the words between the pronoun and
the verb left out ("je ne me suis pas connecté" for `se connecter`), Spanish's words with
pronouns written on read as the pronoun and the verb ("conéctate"), and French participles
the table reads as adjectives read as their verb after an auxiliary ("je suis inscrite"
for `inscrire`).

:mod:`~labelwright.glossaries.reflexive` makes a reflexive phrase's patterns and reads a
text's keys for them (:mod:`~labelwright.glossaries.enclitics` the Spanish words),
:mod:`~labelwright.glossaries.participles` the participles;
:class:`~labelwright.glossaries.matching.GlossaryMatcher` asks this for the patterns and
the matches. A match that skips words is kept only for a phrase read as reflexive, and the
words it skips are handed back for the exclusions to read (the "pas" of "je ne me suis
pas connecté").
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from labelwright.glossaries.crediting import Span
from labelwright.glossaries.participles import Participles
from labelwright.glossaries.reflexive import ReflexivePhrases
from labelwright.nlp import LemmaKeys


class SecondReading:
    """The reflexive patterns of a matcher's lemma-mode phrases, and the matches on the
    second reading of a text's keys (module docstring). Made empty; each phrase's keys go
    through :meth:`phrase_keys`, then :meth:`set_term_words` says which words the terms
    hold."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        self._nlp = nlp
        self._lemma = lemma
        #: the other persons of a reflexive verb (`se connecter`: "je me connecte")
        self._reflexive = ReflexivePhrases(nlp, lemma)
        #: the match ids of the phrases read as reflexive: those alone take a match that
        #: skips words ("je ne me suis pas connecté")
        self._reflexive_ids: set[int] = set()
        #: the lemma-mode term words: the verbs a word with its pronouns written on and a
        #: participle are read as
        self._verbs: frozenset[str] = frozenset()
        self._participles: Participles | None = None
        #: is a text read a second time (a reflexive phrase, a participle of a term verb,
        #: or Spanish's words with their pronouns written on, forms of any verb)?
        self._reads = False

    def phrase_keys(self, match_id: int, keys: list[list[str]]) -> list[list[str]]:
        """A lemma-mode phrase's keys with the reflexive variants of each
        (:meth:`~.reflexive.ReflexivePhrases.variants`), the phrase noted as reflexive
        when it has some."""
        read = [words for found in keys for words in self._reflexive.variants(found)]
        if read:
            self._reflexive_ids.add(match_id)
        return keys + read

    def set_term_words(self, words: set[str] | frozenset[str]) -> None:
        """The lemma-mode terms' words, once every phrase is in: the participles of those
        that are verbs are looked up now (reading the language's verb exceptions only
        for a word spelt as an infinitive)."""
        self._verbs = frozenset(words)
        self._participles = Participles(self._nlp, self._lemma, self._verbs,
                                        *self._reflexive.auxiliary_and_between())
        self._reads = bool(self._reflexive_ids) or bool(self._participles) or (
            self._reflexive.enclitics is not None and bool(self._verbs))

    def __bool__(self) -> bool:
        return self._reads

    def spans(self, matcher: PhraseMatcher, accents: str,
              readings: Sequence[list[str] | None], doc: Doc, keep: list[int] | None,
              skipped: dict[Span, list[int]], widths: dict[Span, int]) -> list[Span]:
        """The matches of ``matcher`` on the second reading of each of a text's readings
        of keys (its keys, and those with words read as spelt or as unaccented forms;
        None: a reading the text has not), as positions in those keys; a match that skips
        words, with the positions it skips, into ``skipped``; one that matched more words
        of the reading than it spans keys (a word with its pronoun written on read as
        two: `conectarse` on "conectarme"), with how many, into ``widths``."""
        found: list[Span] = []
        for words in readings:
            if words is not None:
                found += self._read_spans(matcher, accents, words, doc, keep, skipped,
                                          widths)
        return list(dict.fromkeys(found))

    def _read_spans(self, matcher: PhraseMatcher, accents: str, words: list[str],
                    doc: Doc, keep: list[int] | None, skipped: dict[Span, list[int]],
                    widths: dict[Span, int]) -> list[Span]:
        """The matches of ``matcher`` on the second reading of ``words``
        (:meth:`~.reflexive.ReflexivePhrases.text_keys`, after the participles). A match
        that skips words is kept only for a phrase read as reflexive: the term `suis
        connecté` does not match "me suis pas connecté"."""
        participles = self._participles.text_keys(words, accents) \
            if self._participles else None
        reading = self._reflexive.text_keys(participles or words, accents, doc, keep,
                                            self._verbs)
        if reading is None and participles is not None:
            reading = participles, list(range(len(participles)))
        if reading is None:
            return []
        read, at = reading
        found = []
        for match_id, start, end in matcher(Doc(self._nlp.vocab, words=read)):
            first, last = at[start], at[end - 1]
            held = set(at[start:end])
            gaps = [i for i in range(first, last + 1) if i not in held]
            if gaps and match_id not in self._reflexive_ids:
                continue
            span = (match_id, first, last + 1)
            if gaps:
                skipped[span] = gaps
            if end - start > last + 1 - first:
                widths[span] = max(end - start, widths.get(span, 0))
            found.append(span)
        return found
