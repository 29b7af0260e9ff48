"""The glossary terms an item matched, as every review export shows them to a reviewer.

One text for the CSV's ``glossary_terms`` column and the tools' ``glossary_terms`` (Label
Studio's header, Prodigy's meta, doccano's and Argilla's metadata), so that no export shows
less than another. A match an exclusion cancelled is shown with the phrase that cancelled
it: a reviewer who sees "password" in the text and no term for it would otherwise not know
whether the glossary missed the word or the exclusion took it back.

Each distinct match is shown once, with how many times it occurs (``x294``), as
``explain`` shows them: a long contract matches one term hundreds of times, and listing
every hit made a 200,000-character cell of one term and its note repeated (more than a
spreadsheet cell holds) that said no more than the count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from labelwright.text_form import text_form

#: between two matches in the text (a note may hold ``;``, and ``|`` rarely)
SEPARATOR = " | "
#: what makes two matches the same one to a reviewer
_KEYS = ("glossary", "label", "term", "text", "note", "excluded_by")


def distinct_matches(matches: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each distinct match of a review record's ``glossary_matches`` once, in the order
    of its first occurrence, with ``count``: how many times it occurs (a match that has a
    ``count`` already counts as that many, so grouping twice changes nothing). The matched
    words are compared and shown as a reader reads them
    (:func:`~labelwright.text_form.text_form`): "governing\\nlaw", "governing\\xa0law"
    and "gove\\xadrning law" are one match, "governing law", where a contract's cell listed
    seven spellings of one phrase, raw line breaks and soft hyphens in it."""
    matches = list(matches)
    if all("count" in match for match in matches):  # grouped already (a run's records):
        return matches  # as they are (a review export groups every record's once)
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for match in matches:
        seen = match
        if isinstance(match.get("text"), str):  # as a reader reads it (below)
            seen = {**match, "text": text_form(match["text"])}
        key = tuple(seen.get(k) for k in _KEYS)
        times = match.get("count", 1)
        if key in grouped:
            grouped[key]["count"] += times
        else:
            grouped[key] = {**seen, "count": times}
    return list(grouped.values())


def match_text(match: Mapping[str, Any]) -> str:
    """One match of a review record's ``glossary_matches``:
    ``text [glossary → label] x3 (cancelled by 'phrase'): note`` (no count when once)."""
    part = f"{match['text']} [{match['glossary']} → {match['label']}]"
    if match.get("count", 1) > 1:
        part += f" x{match['count']:,}"
    if match.get("excluded_by"):
        part += f" (cancelled by {match['excluded_by']!r})"
    if match.get("note"):
        part += f": {match['note']}"
    return part


def terms_text(matches: Iterable[Mapping[str, Any]]) -> str:
    """Every distinct match of a review record (:func:`distinct_matches`), live and
    cancelled, in the order of their first occurrence in the text (empty when none
    matched)."""
    return SEPARATOR.join(match_text(m) for m in distinct_matches(matches))
