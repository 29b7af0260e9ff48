"""The report's example items: the review queue's first conflicts and its least confident
items, read from ``review.jsonl`` no further than they can be."""

from __future__ import annotations

import heapq
import json
from pathlib import Path
from typing import Any

from labelwright.runs.file_names import QUEUE_JSONL
from labelwright.triage.reasons import DOUBT_REASONS, HEAD_REASONS

TEXT_CHARS = 400  # example texts are cut to this many characters

#: the reasons the examples are of
_EXAMPLE_REASONS = ("conflict", "low_confidence")
#: the reasons of the queue's first two tiers (:data:`HEAD_REASONS`,
#: :data:`DOUBT_REASONS`), which the examples are among: a queue line that names none of
#: them ends the read
_READ_ON_REASONS = (*HEAD_REASONS, *DOUBT_REASONS)
_READ_ON = tuple(f'"{reason}"' for reason in _READ_ON_REASONS)


def queue_examples(run_dir: Path, cap: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first ``cap`` conflict items of the review queue, and its ``cap`` least confident
    low-confidence items (least confident first).

    The queue's head is the items a human decision left open (``disputed``,
    ``copies_disagree``, ``stale``, ``second_opinion``:
    :data:`~labelwright.triage.reasons.HEAD_REASONS`), some of them conflicts or low confidence too;
    then come the items the label model left in doubt
    (:data:`~labelwright.triage.reasons.DOUBT_REASONS`: conflicts, low confidence, labels against
    the votes, unread votes), ranked together by how likely their label is wrong, not by
    confidence, then uncovered and audit items. Reading goes past the head and past every
    doubtful item that is neither a conflict nor low confidence, and stops at the first item
    with none of those reasons (or at the end of the file); no item past that point is a
    conflict or low confidence (the queue's order). Lines are parsed only when they may
    hold an example: a line that names none of those reasons anywhere, even in its text,
    stops the read, and once the conflicts are found, a line without "low_confidence" is
    skipped (past the doubtful items no item has low confidence, so reading on is safe).
    """
    conflicts: list[dict[str, Any]] = []
    low: list[tuple[float, int, dict[str, Any]]] = []  # a max-heap of the cap least confident
    path = run_dir / QUEUE_JSONL
    if not path.is_file():
        return conflicts, []
    with open(path, encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            if '"low_confidence"' not in line:
                if not any(quoted in line for quoted in _READ_ON):
                    break  # names no reason the examples read on past: not even in its text
                if len(conflicts) >= cap:
                    continue  # no low-confidence item, and the conflicts are all found
            record = json.loads(line)
            reasons = record.get("reasons") or []
            if not any(reason in reasons for reason in _EXAMPLE_REASONS):
                if any(reason in reasons for reason in _READ_ON_REASONS):
                    continue  # the head, or a doubt the examples are not of: read on
                break
            wanted_low = "low_confidence" in reasons
            if not ("conflict" in reasons and len(conflicts) < cap) and not wanted_low:
                continue
            text = str(record.get("text") or "")
            record["text"] = text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS] + "…"
            record.pop("fields", None)
            if "conflict" in reasons and len(conflicts) < cap:
                conflicts.append(record)
            if wanted_low:
                entry = (-float(record.get("confidence") or 0.0), -k, record)
                if len(low) < cap:
                    heapq.heappush(low, entry)
                else:
                    heapq.heappushpop(low, entry)
    least = [record for _, _, record in sorted(low, key=lambda e: (-e[0], -e[1]))]
    return conflicts, least
