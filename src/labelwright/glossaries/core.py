"""Glossaries: YAML lists of domain terms that vote a label when they occur.

A glossary names a label, a match mode (``exact``, ``lowercase`` or ``lemma``),
terms with synonyms and reviewer notes, and optional exclusions: phrases that
cancel a match when they occur within ``window`` tokens before it (negations).
This module loads and checks them; :mod:`labelwright.glossaries.matching` finds their terms in
items (one spaCy ``PhraseMatcher`` per mode, built with the pipeline that parses the
data, so each item is matched in one pass whatever the number of terms). Each
glossary also becomes an LF, ``glossary:<name>``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language

from labelwright import nlp as nlp_module
from labelwright.config import find_label
from labelwright.data.formats import line_breaks, not_utf8
from labelwright.errors import GlossaryError
from labelwright.glossaries import matching
from labelwright.glossaries.matching import GlossaryMatcher, match_keys, phrase_docs
from labelwright.lfs import item as item_module
from labelwright.lfs.core import ABSTAIN, LabelingFunction
from labelwright.lfs.item import Item
from labelwright.nlp import LemmaKeys, caseless, match_form
from labelwright.spelling import did_you_mean

MODES = ("exact", "lowercase", "lemma")
#: the source of labelwright.glossaries.matching, of this module, of labelwright.nlp
#: (match forms, lemma keys) and of labelwright.lfs.item (how item.matched() reads names):
#: how terms are matched and read; the vote cache keys of glossary votes and of LFs that
#: read matches include it, so a labelwright that matches otherwise recomputes them
MATCHER_SHA256 = hashlib.sha256(b"".join(
    Path(file).read_bytes() for file in (matching.__file__ or "", __file__,
                                         nlp_module.__file__ or "",
                                         item_module.__file__ or ""))).hexdigest()

__all__ = ["GlossaryMatcher", "MATCHER_SHA256", "MODES", "Glossary", "GlossaryVote", "Term",
           "consistency_problems", "exclusion_problems", "glossary_lf", "lemma_problems",
           "load_glossaries", "load_glossary", "match_keys"]
_KEYS = {"name", "label", "mode", "terms", "exclusions", "window", "description"}
_TERM_KEYS = {"term", "synonyms", "note"}


@dataclass(frozen=True)
class Term:
    term: str
    synonyms: tuple[str, ...] = ()
    note: str | None = None
    line: int = 0

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)


@dataclass(frozen=True)
class Glossary:
    name: str
    label: str
    mode: str
    terms: tuple[Term, ...]
    exclusions: tuple[str, ...] = ()
    window: int = 3
    path: Path = Path("<memory>")
    sha256: str = ""
    description: str | None = None

    @property
    def lf_name(self) -> str:
        return f"glossary:{self.name}"


def _yaml_lines(text: str, path: Path) -> dict[Any, int]:
    """1-based line of each top-level key and of each entry of ``terms``; a key given twice
    in one mapping is a :class:`GlossaryError` (YAML keeps the last one: a second
    ``terms:`` dropped the first list in silence)."""
    lines: dict[Any, int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    _no_duplicate_keys(root, path)
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[key.value] = key.start_mark.line + 1
        if key.value == "terms" and isinstance(value, yaml.SequenceNode):
            for i, entry in enumerate(value.value):
                lines[("terms", i)] = entry.start_mark.line + 1
    return lines


def _no_duplicate_keys(node: Any, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in first:
                    raise GlossaryError(f"{path}:{line}: key {key.value!r} is given twice "
                                        f"(first on line {first[key.value]}); YAML would "
                                        "keep only this one: merge them")
                first[key.value] = line
            _no_duplicate_keys(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _no_duplicate_keys(item, path)


_HALF_CHARACTER = re.compile("[\ud800-\udfff]")  # a lone UTF-16 surrogate
_UNQUOTED = 'YAML reads an unquoted no / yes / on / off as true or false; quote it: "no"'


def _whole(text: str, where: str) -> str:
    """``text`` stripped, if it holds only whole characters (an escape such as
    ``"\\ud83d"`` without its pair gives half of one, which no text can match)."""
    half = _HALF_CHARACTER.search(text)
    if half is not None:
        raise GlossaryError(f"{where}: {text!r} holds half of a character ({half.group()!r}, "
                            "a UTF-16 surrogate without its pair, as from an escape like "
                            '"\\ud83d"); write the character itself')
    return text.strip()


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and any(isinstance(v, bool) for v in value):
        raise GlossaryError(f"{where}: {_UNQUOTED}")
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GlossaryError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(_whole(v, where) for v in value)


def _yaml_error(exc: yaml.YAMLError, text: str, path: Path) -> GlossaryError:
    """A YAML error with the line it is on: a parser's mark, or the reader's position (a
    character YAML does not allow, such as a control character)."""
    if isinstance(exc, yaml.reader.ReaderError):
        character = (exc.character if isinstance(exc.character, int)
                     else ord(exc.character))
        line = text.count("\n", 0, exc.position) + 1
        return GlossaryError(f"{path}:{line}: invalid YAML: character U+{character:04X} "
                             f"({exc.reason}); delete it or write it as an escape in a "
                             'double-quoted string ("\\x1b")')
    mark = getattr(exc, "problem_mark", None)
    line_text = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return GlossaryError(f"{path}{line_text}: invalid YAML: {problem}")


def load_glossary(path: Path, labels: Sequence[str]) -> Glossary:
    """Read and check one glossary file; errors name the file and line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = yaml.safe_load(text)
        lines = _yaml_lines(text, path)
    except UnicodeDecodeError as exc:
        line = line_breaks(raw, 0, exc.start) + 1  # as YAML counts them, \r too
        raise GlossaryError(str(not_utf8(f"{path}:{line}", raw, exc.start))) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, path) from None
    if data is None:
        raise GlossaryError(f"{path}: the file is empty; a glossary is a YAML mapping with "
                            "label and terms (mode is optional); delete the file if the "
                            "glossary is not wanted")
    if not isinstance(data, dict):
        raise GlossaryError(f"{path}: a glossary is a YAML mapping with label and terms (mode "
                            f"is optional), not a {type(data).__name__}")

    def at(key: Any) -> str:
        return f"{path}:{lines.get(key, 1)}"

    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise GlossaryError(f"{at(unknown[0])}: unknown key {unknown[0]!r}; "
                            f"{did_you_mean(unknown[0], _KEYS)}"
                            f"valid keys: {', '.join(sorted(_KEYS))}")
    if "label" not in data:
        raise GlossaryError(f"{path}:1: no label: a glossary names the label its terms vote "
                            f"for (label: {labels[0]}); valid labels: {', '.join(labels)}")
    label = data.get("label")
    if isinstance(label, str):
        label = find_label(label, labels) or label
    if label not in labels:
        where = at("label") if "label" in data else f"{path}:1"
        # YAML reads an unquoted 1, 1.5, yes or null as a number, a boolean or nothing
        written = next((name for name in labels if label is not None
                        and not isinstance(label, str) and yaml.safe_load(name) == label), None)
        hint = (f' (YAML read the unquoted value as {type(label).__name__} {label!r}: write '
                f'label: "{written}")' if written is not None else "")
        guess = did_you_mean(label, labels) if isinstance(label, str) else ""
        raise GlossaryError(f"{where}: label {label!r} is not a project label{hint}; "
                            f"{guess}valid labels: {', '.join(labels)}")
    mode = data.get("mode", "lowercase")
    if mode not in MODES:
        raise GlossaryError(f"{at('mode')}: mode {mode!r}; valid modes: {', '.join(MODES)}")
    window = data.get("window", 3)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise GlossaryError(f"{at('window')}: window must be a whole number >= 0, got {window!r}")
    if window == 0 and data.get("exclusions"):
        raise GlossaryError(f"{at('window')}: window: 0 leaves no word before a term for the "
                            "exclusions to be found in, so they never cancel a match; set "
                            "window >= 1, or remove the exclusions")
    entries = data.get("terms")
    if not entries:
        raise GlossaryError(f"{at('terms')}: the glossary has no terms; add a `terms:` list")
    if not isinstance(entries, list):
        raise GlossaryError(f"{at('terms')}: `terms` must be a list")
    terms = []
    for i, entry in enumerate(entries):
        where = at(("terms", i))
        if isinstance(entry, str) and entry.strip():
            terms.append(Term(_whole(entry, where), line=lines.get(("terms", i), 0)))
            continue
        if isinstance(entry, bool) or (isinstance(entry, dict)
                                       and isinstance(entry.get("term"), bool)):
            raise GlossaryError(f"{where}: {_UNQUOTED}")
        if isinstance(entry, int | float) or (isinstance(entry, dict)
                                              and isinstance(entry.get("term"), int | float)):
            number = entry if isinstance(entry, int | float) else entry["term"]
            raise GlossaryError(f"{where}: YAML reads an unquoted {number!r} as a number; a "
                                f'term is text: quote it, "{number}"')
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str) \
                or not entry["term"].strip():
            raise GlossaryError(f"{where}: a term is a string or a mapping with `term:` "
                                f"(and optional synonyms, note), got {entry!r}")
        bad = sorted(set(entry) - _TERM_KEYS)
        if bad:
            raise GlossaryError(f"{where}: unknown key {bad[0]!r} in a term; "
                                f"{did_you_mean(bad[0], _TERM_KEYS)}"
                                f"valid keys: {', '.join(sorted(_TERM_KEYS))}")
        note = entry.get("note")
        if isinstance(note, bool) or not isinstance(note, str | int | float | None):
            raise GlossaryError(f"{where}: a note is a line of text, got {note!r}")
        terms.append(Term(
            term=_whole(entry["term"], where),
            synonyms=_strings(entry.get("synonyms"), where),
            note=_whole(str(note), where) if note is not None else None,
            line=lines.get(("terms", i), 0),
        ))
    name = data.get("name")
    if name is not None and not (isinstance(name, str) and name.strip()):
        raise GlossaryError(f"{at('name')}: name must be a non-empty string (or leave it out "
                            f"for the file name, {path.stem!r}), got {name!r}")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise GlossaryError(f"{at('description')}: description must be text, got "
                            f"{description!r}")
    return Glossary(
        name=_whole(name or path.stem, at("name")),
        label=str(label),
        mode=mode,
        terms=tuple(terms),
        exclusions=_strings(data.get("exclusions"), at("exclusions")),
        window=window,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        description=data.get("description"),
    )


