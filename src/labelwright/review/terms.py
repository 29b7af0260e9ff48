"""The glossary terms an item matched, as every review export shows them to a reviewer.

One text for the CSV's ``glossary_terms`` column and the tools' ``glossary_terms`` (Label
Studio's header, Prodigy's meta, doccano's and Argilla's metadata), so that no export shows
less than another. A match an exclusion cancelled is shown with the phrase that cancelled
it: a reviewer who sees "password" in the text and no term for it would otherwise not know
whether the glossary missed the word or the exclusion took it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: between two matches in the text (a note may hold ``;``, and ``|`` rarely)
SEPARATOR = " | "


def match_text(match: Mapping[str, Any]) -> str:
    """One match of a review record's ``glossary_matches``:
    ``text [glossary → label] (cancelled by 'phrase'): note``."""
    part = f"{match['text']} [{match['glossary']} → {match['label']}]"
    if match.get("excluded_by"):
        part += f" (cancelled by {match['excluded_by']!r})"
    if match.get("note"):
        part += f": {match['note']}"
    return part


def terms_text(matches: Iterable[Mapping[str, Any]]) -> str:
    """Every match of a review record, live and cancelled, in the text's order (empty when
    none matched)."""
    return SEPARATOR.join(match_text(m) for m in matches)
