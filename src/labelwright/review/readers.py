"""Readers of each review tool's export: a file becomes rows (item id, run id, label,
annotator, export), before any check against the project (:mod:`~labelwright.review.importing`).

Formats read:

* ``label-studio`` — Label Studio's JSON export (a list of tasks with ``annotations``;
  cancelled annotations are skipped);
* ``prodigy`` — ``prodigy db-out`` JSONL (``answer`` accept/reject/ignore; only
  accepted answers with one accepted option are decisions);
* ``doccano`` — doccano's JSONL export of a text classification project (``label``);
* ``csv`` — the review CSV with ``review_label`` filled in (blank cells: not reviewed);
* ``argilla`` — Argilla 2.x records, flattened (``records.to_list(flatten=True)``) or
  nested, as JSON or JSONL; only ``submitted`` responses are decisions.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.errors import ReviewError
from labelwright.review.export import unprotect_cell
from labelwright.review.tools import QUESTION

IMPORT_FORMATS = ("label-studio", "prodigy", "doccano", "csv", "argilla")


@dataclass
class Row:
    """One decision as read from a file, before it is checked against the project."""

    where: str  # "line 3", "task 12 annotation 7", ...
    item_id: str | None
    run_id: str | None
    label: str | None
    annotator: str = ""
    decided_at: str = ""
    project: str | None = None
    skip: str | None = None  # why the row is not a decision (ignored, cancelled, ...)
    problem: str | None = None  # a reader-level problem (e.g. several labels chosen)
    export: str = ""  # "queue" / "sample" as exported; "" in files from before it was


def detect_format(path: Path) -> str:
    """Guess the format from the suffix and the first record's keys."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    first = _first_record(path)
    keys = set(first) if isinstance(first, dict) else set()
    if "annotations" in keys and "data" in keys:
        return "label-studio"
    if "answer" in keys or "_input_hash" in keys:
        return "prodigy"
    if any(k.endswith(".responses") for k in keys) or "responses" in keys:
        return "argilla"
    if "label" in keys or "labels" in keys or "lw_id" in keys:
        return "doccano"
    raise ReviewError(f"{path}: cannot tell the review format; pass --format, one of "
                      f"{', '.join(IMPORT_FORMATS)}")


def _first_record(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}: malformed JSON: {exc}") from None
        return data[0] if data else {}
    for line in stripped.splitlines():
        if line.strip():
            try:
                return json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReviewError(f"{path}:1: malformed JSON: {exc.msg}") from None
    return {}