def load_glossaries(folder: Path, labels: Sequence[str]) -> list[Glossary]:
    """Every ``*.yaml`` / ``*.yml`` glossary in ``folder`` (any case), checked for
    consistency.

    All problems found are reported together, one per line.
    """
    if not folder.is_dir():
        return []
    glossaries, problems = [], []
    for path in sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".")):
        if not path.is_file():
            problems.append(f"{path}: a folder, not a glossary file; glossaries are the "
                            ".yaml / .yml files right in {folder}: rename or move it")
            continue
        try:
            glossaries.append(load_glossary(path, labels))
        except GlossaryError as exc:
            problems.append(str(exc))
    problems.extend(consistency_problems(glossaries))
    if problems:
        raise GlossaryError("\n".join(problems))
    return glossaries


def consistency_problems(glossaries: Sequence[Glossary]) -> list[str]:
    """Glossary names used twice, phrases listed twice in one glossary, and phrases claimed
    by glossaries of different labels."""
    problems = []
    names: dict[str, Glossary] = {}
    for glossary in glossaries:
        if glossary.name in names:
            problems.append(f"{glossary.path}: glossary name {glossary.name!r} is also used by "
                            f"{names[glossary.name].path}; names must be unique")
        names[glossary.name] = glossary
    claimed: dict[str, list[tuple[Glossary, Term, str]]] = {}
    # per glossary: phrase (as its mode compares) -> the term and phrase that listed it
    own: dict[int, dict[str, tuple[Term, str]]] = {}
    for glossary in glossaries:
        for term in glossary.terms:
            for phrase in term.phrases:
                key = " ".join(caseless(phrase).split())
                same = " ".join(match_form(phrase).split()) if glossary.mode == "exact" else key
                if same in own.setdefault(id(glossary), {}):
                    first, written = own[id(glossary)][same]
                    # "Maße" and "MASSE" are one phrase where case is ignored: say which
                    shown = "" if written.lower() == phrase.lower() else f", as {written!r}"
                    problems.append(
                        f"{glossary.path}:{term.line}: {phrase!r} is listed twice in this "
                        f"glossary (also at line {first.line}{shown}); list each phrase once")
                own[id(glossary)].setdefault(same, (term, phrase))
                exact = " ".join(match_form(phrase).split())
                # two exact-mode phrases that differ in case ("US", "us") never match one text
                clash = next((c for c in claimed.get(key, []) if c[0].label != glossary.label
                              and not (glossary.mode == c[0].mode == "exact"
                                       and " ".join(match_form(c[2]).split()) != exact)), None)
                if clash is not None:
                    other, other_term, _ = clash
                    problems.append(
                        f"{glossary.path}:{term.line}: {phrase!r} (label {glossary.label!r}) is "
                        f"also claimed by {other.path}:{other_term.line} (label {other.label!r}); "
                        "a phrase may vote for one label only"
                    )
                claimed.setdefault(key, []).append((glossary, term, phrase))
    return problems


