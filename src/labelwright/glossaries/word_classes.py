"""Which words a language's dictionary lists as words of their own (nouns, adjectives,
adverbs, verbs' dictionary forms), for :func:`~.lemma_shifts.lemma_shifts`: a lemma-mode phrase
whose word the lookup table reads as a longer lemma is named only where that word is an
entry of its own, not where it is an inflection of the lemma.

A lookup table maps each form to one lemma, and does not say of what kind: Spanish's reads
the noun "factura" (invoice) as the verb ``facturar``, as it reads the verb form "funciona"
as ``funcionar``. The first is a surprise (the phrase matches "facturamos" and
"facturado"), the second is what lemma mode is for. spacy-lookups-data's ``lemma_index``
(the rule lemmatizer's dictionary, by word class) tells them apart: "factura" is one of
its nouns, "funciona" none of its words. A plural reads back to its entry by the class's
suffix rules ("facturas" as "factura"), and a word whose plural the table reads as the word
itself is a noun the table knows ("recargos" as "recargo").

Languages without a ``lemma_index`` (German, Italian, Portuguese, ...) have None here, and
every longer lemma is named, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from labelwright.nlp.lemma_tables import lookups_file, table_words

#: rule groups of ``lemma_rules`` that turn a plural of a class back into its entry: most
#: languages name them by the class; Spanish by what they undo
_PLURAL_RULES = {"noun": ("noun", "noun_plur"), "adj": ("adj", "adj_plur", "adj_sing_fem")}
#: what a plural adds to a word, for :meth:`WordClasses.table_knows_as_noun`
_PLURAL_ENDINGS = ("s", "es")


@dataclass(frozen=True)
class WordClasses:
    """A language's dictionary forms by class, and how a plural of a class reads back to
    one of its entries."""

    entries: dict[str, frozenset[str]]
    rules: dict[str, tuple[tuple[str, str], ...]]
    #: the lookup table: word -> its (first) lemma
    lookup: Mapping[str, str]

    def entry_of(self, word: str) -> str | None:
        """The dictionary entry ``word`` is (itself) or is a plural of, else None. A rule
        counts only where it gives an entry of its own class: Spanish's feminine rule
        ("-ona" as "-ón") read the verb form "funciona" as the noun "función"."""
        if any(word in entries for entries in self.entries.values()):
            return word
        for kind, rules in self.rules.items():
            entries = self.entries.get(kind, frozenset())
            for old, new in rules:
                if word.endswith(old) and len(word) > len(old):
                    singular = word[:len(word) - len(old)] + new
                    if singular in entries:
                        return singular
        return None

    def table_knows_as_noun(self, word: str) -> bool:
        """Does the lookup table read a plural of ``word`` as ``word`` itself?"""
        return any(self.lookup.get(word + ending) == word for ending in _PLURAL_ENDINGS)

    def own_word(self, word: str, lemma: str) -> bool:
        """Is ``word`` (lowercase) a word of its own that the table reads as the other word
        ``lemma``, rather than an inflection of ``lemma``?"""
        entry = self.entry_of(word)
        return (entry is not None and entry != lemma) or self.table_knows_as_noun(word)


@lru_cache(maxsize=4)
def word_classes(lang: str) -> WordClasses | None:
    """``lang``'s :class:`WordClasses` from spacy-lookups-data, or None when it has no
    ``lemma_index`` for the language (or is not installed)."""
    index = lookups_file(lang, "lemma_index")
    if not index:
        return None
    entries = {kind: frozenset(word.lower() for word in words if isinstance(word, str))
               for kind, words in index.items() if isinstance(words, list)}
    found = lookups_file(lang, "lemma_rules") or {}
    rules = {kind: tuple((str(rule[0]), str(rule[1])) for name in names
                         for rule in found.get(name, ())
                         if isinstance(rule, list) and len(rule) == 2 and rule[0]
                         and rule[0] != rule[1])
             for kind, names in _PLURAL_RULES.items()}
    # the lookup table's words as the checks of forms read as another word read them:
    # read once per process for all (a second for Spanish's)
    return WordClasses(entries, rules, table_words(lang) or {})
