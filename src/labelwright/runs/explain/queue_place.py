"""Where an item sits in its run's review queue, for ``explain``: its rank of how many, and
the ranking signals that put it there, with the values and words of its review record
(:func:`~labelwright.review.queue.why.why_text`).

The rank is ``labels.parquet``'s ``queue_rank`` (every queued item has one, however much of
the queue the review files hold); the signals are the item's record in ``review.jsonl``,
which a run with ``[review] queue_limit`` writes for the queue's head (and audit) alone.
The file is read line by line up to the item's record: a rank near the head costs a few
lines of a 100 MB queue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.apply.item_fields import missing_as_none
from labelwright.runs.file_names import QUEUE_JSONL


@dataclass(frozen=True)
class QueuePlace:
    """An item's place in the queue: ``rank`` of ``queued`` (None: the run does not say how
    many), ``signals`` (names), ``values`` (each signal's value, when the run recorded them),
    ``why`` (in words) and ``end_model_label``; ``written``: the review files hold its
    record (False: it ranks past what ``[review] queue_limit`` wrote, or the run is from
    before ``queue_rank``)."""

    rank: int
    queued: int | None
    signals: list[str] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)
    why: str = ""
    end_model_label: str | None = None
    written: bool = True
    #: the run's ``triage.ranking``: ``"confidence"`` orders the queue by the label
    #: model's confidence, with no signals; None: the signals' ranking (or not recorded)
    ranking: str | None = None

    def describe(self) -> str:
        """``rank 3 of 705; signals: end_model_disagrees 0.84, uncertainty 0.69``."""
        of = f" of {self.queued:,}" if self.queued else ""
        said = ", ".join(f"{name} {self.values[name]:.2f}" if name in self.values else name
                         for name in self.signals)
        line = f"rank {self.rank:,}{of}"
        if not self.written:
            return line + " (past what the run's review files hold: signals not recorded)"
        if not said and self.ranking == "confidence":
            return line + ("; ordered by the label model's confidence (the run's ranking "
                           "is \"confidence\": no ranking signals)")
        return line + (f"; signals: {said}" if said else "; no ranking signal named")


def queue_place(run_dir: Path, row: dict[str, Any], manifest: dict[str, Any],
                item_id: str) -> QueuePlace | None:
    """The item's :class:`QueuePlace`; None when it is not queued (or the run is from before
    ``labels.parquet`` held ``queue_rank``)."""
    rank = missing_as_none(row.get("queue_rank"))
    if rank is None:
        return None
    triage = manifest.get("triage") or {}
    queued = (triage.get("queue_files") or {}).get("queued")
    ranking = triage.get("ranking") if isinstance(triage.get("ranking"), str) else None
    record = _record(run_dir / QUEUE_JSONL, item_id)
    if record is None:
        return QueuePlace(int(rank), queued, written=False, ranking=ranking)
    from labelwright.review.queue.why import why_text

    return QueuePlace(int(rank), queued, list(record.get("signals") or ()),
                      dict(record.get("signal_values") or {}),
                      record.get("why") or why_text(record), record.get("end_model_label"),
                      ranking=ranking)


def _record(path: Path, item_id: str) -> dict[str, Any] | None:
    """The item's record in the run's ``review.jsonl``; None when the file lacks it."""
    written = json.dumps(item_id, ensure_ascii=False)[1:-1]  # as a line holds it
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if written in line or item_id in line:  # a cheap test before the parse
                    record = json.loads(line)
                    if str(record.get("id")) == item_id:
                        return record
    except (OSError, ValueError):  # `runs verify` names a broken file; explain goes on
        return None
    return None
