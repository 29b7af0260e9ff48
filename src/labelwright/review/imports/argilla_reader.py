"""Reader of Argilla 2.x exports (flattened or nested records) into
:class:`~labelwright.review.imports.records.Row` s, and how a file is told to be one:
labelwright's own Argilla export not yet reviewed, or an Argilla 1.x file. The other
tools' readers are :mod:`~labelwright.review.imports.tool_readers`; the formats and what
counts as a decision are listed in :mod:`~labelwright.review.imports.readers`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from labelwright.review.imports.empty_answers import ARGILLA_EMPTY, nothing_chosen
from labelwright.review.imports.records import (
    Row,
    as_object,
    as_text,
    blindness,
    each_record,
    export_kind,
    one_label,
    shown_text,
)
from labelwright.review.imports.tool_fields import argilla_comments, unread_keys
from labelwright.review.queue.task_fields import QUESTION
from labelwright.review.queue.tools import argilla_id


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
            nothing_chosen(row, ARGILLA_EMPTY)
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
