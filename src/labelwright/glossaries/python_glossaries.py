"""Glossaries made in Python: :func:`glossary_from_dict` checks a dict (or a
:class:`~labelwright.glossaries.core.Glossary` made by hand) exactly as a file is read, by
reading the YAML it writes out, and :func:`glossary_yaml` is that text, which a run keeps of
a glossary made in a session (its ``sha256`` is of those bytes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from labelwright.errors import GlossaryError
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.file_fields import read_glossary_bytes


def glossary_from_dict(spec: Mapping[str, Any] | Glossary, labels: Sequence[str], *,
                       name: str | None = None) -> Glossary:
    """A glossary made in Python: ``spec`` holds what a glossary file does (``label``,
    ``terms``, optional ``mode``, ``exclusions``, ``exclusions_after``, ``window``,
    ``window_stops_at``, ``accents``, ``description``, ``name``), or is a
    :class:`Glossary` made by hand, checked with the project's ``labels`` exactly as a
    file is read (it is read as the YAML it writes out);
    a :class:`GlossaryError` lists every problem, naming the key and the valid values.
    ``name``: when ``spec`` has none. Its ``sha256`` is of that YAML (its content), its
    ``path`` ``<glossary 'NAME'>``, as messages and runs name it."""
    data = _spec_dict(spec) if isinstance(spec, Glossary) else spec
    if not isinstance(data, Mapping):
        raise GlossaryError(f"a glossary is a dict with label and terms (mode is optional), "
                            f"not a {type(data).__name__}")
    given = data.get("name", name)
    if not isinstance(given, str) or not given.strip():
        raise GlossaryError(f"the glossary has no name (name={given!r}): give it one, "
                            "{'name': 'praise', ...} or name='praise'; its LF is named "
                            "glossary:<name>")
    where = f"<glossary {given.strip()!r}>"
    try:
        text = yaml.safe_dump(_plain({**data, "name": given}), sort_keys=False,
                              allow_unicode=True)
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{where}: holds what a glossary file cannot ({exc}); a glossary "
                            "holds text, numbers, lists and dicts") from None
    glossary, problems = read_glossary_bytes(text.encode("utf-8"), Path(where), labels)
    if problems or glossary is None:  # a line of the YAML written out means nothing here
        raise GlossaryError("\n".join(
            re.sub(r"\(also at line \d+", "(also earlier in its terms",
                   re.sub(rf"^{re.escape(where)}:\d+: ", f"{where}: ", problem))
            for problem in problems))
    # read again from its own YAML, the text a run keeps of it: its sha256 is of that
    glossary, _ = read_glossary_bytes(glossary_yaml(glossary).encode("utf-8"), Path(where), labels)
    assert glossary is not None  # read once already
    return glossary


def glossary_yaml(glossary: Glossary) -> str:
    """``glossary`` as the text of a glossary file; a glossary :func:`glossary_from_dict`
    made reads back from it as it is, its ``sha256`` being of these bytes."""
    return yaml.safe_dump(_spec_dict(glossary), sort_keys=False, allow_unicode=True)


def _plain(value: Any) -> Any:
    """``value`` with tuples as lists and mappings as dicts, as YAML writes them."""
    if isinstance(value, Mapping):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _spec_dict(glossary: Glossary) -> dict[str, Any]:
    """A :class:`Glossary` made by hand as the dict :func:`glossary_from_dict` reads: a
    term given as text stays text (its checks say what is wrong with it)."""
    return {"name": glossary.name, "label": glossary.label, "mode": glossary.mode,
            "terms": [{"term": t.term, "synonyms": list(t.synonyms),
                       **({"note": t.note} if t.note is not None else {})}
                      if isinstance(t, Term) else t for t in glossary.terms],
            "exclusions": list(glossary.exclusions),
            # keys newer than the YAML a glossary made in Python hashes: only when set
            **({"exclusions_after": list(glossary.exclusions_after)}
               if glossary.exclusions_after else {}),
            "window": glossary.window,
            **({"window_stops_at": glossary.window_stops_at}
               if glossary.window_stops_at != "clause" else {}),
            "accents": glossary.accents,
            **({"description": glossary.description} if glossary.description else {})}
