"""Problems between glossaries and with the pipeline: names used twice, a phrase voting
for two labels (as written or as a glossary's ``accents`` reads it, or by lemma in lemma
mode), exclusions longer than their window. (Lemma-mode phrases read as another word:
:mod:`~labelwright.glossaries.lemma_shifts`.)
They decide no vote, so unlike reading and matching they are not part of the matcher hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.glossaries.core import Glossary
from labelwright.glossaries.lemma_shifts import lemma_shifts  # its earlier import path
from labelwright.glossaries.places import (
    as_written,
    exclusion_places,
    in_memory,
    phrase_at,
)
from labelwright.glossaries.words import (
    ends_clause,
    exclusion_form,
    exclusion_words,
    fold_accents,
    splits_words_into_characters,
    without_accents,
    without_umlauts,
)
from labelwright.nlp import caseless, match_form

if TYPE_CHECKING:  # the checks that parse phrases import spaCy's side: reading needs none
    from spacy.language import Language

__all__ = ["between", "consistency_problems", "exclusion_problems", "glossary_warnings",
           "lemma_problems", "lemma_shifts", "listed_twice"]


def consistency_problems(glossaries: Sequence[Glossary]) -> list[str]:
    """Glossary names used twice, phrases listed twice in one glossary, and phrases claimed
    by glossaries of different labels."""
    twice = [message for glossary in glossaries for _, message in listed_twice(glossary)]
    return twice + between(glossaries)


#: what makes a phrase a pattern in other tools (a regular expression or a wildcard), each
#: with how a message names it: glossaries match a phrase's words as written, so such a
#: phrase matches only text holding those very characters
_PATTERNS = (
    (re.compile(r"^\*|\*$"), "a wildcard '*'"),
    (re.compile(r"\.[*+?]|\\[bdwsBDWS]|\(\?|\[[^\]]+\]|\|"), "regular-expression syntax"),
    (re.compile(r"^[^()]*\)|\([^()]*$"), "a bracket that is not closed"),
    (re.compile(r"\w\?\w"), "an optional letter '?'"),
)


def _pattern_in(phrase: str) -> str | None:
    """How a message names the pattern syntax ``phrase`` holds (None if none), read past
    its symbol words (:func:`_is_symbol_word`)."""
    words = " ".join(word for word in phrase.split() if not _is_symbol_word(word))
    return next((name for pattern, name in _PATTERNS if pattern.search(words)), None)


def _is_symbol_word(word: str) -> bool:
    """Whether ``word`` is a symbol a glossary lists for itself: two or more characters and
    no letter or digit (``:(``, ``):``, ``:-)``, ``:*``). An emoticon is the literal a
    sentiment glossary wants, not a bracket left open or a wildcard; a lone ``*`` (one
    character) is still read as a wildcard."""
    return len(word) >= 2 and not any(char.isalnum() for char in word)


def glossary_warnings(glossaries: Sequence[Glossary]) -> list[str]:
    """What does not stop a glossary but is most likely not what its writer meant: phrases
    written as patterns, and phrases also listed by another glossary of the same label
    (an item with one gets a vote from each, which a label model reads as two rules that
    agree)."""
    warnings = []
    for glossary in glossaries:
        for term in glossary.terms:
            for phrase, line in term.phrase_lines():
                what = _pattern_in(phrase)
                if what is not None:
                    warnings.append(
                        f"{phrase_at(glossary, phrase, line)}: {as_written(phrase)} holds "
                        f"{what}, "
                        "but glossary phrases are matched word for word as written, so it "
                        "matches only text with those very characters: list each form as a "
                        "term or synonym (mode: lemma reads inflections), or write a Python "
                        "LF with a regular expression")
    # compared as the glossaries match them, as between() compares two labels' phrases
    same_label = _alike_earlier(
        glossaries, lambda a, b: a is not b and a.label == b.label)
    for (glossary, phrase, line), (other, other_phrase, other_line), how in same_label:
        warnings.append(
            f"{phrase_at(glossary, phrase, line)}: {phrase!r} is also listed by "
            f"{phrase_at(other, other_phrase, other_line)}{how}, another glossary of the "
            f"label {glossary.label!r}: an item with it gets a vote from each, which "
            "the label model reads as two rules agreeing; keep it in one")
    return warnings


def _labelled_phrases(glossaries: Sequence[Glossary]
                      ) -> Iterator[tuple[Glossary, str, int]]:
    """Each phrase of each glossary with a label (one whose label is none, ``""``, claims
    nothing), with its line."""
    for glossary in (g for g in glossaries if g.label):
        for term in glossary.terms:
            for phrase, line in term.phrase_lines():
                yield glossary, phrase, line


def listed_twice(glossary: Glossary) -> list[tuple[int, str]]:
    """Phrases listed twice in one glossary (as its mode compares them), with their line:
    each counted twice in glossary_hits.csv."""
    problems = []
    own: dict[str, tuple[int, str]] = {}  # phrase, as the mode compares -> its first listing
    for term in glossary.terms:
        for phrase, line in term.phrase_lines():
            same = " ".join((match_form(phrase) if glossary.mode == "exact"
                             else caseless(phrase)).split())
            # "avería" and "averia" are one phrase where accents are ignored
            same = fold_accents(same, glossary.accents)
            if same in own:
                first, written = own[same]
                # "Maße" and "MASSE", "Kfz-Steuer" and "KFZ-Steuer" are one phrase where
                # case is ignored: say which, whenever the two are written differently
                shown = "" if written == phrase else f", as {written!r}"
                problems.append((line, f"{glossary.path}:{line}: {phrase!r} is listed twice "
                                       f"in this glossary (also at line "
                                       f"{first}{shown}); list each phrase "
                                       "once"))
            own.setdefault(same, (line, phrase))
    return problems


def between(glossaries: Sequence[Glossary]) -> list[str]:
    """Glossary names used twice, and phrases claimed by glossaries of different labels (a
    glossary whose label is none, ``""``, claims nothing), compared as their glossaries
    match them (:func:`read_alike`): `actualización` in a glossary with ``accents:
    ignore`` and `actualizacion` in another both match "actualizacion"."""
    problems = []
    names: dict[str, Glossary] = {}
    for glossary in glossaries:
        if glossary.name in names:
            problems.append(f"{glossary.path}: glossary name {glossary.name!r} is also used by "
                            f"{names[glossary.name].path}; names must be unique")
        names[glossary.name] = glossary
    clashes = _alike_earlier(glossaries, lambda a, b: a.label != b.label)
    for (glossary, phrase, line), (other, other_phrase, other_line), how in clashes:
        problems.append(
            f"{phrase_at(glossary, phrase, line)}: {phrase!r} (label "
            f"{glossary.label!r}) is also claimed by "
            f"{phrase_at(other, other_phrase, other_line)} (label {other.label!r}){how}; "
            + one_label_only(glossary, other))
    return problems


#: a phrase of a glossary, and its line there
_Listed = tuple[Glossary, str, int]


def _alike_earlier(glossaries: Sequence[Glossary],
                   compared: Callable[[Glossary, Glossary], bool]
                   ) -> Iterator[tuple[_Listed, _Listed, str]]:
    """Each labelled phrase that matches the same text as a phrase listed before it
    (:func:`read_alike`) in a glossary ``compared`` pairs with its own, with the first
    such phrase and how the two are read alike. Phrases are filed by
    :func:`_claim_buckets`, so each is compared only with those it may match alike."""
    filed: dict[str, list[_Listed]] = {}
    for glossary, phrase, line in _labelled_phrases(glossaries):
        buckets = _claim_buckets(phrase)
        earlier = dict.fromkeys(c for bucket in buckets for c in filed.get(bucket, []))
        first = next(((c, how) for c in earlier if compared(c[0], glossary)
                      and (how := read_alike(c[0], c[1], glossary, phrase)) is not None),
                     None)
        if first is not None:
            yield (glossary, phrase, line), first[0], first[1]
        for bucket in buckets:
            filed.setdefault(bucket, []).append((glossary, phrase, line))


def _claim_buckets(phrase: str) -> set[str]:
    """Where :func:`between` files a phrase so that every phrase it may clash with is
    found beside it: its caseless words without accents, and so with umlauts spelt out
    first ("gebühr" and "gebuehr" share "gebuehr")."""
    words = " ".join(caseless(phrase).split())
    return {without_accents(words), without_accents(without_umlauts(words))}


def read_alike(glossary: Glossary, phrase: str, other: Glossary, other_phrase: str
               ) -> str | None:
    """Whether two glossaries' phrases match one text, as matching compares them: ``""``
    when they are one phrase as written (caseless, but where both are exact-mode: "US" and
    "us" never match one text), ``" as NAME's accents: SETTING reads them"`` when one of
    the glossaries' ``accents`` folds them to one (the text written as the other phrase is
    matched by both: "actualizacion" by `actualización` under ``accents: ignore``), else
    None."""
    form = match_form if glossary.mode == other.mode == "exact" else caseless
    a, b = " ".join(form(phrase).split()), " ".join(form(other_phrase).split())
    if a == b:
        return ""
    for folding in (glossary, other):
        if folding.accents != "keep" and \
                fold_accents(a, folding.accents) == fold_accents(b, folding.accents):
            name = Path(str(folding.path)).name if not in_memory(folding) else folding.path
            return f", as {name}'s accents: {folding.accents} reads them"
    return None


def one_label_only(glossary: Glossary, other: Glossary) -> str:
    """The rule a phrase claimed by two labels breaks, and what to write instead."""
    return ("a phrase may vote for one label only: keep it in one glossary and give the "
            "other a longer phrase that says its label, or read both glossaries' matches in "
            f"a Python LF (item.matched({glossary.name!r}) and item.matched({other.name!r}); "
            'see the README, "Writing a glossary")')


def lemma_problems(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Phrases of different labels that a lemma-mode glossary matches on the same words:
    "breaks" (positive) and "break" (negative, lemma mode) both match "broke", which
    :func:`consistency_problems`, comparing the phrases as written, does not see."""
    if not any(g.mode == "lemma" for g in glossaries):
        return []
    from labelwright.glossaries.match_keys import match_keys, phrase_docs, term_keys
    from labelwright.nlp import LemmaKeys

    lemma = LemmaKeys(nlp)
    claimed: dict[str, list[tuple[Glossary, str, int]]] = {}
    problems = []
    for glossary in glossaries:
        phrases = [pair for term in glossary.terms for pair in term.phrase_lines()]
        for (phrase, line), doc in zip(phrases, phrase_docs(nlp, glossary.mode,
                                                            [p for p, _ in phrases])):
            # a lemma-mode phrase matches by its written words too, where they are lemmas
            keys = [" ".join(k) for k in term_keys(doc, glossary.mode, lemma)] \
                if glossary.mode == "lemma" else [" ".join(match_keys(doc, "lemma", lemma)[0])]
            written = " ".join(caseless(phrase).split())
            clash = None
            for key in keys:
                earlier = claimed.setdefault(key, [])
                clash = clash or next((c for c in earlier if c[0].label != glossary.label
                                       and "lemma" in (glossary.mode, c[0].mode)
                                       and " ".join(caseless(c[1]).split()) != written), None)
                earlier.append((glossary, phrase, line))
                if clash is not None:
                    break
            if clash is None:
                continue  # same label; no lemma match; or said by consistency_problems
            other_glossary, other_phrase, other_line = clash
            problems.append(
                f"{phrase_at(glossary, phrase, line)}: {phrase!r} (label "
                f"{glossary.label!r}) has the lemmas of {other_phrase!r} in "
                f"{phrase_at(other_glossary, other_phrase, other_line)} (label "
                f"{other_glossary.label!r}), and lemma mode matches both on the same words "
                f"({key!r}); " + one_label_only(glossary, other_glossary))
    return problems


