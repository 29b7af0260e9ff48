"""Readers of each review tool's export: a file becomes rows (item id, run id, label,
annotator, export), before any check against the project (:mod:`~labelwright.review.importing`).

Formats read:

* ``label-studio`` — Label Studio's JSON export (a list of tasks with ``annotations``;
  cancelled annotations are skipped, tasks with no annotation or only a draft counted), or
  its JSON-MIN export (one record per annotation, task data at the top level);
* ``prodigy`` — ``prodigy db-out`` JSONL (``answer`` accept/reject/ignore; only
  accepted answers with one accepted option are decisions). Sessions started without a
  name carry a timestamp, not a person, as annotator: their answers are ``--reviewer``'s;
* ``doccano`` — doccano's JSONL export of a text classification project (``label``);
* ``csv`` — the review CSV with ``review_label`` filled in (blank cells: not reviewed);
  comma, semicolon or tab separated;
* ``jsonl`` — the review JSONL with a ``review_label`` added to each record, as a script
  writes it;
* ``argilla`` — Argilla 2.x records, flattened (``records.to_list(flatten=True)``) or
  nested, as JSON or JSONL; only ``submitted`` responses are decisions, so a response
  without a status (the nested ``records.to_json`` drops it) is an error.

Files every format shares: UTF-8 (a BOM is fine); anything else is an error naming the
line. A zip archive is an error that says to unzip it (doccano's per-user export). A record
not of the tool's shape (a stray line that is no JSON object, a Label Studio result whose
value is null) is a bad row naming its line or record; a file none of whose records is a
JSON object is another format.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.data.formats import line_breaks
from labelwright.errors import ReviewError
from labelwright.review.export import unprotect_cell
from labelwright.review.tools import QUESTION

IMPORT_FORMATS = ("label-studio", "prodigy", "doccano", "csv", "jsonl", "argilla")
CSV_COLUMNS = ("id", "run_id", "review_label")  # what a filled review CSV or JSONL holds


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
    text: str | None = None  # the item's text as the file shows it (None: not in the file)


#: how the review CSV's header starts, saved with commas, semicolons or tabs
_REVIEW_CSV_HEADERS = tuple(f"{q}id{q}{sep}{q}run_id{q}{sep}" for sep in (",", ";", "\t")
                            for q in ("", '"'))


def detect_format(path: Path) -> str:
    """Guess the format from the suffix and the first record's keys."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    text = read_text(path)  # a spreadsheet, zip, encoding: said here
    if suffix not in (".json", ".jsonl", ".ndjson") and text.startswith(_REVIEW_CSV_HEADERS):
        return "csv"  # the review CSV saved under another name (q.txt)
    first = _first_record(path, text)
    if first is None:
        raise ReviewError(f"{path}: holds no records (an empty export?); nothing to import")
    keys = set(first) if isinstance(first, dict) else set()
    if ("annotations" in keys and "data" in keys) or _is_label_studio_min(first):
        return "label-studio"
    if "answer" in keys or "_input_hash" in keys:
        return "prodigy"
    # every Argilla 2.x record has a _server_id, even one without responses (which the
    # lw_id of its metadata would have made doccano's)
    if any(k.endswith(".responses") for k in keys) or {"responses", "_server_id"} & keys:
        return "argilla"
    if _is_argilla_v1(first):
        raise ReviewError(f"{path}: an Argilla 1.x (FeedbackDataset) export, which labelwright "
                          "does not read; load the records labelwright exported into Argilla "
                          "2.x and export them with records.to_list(flatten=True)")
    if {"id", "run_id"} <= keys and "suggested_label" in keys:
        return "jsonl"
    if "label" in keys or "labels" in keys or "lw_id" in keys:
        return "doccano"
    raise ReviewError(f"{path}: cannot tell the review format; pass --format, one of "
                      f"{', '.join(IMPORT_FORMATS)}")


def _is_label_studio_min(record: Any) -> bool:
    """Label Studio's JSON-MIN: one record per annotation, the task's data at the top."""
    return isinstance(record, dict) and "lw_id" in record and (
        "annotation_id" in record or "annotator" in record)


