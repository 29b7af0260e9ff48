"""Readers of the review tools' exports: Label Studio (JSON and JSON-MIN), Prodigy
(``db-out`` JSONL) and doccano (JSONL); each file becomes
:class:`~labelwright.review.imports.records.Row` s. Argilla's reader is
:mod:`~labelwright.review.imports.argilla_reader`, what an answer that chose nothing is
:mod:`~labelwright.review.imports.empty_answers` (their names still import from here). The
formats and what counts as a decision are listed in
:mod:`~labelwright.review.imports.readers`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from labelwright.errors import both_spellings

# defined here before: the Argilla reader, and the reasons an answer chose nothing
from labelwright.review.imports.argilla_reader import (
    ARGILLA_NO_LW_ID as ARGILLA_NO_LW_ID,
)
from labelwright.review.imports.argilla_reader import (
    is_argilla_export as is_argilla_export,
)
from labelwright.review.imports.argilla_reader import is_argilla_v1 as is_argilla_v1
from labelwright.review.imports.argilla_reader import read_argilla as read_argilla
from labelwright.review.imports.empty_answers import ARGILLA_EMPTY as ARGILLA_EMPTY
from labelwright.review.imports.empty_answers import (
    DOCCANO_EMPTY,
    LABEL_STUDIO_EMPTY,
    PRODIGY_EMPTY,
    nothing_chosen,
)
from labelwright.review.imports.empty_answers import NOTHING_CHOSEN as NOTHING_CHOSEN
from labelwright.review.imports.records import (
    Row,
    as_object,
    as_text,
    blindness,
    each_record,
    export_kind,
    one_label,
    one_or_more,
    shown_text,
)
from labelwright.review.imports.tool_fields import (
    comment_keys,
    comment_text,
    record_comment,
    unread_keys,
)
from labelwright.review.queue.task_fields import NOTE, QUESTION


def is_label_studio_min(record: Any) -> bool:
    """Label Studio's JSON-MIN: one record per annotation, the task's data at the top."""
    return isinstance(record, dict) and "lw_id" in record and (
        "annotation_id" in record or "annotator" in record)


@each_record("label-studio", "Label Studio")
def read_label_studio(where: str, task: dict[str, Any]) -> Iterator[Row]:
    if is_label_studio_min(task):
        yield _label_studio_min_row(where, task)
        return
    if not isinstance(task.get("data"), dict):
        yield Row(where, None, None, None,
                  problem="not a Label Studio task (no 'data' object)")
        return
    data = task["data"]
    task_where = f"task {task.get('id', where)}"
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict)
                                                    for a in annotations):
        yield Row(task_where, as_text(data.get("lw_id")), as_text(data.get("lw_run_id")), None,
                  problem="'annotations' is not a list of objects (Label Studio writes one "
                          "object per annotation)")
        return
    if not annotations:
        yield Row(task_where, as_text(data.get("lw_id")), as_text(data.get("lw_run_id")), None,
                  skip="only a draft in Label Studio" if task.get("drafts")
                  else "no annotation in Label Studio")
    for annotation in annotations:
        row_where = f"{task_where} annotation {annotation.get('id', '?')}"
        who, user_id = _label_studio_user(annotation.get("completed_by"))
        author = ""
        editor, editor_id = _label_studio_user(annotation.get("updated_by"))
        if editor not in (None, "") and str(editor_id or editor) != str(user_id or who):
            # another user (a lead) changed the annotation: the label is theirs
            author = _label_studio_name(who)
            who, user_id = editor, editor_id
        row = Row(row_where, as_text(data.get("lw_id")), as_text(data.get("lw_run_id")), None,
                  annotator=_label_studio_name(who), rater_id=_label_studio_name(user_id),
                  author=author,
                  decided_at=str(annotation.get("updated_at") or annotation.get("created_at")
                                 or ""),
                  project=as_text(data.get("lw_project")),
                  export=export_kind(data.get("lw_export")), text=shown_text(data.get("text")),
                  id_fields="no 'lw_id' in the task's 'data'")
        row.blind, row.problem = _marked_blind(data)
        if annotation.get("was_cancelled"):
            row.skip = "cancelled (skipped) in Label Studio"
        elif row.problem is None:
            row.label, row.problem = _label_studio_choice(annotation.get("result") or [])
            row.note = _label_studio_note(annotation.get("result"))
            nothing_chosen(row, LABEL_STUDIO_EMPTY)
        yield row


def _label_studio_name(who: Any) -> str:
    """A Label Studio user (name or id) as the ledger names them; "" for none."""
    return f"label-studio:{who}" if who is not None else ""


def _label_studio_user(who: Any) -> tuple[Any, Any]:
    """``(name, id)`` of an annotation's ``completed_by`` (or ``updated_by``): the user's id
    (``2``), or the user expanded (``{"id": 2, "email": ...}``), named by email (as ledgers
    have named them) with the id beside it (:mod:`~labelwright.review.decisions.rater_ids`)."""
    if not isinstance(who, dict):
        return who, who if str(who).isdigit() else None
    user_id = who.get("id")
    return who.get("email") or user_id, user_id if str(user_id).isdigit() else None


def _marked_blind(fields: dict[str, Any]) -> tuple[bool | None, str | None]:
    """:func:`~labelwright.review.imports.records.blindness` of a record whose ``fields`` (Label
    Studio's task data, doccano's record with its metadata) hold the ``lw_blind`` mark of
    a blind export, or the suggestion of one that shows it."""
    return blindness(fields.get("lw_blind"), said="suggested_label" in fields, key="lw_blind")


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
    ours = [c for r in mine for c in one_or_more(r.get("value", {}).get("choices"))]
    others = sorted({str(r.get("from_name")) for r in results
                     if r.get("type") == "choices" and r.get("from_name") != QUESTION})
    if not ours and others:
        return None, (f"no choice from a control named {QUESTION!r} (found: "
                      f"{', '.join(others)}); label with the labeling config labelwright "
                      f"exported, whose <Choices> is named {QUESTION!r}")
    return one_label(ours)


def _label_studio_note(results: Any) -> str:
    """The note in an annotation's results: the text of the text box labelwright's
    labeling config names :data:`~labelwright.review.queue.task_fields.NOTE` ("" for none)."""
    if not isinstance(results, list):
        return ""
    return "\n".join(filter(None, (
        comment_text(r["value"].get("text")) for r in results
        if isinstance(r, dict) and r.get("type") == "textarea" and r.get("from_name") == NOTE
        and isinstance(r.get("value"), dict))))


def _label_studio_min_row(where: str, record: dict[str, Any]) -> Row:
    """A JSON-MIN record: the choice under the control's name (a string, or
    ``{"choices": [...]}`` for several), the annotator's email or id."""
    value = record.get(QUESTION)
    if isinstance(value, dict):
        value = value.get("choices")
    who = record.get("annotator")
    if record.get("annotation_id") is None and who is None and value is None:
        return Row(f"{where} (task {record.get('id', '?')})", as_text(record.get("lw_id")),
                   as_text(record.get("lw_run_id")), None, skip="no annotation in Label Studio")
    row = Row(f"{where} (task {record.get('id', '?')} annotation "
              f"{record.get('annotation_id', '?')})",
              as_text(record.get("lw_id")), as_text(record.get("lw_run_id")), None,
              annotator=f"label-studio:{who}" if who not in (None, "") else "",
              # JSON-MIN gives the user's email, or else the id as text
              rater_id=f"label-studio:{who}" if str(who).isdigit() else "",
              decided_at=str(record.get("updated_at") or record.get("created_at") or ""),
              project=as_text(record.get("lw_project")),
              export=export_kind(record.get("lw_export")),
              text=shown_text(record.get("text")))
    row.blind, row.problem = _marked_blind(record)
    row.note = comment_text(record.get(NOTE))
    if row.problem:
        return row
    if value in ("", []) and QUESTION in record:  # the control, with nothing chosen
        row.skip = LABEL_STUDIO_EMPTY
    elif value in (None, "", []):
        row.problem = (f"no {QUESTION!r} in this JSON-MIN record; label with the labeling "
                       f"config labelwright exported, whose <Choices> is named {QUESTION!r}")
    else:
        row.label, row.problem = one_label(value)
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


