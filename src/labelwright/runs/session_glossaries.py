"""Glossaries a run matched that are not in the project's glossary folder: made in the
Python session (``project.with_glossaries({...})``, a notebook's).

Such a glossary has no file, so the run keeps its text as a glossary file would hold it
(:func:`~labelwright.glossaries.python_glossaries.glossary_yaml`, the bytes its ``sha256`` is of) in
``sources/_session/glossary-<name>.yaml``, listed in the manifest's ``sources.files``
with ``kind: "session glossary"``, and warns of it: ``runs verify --inputs`` compares the
project's glossary files with the run's, and finds this one in none of them; from Python,
``verify_runs(..., glossaries=[...])`` gives it back to compare and recompute.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from labelwright.glossaries.core import Glossary
from labelwright.glossaries.python_glossaries import glossary_yaml
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.session_lfs import SESSION
from labelwright.runs.sources import SOURCES, bytes_writer

#: their ``kind`` among the run's kept sources
KIND = "session glossary"


def made_in_session(glossary: Glossary) -> bool:
    """Whether ``glossary`` has no file: made from a dict (its path ``<glossary 'name'>``)."""
    return str(glossary.path).startswith("<")


def session_glossaries(glossaries: Sequence[Glossary]) -> list[Glossary]:
    return [g for g in glossaries if made_in_session(g)]


def copy_path(glossary: Glossary) -> str:
    """Where the run keeps its text, relative to the run folder."""
    return f"{SOURCES}/{SESSION}/glossary-{re.sub(r'[^A-Za-z0-9_.-]', '_', glossary.name)}.yaml"


def keep_session_glossaries(writer: RunWriter, glossaries: Sequence[Glossary]
                            ) -> list[dict[str, Any]]:
    """Write the text of each of ``glossaries`` into the run being staged; the entries
    for the manifest's ``sources.files``."""
    kept = []
    for glossary in glossaries:
        data = glossary_yaml(glossary).encode("utf-8")
        copy = copy_path(glossary)
        (writer.staging / copy).parent.mkdir(parents=True, exist_ok=True)
        writer.write(copy, bytes_writer(data))
        kept.append({"path": str(glossary.path), "kind": KIND, "glossary": glossary.name,
                     "defined_in": "the Python session", "copy": copy,
                     "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return kept


def session_glossary_warning(glossaries: Sequence[Glossary]) -> list[str]:
    """The run's one warning of the glossaries made in the session, if any."""
    if not glossaries:
        return []
    return [f"glossar{'y' if len(glossaries) == 1 else 'ies'} made in the Python session, "
            f"not in the project's files: {', '.join(g.name for g in glossaries)} (the run "
            f"keeps each in {SOURCES}/{SESSION}/; to check the run, give them again: "
            "verify_runs(..., glossaries=[...]))"]
