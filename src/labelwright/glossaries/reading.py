"""Glossary files read and checked: YAML into :class:`~labelwright.glossaries.core.Glossary`,
every problem named with its file and line; a folder's files checked against each other too.
How one file's fields are read and checked is :mod:`~labelwright.glossaries.file_fields`;
a glossary made in Python (a dict), :mod:`~labelwright.glossaries.python_glossaries`.

How a file reads decides which phrases are matched, so this module's source is part of
:data:`~labelwright.glossaries.core.MATCHER_SHA256`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from labelwright.errors import GlossaryError
from labelwright.glossaries.checks import between
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.file_fields import read_glossary_bytes
from labelwright.glossaries.python_glossaries import (  # defined here before
    glossary_from_dict as glossary_from_dict,
)
from labelwright.glossaries.python_glossaries import glossary_yaml as glossary_yaml

__all__ = ["glossary_from_dict", "glossary_yaml", "load_glossaries", "load_glossary",
           "read_glossary"]

#: the suffixes of a glossary file (in any case)
GLOSSARY_SUFFIXES = (".yaml", ".yml")


def read_glossary(path: Path, labels: Sequence[str]) -> tuple[Glossary | None, list[str]]:
    """One glossary file as far as it reads, and every problem found in it, each with its
    file:line and in the order of the lines, a phrase listed twice included.

    The glossary is None when the file is no YAML mapping; with problems it is only the
    part that read (an unknown label as ``""``, a mode that is none as the mode it most
    likely means, else ``exact``, which tells the most phrases apart), for comparing
    phrases with each other and with other glossaries.
    """
    return read_glossary_bytes(path.read_bytes(), path, labels)


def load_glossary(path: Path, labels: Sequence[str]) -> Glossary:
    """Read and check one glossary file; a :class:`GlossaryError` lists every problem in
    it, one a line, each naming the file and line."""
    glossary, problems = read_glossary(path, labels)
    if problems or glossary is None:
        raise GlossaryError("\n".join(problems))
    return glossary


def load_glossaries(folder: Path, labels: Sequence[str]) -> list[Glossary]:
    """Every ``*.yaml`` / ``*.yml`` glossary in ``folder`` (any case), checked for
    consistency.

    All problems found are reported together, one per line: every file's (in the order of
    its lines), then those between files. The part of a file with problems that did read
    takes part in the comparison between files.
    """
    if not folder.is_dir():
        return []
    glossaries, read, problems = [], [], []
    for path in sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in GLOSSARY_SUFFIXES and not p.name.startswith(".")):
        if not path.is_file():
            problems.append(f"{path}: a folder, not a glossary file; glossaries are the "
                            ".yaml / .yml files right in {folder}: rename or move it")
            continue
        glossary, found = read_glossary(path, labels)
        problems.extend(found)
        if glossary is not None:
            read.append(glossary)
            if not found:
                glossaries.append(glossary)
    problems.extend(between(read))
    if problems:
        raise GlossaryError("\n".join(problems), read)
    return glossaries
