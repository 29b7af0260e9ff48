"""A glossary file's bytes read into a :class:`~labelwright.glossaries.core.Glossary`,
field by field (:func:`read_glossary_bytes`): every problem kept with its line (unknown keys
and labels with a did-you-mean, phrases listed twice, YAML that reads otherwise than it
looks, such as an unquoted ``on``), and the part that read kept for comparing phrases.

How a file reads decides which phrases are matched, so this module's source is part of
:data:`~labelwright.glossaries.core.MATCHER_SHA256`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from labelwright.config import find_label
from labelwright.data.text_checks import line_breaks, not_utf8
from labelwright.glossaries.checks import listed_twice
from labelwright.glossaries.core import ACCENTS, MODES, WINDOW_STOPS, Glossary, Term
from labelwright.glossaries.yaml_file import (
    Layout,
    duplicate_keys,
    parse_yaml,
    unquoted,
    yaml_error,
)
from labelwright.spelling import closest, did_you_mean

_KEYS = {"name", "label", "mode", "terms", "exclusions", "exclusions_after", "window",
         "window_stops_at", "description", "accents"}
_TERM_KEYS = {"term", "synonyms", "note"}


_HALF_CHARACTER = re.compile("[\ud800-\udfff]")  # a lone UTF-16 surrogate


class _Reader:
    """One glossary file's values checked one by one, every problem kept with its line:
    a file with five mistakes took five rounds of check when the first one stopped it.
    A value with a problem is left out, and the rest is read as far as it goes, so that
    the phrases that did read can still be compared
    (:func:`~labelwright.glossaries.checks.listed_twice`)."""

    def __init__(self, path: Path, data: dict[Any, Any], layout: Layout,
                 labels: Sequence[str]) -> None:
        self.path = path
        self.data = data
        self.layout = layout
        self.labels = labels
        self.problems: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, f"{self.path}:{line}: {message}"))

    def text(self, value: str, line: int) -> str | None:
        """``value`` stripped, if it holds only whole characters (an escape such as
        ``"\\ud83d"`` without its pair gives half of one, which no text can match)."""
        half = _HALF_CHARACTER.search(value)
        if half is None:
            return value.strip()
        self.add(line, f"{value!r} holds half of a character ({half.group()!r}, a UTF-16 "
                       'surrogate without its pair, as from an escape like "\\ud83d"); write '
                       "the character itself")
        return None

    def unknown_keys(self) -> set[str]:
        """Top-level keys that are no glossary key, each a problem; returns the keys they
        were likely meant to be (a ``term:`` for ``terms:`` is not also "no terms")."""
        meant = set()
        for key in sorted(set(map(str, self.data)) - _KEYS):
            self.add(self.layout.key_line(key), f"unknown key {key!r}; "
                                                f"{did_you_mean(key, _KEYS)}valid keys: "
                                                f"{', '.join(sorted(_KEYS))}")
            meant.add(closest(key, _KEYS))
        return {key for key in meant if key is not None}

    def label(self, meant: set[str]) -> str:
        """The project label the glossary votes for, or "" when it names none."""
        labels = self.labels
        if "label" not in self.data:
            if "label" not in meant:
                self.add(1, f"no label: a glossary names the label its terms vote for "
                            f"(label: {labels[0]}); valid labels: {', '.join(labels)}")
            return ""
        label = self.data["label"]
        if isinstance(label, str):
            label = find_label(label, labels) or label
        if isinstance(label, str) and label in labels:
            return label
        # YAML reads an unquoted 1, 1.5, yes or null as a number, a boolean or nothing
        written = next((name for name in labels if label is not None
                        and not isinstance(label, str) and yaml.safe_load(name) == label), None)
        hint = (f' (YAML read the unquoted value as {type(label).__name__} {label!r}: write '
                f'label: "{written}")' if written is not None else "")
        guess = did_you_mean(label, labels) if isinstance(label, str) else ""
        self.add(self.layout.key_line("label"), f"label {label!r} is not a project "
                                                f"label{hint}; {guess}valid labels: "
                                                f"{', '.join(labels)}")
        return ""

    def mode(self) -> str | None:
        return self._choice("mode", "lowercase", MODES, "modes")

    def meant_mode(self) -> str:
        """The mode a ``mode`` that is none most likely means (``lema``: lemma), so that
        its phrases listed twice are said with it, in the same pass; ``exact``, which
        tells the most phrases apart, when it is like none."""
        return closest(str(self.data.get("mode")), MODES) or "exact"

    def accents(self) -> str:
        return self._choice("accents", "keep", ACCENTS, "values",
                            " (ignore: match without accents on both sides, so 'averia' "
                            "matches 'avería'; umlauts: read ä, ö, ü as ae, oe, ue on both "
                            "sides, so 'Gebuehr' matches 'Gebühr')") or "keep"

    def window_stops_at(self) -> str:
        return self._choice("window_stops_at", "clause", WINDOW_STOPS, "values",
                            " (line: a line break also ends the window of the exclusions, "
                            "as a sentence end does)") or "clause"

    def _choice(self, key: str, default: str, valid: Sequence[str], what: str,
                hint: str = "") -> str | None:
        """The glossary's ``key``, one of ``valid`` (``default`` when left out); None, with
        the problem added naming the valid ``what`` (and the closest), when it is none."""
        value = self.data.get(key, default)
        if value in valid:
            return str(value)
        self.add(self.layout.key_line(key), f"{key} {value!r}; "
                                            f"{did_you_mean(str(value), valid)}valid {what}: "
                                            f"{', '.join(valid)}{hint}")
        return None

    def window(self) -> int:
        window = self.data.get("window", 3)
        line = self.layout.key_line("window")
        if not isinstance(window, int) or isinstance(window, bool) or window < 0:
            self.add(line, f"window must be a whole number >= 0, got {window!r}")
            return 3
        if window == 0 and (self.data.get("exclusions") or self.data.get("exclusions_after")):
            self.add(line, "window: 0 leaves no word before or after a term for the "
                           "exclusions to be found in, so they never cancel a match; set "
                           "window >= 1, or remove the exclusions")
        return window

    def one_line(self, line: int, *path: str | int) -> None:
        """A problem when the unquoted phrase at ``path`` goes on over more than one line:
        YAML joins a line indented under a list item to it, so ``- broken`` above a
        ``- freeze`` indented one space more read as the one term ``broken - freeze``."""
        node = self.layout.node(*path)
        if isinstance(node, yaml.ScalarNode) and not node.style \
                and node.end_mark.line > node.start_mark.line:
            self.add(line, f"{node.value!r} is one phrase written over lines "
                           f"{node.start_mark.line + 1}-{node.end_mark.line + 1}: YAML joins a "
                           "line indented under a list item to it; start each term with '- ' "
                           "at the indentation of the others, or quote a phrase meant to "
                           "span lines")

    def phrase_lines(self, value: Any, line: int, *path: str | int
                     ) -> tuple[tuple[str, int], ...]:
        """A list of phrases (exclusions, a term's synonyms) at ``path``: its strings, each
        with its line (``line`` for a single string). Each
        value YAML read as true or false is a problem on its own line, naming the word as
        written; any other value that is not a non-empty string is one problem at
        ``line``."""
        if value is None:
            return ()
        if isinstance(value, bool):
            self.add(line, unquoted(self.layout.written(value, *path)))
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list):
            self.add(line, f"expected a list of non-empty strings, got {value!r}")
            return ()
        for i, v in enumerate(values):
            if isinstance(v, bool):
                self.add(self.layout.line(*path, i), unquoted(self.layout.written(v, *path, i)))
        if not all(isinstance(v, bool) or isinstance(v, str) and v.strip() for v in values):
            self.add(line, f"expected a list of non-empty strings, got {value!r}")
        for i, v in enumerate(values if isinstance(value, list) else ()):
            if isinstance(v, str):
                self.one_line(self.layout.line(*path, i), *path, i)
        # each at its own line: a list may run over lines
        at = [self.layout.line(*path, i) if isinstance(value, list) else line
              for i in range(len(values))]
        read = ((self.text(v, at[i]), at[i]) for i, v in enumerate(values)
                if isinstance(v, str) and v.strip())
        return tuple((v, n) for v, n in read if v is not None)

    def terms(self, meant: set[str]) -> tuple[Term, ...]:
        entries = self.data.get("terms")
        line = self.layout.key_line("terms")
        if not entries:
            if "terms" not in meant or "terms" in self.data:
                self.add(line, "the glossary has no terms; add a `terms:` list")
            return ()
        if not isinstance(entries, list):
            self.add(line, "`terms` must be a list")
            return ()
        terms = (self.term(i, entry) for i, entry in enumerate(entries))
        return tuple(term for term in terms if term is not None)

    def term(self, i: int, entry: Any) -> Term | None:
        """Entry ``i`` of ``terms``: a string, or a mapping with ``term`` and optional
        ``synonyms`` and ``note``; None when its term cannot be read."""
        line = self.layout.line("terms", i)
        if isinstance(entry, dict):
            return self.term_mapping(i, entry, line)
        if isinstance(entry, str) and entry.strip():
            self.one_line(line, "terms", i)
            text = self.text(entry, line)
            return Term(text, line=line) if text is not None else None
        if not self.scalar_not_text(entry, line, "terms", i):
            self.add(line, f"a term is a string or a mapping with `term:` (and optional "
                           f"synonyms, note), got {entry!r}")
        return None

    def scalar_not_text(self, value: Any, line: int, *path: str | int) -> bool:
        """Say so if ``value`` (at ``path``) is what YAML made of an unquoted word or number
        (``on``, ``12``) where a term's text belongs; False for any other value."""
        if not isinstance(value, bool | int | float):
            return False
        written = self.layout.written(value, *path)
        self.add(line, unquoted(written) if isinstance(value, bool) else
                 f'YAML reads an unquoted {written} as a number; a term is text: quote it, '
                 f'"{written}"')
        return True

    def term_mapping(self, i: int, entry: dict[Any, Any], line: int) -> Term | None:
        bad = sorted(set(map(str, entry)) - _TERM_KEYS)
        for key in bad:
            self.add(line, f"unknown key {key!r} in a term; {did_you_mean(key, _TERM_KEYS)}"
                           f"valid keys: {', '.join(sorted(_TERM_KEYS))}")
        term, text = entry.get("term"), None
        if isinstance(term, str) and term.strip():
            self.one_line(line, "terms", i, "term")
            text = self.text(term, line)
        elif not self.scalar_not_text(term, line, "terms", i, "term") and (
                "term" in entry or "term" not in {closest(key, _TERM_KEYS) for key in bad}):
            self.add(line, f"a term is a string or a mapping with `term:` (and optional "
                           f"synonyms, note), got {entry!r}")
        synonyms = self.phrase_lines(entry.get("synonyms"), line, "terms", i, "synonyms")
        note = entry.get("note")
        if isinstance(note, bool) or not isinstance(note, str | int | float | None):
            self.add(line, f"a note is a line of text, got {note!r}")
            note = None
        if text is None:
            return None
        return Term(text, synonyms=tuple(s for s, _ in synonyms), line=line,
                    synonym_lines=tuple(n for _, n in synonyms),
                    note=self.text(str(note), line) if note is not None else None)

    def name(self) -> str:
        name = self.data.get("name")
        line = self.layout.key_line("name")
        if name is not None and not (isinstance(name, str) and name.strip()):
            self.add(line, f"name must be a non-empty string (or leave it out for the file "
                           f"name, {self.path.stem!r}), got {name!r}")
            name = None
        return (self.text(name, line) or self.path.stem) if name else self.path.stem

    def description(self) -> str | None:
        description = self.data.get("description")
        if description is not None and not isinstance(description, str):
            self.add(self.layout.key_line("description"),
                     f"description must be text, got {description!r}")
            return None
        return description


def read_glossary_bytes(raw: bytes, path: Path, labels: Sequence[str]
                        ) -> tuple[Glossary | None, list[str]]:
    """:func:`~labelwright.glossaries.reading.read_glossary` of the bytes ``raw``, named
    ``path`` in messages (a glossary made in Python is read from the YAML it writes out)."""
    try:
        text = raw.decode("utf-8")
        root, data = parse_yaml(text)
    except UnicodeDecodeError as exc:
        line = line_breaks(raw, 0, exc.start) + 1  # as YAML counts them, \r too
        return None, [str(not_utf8(f"{path}:{line}", raw, exc.start))]
    except yaml.YAMLError as exc:
        return None, [yaml_error(exc, text, path)]
    if data is None:
        return None, [f"{path}: the file is empty; a glossary is a YAML mapping with label "
                      "and terms (mode is optional); delete the file if the glossary is not "
                      "wanted"]
    if not isinstance(data, dict):
        return None, [f"{path}: a glossary is a YAML mapping with label and terms (mode is "
                      f"optional), not a {type(data).__name__}"]
    read = _Reader(path, data, Layout(root), labels)
    read.problems.extend(duplicate_keys(root, path))
    meant = read.unknown_keys()
    mode = read.mode()
    name, label, terms = read.name(), read.label(meant), read.terms(meant)
    before = read.phrase_lines(data.get("exclusions"), read.layout.key_line("exclusions"),
                               "exclusions")
    after = read.phrase_lines(data.get("exclusions_after"),
                              read.layout.key_line("exclusions_after"), "exclusions_after")
    glossary = Glossary(
        name=name,
        label=label,
        mode=mode or read.meant_mode(),
        terms=terms,
        exclusions=tuple(p for p, _ in before),
        exclusions_after=tuple(p for p, _ in after),
        exclusion_lines=tuple(n for _, n in before),
        exclusion_after_lines=tuple(n for _, n in after),
        window=read.window(),
        window_stops_at=read.window_stops_at(),
        accents=read.accents(),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        description=read.description(),
    )
    problems = read.problems + listed_twice(glossary)
    return glossary, [message for _, message in sorted(problems, key=lambda p: p[0])]
