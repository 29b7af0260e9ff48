"""Readers of the review tools' exports: Label Studio (JSON and JSON-MIN), Prodigy
(``db-out`` JSONL), doccano (JSONL) and Argilla 2.x (flattened or nested records); each
file becomes :class:`~labelwright.review.imports.records.Row` s. The formats and what counts as a
decision are listed in :mod:`~labelwright.review.imports.readers`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from labelwright.errors import both_spellings
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
    argilla_comments,
    comment_keys,
    record_comment,
    unread_keys,
)
from labelwright.review.queue.tools import NOTE, QUESTION, argilla_id


def is_label_studio_min(record: Any) -> bool:
    """Label Studio's JSON-MIN: one record per annotation, the task's data at the top."""
    return isinstance(record, dict) and "lw_id" in record and (
        "annotation_id" in record or "annotator" in record)


def is_argilla_export(record: Any) -> bool:
    """A record of labelwright's Argilla export as it wrote it (not yet reviewed: Argilla's
    own export of reviewed records has a ``_server_id``): its ``id`` is the item's Argilla
    id (:func:`~labelwright.review.queue.tools.argilla_id`), a string where doccano's is a
    number. Read as doccano's, its suggestion under ``label`` was taken for a decision."""
    return (isinstance(record, dict) and isinstance(record.get("id"), str)
            and _argilla_blind_mark(record, {}, export_kind(record.get("lw_export")))
            is not None)


def is_argilla_v1(record: Any) -> bool:
    values = record.get("label") if isinstance(record, dict) else None
    return isinstance(values, list) and any(isinstance(v, dict) and "user_id" in v
                                            for v in values)


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
            _nothing_chosen(row, LABEL_STUDIO_EMPTY)
        yield row


#: why a submitted answer with nothing chosen is no decision, per tool: an accept in Prodigy
#: with no option selected, a Label Studio annotation (not cancelled) with no choice, an
#: Argilla response submitted without a value, a doccano record whose label list holds only
#: an empty or null label (``[""]``, ``[null]``). Counted with the rows that are no decisions
#: (cancelled, ignored), each named with its row: it may be a slip worth a second look
LABEL_STUDIO_EMPTY = "submitted with no choice in Label Studio"
PRODIGY_EMPTY = "accepted with no option selected in Prodigy"
ARGILLA_EMPTY = "submitted with no label in Argilla"
DOCCANO_EMPTY = "an empty label in doccano"
NOTHING_CHOSEN = (LABEL_STUDIO_EMPTY, PRODIGY_EMPTY, ARGILLA_EMPTY, DOCCANO_EMPTY)


def _nothing_chosen(row: Row, reason: str) -> None:
    """Make ``row`` one that is no decision (``reason``) when its answer chose nothing."""
    if row.problem is None and row.label == "":
        row.label, row.skip = None, reason


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


def note_text(value: Any) -> str:
    """A note as a tool gives it, a text or a list of texts (Label Studio's text box keeps
    one per submission), as one text; "" for none or anything else."""
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return "\n".join(t.strip() for t in texts if isinstance(t, str) and t.strip())


def _label_studio_note(results: Any) -> str:
    """The note in an annotation's results: the text of the text box labelwright's
    labeling config names :data:`~labelwright.review.queue.tools.NOTE` ("" for none)."""
    if not isinstance(results, list):
        return ""
    return "\n".join(filter(None, (
        note_text(r["value"].get("text")) for r in results
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
    row.note = note_text(record.get(NOTE))
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
        _nothing_chosen(row, PRODIGY_EMPTY)
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
        _nothing_chosen(row, DOCCANO_EMPTY)
        if row.problem:
            row.problem += ("; with collaborative annotation on, doccano merges every "
                            "annotator's labels into one list: turn it off, export again "
                            "(one <user>.jsonl each) and import each file with "
                            f"{both_spellings('--reviewer', 'reviewer=')} set to its "
                            "annotator")
    yield row


#: where an Argilla record without ``lw_id`` metadata gets its item id, as an unknown id's
#: error says: files from before the metadata existed gave the item id as the record id
ARGILLA_NO_LW_ID = ("the record has no lw_id metadata, so its record id was read as the item "
                    "id (Argilla drops metadata its dataset's settings do not declare: log "
                    "the records into a dataset made with the settings labelwright exported, "
                    "<file>.settings.json, which declare lw_id)")


@each_record("argilla", "Argilla")
def read_argilla(where: str, record: dict[str, Any]) -> Iterator[Row]:
    metadata = as_object(record.get("metadata"))
    run_id = record.get("lw_run_id", metadata.get("lw_run_id"))
    project = record.get("lw_project", metadata.get("lw_project"))
    export = export_kind(record.get("lw_export", metadata.get("lw_export")))
    item_id = as_text(_argilla_item_id(record, metadata, export))
    id_note = "" if "lw_id" in record or "lw_id" in metadata else ARGILLA_NO_LW_ID
    # (a mark read from the id is true, false or none: never a bad one)
    blind, _ = blindness(_argilla_blind_mark(record, metadata, export),
                         said="suggested_label" in record or "suggested_label" in metadata)
    triples, problem = _argilla_responses(record)
    noted, comments = argilla_comments(record)
    unread = unread_keys("argilla", tuple(record), noted)
    if problem:
        yield Row(where, item_id, as_text(run_id), None, problem=problem, id_note=id_note,
                  unread=unread)
        return
    if not triples:
        others = sorted((set(record["responses"])
                         if isinstance(record.get("responses"), dict)
                         else {k.split(".responses")[0] for k in record
                               if ".responses" in k}) - {QUESTION})
        yield Row(where, item_id, as_text(run_id), None,
                  skip="no response in Argilla" if not others else
                  f"responses to question(s) {', '.join(others)}, not to {QUESTION!r}, "
                  "the question labelwright's export creates", unread=unread)
    for k, (value, user, status) in enumerate(triples, start=1):
        row = Row(f"{where} response {k}", item_id, as_text(run_id), None, id_note=id_note,
                  annotator=f"argilla:{user}" if user else "", project=as_text(project),
                  export=export, blind=blind, text=shown_text(record.get(
                      "text", (record.get("fields") or {}).get("text"))), unread=unread,
                  note=comments.get(user, comments.get(k - 1, "")))
        if status is None:
            row.problem = ("response without a status, so a draft or discarded answer "
                           "cannot be told from a submitted one (Argilla's records.to_json "
                           "leaves it out); export with records.to_list(flatten=True), "
                           f"which has {QUESTION}.responses.status")
        elif status != "submitted":
            row.skip = f"response {status!r} (not submitted) in Argilla"
        else:
            row.label, row.problem = one_label(value)
            _nothing_chosen(row, ARGILLA_EMPTY)
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


def _argilla_blind_mark(record: dict[str, Any], metadata: dict[str, Any],
                        export: str) -> bool | None:
    """Whether the record id is the one a blind export gives the item
    (:func:`~labelwright.review.queue.tools.argilla_id`: ``blind:`` after any ``sample:``) or
    the one an export that shows the suggestion gives it; None when it is neither, or
    there is no ``lw_id`` to compare it with (a dataset made with settings from before that
    metadata drops it)."""
    item_id = record.get("lw_id", metadata.get("lw_id"))
    if item_id is None:
        return None
    for blind in (True, False):
        if argilla_id({"id": item_id, "export": export or "queue", "blind": blind}) \
                == str(record.get("id")):
            return blind
    return None


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
    return (f"{len(column)} entries" if isinstance(column, list)
            else f"not a list: {json.dumps(column, ensure_ascii=False, default=str)}")
