"""When a review decision was made, and which decision of each rater on an item is the
latest: the one runs, stats and exports read (:mod:`~labelwright.review.decisions.ledger`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

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


#: the field of a run's manifest (``reviews``) that says in which order it read the
#: decisions: :data:`CAPPED_AT_IMPORT`; a run that does not say went by :func:`tool_time`
ORDER_FIELD = "decision_times"
#: decisions ordered by :func:`decision_time`, a tool's time after the import counting as
#: the import's, and among equal times by the tool's
CAPPED_AT_IMPORT = "capped at import"


def tool_time(decided_at: str, imported_at: str) -> datetime:
    """The tool's own time of a decision, else its import time: among decisions that
    :func:`decision_time` puts at one import time, the order their tool gave; and the whole
    order of runs from before :data:`CAPPED_AT_IMPORT` (their manifests record no
    :data:`ORDER_FIELD`)."""
    for text in (decided_at, imported_at):
        when = parse_time(text) if text else None
        if when is not None:
            return when
    return datetime.min.replace(tzinfo=UTC)


def decision_order(decided_at: str, imported_at: str, *, capped: bool = True
                   ) -> tuple[datetime, datetime]:
    """What orders a decision of two times among its rater's others on an item, oldest
    first (the import order breaks what ties remain): :func:`decision_time`, then
    :func:`tool_time`. ``capped`` False: :func:`tool_time` alone, as runs read decisions
    before :data:`CAPPED_AT_IMPORT` (:func:`recorded_order`). One key for
    :func:`latest_decisions` and for what shows a run's reading (``explain``)."""
    tool = tool_time(decided_at, imported_at)
    return (decision_time(decided_at, imported_at) if capped else tool), tool


def recorded_order(reviews: Mapping[str, Any] | None) -> bool:
    """Whether the run whose manifest's ``reviews`` is ``reviews`` ordered decisions
    :data:`CAPPED_AT_IMPORT` (``capped`` of :func:`decision_order`): a run from before
    went by the tool's time alone, and is read again as it read them (``runs verify``
    found its reviewed rows edited where a decision was dated ahead)."""
    return (reviews or {}).get(ORDER_FIELD) == CAPPED_AT_IMPORT


def latest_decisions(decisions: Sequence[Decision], *, capped: bool = True
                     ) -> dict[str, dict[str, Decision]]:
    """``{item_id: {rater: decision}}``, each rater's most recent decision per item: by when
    it was decided (:func:`decision_order`), and among equal times the one imported last.
    So an older export imported after a newer one does not undo the newer decision.
    (Decisions dated after their import, which :func:`decided` puts at that time, keep
    their tool's order among themselves.) ``capped``: see :func:`decision_order`."""
    out: dict[str, dict[str, Decision]] = {}
    order = sorted(range(len(decisions)), key=lambda k: (
        *decision_order(decisions[k].decided_at, decisions[k].imported_at, capped=capped), k))
    for k in order:  # oldest first: later decisions overwrite earlier ones
        d = decisions[k]
        out.setdefault(d.item_id, {})[d.rater] = d
    return out


def latest_per_rater(decisions: Sequence[Decision], *, capped: bool = True
                     ) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of :func:`latest_decisions` (``capped``: as there)."""
    return labels_by_rater(latest_decisions(decisions, capped=capped))


def labels_by_rater(latest: dict[str, dict[str, Decision]]) -> dict[str, dict[str, str]]:
    """``{item_id: {rater: label}}`` of what :func:`latest_decisions` gave."""
    return {item: {rater: d.label for rater, d in by_rater.items()}
            for item, by_rater in latest.items()}