def exclusion_problems(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Exclusions (before a term, and ``exclusions_after``) that can never cancel a match:
    longer (in words, as the pipeline splits them) than the glossary's window, or without
    a word; exclusions listed twice ("no" and "No": exclusions ignore case); and
    exclusions holding a mark
    where the window stops, which cancel only where the text goes on without it."""
    from labelwright.glossaries.match_keys import match_keys, phrase_docs
    from labelwright.nlp import LemmaKeys

    lemma = LemmaKeys(nlp)
    problems = []
    for glossary in glossaries:
        for listed, lines, side, key in (
                (glossary.exclusions, glossary.exclusion_lines, "before", "exclusions"),
                (glossary.exclusions_after, glossary.exclusion_after_lines, "after",
                 "exclusions_after")):
            what = "exclusion" if side == "before" else "exclusion after a term"
            seen: dict[tuple[str, ...], str] = {}  # its words as compared -> the first
            # path:line of each (the path alone when its line is not known; a dict's
            # entry, as it has no lines)
            places = exclusion_places(glossary, listed, lines, key)
            for phrase, at, doc in zip(listed, places,
                                       phrase_docs(nlp, glossary.mode, listed)):
                keys = match_keys(doc, glossary.mode, lemma)[0]
                kept = exclusion_words(keys)
                words = len(kept)
                same = exclusion_form(kept, glossary.mode, glossary.accents)
                if words and seen.setdefault(same, phrase) != phrase:
                    problems.append(f"{at}: {what} {phrase!r} is {seen[same]!r} "
                                    "again, as the window compares them (ignoring case, in "
                                    "every mode): list it once")
                if not words:
                    problems.append(f"{at}: {what} {phrase!r} has no word, and the "
                                    f"window {side} a term counts only words (not punctuation "
                                    "or symbols), so it never cancels a match; remove it")
                elif any(ends_clause(key) for key in keys):
                    problems.append(f"{at}: {what} {phrase!r} holds punctuation, "
                                    f"which the window {side} a term skips (and a sentence or "
                                    "clause end, . , ; : ? !, stops it), so it cancels only "
                                    f"where the text reads {' '.join(kept)!r}")
                if words > glossary.window:
                    problems.append(f"{at}: {what} {phrase!r} is {words} words, "
                                    f"longer than window {glossary.window}: it never fits "
                                    f"{side} a term, so it never cancels a match; raise "
                                    "window or shorten it")
    return problems


def character_windows(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Glossaries with exclusions under a Chinese pipeline that reads a character a word
    (spaCy's ``char`` segmenter, the default): their window counts characters, and an
    exclusion matches inside a longer word ("不是" in "是不是")."""
    if nlp.lang != "zh" or not splits_words_into_characters(nlp):
        return []
    named = [str(g.path) for g in glossaries if g.exclusions or g.exclusions_after]
    if not named:
        return []
    return [f"{', '.join(named)}: the pipeline reads Chinese a character a word (spaCy's "
            "char segmenter), so a glossary's window counts characters, not words (window 2 "
            "reaches back two characters), and an exclusion or term matches inside longer "
            "words (不是 in 是不是, 不要 in 要不要); [nlp] segmenter = \"jieba\" reads words "
            "(pip install jieba with the project's Python; see README, Chinese, Japanese and "
            "other languages written without spaces)"]
