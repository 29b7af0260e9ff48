"""Past participles (and verb forms) French's lookup table reads as adjectives or nouns:
after an auxiliary, or a word only a verb follows, they are the verb's.

French's table reads "inscrit", "inscrite", "inscrits" and "inscrites" as the adjective
`inscrit`, "mis" as `mis`, "fait" and "faite" as `fait`, "produit" as `produit` (a noun
too), so the lemma-mode term `inscrire` missed "je suis inscrite" and `s'inscrire` "je me
suis inscrite", and check named these forms ("'inscrire' misses 'inscrite' (read as
'inscrit')"). spacy-lookups-data's verb exceptions (what spaCy's rule lemmatizer reads
for a word tagged as a verb) give their verb. A word right after a form of `avoir` or
`être`, or after one of those and the negation or an adverb (the words
:mod:`~labelwright.glossaries.reflexive` skips there: "ne suis pas inscrite"), is read
as that verb where the verb is a lemma-mode term word. So is one after a word only a verb
follows (:data:`BEFORE_VERB`: "il fait", "ça se fait", "il ne le fait pas", "vous
faites"), "fait" being the present's form too. Elsewhere it keeps the table's lemma: "le
produit" (the product) is no form of `produire`, "en fait" none of `faire`, "une personne
inscrite" none of `inscrire` (list it as a synonym).
"""

from __future__ import annotations

from dataclasses import dataclass
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
#: per language of :data:`AUXILIARY`: the words only a verb follows (subject and
#: reflexive pronouns, the negation's "ne"; elided forms are keyed as their full word) and
#: the object pronouns that are articles or prepositions too, read so only after one of
#: those ("il le fait", "ne le fait", "s'en fait"; "le fait", "en fait" are no verb's).
#: Not "lui" (the table's `luire`) nor "leur" (its `son`: "son produit" is no verb).
BEFORE_VERB = {
    "fr": (("je", "tu", "il", "ils", "elle", "elles", "on", "ça", "me", "te", "se", "nous",
            "vous", "ne"),
           ("le", "la", "les", "y", "en")),
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
        self._before: frozenset[str] = frozenset()  # BEFORE_VERB's words only a verb follows
        self._objects: frozenset[str] = frozenset()  # ... and its object pronouns
        self._folded: dict[str, _Folded] = {}
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
        before, objects = BEFORE_VERB.get(lang, ((), ()))
        listed = [*AUXILIARY[lang], *auxiliary, *between, *before, *objects]
        keys = dict(zip(listed, (lemma.keys(doc)[0] if len(doc) == 1 else ""
                                 for doc in case_folded_docs(nlp, listed))))

        def keyed(words: tuple[str, ...]) -> frozenset[str]:
            return frozenset(keys[w] for w in words if keys[w])

        self._aux = keyed((*AUXILIARY[lang], *auxiliary))
        self._between = keyed(between)
        self._before = keyed(before)
        self._objects = keyed(objects)

    def __bool__(self) -> bool:
        return bool(self._verb_of)

    def _words(self, accents: str) -> _Folded:
        found = self._folded.get(accents)
        if found is None:
            def folded(keys: frozenset[str]) -> frozenset[str]:
                return frozenset(fold_accents(k, accents) for k in keys)

            found = self._folded[accents] = _Folded(
                {fold_accents(k, accents): fold_accents(v, accents)
                 for k, v in self._verb_of.items()},
                folded(self._aux), folded(self._between), folded(self._before),
                folded(self._objects))
        return found

    def text_keys(self, words: list[str], accents: str) -> list[str] | None:
        """``words`` (a text's keys, folded as ``accents`` says) with each form after an
        auxiliary (and the words that may stand between) or after a word only a verb
        follows (:data:`BEFORE_VERB`) as its verb; None when there is none (most
        texts)."""
        lang = self._words(accents)
        verb_of = lang.verb_of
        if verb_of.keys().isdisjoint(words) or (
                lang.aux.isdisjoint(words) and lang.before.isdisjoint(words)):
            return None
        out: list[str] | None = None
        n = len(words)
        for i, word in enumerate(words):
            at = i + 1
            if word in lang.aux:  # "j'ai fait", "il n'a rien fait", "il a tout fait"
                # but not past a term verb's form: "tu" stands there as a subject ("t'es-tu
                # connecté") and is `taire`'s participle ("il s'est tu hier")
                while (at < n - 1 and at - i <= MOST_BETWEEN and words[at] in lang.between
                       and words[at] not in verb_of):
                    at += 1
            elif word in lang.before:  # "ça se fait", "il ne le fait pas"
                if at < n - 1 and words[at] in lang.objects:
                    at += 1
            else:
                continue
            verb = verb_of.get(words[at]) if at < n else None
            if verb is not None:
                out = list(words) if out is None else out
                out[at] = verb
        return out


@dataclass(frozen=True)
class _Folded:
    """:class:`Participles`' words as keys folded as one ``accents`` setting reads them."""

    verb_of: dict[str, str]
    aux: frozenset[str]
    between: frozenset[str]
    before: frozenset[str]
    objects: frozenset[str]
