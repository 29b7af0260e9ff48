"""Reflexive verbs in lemma mode: a term written with the dictionary's pronoun matches the
verb with any person's.

A dictionary lists a reflexive verb with the third person's pronoun (French `se
connecter`), but people write their own: "je me connecte pas", "on s'est connecté",
"vous vous êtes connectés". Lemma mode reads the verb's forms as its lemma, never a
pronoun as another, so the term `se connecter` matched none of 150 messages about
logging in. A lemma-mode phrase whose first word is the language's reflexive pronoun
(:data:`REFLEXIVE`) also matches with each other reflexive pronoun in its place, and with
the auxiliary of its compound tenses after the pronoun ("s'est connecté": French reflexive
verbs take `être`). The data is per language and small; a language without an entry is
matched as written.

Not read: words between the pronoun and the verb other than the auxiliary ("je ne me
suis pas connecté" holds "pas" after "suis"), and the pronoun after the verb
("connecte-toi"). Spanish writes the pronoun onto the infinitive (`conectarse`), which its
table reads as no form of `conectar`: not covered here (list `conectar` with "se" or the
forms as synonyms).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from labelwright.glossaries.match_keys import case_folded_docs
from labelwright.nlp import LemmaKeys


@dataclass(frozen=True)
class Reflexives:
    """A language's reflexive pronouns as written (the dictionary's first), elided forms
    included; those that are also the subject (read as reflexive only after themselves:
    "nous nous connectons", not "nous connectons le câble"); and the forms of the
    auxiliary its reflexive verbs take in compound tenses."""

    pronouns: tuple[str, ...]
    subjects: tuple[str, ...]
    auxiliary: tuple[str, ...]


#: per language (spaCy's code): French's pronouns and the forms of `être`
REFLEXIVE = {
    "fr": Reflexives(
        pronouns=("se", "s'", "me", "m'", "te", "t'", "nous", "vous"),
        subjects=("nous", "vous"),
        auxiliary=("suis", "es", "est", "sommes", "êtes", "sont", "étais", "était",
                   "étions", "étiez", "étaient", "serai", "seras", "sera", "serons",
                   "serez", "seront", "serais", "serait", "serions", "seriez",
                   "seraient", "sois", "soit", "soyons", "soyez", "soient", "fus",
                   "fut", "furent", "été", "être")),
}


class ReflexivePhrases:
    """The patterns a lemma-mode phrase with a reflexive pronoun first also matches by,
    as lemma keys (module docstring)."""

    def __init__(self, nlp: Language, lemma: LemmaKeys) -> None:
        data = REFLEXIVE.get(nlp.lang or "")
        #: each pronoun's key, as it is written before the verb (twice: a subject's)
        self._pronouns: dict[str, list[str]] = {}
        self._auxiliary: list[str] = []
        if data is not None:
            listed = [*data.pronouns, *data.auxiliary]
            docs = case_folded_docs(nlp, listed)
            keys = dict(zip(listed, (lemma.keys(doc)[0] if len(doc) == 1 else ""
                                     for doc in docs)))
            for pronoun in data.pronouns:
                if keys[pronoun]:
                    self._pronouns.setdefault(keys[pronoun], [keys[pronoun]] * (
                        2 if pronoun in data.subjects else 1))
            self._auxiliary = list(dict.fromkeys(
                keys[aux] for aux in data.auxiliary if keys[aux]))

    def variants(self, keys: list[str]) -> list[list[str]]:
        """``keys`` (a phrase's lemma keys) with each reflexive pronoun first, with and
        without the auxiliary after it; none when the phrase starts with no such pronoun or
        is the pronoun alone."""
        if len(keys) < 2 or keys[0] not in self._pronouns:
            return []
        rest = keys[1:]
        found = [[*written, *rest] for written in self._pronouns.values()]
        found += [[*written, aux, *rest] for written in self._pronouns.values()
                  for aux in self._auxiliary]
        return [words for words in found if words != keys]
