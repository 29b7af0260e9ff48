"""Where a message names a glossary's phrase or exclusion: its file and line, or, for a
glossary made in Python (no file: its lines are those of a YAML nobody sees), its entry in
the dict it was made from; and how it quotes the phrase (:func:`as_written`)."""

from __future__ import annotations

from collections.abc import Sequence

from labelwright.glossaries.core import Glossary, Term


def in_memory(glossary: Glossary) -> bool:
    """Whether ``glossary`` has no file (made in Python, its path ``<glossary 'name'>``):
    its lines are those of the YAML it was written out as, which no one sees."""
    return str(glossary.path).startswith("<")


def phrase_at(glossary: Glossary, phrase: str, line: int) -> str:
    """Where a message names ``phrase`` of ``glossary``: its file and ``line``; for a
    glossary made in Python from a dict, which has no lines (its ``line`` is one of the YAML
    it was written out as, which nobody sees), its entry in the dict's ``terms``:
    ``<glossary 'b'> terms[1]``, a synonym ``terms[1].synonyms[0]``."""
    if not in_memory(glossary):
        return f"{glossary.path}:{line}"
    for i, term in enumerate(glossary.terms):
        for j, (written, at) in enumerate(term.phrase_lines()):
            if written == phrase and at == line:
                return f"{glossary.path} terms[{i}]" + (f".synonyms[{j - 1}]" if j else "")
    return str(glossary.path)


def phrase_place(glossary: Glossary, phrase: str, line: int) -> str:
    """:func:`phrase_at` in a message that names the glossary's path already: ``line 12``,
    or ``terms[1].synonyms[0]`` for a glossary made in Python."""
    return within(glossary, phrase_at(glossary, phrase, line))


def within(glossary: Glossary, place: str) -> str:
    """A place :func:`phrase_at` or :func:`exclusion_places` gives, for a message that
    names the glossary's path already: ``path:12`` -> ``line 12``, ``<glossary 'b'>
    terms[1]`` -> ``terms[1]``; "" for the path alone (no line known)."""
    path = str(glossary.path)
    if place.startswith(f"{path}:"):
        return f"line {place[len(path) + 1:]}"
    return place.removeprefix(path).lstrip()


def exclusion_places(glossary: Glossary, listed: Sequence[str], lines: Sequence[int],
                     key: str) -> list[str]:
    """Where each of ``listed``, the glossary's ``key`` list (``exclusions`` or
    ``exclusions_after``, read from ``lines``), is: ``path:N``; ``<glossary 'b'>
    exclusions[0]`` for a glossary made in Python; the path alone when its lines are not
    known."""
    if in_memory(glossary):
        return [f"{glossary.path} {key}[{k}]" for k in range(len(listed))]
    if len(lines) == len(listed):
        return [f"{glossary.path}:{n}" for n in lines]
    return [str(glossary.path)] * len(listed)


def term_place(glossary: Glossary, term: Term) -> str:
    """`` (line 12)`` after a term named in a message that names the glossary's path
    already; `` (terms[1])`` for a glossary made in Python, whose lines no one sees; ""
    when neither is known."""
    if in_memory(glossary):
        for i, each in enumerate(glossary.terms):
            if each is term:
                return f" (terms[{i}])"
        return ""
    return f" (line {term.line})" if term.line else ""


def as_written(phrase: str) -> str:
    """``phrase`` in quotes as the glossary writes it (``'CLM-\\d+'``, not the doubled
    backslash of its repr); its repr when it holds a character that does not print."""
    return f"'{phrase}'" if phrase.isprintable() else repr(phrase)