def _is_argilla_v1(record: Any) -> bool:
    values = record.get("label") if isinstance(record, dict) else None
    return isinstance(values, list) and any(isinstance(v, dict) and "user_id" in v
                                            for v in values)


ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def read_text(path: Path) -> str:
    """The file as UTF-8 text; a zip archive or another encoding is an error naming the
    line and what to do."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    if path.suffix.lower() in SPREADSHEETS:
        raise ReviewError(f"{path}: a spreadsheet file, which labelwright does not read; save "
                          "it as CSV (in Excel: 'CSV UTF-8') and import that")
    if raw.startswith(ZIP_MAGIC):
        raise ReviewError(f"{path}: a zip archive (doccano, for one, exports one <user>.jsonl "
                          "per annotator in a zip); unzip it and import each file with "
                          "--reviewer set to its annotator")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # after the BOM
        line = line_breaks(raw, 0, start) + 1  # a line may end in \r alone
        raise ReviewError(f"{path}:{line}: not UTF-8 (byte 0x{raw[start]:02x}); save the "
                          "file as UTF-8 (in Excel: 'CSV UTF-8')") from None


def _first_record(path: Path, text: str) -> Any:
    """The first record of a JSON list or JSONL ``text`` (None when it holds none)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}: malformed JSON: {exc}") from None
        return data[0] if data else None
    for number, line in _lines(text):
        if line.strip():
            try:
                return json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReviewError(f"{path}:{number}: malformed JSON: {exc.msg}") from None
    return None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a JSONL text, split at line feeds only: a JSON string may
    hold U+2028, U+2029 or U+0085 unescaped (exports write texts as they are), which
    ``str.splitlines`` would take for line breaks."""
    return enumerate(text.split("\n"), start=1)


def _records(path: Path, fmt: str) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` for a JSON list or JSONL file of ``fmt``. A record that is no
    JSON object (a stray line) is the reader's bad row; a file in which no record is one
    is not a ``fmt`` export at all."""
    records = objects = 0
    for where, record in _parsed(path):
        records += 1
        objects += isinstance(record, dict)
        yield where, record
    if records and not objects:
        raise ReviewError(f"{path}: does not look like a {fmt} export (none of its records is "
                          "a JSON object); pass the right --format, one of "
                          f"{', '.join(IMPORT_FORMATS)}")


def _parsed(path: Path) -> Iterator[tuple[str, Any]]:
    text = read_text(path)
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
        for k, record in enumerate(data, start=1):
            yield f"record {k}", record
        return
    for number, line in _lines(text):
        if line.strip():
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReviewError(f"{path}:{number}: malformed JSON: {exc.msg}") from None


def _not_an_object(where: str, record: Any, tool: str) -> Row:
    """The bad row of a record that is no JSON object."""
    shown = json.dumps(record, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:40] + "..."
    return Row(where, None, None, None,
               problem=f"{shown} is not a JSON object; every record of a {tool} export is one")


def _object(value: Any) -> dict[str, Any]:
    """A nested object a record may carry (Prodigy's and doccano's ``meta``, Argilla's
    ``metadata``), or {} when it is missing or not an object: the ids it may hold are
    looked for at the top of the record as well, and a row left without them is a bad row
    that says so."""
    return value if isinstance(value, dict) else {}


def _shown(value: Any) -> str | None:
    """The item text a file shows, if it shows one."""
    return value if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _export(value: Any) -> str:
    """A record's export mark (``queue`` / ``sample``; "" when the file has none)."""
    return str(value or "").strip()


def _one_label(values: Any) -> tuple[str | None, str | None]:
    """``(label, problem)`` from a tool's list (or single value) of chosen labels."""
    values = [v for v in _one_or_more(values) if v is not None]
    if len(values) > 1:
        return None, f"several labels chosen ({', '.join(map(str, values))}); expected one"
    return (str(values[0]) if values else ""), None


