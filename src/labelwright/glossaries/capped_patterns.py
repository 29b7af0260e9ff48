"""Phrases that ``accents: ignore`` in lemma mode could not give every pattern: check's
warning.

A lemma-mode phrase holding a word matched as spelt ("está", :mod:`.respelling`) gets a
pattern for each way its other words may be marked, and their number is a product over
its words: :data:`~.respelling.MAX_MARKED_PATTERNS` are made, so a long phrase with many
such words ("está rota y estaba lenta y estaba mal y ...") missed texts spelt as the
patterns left out, and nothing said so. Check names each such phrase, with its file and
line, so its writer can shorten it or split it into terms.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from labelwright.counts import some_of
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.places import as_written, exclusion_places, phrase_place, within
from labelwright.glossaries.respelling import MAX_MARKED_PATTERNS

#: phrases a warning names per glossary (the count says how many)
SHOWN_PHRASES = 5


def capped_pattern_warnings(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """One warning per lemma-mode glossary with ``accents: ignore`` naming its phrases and
    exclusions (with their lines) that needed more patterns with marks than are made
    (module docstring). The glossaries' matcher is built to know: only those glossaries',
    which are the only ones that make such patterns."""
    from labelwright.glossaries.matching import GlossaryMatcher

    asked = [g for g in glossaries if g.mode == "lemma" and g.accents == "ignore"]
    if not asked:
        return []
    matcher = GlossaryMatcher(asked, nlp)
    named: dict[str, list[str]] = {}
    for glossary, term, phrase, needed in matcher.capped_phrases():
        line = dict(term.phrase_lines()).get(phrase, term.line)
        at = phrase_place(glossary, phrase, line)
        of_term = "" if phrase == term.term else f" (a synonym of {as_written(term.term)})"
        named.setdefault(glossary.name, []).append(
            f"{as_written(phrase)}{of_term} ({at}) needs {needed}")
    places = {g.name: _exclusion_places(g) for g in asked}
    for (name, phrase), needed in matcher.capped_exclusions().items():
        at = f" ({places[name][phrase]})" if phrase in places[name] else ""
        named.setdefault(name, []).append(
            f"the exclusion {as_written(phrase)}{at} needs {needed}")
    return [_warning(glossary, named[glossary.name]) for glossary in asked
            if glossary.name in named]


def _warning(glossary: Glossary, named: list[str]) -> str:
    many = len(named) > 1
    return (f"{glossary.path}: {len(named)} lemma-mode phrase{'s' if many else ''} with "
            f"words accents: ignore matches as spelt need{'' if many else 's'} more patterns "
            f"than the {MAX_MARKED_PATTERNS} made per phrase, so texts that write several of "
            f"{'their' if many else 'its'} words without accents may be missed: "
            f"{some_of(named, SHOWN_PHRASES)}; shorten such a phrase or split it in two "
            "(README: Writing a glossary, Accents)")


def _exclusion_places(glossary: Glossary) -> dict[str, str]:
    """Each exclusion (before a match and after it) with its place, for a message naming
    the glossary's path (``line 7``; ``exclusions[0]`` for a glossary made in Python),
    where known (:func:`~labelwright.glossaries.places.exclusion_places`)."""
    found: dict[str, str] = {}
    for listed, lines, key in (
            (glossary.exclusions, glossary.exclusion_lines, "exclusions"),
            (glossary.exclusions_after, glossary.exclusion_after_lines, "exclusions_after")):
        for phrase, at in zip(listed, exclusion_places(glossary, listed, lines, key)):
            if within(glossary, at):
                found.setdefault(phrase, within(glossary, at))
    return found
