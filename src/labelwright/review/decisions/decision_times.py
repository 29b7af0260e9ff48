"""When a review decision was made, and which decision of each rater on an item is the
latest: the one runs, stats and exports read (:mod:`~labelwright.review.decisions.ledger`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from .ledger import Decision


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset; none counts as UTC), or None."""
    try:
        when = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def decided(d: Decision) -> datetime:
    """When a decision was made: the tool's time if it gave one (ISO 8601), else the import
    time; never after the import time, when that is known. Times without a zone count as
    UTC."""
    return decision_time(d.decided_at, d.imported_at)


def decision_time(decided_at: str, imported_at: str) -> datetime:
    """:func:`decided` of a decision's two times. A tool's time after the import cannot be
    (the clock that dated it was ahead: :mod:`~labelwright.review.imports.decision_clocks`
    warns of it), so the decision counts as made when it was imported: dated a day ahead,
    it outranked every correction its rater made that day, imported later or not."""
    made, imported = (parse_time(text) if text else None for text in (decided_at, imported_at))
    if made is not None and imported is not None:
        return min(made, imported)
    return made or imported or datetime.min.replace(tzinfo=UTC)


def _as_dated(d: Decision) -> datetime:
    """The tool's own time of a decision (:func:`decided` where it gives none): among
    decisions that :func:`decided` puts at one import time, the order their tool gave."""
    made = parse_time(d.decided_at) if d.decided_at else None
    return made or decided(d)


def latest_decisions(decisions: Sequence[Decision]) -> dict[str, dict[str, Decision]]:
    """``{item_id: {rater: decision}}``, each rater's most recent decision per item: by when
    it was decided (:func:`decided`), and among equal times the one imported last. So an
    older export imported after a newer one does not undo the newer decision. (Decisions
    dated after their import, which :func:`decided` puts at that time, keep their tool's
    order among themselves.)"""
    out: dict[str, dict[str, Decision]] = {}
    order = sorted(range(len(decisions)),
                   key=lambda k: (decided(decisions[k]), _as_dated(decisions[k]), k))
    for k in order:  # oldest first: later decisions overwrite earlier ones
        d = decisions[k]
        out.setdefault(d.item_id, {})[d.rater] = d
    return out


def latest_per_rater(decisions: Sequence[Decision]) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of :func:`latest_decisions`."""
    return labels_by_rater(latest_decisions(decisions))


def labels_by_rater(latest: dict[str, dict[str, Decision]]) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of what :func:`latest_decisions` gave."""
    return {item: {rater: d.label for rater, d in by_rater.items()}
            for item, by_rater in latest.items()}