def read_label_studio(path: Path) -> Iterator[Row]:
    for where, task in _records(path, "label-studio"):
        if _is_label_studio_min(task):
            yield _label_studio_min_row(where, task)
            continue
        if not isinstance(task, dict):
            yield _not_an_object(where, task, "Label Studio")
            continue
        if not isinstance(task.get("data"), dict):
            yield Row(where, None, None, None,
                      problem="not a Label Studio task (no 'data' object)")
            continue
        data = task["data"]
        task_where = f"task {task.get('id', where)}"
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list) or not all(isinstance(a, dict)
                                                        for a in annotations):
            yield Row(task_where, _text(data.get("lw_id")), _text(data.get("lw_run_id")), None,
                      problem="'annotations' is not a list of objects (Label Studio writes one "
                              "object per annotation)")
            continue
        if not annotations:
            yield Row(task_where, _text(data.get("lw_id")), _text(data.get("lw_run_id")), None,
                      skip="only a draft in Label Studio" if task.get("drafts")
                      else "no annotation in Label Studio")
        for annotation in annotations:
            row_where = f"{task_where} annotation {annotation.get('id', '?')}"
            who = annotation.get("completed_by")
            if isinstance(who, dict):
                who = who.get("email") or who.get("id")
            row = Row(row_where, _text(data.get("lw_id")), _text(data.get("lw_run_id")), None,
                      annotator=f"label-studio:{who}" if who is not None else "",
                      decided_at=str(annotation.get("updated_at") or annotation.get("created_at")
                                     or ""),
                      project=_text(data.get("lw_project")),
                      export=_export(data.get("lw_export")), text=_shown(data.get("text")))
            if annotation.get("was_cancelled"):
                row.skip = "cancelled (skipped) in Label Studio"
            else:
                row.label, row.problem = _label_studio_choice(annotation.get("result") or [])
            yield row


def _label_studio_choice(results: Any) -> tuple[str | None, str | None]:
    """``(label, problem)`` from an annotation's results: the choices of the control
    labelwright's labeling config names ``label``."""
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        return None, ("'result' is not a list of objects (Label Studio writes one object per "
                      "control)")
    mine = [r for r in results if r.get("type") == "choices" and r.get("from_name") == QUESTION]
    for r in mine:
        if not isinstance(r.get("value", {}), dict):
            return None, (f"the value of the {QUESTION!r} result is {json.dumps(r['value'])}, "
                          "not an object holding 'choices'")
    ours = [c for r in mine for c in _one_or_more(r.get("value", {}).get("choices"))]
    others = sorted({str(r.get("from_name")) for r in results
                     if r.get("type") == "choices" and r.get("from_name") != QUESTION})
    if not ours and others:
        return None, (f"no choice from a control named {QUESTION!r} (found: "
                      f"{', '.join(others)}); label with the labeling config labelwright "
                      f"exported, whose <Choices> is named {QUESTION!r}")
    return _one_label(ours)


def _one_or_more(values: Any) -> list[Any]:
    """A tool's list of chosen values, a single value as a list of one."""
    return [] if values is None else values if isinstance(values, list) else [values]


def _label_studio_min_row(where: str, record: dict[str, Any]) -> Row:
    """A JSON-MIN record: the choice under the control's name (a string, or
    ``{"choices": [...]}`` for several), the annotator's email or id."""
    value = record.get(QUESTION)
    if isinstance(value, dict):
        value = value.get("choices")
    who = record.get("annotator")
    if record.get("annotation_id") is None and who is None and value is None:
        return Row(f"{where} (task {record.get('id', '?')})", _text(record.get("lw_id")),
                   _text(record.get("lw_run_id")), None, skip="no annotation in Label Studio")
    row = Row(f"{where} (task {record.get('id', '?')} annotation "
              f"{record.get('annotation_id', '?')})",
              _text(record.get("lw_id")), _text(record.get("lw_run_id")), None,
              annotator=f"label-studio:{who}" if who not in (None, "") else "",
              decided_at=str(record.get("updated_at") or record.get("created_at") or ""),
              project=_text(record.get("lw_project")), export=_export(record.get("lw_export")),
              text=_shown(record.get("text")))
    if value in (None, "", []):
        row.problem = (f"no {QUESTION!r} in this JSON-MIN record; label with the labeling "
                       f"config labelwright exported, whose <Choices> is named {QUESTION!r}")
    else:
        row.label, row.problem = _one_label(value)
    return row


