"""Which of the review queue's items a run writes to ``review.csv`` and ``review.jsonl``.

A nightly run over a million items queued 640,000 of them: 400 MB of review files and a
third of the run's time, when a team reviews a few hundred a night. ``[review]
queue_limit`` (``labelwright run --queue-limit``) keeps the files to the queue's head and
its audit items (at the tail: an audit a limit dropped would leave the accepted labels
unmeasured); ``labels.parquet``'s ``queue_rank`` ranks every queued item either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import both_spellings
from labelwright.project.run_settings import QUEUE_LIMIT_ARGUMENT, QUEUE_LIMIT_OPTION
from labelwright.runs.file_names import LABELS_FILE

#: ``labels.parquet``'s column: each queued item's place in the review queue (1: reviewed
#: first); empty for the items not queued
QUEUE_RANK = "queue_rank"
#: the triage reason of the audit sample, kept in the review files past any limit
AUDIT = "audit"


def queue_ranks(n_items: int, order: np.ndarray) -> pd.arrays.IntegerArray:
    """Per item, its rank in the queue ``order`` (1 first), missing where not queued."""
    ranks = np.zeros(n_items, dtype=np.int64)
    ranks[np.asarray(order, dtype=np.int64)] = np.arange(1, len(order) + 1)
    return pd.arrays.IntegerArray(ranks, mask=ranks == 0)


def written_queue(order: np.ndarray, reasons: Sequence[Sequence[str]],
                  limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(the queue's first ``limit`` items, the audit items past them): what a run writes to
    its review files (``limit`` None: the whole queue, and no items past it)."""
    order = np.asarray(order, dtype=np.int64)
    if limit is None or limit >= len(order):
        return order, order[:0]
    tail = order[limit:]
    audit = np.array([AUDIT in reasons[i] for i in tail.tolist()], dtype=bool)
    return order[:limit], tail[audit]


def queue_files_record(queued: int, head: int, tail: int, limit: int | None,
                       limit_from: str | None) -> dict[str, Any]:
    """The manifest's ``triage.queue_files``: how many queued items the review files hold
    (``written``; runs without the record wrote all of them), of the ``queued``; the
    limit and where it was set (``"[review] queue_limit"``, :data:`QUEUE_LIMIT_OPTION` or
    :data:`QUEUE_LIMIT_ARGUMENT`)."""
    return {"queued": queued, "written": head + tail, "head": head, "audit_after_head": tail,
            "limit": limit,
            "limit_from": None if limit is None else (limit_from or "[review] queue_limit")}


def limit_setting(record: dict[str, Any]) -> str:
    """Where the limit was set and to what, as the user wrote it: ``--queue-limit = 5``,
    ``[review] queue_limit = 5`` or ``queue_limit=5`` (``run_project``'s argument)."""
    given, limit = record.get("limit_from"), record.get("limit")
    return f"{given}{limit}" if given == QUEUE_LIMIT_ARGUMENT else f"{given} = {limit}"


def unwritten_items(manifest: dict[str, Any]) -> int:
    """How many queued items a run left out of its review files (0: it wrote them all, as
    runs without ``triage.queue_files`` did)."""
    record = (manifest.get("triage") or {}).get("queue_files") or {}
    try:
        return max(int(record.get("queued", 0)) - int(record.get("written", 0)), 0)
    except (TypeError, ValueError):
        return 0


def _count(value: Any) -> str:
    """A count as messages write it (``155,994``); a value that is none as it is."""
    return f"{value:,}" if isinstance(value, int) else str(value)


def queue_files_line(triage: dict[str, Any]) -> str | None:
    """What ``run`` prints under its queue when the review files hold only its head (a
    run's manifest ``triage``); None when they hold it all."""
    record = triage.get("queue_files") or {}
    if record.get("limit") is None or record.get("written") == record.get("queued"):
        return None
    return (f"review files: the first {_count(record.get('head'))} of "
            f"{_count(record.get('queued'))} "
            f"queued items and {_count(record.get('audit_after_head'))} audit items past them "
            f"({limit_setting(record)}); labels.parquet's "
            f"{QUEUE_RANK} ranks them all")


def unwritten_note(run_id: str, manifest: dict[str, Any], reach: int | None = None
                   ) -> str | None:
    """What an export of a run says when the run wrote only the head of its queue: the
    items past it are in no review file, why (a record's text, fields and glossary
    matches are made as the run writes its files; ``labels.parquet`` holds none of them),
    and the limit to run again with: ``reach``, the queue rank of the last item the export
    asked for (default: the whole queue); or, for a team that reviewed the head, the next
    run with the same limit, whose files begin at the items left undecided."""
    left = unwritten_items(manifest)
    if not left:
        return None
    record = (manifest.get("triage") or {}).get("queue_files") or {}
    limit = reach or record.get("queued")
    # the note is read where the export ran (the CLI, or Python), not where the run did
    again = both_spellings(f"`labelwright run {QUEUE_LIMIT_OPTION} {limit}`",
                           f"`run_project({QUEUE_LIMIT_ARGUMENT}{limit})`")
    reuse = both_spellings(f"--label-model-from {run_id}", f"label_model_from={run_id!r}")
    return (f"run {run_id} wrote the first {_count(record.get('head'))} of its "
            f"{_count(record.get('queued'))} queued items (and its audit items) to its review "
            f"files ({limit_setting(record)}): the {left:,} past them "
            "cannot be exported from it, as the text, fields and glossary matches of a "
            "review record are made only as a run writes its files (labels.parquet's "
            f"{QUEUE_RANK} column ranks them all); to export them, run again: {again}; "
            f"with {reuse}, the votes are read by this run's label model, not a new fit; "
            "or, once the head is reviewed, import its decisions and run again with the same "
            "limit: decided items leave the queue, and the next run's files hold the next "
            "items")


def asked_ranks(run_dir: Path, manifest: dict[str, Any], reasons: Sequence[str] | None,
                labels: Sequence[str] | None, no_label: str) -> np.ndarray | None:
    """The ``queue_rank`` of each item of the run's whole queue with any of ``reasons`` and
    suggested one of ``labels`` (``no_label``: none; None: any), in queue order, from
    ``labels.parquet``: how many there are is what a fractional export budget is a fraction
    of when the run wrote only its queue's head (10% of a 2,656-item queue is 266 items,
    not 13 of the 125 written), and the rank of the last one wanted is the limit that
    would have written it. None when the run wrote its whole queue (the records are the
    queue)."""
    if not unwritten_items(manifest):
        return None
    frame = pd.read_parquet(Path(run_dir) / LABELS_FILE, columns=[QUEUE_RANK, "reasons", "label"])
    frame = frame[frame[QUEUE_RANK].notna()]
    keep = np.ones(len(frame), dtype=bool)
    if reasons is not None:
        wanted = set(reasons)
        keep &= np.array([bool(wanted.intersection(str(r).split(";"))) if isinstance(r, str)
                          else False for r in frame["reasons"].tolist()], dtype=bool)
    if labels is not None:
        suggested = frame["label"].astype(object).where(frame["label"].notna(), no_label)
        keep &= suggested.isin(set(labels)).to_numpy()
    return np.sort(frame[QUEUE_RANK].to_numpy(dtype=np.int64)[keep])
