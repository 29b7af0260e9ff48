"""Lemma-mode phrases whose lemmas are other words than the phrase as written: the lookup
table reads a noun as a verb (Spanish "factura" as "facturar"), and the phrase matches
every word read as that verb too. Whether a word longer in its lemma is a word of its own
or an inflection of the lemma, the language's dictionary by word class says
(:mod:`~labelwright.glossaries.word_classes`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.places import as_written, phrase_place

if TYPE_CHECKING:  # the check parses phrases: reading a glossary needs no spaCy
    from spacy.language import Language

__all__ = ["SHOWN_SHIFTS", "lemma_shifts"]


#: phrases a :func:`lemma_shifts` warning names per glossary (a glossary of 1,400 phrases
#: may have hundreds: the count says how many)
SHOWN_SHIFTS = 5


def _words_read_as_others(lemmas: list[str], words: list[str],
                          own_word: Callable[[str, str], bool]) -> list[tuple[str, str]]:
    """The words of a phrase (``words``: its lowercase keys, as many as ``lemmas``) its
    lemma keys read as another word, each with that lemma: a lemma differs from its word
    and is not shorter (:func:`lemma_shifts`). An elided word read as its full form is that
    word (:func:`_elided_as_full`). ``own_word(word, lemma)`` says whether such a word is a
    word of its own rather than a form of its lemma (:func:`_reads_as_its_base`)."""
    return [(word, lemma) for lemma, word in zip(lemmas, words)
            if lemma != word and len(lemma) >= len(word) and not _elided_as_full(word, lemma)
            and own_word(word, lemma)]


def _elided_as_full(word: str, lemma: str) -> bool:
    """Is ``word`` an elided form (it ends with its apostrophe) read as the word it stands
    for ("d'" as "de", "s'" as "se", "qu'" as "que", Italian "l'" as "il" aside)? French
    'message d'erreur' was named as read by 'message de erreur', which is how it reads."""
    return len(word) > 1 and word.endswith("'") and lemma.startswith(word[:-1])


def lemma_shifts(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Lemma-mode phrases whose lemmas are other words than the phrase as written: the
    lookup tables turn nouns into verbs (Spanish "cargo" is "cargar", "factura"
    "facturar"), so the phrase matches every word with that lemma too. One line per
    glossary, with the count and the first few.

    A word read as a shorter lemma is an inflection read as its base form ("locked" as
    "lock", "went" as "go", "broken" as "break"): what lemma mode is for, and not named
    (the example's glossaries had 13 such phrases named, and a warning that names every
    inflection teaches its reader to skip it). A lemma as long as the word or longer is
    another word or another part of speech ("cargo" as "cargar", "left" as "leave",
    "id" as "i have": spaCy's tokenizer reads it as "I'd"). A phrase read as one the
    glossary lists too ("won" as "win", with "win" listed) is not named either: it matches
    no word the other does not.

    Nor is a word read as its own base form where the lemma is longer
    (:func:`_reads_as_its_base`): a stop word ("la" as "lo", "hay" as "haber") or, where
    the language's dictionary by word class says so, a verb form read as its infinitive
    ("funciona" as "funcionar"; a Spanish glossary had 7 of 12 phrases named, most of them
    such)."""
    from labelwright.glossaries.match_keys import match_keys, phrase_docs
    from labelwright.nlp import LemmaKeys

    lemma = LemmaKeys(nlp)
    stop_words = frozenset(nlp.Defaults.stop_words)

    def own_word(word: str, lemma: str) -> bool:
        return not _reads_as_its_base(word, lemma, nlp.lang or "", stop_words)

    messages = []
    for glossary in glossaries:
        if glossary.mode != "lemma":
            continue
        listed = [pair for term in glossary.terms for pair in term.phrase_lines()]
        docs = phrase_docs(nlp, "lemma", [phrase for phrase, _ in listed])
        words = [match_keys(doc, "lowercase", lemma)[0] for doc in docs]
        # a phrase read as another the glossary lists itself ('won' as 'win', with 'win'
        # listed) matches no word that one does not
        own = {tuple(keys) for keys in words}
        shifted = []
        for (phrase, line), doc, written in zip(listed, docs, words):
            keys = match_keys(doc, "lemma", lemma)[0]
            if tuple(keys) in own:
                continue
            # read as another number of words, the phrase is another; else it is where a
            # word is read as another, and in a phrase of several words the message says
            # which: 'hay una avería' for "avería" (read as 'averiar'), not "hay" ('haber')
            which = []
            if len(keys) == len(written):
                which = _words_read_as_others(keys, written, own_word)
                if not which:
                    continue
            shown = f" ({', '.join(f'{word!r} as {read!r}' for word, read in which)})" \
                if which and len(written) > 1 else ""
            shifted.append(f"{as_written(phrase)} ({phrase_place(glossary, phrase, line)}) by "
                           f"{' '.join(keys)!r}{shown}")
        if not shifted:
            continue
        messages.append(
            f"{glossary.path}: {len(shifted)} of {glossary.n_phrases} lemma-mode phrases match "
            "by a lemma that is another word, and so match every word the table reads as "
            f"it: {some_of(shifted, SHOWN_SHIFTS)}; where that is not meant, list "
            "the phrase and its forms in a lowercase-mode glossary")
    return messages


def _reads_as_its_base(word: str, lemma: str, lang: str, stop_words: frozenset[str]) -> bool:
    """Is ``word`` (lowercase), read as the longer or as long ``lemma``, read as its own
    base form, so that matching by the lemma matches the forms the writer meant? So it is
    when it is a stop word (an article, a pronoun, an auxiliary: Spanish "la" as "lo",
    "hay" as "haber", "tengo" as "tener"), and, where spacy-lookups-data has a dictionary
    by word class for the language (:func:`~.word_classes.word_classes`), when it is no
    entry of that dictionary, as written or as a plural: a verb form read as its infinitive
    ("funciona" as "funcionar"). An entry read as another word ("factura", a noun, as the
    verb "facturar"; "baja" as "bajo") is not."""
    if word in stop_words:
        return True
    from labelwright.glossaries.word_classes import word_classes

    classes = word_classes(lang)
    return classes is not None and not classes.own_word(word, lemma)
