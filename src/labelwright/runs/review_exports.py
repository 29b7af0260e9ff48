"""The record of review files exported from runs: ``runs/REVIEW_EXPORTS.jsonl``.

``labelwright review export`` (:mod:`~labelwright.review.queue.export`) adds a line for each
review file it writes with records in it: ``run_id``, ``file`` (its path: relative to the
project folder when inside it, so a moved or cloned project finds its own copy, else
absolute; :mod:`~labelwright.runs.recorded_paths` also reads the absolute paths older
records hold), ``items`` (the ids of the items it holds), ``exported_at`` (UTC, ISO
8601). Its decisions come back through ``review import``, each naming the run.
``labelwright runs prune`` keeps a run while a review file exported from it awaits
import: the file is still where it was written, no later export was written to the same
path, and the review ledger holds no decision from that run on any of its items. A
reviewer fills in a copy or the file itself, so the file's bytes do not matter; once a
decision of it is imported the ledger keeps the run (``--keep-review-sources``), and a
file removed keeps nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.runs.record_files import append_line, read_records
from labelwright.runs.recorded_paths import RecordedPaths, recorded_path

#: the record's file name, in the runs folder
REVIEW_EXPORTS_FILE = "REVIEW_EXPORTS.jsonl"


@dataclass(frozen=True)
class ReviewFile:
    """One line of ``runs/REVIEW_EXPORTS.jsonl``."""

    run_id: str
    file: str  # relative to the project folder, or absolute (outside it, or an old record)
    items: tuple[str, ...]
    exported_at: str  # ISO 8601, UTC

    def to_json(self) -> str:
        return json.dumps({"run_id": self.run_id, "file": self.file, "items": list(self.items),
                           "exported_at": self.exported_at}, sort_keys=True)


def record_review_export(runs_dir: Path, run_id: str, path: Path, items: Iterable[str],
                         root: Path | None = None) -> ReviewFile:
    """Add a line for the review file ``path`` holding ``items``, exported from ``run_id``
    of the project at ``root`` (None: no project owns the run; the path is absolute)."""
    file = recorded_path(path, root) if root is not None else str(Path(path).resolve())
    record = ReviewFile(run_id, file, tuple(map(str, items)),
                        datetime.now(UTC).isoformat(timespec="seconds"))
    append_line(runs_dir / REVIEW_EXPORTS_FILE, record.to_json())
    return record


def read_review_exports(runs_dir: Path) -> list[ReviewFile]:
    """Every record of ``runs_dir/REVIEW_EXPORTS.jsonl`` in file order ([] without it). A
    line that is not such a record is a :class:`RunError` naming the file and line."""
    return read_records(
        runs_dir / REVIEW_EXPORTS_FILE, _record, what="the record of exported review files",
        expected="a record of an exported review file (a JSON object with run_id, file, "
                 "items and exported_at, as `labelwright review export` writes it)")


def awaiting_import(paths: RecordedPaths, imported: set[tuple[str, str]]
                    ) -> dict[str, list[str]]:
    """``{run id: [review files]}`` of the recorded review files that await import: still
    in place, the last export written to their path, and none of their items with a
    decision from their run among ``imported`` ((run id, item id) pairs of the ledger).
    ``paths``: the runs folder's, and the project folder now, where the files the record
    names inside the project are looked for
    (:class:`~labelwright.runs.recorded_paths.RecordedPaths`)."""
    last: dict[Path, ReviewFile] = {}
    for record in read_review_exports(paths.runs_dir):
        # a later export to the same path replaced the file
        last[paths.locate(record.file, record.run_id).path] = record
    waiting: dict[str, list[str]] = {}
    for path, record in last.items():
        if not path.is_file():
            continue
        if any((record.run_id, item) in imported for item in record.items):
            continue
        waiting.setdefault(record.run_id, []).append(str(path))
    return waiting


def _record(data: dict[str, Any]) -> ReviewFile | None:
    fields = [data.get(k) for k in ("run_id", "file", "exported_at")]
    strings = [value for value in fields if isinstance(value, str) and value]
    items = data.get("items")
    if len(strings) != len(fields) or not isinstance(items, list) \
            or not all(isinstance(item, str) for item in items):
        return None
    run_id, file, when = strings
    return ReviewFile(run_id, file, tuple(items), when)
