"""A glossary's exclusions: phrases that cancel a match when they occur within the glossary's
``window`` of words before it (``exclusions_after``: after it) in the same sentence and
clause, none beyond the line or list item holding the match
(:mod:`labelwright.glossaries.words` finds the windows). An exclusion is a cue, not a term:
compared caseless in every mode. :class:`~labelwright.glossaries.matching.GlossaryMatcher`
asks them of each match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from labelwright.glossaries.match_keys import match_keys, phrase_docs
from labelwright.glossaries.words import (
    exclusion_form,
    exclusion_words,
    list_item_start,
    next_start,
    span_inside_word,
    window_after_positions,
    window_positions,
)
from labelwright.nlp import LemmaKeys, caseless

if TYPE_CHECKING:
    from labelwright.glossaries.core import Glossary

#: an exclusion as the window compares it: its words' keys, and the phrase as written
Cue = tuple[tuple[str, ...], str]


def exclusion_cues(nlp: Language, lemma: LemmaKeys, glossary: Glossary,
                   phrases: Sequence[str], accents: str) -> list[Cue]:
    """Each exclusion phrase's words as the window compares them, with the phrase:
    caseless in every mode (an exact glossary's window words are folded as they are
    compared, see :func:`found_exclusion`)."""
    docs = phrase_docs(nlp, glossary.mode, phrases)
    found = []
    for phrase, doc in zip(phrases, docs):
        words = exclusion_form(exclusion_words(match_keys(doc, glossary.mode, lemma)[0]),
                               glossary.mode, accents)
        if words:
            found.append((words, phrase))
    return found


def found_exclusion(glossary: Glossary, before: list[Cue], after: list[Cue], doc: Doc,
                    text: str, keys: list[str], keep: list[int] | None, start: int,
                    last: int, starts: list[int], *, character_tokens: bool) -> str | None:
    """The exclusion (of ``before``) found in the window before the match of
    ``keys[start:last + 1]``: its ``window`` words
    (:func:`~labelwright.glossaries.words.window_positions`), none before where the
    line or list item holding the match starts (``starts``: the tokens where those
    start, :func:`~labelwright.glossaries.words.list_item_start`; ``keep``: each key's
    token, None when key ``i`` is token ``i``); else the ``exclusions_after`` (``after``)
    found in the ``window`` words after it
    (:func:`~labelwright.glossaries.words.window_after_positions`), none from the next
    line or list item on. Compared caseless in every mode (an exact glossary's keys
    are its words as written, folded here: at most ``window`` of them per match).
    Under a tokenizer that splits words into characters (``character_tokens``), an
    exclusion found inside a word of ``doc`` ("no" in "know") does not count
    (:func:`~labelwright.glossaries.words.span_inside_word`)."""
    if before:
        floor = list_item_start(starts, keep, start) if starts else 0
        found = _found_in(glossary, before, doc, text, keys, keep,
                          window_positions(keys, start, glossary.window, floor),
                          character_tokens)
        if found is not None:
            return found
    if after:
        ceiling = next_start(starts, keep, last, len(keys)) if starts else len(keys)
        return _found_in(glossary, after, doc, text, keys, keep,
                         window_after_positions(keys, last + 1, glossary.window, ceiling),
                         character_tokens)
    return None


def found_among(glossary: Glossary, exclusions: list[Cue], doc: Doc, text: str,
                keys: list[str], keep: list[int] | None, positions: list[int], *,
                character_tokens: bool) -> str | None:
    """The first of ``exclusions`` whose words are among the keys at ``positions`` (the
    words a reflexive match skips, "pas" in "ne me suis pas connecté": what negates the
    verb stands there; :mod:`~labelwright.glossaries.reflexive`), as the windows compare
    them."""
    return _found_in(glossary, exclusions, doc, text, keys, keep, positions,
                     character_tokens)


def _found_in(glossary: Glossary, exclusions: list[Cue], doc: Doc, text: str,
              keys: list[str], keep: list[int] | None, at: list[int],
              character_tokens: bool) -> str | None:
    """The first of ``exclusions`` whose words are among the window's keys ``at``
    (see :func:`found_exclusion`)."""
    window = [caseless(keys[i]) for i in at] if glossary.mode == "exact" \
        else [keys[i] for i in at]
    for phrase_keys, phrase in exclusions:
        n = len(phrase_keys)
        for i in range(len(window) - n + 1):
            if tuple(window[i:i + n]) == phrase_keys and (
                    not character_tokens
                    or not span_inside_word(doc, text, at[i], at[i + n - 1] + 1, keep)):
                return phrase
    return None