def _prodigy_time(stamp: Any) -> tuple[str, str | None]:
    """``(ISO time, problem)`` of Prodigy's ``_timestamp`` (seconds since 1970): a value
    no clock gives (milliseconds, say) is the row's problem, not a crash of the import."""
    if not isinstance(stamp, int | float) or isinstance(stamp, bool):
        return "", None
    try:
        return datetime.fromtimestamp(stamp, UTC).isoformat(), None
    except (ValueError, OverflowError, OSError):
        return "", (f"_timestamp {stamp!r} is no time in seconds since 1970 (Prodigy writes "
                    "seconds; milliseconds?)")


def read_prodigy(path: Path) -> Iterator[Row]:
    for where, task in _records(path, "prodigy"):
        if not isinstance(task, dict):
            yield _not_an_object(where, task, "Prodigy")
            continue
        meta = _object(task.get("meta"))
        decided_at, bad_time = _prodigy_time(task.get("_timestamp"))
        row = Row(where, _text(task.get("lw_id", meta.get("id"))),
                  _text(task.get("lw_run_id", meta.get("run_id"))), None,
                  annotator=_prodigy_annotator(task.get("_annotator_id")),
                  decided_at=decided_at, project=_text(task.get("lw_project")),
                  export=_export(task.get("lw_export")), text=_shown(task.get("text")))
        answer = task.get("answer")
        if bad_time:
            row.problem = bad_time
        elif answer == "accept":
            row.label, row.problem = _one_label(task.get("accept"))
        elif answer in ("reject", "ignore"):
            row.skip = f"answered {answer!r} in Prodigy"
        else:
            row.problem = f"answer {answer!r}; expected accept, reject or ignore"
        yield row


UNNAMED_SESSION = re.compile(r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$")


def _prodigy_annotator(value: Any) -> str:
    """Prodigy's ``_annotator_id``: ``<dataset>-<name>`` for a named session; a session
    started without ``?session=`` gets the time it started, which names no one, so its
    answers are the importing reviewer's (and a later answer replaces an earlier one)."""
    text = str(value or "")
    return "" if UNNAMED_SESSION.search(text) else text


def read_doccano(path: Path) -> Iterator[Row]:
    for where, record in _records(path, "doccano"):
        if not isinstance(record, dict):
            yield _not_an_object(where, record, "doccano")
            continue
        labels = record.get("label", record.get("labels"))
        meta = {**_object(record.get("meta")), **record}  # older exports nest metadata in "meta"
        row = Row(where, _text(meta.get("lw_id")), _text(meta.get("lw_run_id")), None,
                  annotator=str(record.get("user") or ""), project=_text(meta.get("lw_project")),
                  export=_export(meta.get("lw_export")), text=_shown(record.get("text")))
        if not labels:
            row.skip = "no label in doccano"
        else:
            row.label, row.problem = _one_label(labels)
            if row.problem:
                row.problem += ("; with collaborative annotation on, doccano merges every "
                                "annotator's labels into one list: turn it off, export again "
                                "(one <user>.jsonl each) and import each file with --reviewer "
                                "set to its annotator")
        yield row


def _first_line(last_line: int, cells: list[str]) -> int:
    """The line a CSV record starts on, from the line it ended on: a quoted value may hold
    line breaks (``\\n``, ``\\r\\n`` or ``\\r``, one line each)."""
    breaks = sum(v.count("\n") + v.count("\r") - v.count("\r\n") for v in cells)
    return last_line - breaks


def read_csv_file(path: Path) -> Iterator[Row]:
    """The review CSV's rows (blank lines passed over). A row with more or fewer values
    than the header is a bad row: its values no longer sit under their columns (a label
    typed one cell too far right was read as no label)."""
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t")
                      if set(CSV_COLUMNS) <= {c.strip().strip('"') for c in first_line.split(d)}),
                     ",")
    # the data readers take texts of any length, so the review file must too (the csv
    # module's default stops at 131,072 characters per cell)
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((cells for cells in reader if cells), [])
        missing = set(CSV_COLUMNS) - set(header)
        if missing:
            hint = ("Label Studio's CSV export, which labelwright does not read: export JSON "
                    "from Label Studio" if {"annotator", "annotation_id"} & set(header)
                    else "import the review CSV a run wrote, with review_label filled in")
            raise ReviewError(f"{path}: missing column(s) {', '.join(sorted(missing))}; {hint}")
        number = 0
        for cells in reader:
            if not cells:
                continue
            number += 1
            where = f"line {_first_line(reader.line_num, cells)}"
            if len(cells) != len(header):
                yield Row(where, None, None, None,
                          problem=_cell_count(number, cells, len(header), delimiter))
                continue
            record = dict(zip(header, cells, strict=True))
            yield _review_row(where,
                              unprotect_cell(record.get("id")) or None,
                              unprotect_cell(record.get("run_id")) or None,
                              unprotect_cell(record.get("review_label")),
                              unprotect_cell(record.get("reviewer")), record.get("export"),
                              blank="review_label left blank",
                              text=_shown(unprotect_cell(record["text"]) if "text" in record
                                          else None),
                              project=unprotect_cell(record.get("project")))
    except csv.Error as exc:
        raise ReviewError(f"{path}: line {reader.line_num}: not readable as CSV: {exc}") from None


