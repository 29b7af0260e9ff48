"""Reflexive verbs in lemma mode: a term written with the dictionary's pronoun matches the
verb with any person's, where people put it.

A dictionary lists a reflexive verb with the third person's pronoun (French `se
connecter`, Spanish `conectarse`), but people write their own: "je me connecte pas", "on
s'est connecté", "me conecto". Lemma mode reads the verb's forms as its lemma, never a
pronoun as another, so the term `se connecter` matched none of 150 messages about logging
in. A lemma-mode phrase that starts with one of the language's reflexive pronouns
(:data:`REFLEXIVE`; further in, the dictionary's) also matches with each other reflexive
pronoun in its place, with an auxiliary of its compound tenses after the pronoun ("s'est
connecté", "me he conectado", Spanish's "me estoy conectando", "me puedo conectar" and
"me voy a conectar" too),
and (French) with the pronoun after the verb, as the imperative writes it ("connecte-toi",
"connectez-vous"): :meth:`ReflexivePhrases.variants`.

Other words stand between the pronoun and the verb: the negation and a few adverbs after
the auxiliary ("je ne me suis pas connecté", "elle ne s'est jamais connectée"), an
inverted subject ("s'est-il connecté"), "y" and "en" after the pronoun ("je m'y
connecte"). A text is matched once more on a reading of its keys without them, where they
stand so (:meth:`ReflexivePhrases.text_keys`); only the phrases read as reflexive take a
match that skips a word, and an exclusion among the skipped words cancels it (the
negation is there). "nous" and "vous" are also the subject: read as reflexive after
themselves ("nous nous connectons", not "nous connectons le câble"), after "ne" ("ne
vous connectez pas") or before an auxiliary their inverted subject follows ("vous
êtes-vous connecté"). Spanish writes the pronoun onto the infinitive, the gerund and the
imperative ("conectarse", "conectándome", "conéctate"):
:mod:`~labelwright.glossaries.enclitics` reads such a word as the pronoun and the verb, in
terms and texts alike. The data is per language and small; a language without an entry
is matched as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from labelwright.glossaries.enclitics import Enclitics
from labelwright.glossaries.match_keys import case_folded_docs
from labelwright.glossaries.words import fold_accents
from labelwright.nlp import LemmaKeys, caseless

#: words skipped between an auxiliary and the verb at most ("ne s'est toujours pas
#: vraiment connecté": three)
MOST_BETWEEN = 3


@dataclass(frozen=True)
class Reflexives:
    """A language's reflexive pronouns as written (the dictionary's first), elided forms
    included; those that are also the subject (read as reflexive only after themselves or
    after a word of ``object_after``); the forms of the auxiliaries its reflexive verbs
    take before the verb (French `être`; Spanish `haber`, and `estar`, `poder`, `querer`,
    `deber`, `soler` and `ir` (a), which take the pronoun before them too); the words that
    may stand between the auxiliary and the verb (negation, adverbs, inverted subjects;
    Spanish's "a" of "me voy a conectar") and between
    the pronoun and what follows ("y", "en"); the pronouns written after an imperative
    (with the hyphen the tokenizer keeps on "-vous"); and whether its words take the
    pronoun at their end (:mod:`~labelwright.glossaries.enclitics`)."""

    pronouns: tuple[str, ...]
    subjects: tuple[str, ...]
    auxiliary: tuple[str, ...]
    between: tuple[str, ...] = ()
    after_pronoun: tuple[str, ...] = ()
    object_after: tuple[str, ...] = ()
    imperative: tuple[str, ...] = ()
    enclitic: bool = False


#: per language (spaCy's code)
REFLEXIVE = {
    "fr": Reflexives(
        pronouns=("se", "s'", "me", "m'", "te", "t'", "nous", "vous"),
        subjects=("nous", "vous"),
        auxiliary=("suis", "es", "est", "sommes", "êtes", "sont", "étais", "était",
                   "étions", "étiez", "étaient", "serai", "seras", "sera", "serons",
                   "serez", "seront", "serais", "serait", "serions", "seriez",
                   "seraient", "sois", "soit", "soyons", "soyez", "soient", "fus",
                   "fut", "furent", "été", "être"),
        # the tokenizer splits "es-tu" and "sont-elles" at the hyphen, which matching
        # reads as a space: "t'es-tu connecté" is "t' es tu connecté" ("tu", "elles")
        between=("pas", "plus", "jamais", "point", "guère", "rien", "déjà", "encore",
                 "toujours", "bien", "mal", "même", "enfin", "vraiment", "souvent",
                 "tout", "tous", "toutes",
                 "-je", "-tu", "-il", "-elle", "-on", "-nous", "-vous", "-ils", "-elles",
                 "-t", "tu", "elles"),
        after_pronoun=("y", "en"),
        object_after=("ne", "n'"),
        imperative=("toi", "-vous", "-nous")),
    "es": Reflexives(
        pronouns=("se", "me", "te", "nos", "os"),
        subjects=(),
        auxiliary=("he", "has", "ha", "hemos", "habéis", "han", "había", "habían",
                   "habría", "haya", "hubiera", "estoy", "estás", "está", "estamos",
                   "están", "estaba", "puedo", "puedes", "puede", "podemos", "pueden",
                   "podía", "podría", "quiero", "quieres", "quiere", "queremos", "quieren",
                   "debo", "debe", "deben", "suelo", "suele", "voy", "vas", "va", "vamos",
                   "vais", "van", "iba", "iban"),
        between=("a",),
        enclitic=True),
}


@dataclass(frozen=True)
class _Words:
    """A language's words as keys, folded as one matcher kind compares them."""

    pronouns: frozenset[str]
    subjects: frozenset[str]
    auxiliary: frozenset[str]
    between: frozenset[str]
    after_pronoun: frozenset[str]
    object_after: frozenset[str]
    #: pronouns the table reads as another word (Spanish "nos" as "no" where the table
    #: is not corrected, see :meth:`ReflexivePhrases._pronoun_key`): key -> written
    misread: dict[str, frozenset[str]]


class ReflexivePhrases:
    """The patterns a lemma-mode phrase with a reflexive pronoun also matches by, and the
    readings of a text's keys they are matched on too, as lemma keys (module
    docstring)."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        self._data = REFLEXIVE.get(nlp.lang or "")
        #: each pronoun's key, as it is written before the verb (twice: a subject's)
        self._pronouns: dict[str, list[str]] = {}
        self._auxiliary: list[str] = []
        self._imperative: list[str] = []
        self._keys: dict[str, str] = {}
        self._folded: dict[str, _Words] = {}
        self.enclitics = Enclitics(lemma) if self._data and self._data.enclitic else None
        data = self._data
        if data is None:
            return
        listed = [*data.pronouns, *data.auxiliary, *data.between, *data.after_pronoun,
                  *data.object_after, *data.imperative]
        docs = case_folded_docs(nlp, listed)
        self._keys = keys = dict(zip(listed, (lemma.keys(doc)[0] if len(doc) == 1 else ""
                                              for doc in docs)))
        for pronoun in data.pronouns:
            key = self._pronoun_key(pronoun)
            self._pronouns.setdefault(key, [key] * (2 if pronoun in data.subjects else 1))
        self._dictionary = self._pronoun_key(data.pronouns[0])
        self._auxiliary = list(dict.fromkeys(keys[aux] for aux in data.auxiliary if keys[aux]))
        self._imperative = [keys[word] for word in data.imperative if keys[word]]

    def auxiliary_and_between(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The language's auxiliaries and the words that may stand after one before the
        verb, as written (:mod:`~labelwright.glossaries.participles` reads them too)."""
        data = self._data
        return (data.auxiliary, data.between) if data is not None else ((), ())

    def _pronoun_key(self, pronoun: str) -> str:
        """A pronoun's key: its lemma key where that is a pronoun as written ("s'" is
        "se"), else as written: a pipeline of the user's may read "nos" as "no", as
        Spanish's table does before the blank pipeline corrects it
        (:data:`~labelwright.nlp.lemma_tables.TABLE_CORRECTIONS`); a pattern must not
        take "no" (:meth:`text_keys` reads the written "nos" back)."""
        assert self._data is not None
        key = self._keys[pronoun]
        return key if key in self._data.pronouns else caseless(pronoun)

    def variants(self, keys: list[str]) -> list[list[str]]:
        """``keys`` (a phrase's lemma keys; a Spanish word with its pronoun written on,
        "conectarse", read as the two) with each reflexive pronoun in the place of its
        first one, with and without an auxiliary after it, and (French) written after the
        verb; none when the phrase holds no such pronoun before a word. The pronoun is
        read as reflexive first in the phrase, or further in where it is the
        dictionary's ("comment se connecter")."""
        if self._data is None:
            return []
        split = self.enclitics.split_phrase(keys) if self.enclitics is not None else None
        if split is not None:
            keys = split
        at = next((i for i, key in enumerate(keys[:-1]) if key in self._pronouns
                   and (i == 0 or key == self._dictionary)), None)
        if at is None:
            return [split] if split is not None else []
        before, rest = keys[:at], keys[at + 1:]
        found = [[*before, *written, *rest] for written in self._pronouns.values()]
        found += [[*before, *written, aux, *rest] for written in self._pronouns.values()
                  for aux in self._auxiliary]
        found += [[*before, rest[0], pronoun, *rest[1:]] for pronoun in self._imperative]
        original = keys if split is None else None
        return [words for words in found if words != original]

    def _words(self, accents: str) -> _Words:
        """The language's words as keys folded as ``accents`` says, made once per setting."""
        words = self._folded.get(accents)
        if words is None:
            data = self._data
            assert data is not None

            def folded(listed: tuple[str, ...] | list[str]) -> frozenset[str]:
                return frozenset(fold_accents(self._keys.get(w, w), accents)
                                 for w in listed if self._keys.get(w, w))

            misread: dict[str, set[str]] = {}
            for pronoun in data.pronouns:
                key = self._keys[pronoun]
                if key and key != self._pronoun_key(pronoun):
                    misread.setdefault(fold_accents(key, accents), set()).add(
                        caseless(pronoun))
            words = self._folded[accents] = _Words(
                pronouns=frozenset(fold_accents(k, accents) for k in self._pronouns),
                subjects=folded(data.subjects), auxiliary=folded(self._auxiliary),
                between=folded(data.between), after_pronoun=folded(data.after_pronoun),
                object_after=folded(data.object_after),
                misread={key: frozenset(found) for key, found in misread.items()})
        return words

    def text_keys(self, words: list[str], accents: str, doc: Doc, keep: list[int] | None,
                  verbs: frozenset[str]) -> tuple[list[str], list[int]] | None:
        """A reading of a text's keys ``words`` (folded as ``accents`` says; ``doc``'s
        tokens ``keep``) for the reflexive patterns: the words between a pronoun and its
        verb left out, a subject pronoun after "ne" written twice, a pronoun the table
        reads as another word as written, and (Spanish) a word of the ``verbs`` with its
        pronoun written on as the two. With the position in ``words`` of each of its
        keys; None when it is ``words`` (most texts)."""
        if self._data is None:
            return None
        lang = self._words(accents)
        at: list[int] | None = None
        split = self.enclitics.text_keys(words, accents, verbs) \
            if self.enclitics is not None else None
        if split is not None:  # "conectándome": "me", `conectar`
            words, at = split
        changed = at is not None
        if lang.misread and not lang.misread.keys().isdisjoint(words):
            words, restored = self._written_pronouns(words, lang, doc, keep, at)
            changed = changed or restored
        if at is None:
            at = list(range(len(words)))
        if not self._may_skip(lang, words):
            return (words, at) if changed else None
        out: list[str] = []
        out_at: list[int] = []
        i, n = 0, len(words)
        while i < n:
            word = words[i]
            out.append(word)
            out_at.append(at[i])
            i += 1
            if word not in lang.pronouns or i >= n:
                continue
            if word in lang.subjects and words[i] != word and (
                    (i >= 2 and words[i - 2] in lang.object_after)
                    or (i + 1 < n and words[i] in lang.auxiliary
                        and words[i + 1] == "-" + word)):
                # "ne vous connectez pas", "vous êtes-vous connecté" (the subject after
                # the auxiliary): "vous" is no subject there
                out.append(word)
                out_at.append(at[i - 1])
                changed = True
            if words[i] in lang.after_pronoun and i + 1 < n:
                i += 1  # "je m'y connecte"
                changed = True
            if i < n and words[i] in lang.auxiliary:
                out.append(words[i])
                out_at.append(at[i])
                i += 1
                skipped = 0
                while (i + skipped < n - 1 and skipped < MOST_BETWEEN
                       and words[i + skipped] in lang.between):
                    skipped += 1
                if skipped:  # "je ne me suis pas connecté"
                    i += skipped
                    changed = True
        return (out, out_at) if changed else None

    @staticmethod
    def _may_skip(lang: _Words, words: list[str]) -> bool:
        """May the pass over a text's pronouns read ``words`` otherwise: a pronoun, and a
        word it skips or writes twice (most texts have none; Spanish skips only the "a"
        of "me voy a conectar")."""
        if lang.pronouns.isdisjoint(words):
            return False
        return bool((lang.between and not lang.auxiliary.isdisjoint(words)
                     and not lang.between.isdisjoint(words))
                    or not lang.after_pronoun.isdisjoint(words)
                    or (lang.subjects and not lang.object_after.isdisjoint(words)))

    @staticmethod
    def _written_pronouns(words: list[str], lang: _Words, doc: Doc, keep: list[int] | None,
                          at: list[int] | None) -> tuple[list[str], bool]:
        """``words`` with each key the table gave a pronoun ("no" for "nos") as the
        pronoun written, where the text writes it so."""
        out = list(words)
        changed = False
        misread = lang.misread
        for i in [i for i, word in enumerate(words) if word in misread]:
            written = misread[words[i]]
            position = at[i] if at is not None else i
            token = keep[position] if keep is not None else position
            text = caseless(doc[token].lower_)
            if text in written:
                out[i] = text
                changed = True
        return out, changed