def lemma_problems(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Phrases of different labels that a lemma-mode glossary matches on the same words:
    "breaks" (positive) and "break" (negative, lemma mode) both match "broke", which
    :func:`consistency_problems`, comparing the phrases as written, does not see."""
    if not any(g.mode == "lemma" for g in glossaries):
        return []
    lemma = LemmaKeys(nlp)
    claimed: dict[str, list[tuple[Glossary, Term, str]]] = {}
    problems = []
    for glossary in glossaries:
        phrases = [(term, phrase) for term in glossary.terms for phrase in term.phrases]
        for (term, phrase), doc in zip(phrases, phrase_docs(nlp, glossary.mode,
                                                            [p for _, p in phrases])):
            key = " ".join(match_keys(doc, "lemma", lemma)[0])
            written = " ".join(caseless(phrase).split())
            earlier = claimed.setdefault(key, [])
            clash = next((c for c in earlier if c[0].label != glossary.label
                          and "lemma" in (glossary.mode, c[0].mode)
                          and " ".join(caseless(c[2]).split()) != written), None)
            earlier.append((glossary, term, phrase))
            if clash is None:
                continue  # same label; no lemma match; or said by consistency_problems
            other_glossary, other_term, other_phrase = clash
            problems.append(
                f"{glossary.path}:{term.line}: {phrase!r} (label {glossary.label!r}) has the "
                f"lemmas of {other_phrase!r} in {other_glossary.path}:{other_term.line} (label "
                f"{other_glossary.label!r}), and lemma mode matches both on the same words "
                f"({key!r}); a phrase may vote for one label only")
    return problems


def exclusion_problems(glossaries: Sequence[Glossary], nlp: Language) -> list[str]:
    """Exclusions that can never cancel a match: longer (in words, as the pipeline splits
    them) than the glossary's window."""
    lemma = LemmaKeys(nlp)
    problems = []
    for glossary in glossaries:
        for phrase, doc in zip(glossary.exclusions,
                               phrase_docs(nlp, glossary.mode, glossary.exclusions)):
            words = len(match_keys(doc, glossary.mode, lemma)[0])
            if words > glossary.window:
                problems.append(f"{glossary.path}: exclusion {phrase!r} is {words} words, "
                                f"longer than window {glossary.window}: it never fits before "
                                "a term, so it never cancels a match; raise window or shorten it")
    return problems


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