def _cell_count(number: int, cells: list[str], columns: int, delimiter: str) -> str:
    """The problem of the ``number``-th row, whose ``cells`` are not one per column."""
    if not "".join(cells).strip(" \t"):
        hint = "the line holds only spaces or tabs; delete it"
    elif len(cells) > columns:
        hint = (f"a cell inserted, a value typed past the last column, or a text with "
                f"{delimiter!r} not quoted?")
    else:
        hint = "a cell deleted, or the row cut short?"
    return (f"row {number} has {len(cells)} value{'s' * (len(cells) != 1)} where the header "
            f"has {columns}, so its values do not line up with the columns ({hint})")


def _review_row(where: str, item_id: str | None, run_id: str | None, label: str | None,
                reviewer: str | None, export: Any, *, blank: str, text: str | None,
                project: str | None) -> Row:
    """A row of labelwright's own review file (CSV or JSONL): ``review_label`` filled in,
    or left empty (``blank`` says how) for an item not reviewed; a cell of only spaces
    looks empty, so it is empty. ``project``: the name the file was exported with (None or
    "": a file from before it was written, or cleared)."""
    label = label.strip() if label else None
    return Row(where, item_id, run_id, label or None,
               annotator=(reviewer or "").strip(), export=_export(export),
               skip=blank if not label else None, text=text, project=project or None)


def read_jsonl(path: Path) -> Iterator[Row]:
    """The run's review JSONL with ``review_label`` (and optionally ``reviewer``) added."""
    for where, record in _records(path, "jsonl"):
        if not isinstance(record, dict):
            yield _not_an_object(where, record, "review JSONL")
            continue
        if "review_label" not in record:
            yield Row(where, _text(record.get("id")), _text(record.get("run_id")), None,
                      problem="no review_label: add the reviewed label to each record of the "
                              "review JSONL (null: not reviewed)")
            continue
        yield _review_row(where, _text(record.get("id")), _text(record.get("run_id")),
                          _text(record.get("review_label")), _text(record.get("reviewer")),
                          record.get("export"), blank="review_label left empty",
                          text=_shown(record.get("text")), project=_text(record.get("project")))


def read_argilla(path: Path) -> Iterator[Row]:
    for where, record in _records(path, "argilla"):
        if not isinstance(record, dict):
            yield _not_an_object(where, record, "Argilla")
            continue
        metadata = _object(record.get("metadata"))
        run_id = record.get("lw_run_id", metadata.get("lw_run_id"))
        project = record.get("lw_project", metadata.get("lw_project"))
        export = _export(record.get("lw_export", metadata.get("lw_export")))
        item_id = _text(_argilla_item_id(record, metadata, export))
        triples, problem = _argilla_responses(record)
        if problem:
            yield Row(where, item_id, _text(run_id), None, problem=problem)
            continue
        if not triples:
            others = sorted((set(record["responses"])
                             if isinstance(record.get("responses"), dict)
                             else {k.split(".responses")[0] for k in record
                                   if ".responses" in k}) - {QUESTION})
            yield Row(where, item_id, _text(run_id), None,
                      skip="no response in Argilla" if not others else
                      f"responses to question(s) {', '.join(others)}, not to {QUESTION!r}, "
                      "the question labelwright's export creates")
        for k, (value, user, status) in enumerate(triples, start=1):
            row = Row(f"{where} response {k}", item_id, _text(run_id), None,
                      annotator=f"argilla:{user}" if user else "", project=_text(project),
                      export=export, text=_shown(record.get(
                          "text", (record.get("fields") or {}).get("text"))))
            if status is None:
                row.problem = ("response without a status, so a draft or discarded answer "
                               "cannot be told from a submitted one (Argilla's records.to_json "
                               "leaves it out); export with records.to_list(flatten=True), "
                               f"which has {QUESTION}.responses.status")
            elif status != "submitted":
                row.skip = f"response {status!r} (not submitted) in Argilla"
            else:
                row.label, row.problem = _one_label(value)
            yield row


