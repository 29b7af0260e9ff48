"""Which retirement records changed since a run honoured them, for ``runs verify``.

A run keeps a copy of the retirement records it honoured in its ``reviews.json``
(``retirements``, the fields as the ledger stores them), as it keeps each rater's latest
decision there. When the ledger's first records no longer give the digest the run recorded,
the copy is compared with the ledger's records now, and each record added among them,
gone from them or changed (and which of its fields) is named with its item, rater and
who retired it, when and why.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelwright.counts import some_of
from labelwright.review.decisions.retirements import STORED, Retirement, stored
from labelwright.runs.file_names import REVIEWS_FILE

#: records a problem names (the rest are counted)
SHOWN_RECORDS = 5


def kept_records(run_dir: Path) -> list[Retirement] | None:
    """The retirement records the run in ``run_dir`` kept in its ``reviews.json``; None
    when it kept none (no such file, or a run from before runs kept them)."""
    try:
        kept = json.loads((run_dir / REVIEWS_FILE).read_text(encoding="utf-8"))
        rows = kept["retirements"]
        return [Retirement(*(_field(row, name) for name in STORED)) for row in rows]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _field(row: dict[str, Any], name: str) -> Any:
    value = row[name]
    return int(value) if name == "decision" else str(value)


def _named(n: int, record: Retirement) -> str:
    """``record 2 (item 't6' by ana: retired 2026-12-05 by lead: misread)``."""
    return f"record {n} (item {record.item_id!r} by {record.rater}: {record.describe()})"


def changed_records(then: Sequence[Retirement], now: Sequence[Retirement]) -> list[str]:
    """A line for each record of ``then`` (those a run honoured, oldest first) that the
    ledger's records ``now`` no longer hold as they were: changed (naming the fields), gone,
    or another record added among them. Records appended after the run's are no change."""
    a, b = [stored(r) for r in then], [stored(r) for r in now]
    same = 0  # the records both begin with: most of them, and not worth diffing
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    lines = []
    matcher = difflib.SequenceMatcher(None, a[same:], b[same:], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + same, i2 + same, j1 + same, j2 + same
        if op == "equal" or (op == "insert" and i1 == len(a)):  # appended after the run
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2))) if op == "replace" else []
        for i, j in pairs:
            moved = [name for name, x, y in zip(STORED, a[i], b[j]) if x != y]
            lines.append(f"{_named(i + 1, then[i])}: its {', '.join(moved)} "
                         f"{'is' if len(moved) == 1 else 'are'} now "
                         + ", ".join(f"{y!r}" for x, y in zip(a[i], b[j]) if x != y))
        for i in range(i1 + len(pairs), i2):
            lines.append(f"{_named(i + 1, then[i])}: gone from the ledger")
        for j in range(j1 + len(pairs), j2):
            lines.append(f"{_named(j + 1, now[j])}: not one the run honoured, yet among "
                         "the records before its last")
    return lines


def named_record_changes(run_dir: Path, now: Sequence[Retirement]) -> str:
    """What to add to the problem that the ledger no longer holds the retirement records
    the run in ``run_dir`` honoured: which records changed, by its ``reviews.json``'s copy
    (``now``: the ledger's records), or why they cannot be named."""
    then = kept_records(run_dir)
    if then is None:
        return ("; the run kept no copy of them in its reviews.json (made before runs "
                "kept one), so which record changed cannot be named")
    lines = changed_records(then, now)
    if not lines:
        return ""
    return "; by the run's reviews.json: " + some_of(lines, SHOWN_RECORDS, clauses=True)