def _records(path: Path) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` for a JSON list or JSONL file."""
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
        for k, record in enumerate(data, start=1):
            yield f"record {k}", record
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReviewError(f"{path}:{number}: malformed JSON: {exc.msg}") from None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _export(value: Any) -> str:
    """A record's export mark (``queue`` / ``sample``; "" when the file has none)."""
    return str(value or "").strip()


def _one_label(values: Any) -> tuple[str | None, str | None]:
    """``(label, problem)`` from a tool's list (or single value) of chosen labels."""
    if isinstance(values, str):
        values = [values]
    values = [v for v in (values or []) if v is not None]
    if len(values) > 1:
        return None, f"several labels chosen ({', '.join(map(str, values))}); expected one"
    return (str(values[0]) if values else ""), None


def read_label_studio(path: Path) -> Iterator[Row]:
    for where, task in _records(path):
        if not isinstance(task, dict) or "data" not in task:
            yield Row(where, None, None, None, problem="not a Label Studio task (no 'data')")
            continue
        data = task["data"]
        task_where = f"task {task.get('id', where)}"
        for annotation in task.get("annotations") or []:
            row_where = f"{task_where} annotation {annotation.get('id', '?')}"
            who = annotation.get("completed_by")
            if isinstance(who, dict):
                who = who.get("email") or who.get("id")
            row = Row(row_where, _text(data.get("lw_id")), _text(data.get("lw_run_id")), None,
                      annotator=f"label-studio:{who}" if who is not None else "",
                      decided_at=str(annotation.get("updated_at") or annotation.get("created_at")
                                     or ""),
                      project=_text(data.get("lw_project")),
                      export=_export(data.get("lw_export")))
            if annotation.get("was_cancelled"):
                row.skip = "cancelled (skipped) in Label Studio"
            else:
                choices = [r.get("value", {}).get("choices")
                           for r in annotation.get("result") or []
                           if r.get("type") == "choices" and r.get("from_name") == QUESTION]
                row.label, row.problem = _one_label([c for cs in choices for c in (cs or [])])
            yield row


def read_prodigy(path: Path) -> Iterator[Row]:
    for where, task in _records(path):
        meta = task.get("meta") or {}
        stamp = task.get("_timestamp")
        row = Row(where, _text(task.get("lw_id", meta.get("id"))),
                  _text(task.get("lw_run_id", meta.get("run_id"))), None,
                  annotator=str(task.get("_annotator_id") or ""),
                  decided_at=datetime.fromtimestamp(stamp, UTC).isoformat()
                  if isinstance(stamp, int | float) else "",
                  project=_text(task.get("lw_project")),
                  export=_export(task.get("lw_export")))
        answer = task.get("answer")
        if answer == "accept":
            row.label, row.problem = _one_label(task.get("accept"))
        elif answer in ("reject", "ignore"):
            row.skip = f"answered {answer!r} in Prodigy"
        else:
            row.problem = f"answer {answer!r}; expected accept, reject or ignore"
        yield row


def read_doccano(path: Path) -> Iterator[Row]:
    for where, record in _records(path):
        labels = record.get("label", record.get("labels"))
        meta = {**(record.get("meta") or {}), **record}  # older exports nest metadata in "meta"
        row = Row(where, _text(meta.get("lw_id")), _text(meta.get("lw_run_id")), None,
                  annotator=str(record.get("user") or ""), project=_text(meta.get("lw_project")),
                  export=_export(meta.get("lw_export")))
        if not labels:
            row.skip = "no label in doccano"
        else:
            row.label, row.problem = _one_label(labels)
        yield row


def read_csv_file(path: Path) -> Iterator[Row]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "run_id", "review_label"} - set(reader.fieldnames or [])
        if missing:
            raise ReviewError(f"{path}: missing column(s) {', '.join(sorted(missing))}; "
                              "import the review CSV a run wrote, with review_label filled in")
        for record in reader:
            where = f"line {reader.line_num}"
            label = unprotect_cell(record.get("review_label"))
            row = Row(where, unprotect_cell(record.get("id")) or None,
                      unprotect_cell(record.get("run_id")) or None,
                      label.strip() if label else None,
                      annotator=(unprotect_cell(record.get("reviewer")) or "").strip(),
                      export=_export(record.get("export")))
            if label is None or label == "":
                row.skip = "review_label left blank"
            yield row


def read_argilla(path: Path) -> Iterator[Row]:
    for where, record in _records(path):
        metadata = record.get("metadata") or {}
        if isinstance(record.get("responses"), dict):  # nested: Record.to_dict()
            responses = record["responses"].get(QUESTION) or []
            triples = [(r.get("value"), r.get("user_id"), r.get("status")) for r in responses]
        else:  # flattened: <question>.responses[.users|.status]
            values = record.get(f"{QUESTION}.responses") or []
            users = record.get(f"{QUESTION}.responses.users") or [None] * len(values)
            status = record.get(f"{QUESTION}.responses.status") or [None] * len(values)
            triples = list(zip(values, users, status))
        run_id = record.get("lw_run_id", metadata.get("lw_run_id"))
        project = record.get("lw_project", metadata.get("lw_project"))
        export = _export(record.get("lw_export", metadata.get("lw_export")))
        if not triples:
            yield Row(where, _text(record.get("id")), _text(run_id), None,
                      skip="no response in Argilla")
        for k, (value, user, status) in enumerate(triples, start=1):
            row = Row(f"{where} response {k}", _text(record.get("id")), _text(run_id), None,
                      annotator=f"argilla:{user}" if user else "", project=_text(project),
                      export=export)
            if status not in (None, "submitted"):
                row.skip = f"response {status!r} (not submitted) in Argilla"
            else:
                row.label, row.problem = _one_label(value)
            yield row


READERS = {"label-studio": read_label_studio, "prodigy": read_prodigy, "doccano": read_doccano,
           "csv": read_csv_file, "argilla": read_argilla}


def read_rows(path: Path, fmt: str) -> list[Row]:
    if fmt not in READERS:
        raise ReviewError(f"unknown review format {fmt!r}; valid: {', '.join(IMPORT_FORMATS)}")
    try:
        return list(READERS[fmt](path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    except (AttributeError, TypeError) as exc:
        raise ReviewError(f"{path}: does not look like a {fmt} export ({exc}); pass the right "
                          f"--format, one of {', '.join(IMPORT_FORMATS)}") from None