@each_record("prodigy", "Prodigy")
def read_prodigy(where: str, task: dict[str, Any]) -> Iterator[Row]:
    meta = as_object(task.get("meta"))
    decided_at, bad_time = _prodigy_time(task.get("_timestamp"))
    row = Row(where, as_text(task.get("lw_id", meta.get("id"))),
              as_text(task.get("lw_run_id", meta.get("run_id"))), None,
              annotator=_prodigy_annotator(task.get("_annotator_id")),
              decided_at=decided_at, project=as_text(task.get("lw_project")),
              export=export_kind(task.get("lw_export")), text=shown_text(task.get("text")),
              id_fields="neither 'lw_id' nor 'meta' → 'id' holds one")
    noted = comment_keys(task)
    row.note = record_comment(task, noted)
    row.unread = unread_keys("prodigy", tuple(task), noted)
    # (the suggestion is in the meta Prodigy shows the reviewer)
    row.blind, bad_mark = blindness(task.get("lw_blind"), said="suggested_label" in meta,
                                    key="lw_blind")
    answer = task.get("answer")
    if bad_mark or bad_time:
        row.problem = bad_mark or bad_time
    elif answer == "accept":
        row.label, row.problem = one_label(task.get("accept"))
        nothing_chosen(row, PRODIGY_EMPTY)
    elif answer in ("reject", "ignore"):
        row.skip = f"answered {answer!r} in Prodigy"
    elif "answer" not in task:  # said in JSON's words: Python's None is no JSON value
        row.problem = ("no 'answer' key; expected accept, reject or ignore (Prodigy writes "
                       "one with each answer it saves: a file of the tasks as exported, not "
                       "of `prodigy db-out`?)")
    else:
        row.problem = (f"answer {json.dumps(answer, ensure_ascii=False, default=str)}; "
                       "expected accept, reject or ignore")
    yield row


