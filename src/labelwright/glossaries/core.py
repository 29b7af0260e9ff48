"""Glossaries: YAML lists of domain terms that vote a label when they occur.

A glossary names a label, a match mode (``exact``, ``lowercase`` or ``lemma``),
terms with synonyms and reviewer notes, and optional exclusions: phrases that
cancel a match when they occur within ``window`` words before it (negations), or, the
``exclusions_after``, within ``window`` words after it ("ruled out"); ``window_stops_at``
says whether a line break ends those windows.
This module holds what a glossary is and makes its LF, ``glossary:<name>``;
:mod:`~labelwright.glossaries.reading` reads and checks the files,
:mod:`~labelwright.glossaries.checks` compares glossaries, and
:mod:`~labelwright.glossaries.matching` finds their terms in items (one spaCy
``PhraseMatcher`` per mode, built with the pipeline that parses the data, so each item is
matched in one pass whatever the number of terms).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.caches import sources_sha256
from labelwright.lfs import item as item_module
from labelwright.lfs.core import ABSTAIN, LabelingFunction
from labelwright.lfs.item import Item
from labelwright.nlp import OWN_SOURCES

if TYPE_CHECKING:  # imported when asked for (see _MOVED): it imports spaCy
    from labelwright.glossaries.matching import GlossaryMatcher

MODES = ("exact", "lowercase", "lemma")
#: how a glossary compares accents: ``keep`` (the default: "avería" is not "averia"),
#: ``ignore`` (both sides without combining marks, so "año" is also "ano") or ``umlauts``
#: (both sides with German's umlauts spelt out, so "Gebühr" is also "Gebuehr")
ACCENTS = ("keep", "ignore", "umlauts")
#: where an exclusion's window stops besides a list item's start: ``clause`` (the default:
#: a mark that ends a sentence or a clause) or ``line`` (also a line break)
WINDOW_STOPS = ("clause", "line")
#: the source of every module of labelwright.glossaries (sorted by file name: how terms
#: are read, which phrases a file gives, exclusion windows, accents, the plain-apostrophe
#: copy, matching), of labelwright.nlp's modules and labelwright.text_form (match forms,
#: lemma keys, the invisible characters match forms leave out:
#: :data:`~labelwright.nlp.OWN_SOURCES`) and of labelwright.lfs.item (how item.matched()
#: reads names): how terms are read and matched; the vote cache keys of glossary votes
#: and of LFs that read matches include it, so a labelwright that matches otherwise
#: recomputes them. The whole package, not a list of its matching modules: a list had
#: left out plain_copy.py, whose edits changed matches and recomputed nothing.
MATCHER_SHA256 = sources_sha256((*sorted(Path(__file__).parent.glob("*.py")), *OWN_SOURCES,
                                 Path(item_module.__file__ or ""))).hex()

__all__ = ["ACCENTS", "GlossaryMatcher", "MATCHER_SHA256", "MODES", "WINDOW_STOPS", "Glossary",
           "GlossaryVote", "Term", "glossary_lf"]
#: names that moved out of this module, still importable from it (code written for the
#: earlier layout: ``from labelwright.glossaries.core import load_glossaries``), and the
#: matcher, imported when first asked for: it imports spaCy, which what a glossary is and
#: how it is read need not (``runs diff`` reads glossary files without it)
_MOVED = {"load_glossaries": "reading", "load_glossary": "reading", "read_glossary": "reading",
          "consistency_problems": "checks", "exclusion_problems": "checks",
          "lemma_problems": "checks", "GlossaryMatcher": "matching"}


def __getattr__(name: str) -> object:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f"labelwright.glossaries.{_MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Term:
    term: str
    synonyms: tuple[str, ...] = ()
    note: str | None = None
    line: int = 0
    #: the line of each synonym in the file (a list may run over lines); () when not read
    #: from a file: each is then at ``line``
    synonym_lines: tuple[int, ...] = field(default=(), compare=False)

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)

    def phrase_lines(self) -> tuple[tuple[str, int], ...]:
        """Each phrase (the term, then its synonyms) with the line a message about it
        names: carried with the phrase, since a phrase may be listed twice."""
        lines = self.synonym_lines if len(self.synonym_lines) == len(self.synonyms) \
            else (self.line,) * len(self.synonyms)
        return ((self.term, self.line), *zip(self.synonyms, lines))


#: the ``path`` of a glossary made in Python, not read from a file
MEMORY = Path("<memory>")


def content_sha256(glossary: Glossary) -> str:
    """The sha256 of a glossary with no file: of the UTF-8 JSON (keys sorted, no spaces,
    non-ASCII as is) of its fields but ``path`` and ``sha256``, terms as ``[term,
    [synonyms], note]`` (see README "Hash recipes")."""
    terms = [[t.term, list(t.synonyms), t.note] if isinstance(t, Term) else t
             for t in glossary.terms]
    fields = {"name": glossary.name, "label": glossary.label, "mode": glossary.mode,
              "terms": terms, "exclusions": list(glossary.exclusions),
              "window": glossary.window, "description": glossary.description,
              "accents": glossary.accents}
    # keys newer than the hash, only when set: a glossary without them keeps its hash
    if glossary.exclusions_after:
        fields["exclusions_after"] = list(glossary.exclusions_after)
    if glossary.window_stops_at != "clause":
        fields["window_stops_at"] = glossary.window_stops_at
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Glossary:
    name: str
    label: str
    mode: str
    terms: tuple[Term, ...]
    exclusions: tuple[str, ...] = ()
    window: int = 3
    path: Path = MEMORY
    sha256: str = ""
    description: str | None = None
    accents: str = "keep"
    exclusions_after: tuple[str, ...] = ()
    window_stops_at: str = "clause"
    #: the line in the file of each exclusion (before a term, and after one), in the
    #: order of ``exclusions`` and ``exclusions_after``, for messages; () when not read
    #: from a file
    exclusion_lines: tuple[int, ...] = field(default=(), compare=False)
    exclusion_after_lines: tuple[int, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        """A glossary made in Python, with no file (``path`` ``<memory>``), or given no
        ``sha256``, gets its :func:`content_sha256`: its cache keys and a run's manifest
        then change with its terms. (With no file it is always its content's, also when
        ``dataclasses.replace`` copied another glossary's hash along with new terms.)"""
        if not self.sha256 or self.path == MEMORY:
            object.__setattr__(self, "sha256", content_sha256(self))

    @property
    def n_phrases(self) -> int:
        """The phrases matched: each term and each of its synonyms."""
        return sum(len(term.phrases) for term in self.terms)

    @property
    def lf_name(self) -> str:
        return f"glossary:{self.name}"


class GlossaryVote:
    """The LF body of a glossary: vote its label when it has an active match."""

    def __init__(self, name: str, label: str) -> None:
        self.name = name
        self.label = label

    def __call__(self, item: Item) -> str | int:
        for match in item.all_matches:
            if match.glossary == self.name and match.excluded_by is None:
                return self.label
        return ABSTAIN


def glossary_lf(glossary: Glossary, pipeline_fingerprint: str = "") -> LabelingFunction:
    return LabelingFunction(
        name=glossary.lf_name,
        func=GlossaryVote(glossary.name, glossary.label),
        uses_doc=True,
        kind="glossary",
        file=str(glossary.path),
        line=1,
        source_hash=hashlib.sha256(
            f"{glossary.sha256}:{pipeline_fingerprint}:{MATCHER_SHA256}".encode()).hexdigest(),
    )
