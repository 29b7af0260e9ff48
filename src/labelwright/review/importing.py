"""Import reviewed labels from each tool's export into the review ledger.

Readers, one per format, turn a file into rows (item id, run id, label, annotator);
every row is then checked against the project: the item is in the dataset, the label
is a project label, the run is one of the project's runs, the project name matches,
the row is not a duplicate, the label is not empty, and an item exported from a run's
random sample (``export`` / ``lw_export`` = ``sample``) is in that run's sample. The
export is stored with the decision: ``auto`` chooses and calibrates on the sample's
reviews when the queue's are not a random sample. A file with any bad row imports
nothing unless ``skip_bad_rows`` is set; every problem names the file and the row.

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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.config import load_config
from labelwright.data import read_dataset
from labelwright.errors import ReviewError
from labelwright.review import ledger
from labelwright.review.export import EXPORTS, sample_ids, unprotect_cell
from labelwright.review.tools import QUESTION
from labelwright.runs import file_sha256, list_runs

IMPORT_FORMATS = ("label-studio", "prodigy", "doccano", "csv", "argilla")
_MAX_LISTED = 20


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


@dataclass
class ImportReport:
    file: Path
    format: str
    sha256: str
    rows: int = 0
    decisions: int = 0  # valid decisions in the file
    added: int = 0  # decisions new to the ledger
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    already_imported: bool = False


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
                      export=str(data.get("lw_export") or "").strip())
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
                  export=str(task.get("lw_export") or "").strip())
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
                  export=str(meta.get("lw_export") or "").strip())
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
                      export=(record.get("export") or "").strip())
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
        export = str(record.get("lw_export", metadata.get("lw_export")) or "").strip()
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


def check_rows(rows: list[Row], *, path: Path, reviewer: str, item_ids: set[str],
               labels: tuple[str, ...], run_ids: set[str], project: str,
               sampled: Callable[[str], set[str] | None] = lambda run_id: None,
               ) -> list[tuple[Row, str]]:
    """``(row, "file: row: message")`` for every bad row; changes nothing.

    ``sampled(run_id)`` gives the item ids of a run's random sample (None: it drew none).
    Two rows of one rater on one item are a duplicate unless they are export twins
    (:func:`_export_twins`).
    """
    problems: list[tuple[Row, str]] = []
    seen: dict[tuple[str, str], Row] = {}
    for row in rows:
        if row.skip:
            continue
        where = f"{path}: {row.where}"
        message = row.problem
        if message is None:
            message = _row_problem(row, item_ids=item_ids, labels=labels, run_ids=run_ids,
                                   project=project, sampled=sampled)
        if message is None:
            key = (str(row.item_id), row.annotator or reviewer)
            first = seen.setdefault(key, row)
            if first is not row and not _export_twins(first, row):
                message = (f"duplicate decision for item {row.item_id!r} (first at "
                           f"{first.where})")
        if message:
            problems.append((row, f"{where}: {message}"))
    return problems


def _export_twins(first: Row, row: Row) -> bool:
    """The same decision on an item that is both in a run's queue and in its random sample,
    once from each export (both loaded into one tool project): both are kept, as they are
    both true. The item counts as the queue's for ``auto`` (its reviews were not all drawn
    at random) and as a sample item for the run's sample accuracy."""
    return (first.label == row.label and first.run_id == row.run_id
            and {first.export, row.export} == set(EXPORTS))


def _row_problem(row: Row, *, item_ids: set[str], labels: tuple[str, ...], run_ids: set[str],
                 project: str, sampled: Callable[[str], set[str] | None]) -> str | None:
    if not row.item_id:
        return "no item id (expected the id labelwright exported)"
    if row.item_id not in item_ids:
        return f"unknown item id {row.item_id!r}: not in the project dataset"
    if row.project is not None and row.project != project:
        return f"item from project {row.project!r}; this project is {project!r}"
    if not row.run_id:
        return f"item {row.item_id!r} has no run id (expected the run id labelwright exported)"
    if row.run_id not in run_ids:
        return (f"run {row.run_id!r} is not a run of this project (item {row.item_id!r}); "
                "was the file exported from another project?")
    if row.label is None or not row.label.strip():
        return f"empty label for item {row.item_id!r}; valid labels: {', '.join(labels)}"
    if row.label not in labels:
        return f"unknown label {row.label!r} for item {row.item_id!r}; valid: {', '.join(labels)}"
    if row.export not in ("", *EXPORTS):
        return (f"unknown export {row.export!r} for item {row.item_id!r}; valid: "
                f"{', '.join(EXPORTS)} (or empty)")
    if row.export == "sample":
        members = sampled(row.run_id)
        if members is None:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but that run drew none")
        if row.item_id not in members:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but is not in it")
    return None


def sample_reader(runs_dir: Path) -> Callable[[str], set[str] | None]:
    """``sampled(run_id)``: the ids in a run's ``sample.jsonl`` (None if it drew none)."""
    cache: dict[str, set[str] | None] = {}

    def sampled(run_id: str) -> set[str] | None:
        if run_id not in cache:
            drawn = sample_ids(runs_dir / run_id)
            cache[run_id] = None if drawn is None else set(drawn)
        return cache[run_id]

    return sampled


def import_file(project_root: str | Path, path: str | Path, *, reviewer: str,
                fmt: str | None = None, skip_bad_rows: bool = False,
                now: datetime | None = None) -> ImportReport:
    """Check every row of ``path`` and append its decisions to the project's ledger."""
    config = load_config(project_root)
    path = Path(path)
    if not reviewer.strip():
        raise ReviewError("a reviewer name is required (--reviewer NAME)")
    if not path.is_file():
        raise ReviewError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    report = ImportReport(file=path, format=fmt, sha256=file_sha256(path))
    rows = read_rows(path, fmt)
    report.rows = len(rows)
    dataset = read_dataset(config.data, config.labels)
    bad_rows = check_rows(
        rows, path=path, reviewer=reviewer, item_ids=set(dataset.ids), labels=config.labels,
        run_ids=set(list_runs(config.runs_path)), project=config.name,
        sampled=sample_reader(config.runs_path))
    report.problems = [message for _, message in bad_rows]
    if report.problems and not skip_bad_rows:
        listed = report.problems[:_MAX_LISTED]
        more = len(report.problems) - len(listed)
        raise ReviewError(
            f"{path}: {len(report.problems)} bad row(s); nothing imported (fix them, or pass "
            "--skip-bad-rows to import the others):\n  " + "\n  ".join(listed)
            + (f"\n  ... and {more} more" if more else ""))
    bad = {id(row) for row, _ in bad_rows}
    imported_at = (now or datetime.now(UTC)).isoformat()
    decisions = []
    for row in rows:
        if row.skip:
            report.skipped[row.skip] += 1
        elif id(row) not in bad:
            decisions.append(ledger.Decision(
                item_id=str(row.item_id), label=str(row.label), reviewer=reviewer,
                annotator=row.annotator, decided_at=row.decided_at, imported_at=imported_at,
                source_file=str(path.resolve()), source_sha256=report.sha256,
                source_row=row.where, run_id=str(row.run_id), format=fmt,
                export=row.export))
    report.decisions = len(decisions)
    report.added = ledger.append(ledger.ledger_path(config.root), decisions, sha256=report.sha256,
                                 reviewer=reviewer, source_file=str(path.resolve()), fmt=fmt,
                                 imported_at=imported_at)
    report.already_imported = report.added == 0 and report.decisions > 0
    return report