def _argilla_item_id(record: dict[str, Any], metadata: dict[str, Any],
                     export: str) -> Any:
    """The item id of an Argilla record: its ``lw_id`` metadata (flattened or nested), else
    the record id, which is the item id in files exported before that metadata existed. A
    random-sample record's id is ``sample:<item id>``; logged into a dataset made with the
    older settings, it lost its ``lw_id`` (Argilla drops undeclared metadata), so the mark
    is taken off. (Should an older file's item id itself start with ``sample:``, the import's
    check of the text shown against the text exported names the row.)"""
    for value in (record.get("lw_id"), metadata.get("lw_id")):
        if value is not None:
            return value
    record_id = record.get("id")
    if export == "sample" and isinstance(record_id, str) and record_id.startswith("sample:"):
        return record_id.removeprefix("sample:")
    return record_id


def _argilla_responses(record: dict[str, Any]) -> tuple[list[tuple[Any, Any, Any]], str | None]:
    """``([(value, user, status), ...], problem)`` of a record's responses to ``label``:
    nested (``Record.to_dict()``) or flattened (``<question>.responses[.users|.status]``,
    three lists of one entry per response)."""
    if isinstance(record.get("responses"), dict):
        responses = record["responses"].get(QUESTION) or []
        if not isinstance(responses, list) or not all(isinstance(r, dict) for r in responses):
            return [], f"responses.{QUESTION} is not a list of response objects"
        return [(r.get("value"), r.get("user_id"), r.get("status")) for r in responses], None
    values = record.get(f"{QUESTION}.responses") or []
    users = record.get(f"{QUESTION}.responses.users") or None  # None: not in the file
    status = record.get(f"{QUESTION}.responses.status") or None
    if not isinstance(values, list) or any(
            column is not None and (not isinstance(column, list) or len(column) != len(values))
            for column in (users, status)):
        return [], (f"{QUESTION}.responses, .users and .status are not lists of one entry per "
                    f"response ({_length(values)}, {_length(users)}, {_length(status)}), so "
                    "which user gave which answer cannot be told")
    n = len(values)
    return list(zip(values, users or [None] * n, status or [None] * n, strict=True)), None


def _length(column: Any) -> str:
    if column is None:
        return "none"
    return f"{len(column)} entries" if isinstance(column, list) else f"not a list: {column!r}"


READERS = {"label-studio": read_label_studio, "prodigy": read_prodigy, "doccano": read_doccano,
           "csv": read_csv_file, "jsonl": read_jsonl, "argilla": read_argilla}


def read_rows(path: Path, fmt: str) -> list[Row]:
    if fmt not in READERS:
        raise ReviewError(f"unknown review format {fmt!r}; valid: {', '.join(IMPORT_FORMATS)}")
    if fmt != "csv" and path.suffix.lower() in (".csv", ".tsv"):
        raise ReviewError(f"{path}: a CSV file, but --format {fmt} reads JSON"
                          + ("; Label Studio's CSV export is not read: export JSON from Label "
                             "Studio" if fmt == "label-studio" else "")
                          + "; or import the review CSV with --format csv")
    try:
        return list(READERS[fmt](path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    except (AttributeError, TypeError) as exc:
        raise ReviewError(f"{path}: does not look like a {fmt} export ({exc}); pass the right "
                          f"--format, one of {', '.join(IMPORT_FORMATS)}") from None
