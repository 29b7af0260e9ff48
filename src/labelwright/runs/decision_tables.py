"""The record of decision tables written: ``runs/DECISION_TABLES.jsonl``.

``labelwright review decisions RUN --out FILE`` (:mod:`~labelwright.runs.decision_audit`)
writes an audit table with a row per decision and the rater's ``note``, which may hold
personal data. It adds a line for each table it writes: ``run_id``, ``file`` (relative to
the project folder when inside it, else absolute: :mod:`~labelwright.runs.recorded_paths`)
and ``written_at`` (UTC, ISO 8601), so ``labelwright erase`` finds the tables and takes the
notes of erased items out of them. The table holds no item text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.runs.record_files import append_line, read_records
from labelwright.runs.recorded_paths import recorded_path

#: the record's file name, in the runs folder
DECISION_TABLES_FILE = "DECISION_TABLES.jsonl"


@dataclass(frozen=True)
class DecisionTable:
    """One line of ``runs/DECISION_TABLES.jsonl``."""

    run_id: str
    file: str  # relative to the project folder, or absolute (outside it)
    written_at: str  # ISO 8601, UTC

    def to_json(self) -> str:
        return json.dumps({"run_id": self.run_id, "file": self.file,
                           "written_at": self.written_at}, sort_keys=True)


def record_decision_table(runs_dir: Path, run_id: str, path: Path, root: Path
                          ) -> DecisionTable:
    """Add a line for the decision table ``path`` written from ``run_id`` of the project
    at ``root``."""
    record = DecisionTable(run_id, recorded_path(path, root),
                           datetime.now(UTC).isoformat(timespec="seconds"))
    runs_dir.mkdir(parents=True, exist_ok=True)
    append_line(runs_dir / DECISION_TABLES_FILE, record.to_json())
    return record


def read_decision_tables(runs_dir: Path) -> list[DecisionTable]:
    """Every record of ``runs_dir/DECISION_TABLES.jsonl`` in file order ([] without it);
    a line that is not such a record is a :class:`~labelwright.errors.RunError` naming
    the file and line."""
    return read_records(
        runs_dir / DECISION_TABLES_FILE, _record, what="the record of decision tables",
        expected="a record of a decision table (a JSON object with run_id, file and "
                 "written_at, as `labelwright review decisions` writes it)")


def _record(data: dict[str, Any]) -> DecisionTable | None:
    values = [data.get(k) for k in ("run_id", "file", "written_at")]
    if not all(isinstance(v, str) and v for v in values):
        return None
    run_id, file, when = (str(v) for v in values)
    return DecisionTable(run_id, file, when)