UNNAMED_SESSION = re.compile(r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$")


def _prodigy_annotator(value: Any) -> str:
    """Prodigy's ``_annotator_id``: ``<dataset>-<name>`` for a named session; a session
    started without ``?session=`` gets the time it started, which names no one, so its
    answers are the importing reviewer's (and a later answer replaces an earlier one)."""
    text = str(value or "")
    return "" if UNNAMED_SESSION.search(text) else text


@each_record("doccano", "doccano")
def read_doccano(where: str, record: dict[str, Any]) -> Iterator[Row]:
    labels = record.get("label", record.get("labels"))
    meta = {**as_object(record.get("meta")), **record}  # older exports nest metadata in "meta"
    row = Row(where, as_text(meta.get("lw_id")), as_text(meta.get("lw_run_id")), None,
              annotator=str(record.get("user") or ""), project=as_text(meta.get("lw_project")),
              export=export_kind(meta.get("lw_export")), text=shown_text(record.get("text")),
              id_fields="no 'lw_id' (at the top or in 'meta')")
    noted = comment_keys(record)
    row.note = record_comment(record, noted)
    row.unread = unread_keys("doccano", tuple(record), noted)
    row.blind, row.problem = _marked_blind(meta)
    if not labels:
        row.skip = "no label in doccano"
    elif row.problem is None:
        row.label, row.problem = one_label(labels)
        nothing_chosen(row, DOCCANO_EMPTY)
        if row.problem:
            row.problem += ("; with collaborative annotation on, doccano merges every "
                            "annotator's labels into one list: turn it off, export again "
                            "(one <user>.jsonl each) and import each file with "
                            f"{both_spellings('--reviewer', 'reviewer=')} set to its "
                            "annotator")
    yield row
