"""Past participles French's lookup table reads as adjectives: after an auxiliary they are
the verb's.

French's table reads "inscrit", "inscrite", "inscrits" and "inscrites" as the adjective
`inscrit`, "mis" as `mis`, "fait" and "faite" as `fait`, "produit" as `produit` (a noun
too), so the lemma-mode term `inscrire` missed "je suis inscrite" and `s'inscrire` "je me
suis inscrite", and check named these forms ("'inscrire' misses 'inscrite' (read as
'inscrit')"). spacy-lookups-data's verb exceptions (what spaCy's rule lemmatizer reads
for a word tagged as a verb) give their verb. A word right after a form of `avoir` or
`être`, or after one of those and the negation or an adverb (the words
:mod:`~labelwright.glossaries.reflexive` skips there: "ne suis pas inscrite"), is read
as that verb where the verb is a lemma-mode term word; elsewhere it keeps the table's
lemma: "le produit" (the product) is no form of `produire`, "en fait" none of `faire`,
"une personne inscrite" none of `inscrire` (list it as a synonym).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from labelwright.glossaries.match_keys import case_folded_docs
from labelwright.glossaries.words import fold_accents
from labelwright.nlp import LemmaKeys, caseless
from labelwright.nlp.lemma_tables import first_lemma, lookups_file

#: per language (spaCy's code): the forms of its auxiliaries (French's `avoir`; `être`'s
#: are :data:`~labelwright.glossaries.reflexive.REFLEXIVE`'s), and the words that may
#: stand between one and the participle (:data:`~.reflexive.REFLEXIVE`'s too)
AUXILIARY = {
    "fr": ("ai", "as", "a", "avons", "avez", "ont", "avais", "avait", "avions", "aviez",
           "avaient", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais",
           "aurait", "aurions", "auriez", "auraient", "aie", "aies", "ait", "ayons",
           "ayez", "aient", "eu", "avoir", "ayant", "étant"),
}
#: per language of :data:`AUXILIARY`: how its infinitives end (every verb French's verb
#: exceptions list ends so but two misspelt entries, "envers" and "enviandé")
INFINITIVE = {"fr": ("er", "ir", "re", "ïr")}
#: words skipped between the auxiliary and the participle at most
MOST_BETWEEN = 3


@lru_cache(maxsize=2)
def verb_exceptions(lang: str) -> dict[str, tuple[str, ...]] | None:
    """spacy-lookups-data's ``lemma_exc`` verbs for ``lang``, grouped by verb (its
    caseless form -> the words it lists for it, in the file's order), or None when it is
    not installed or has none for the language. Grouped so that a matcher looks up its
    term verbs' words alone, not 114,327 French words one by one."""
    found = lookups_file(lang, "lemma_exc")
    verbs = found.get("verb") if found is not None else None
    if not isinstance(verbs, dict):
        return None
    grouped: dict[str, list[str]] = {}
    folded: dict[str, str] = {}  # a verb as the file writes it -> caseless (a few thousand)
    for word, value in verbs.items():
        if value:
            verb = first_lemma(value)
            key = folded.get(verb)
            if key is None:
                key = folded[verb] = caseless(verb)
            grouped.setdefault(key, []).append(word)
    return {verb: tuple(words) for verb, words in grouped.items()}


def needs_exceptions(lang: str, verbs: frozenset[str]) -> bool:
    """Is one of ``verbs`` (lemma-mode term words) spelt as an infinitive of ``lang``
    (:data:`INFINITIVE`)? Only then are the verb exceptions read: reading French's took
    0.5 s, in every process whose glossary is lemma mode, for glossaries of nouns
    ("compte", "remboursement") that cannot use them."""
    endings = INFINITIVE.get(lang)
    return endings is not None and any(verb.endswith(endings) for verb in verbs)


class Participles:
    """The table's lemmas that are participles of the lemma-mode term verbs, and the
    reading of a text's keys with each after an auxiliary as its verb (module
    docstring)."""

    def __init__(self, nlp: Language, lemma: LemmaKeys, verbs: frozenset[str],
                 auxiliary: tuple[str, ...], between: tuple[str, ...]) -> None:
        #: the table's lemma of a participle (a key) -> its verb's key
        self._verb_of: dict[str, str] = {}
        self._aux: frozenset[str] = frozenset()
        self._between: frozenset[str] = frozenset()
        self._folded: dict[str, tuple[dict[str, str], frozenset[str], frozenset[str]]] = {}
        lang = nlp.lang or ""
        table = lemma.table
        exceptions = verb_exceptions(lang) if lang in AUXILIARY and table is not None \
            and needs_exceptions(lang, verbs) else None
        if not exceptions or table is None:
            return
        for verb, words in exceptions.items():
            if verb not in verbs:
                continue
            for word in words:
                value = table.get(word)
                read = caseless(first_lemma(value)) if value is not None else caseless(word)
                if read != verb:
                    self._verb_of.setdefault(read, verb)
        if not self._verb_of:
            return
        listed = [*AUXILIARY[lang], *auxiliary, *between]
        keys = dict(zip(listed, (lemma.keys(doc)[0] if len(doc) == 1 else ""
                                 for doc in case_folded_docs(nlp, listed))))
        self._aux = frozenset(keys[w] for w in (*AUXILIARY[lang], *auxiliary) if keys[w])
        self._between = frozenset(keys[w] for w in between if keys[w])

    def __bool__(self) -> bool:
        return bool(self._verb_of)

    def _words(self, accents: str) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
        found = self._folded.get(accents)
        if found is None:
            found = self._folded[accents] = (
                {fold_accents(k, accents): fold_accents(v, accents)
                 for k, v in self._verb_of.items()},
                frozenset(fold_accents(k, accents) for k in self._aux),
                frozenset(fold_accents(k, accents) for k in self._between))
        return found

    def text_keys(self, words: list[str], accents: str) -> list[str] | None:
        """``words`` (a text's keys, folded as ``accents`` says) with each participle
        after an auxiliary as its verb; None when there is none (most texts)."""
        verb_of, aux, between = self._words(accents)
        if aux.isdisjoint(words) or verb_of.keys().isdisjoint(words):
            return None
        out: list[str] | None = None
        for i, word in enumerate(words):
            if word not in aux:
                continue
            at = i + 1
            while at < len(words) - 1 and at - i <= MOST_BETWEEN and words[at] in between:
                at += 1
            verb = verb_of.get(words[at]) if at < len(words) else None
            if verb is not None:
                out = list(words) if out is None else out
                out[at] = verb
        return out
