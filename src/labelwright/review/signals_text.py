"""The ranking signals that put an item high in the queue, as every review export writes
them: the CSV's ``signals`` column and the tools' ``signals`` field (Label Studio's task
data, Prodigy's meta, doccano's and Argilla's metadata). The CSV joined them with ``;`` and
the tools with ``, ``, so a script reading two exports split one of them wrongly; one text
now, the CSV's, so its readers read what they read before.

Nothing reads the field back: the review import takes decisions, not what was said about
an item (:data:`~labelwright.review.export.SAID`).
"""

from __future__ import annotations

from collections.abc import Iterable

#: between two signal names (as between two reasons in the CSV's ``reasons`` column); a
#: signal's name (:data:`~labelwright.review.ranking_signals.SIGNALS`) holds none
SIGNALS_SEPARATOR = ";"


def signals_text(signals: Iterable[str]) -> str:
    """``signals`` joined with :data:`SIGNALS_SEPARATOR`: ``margin;end_model_disagrees``."""
    return SIGNALS_SEPARATOR.join(signals)
