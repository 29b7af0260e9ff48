"""Review exports in the formats annotation tools import.

* ``label-studio`` — a JSON list of tasks and a labeling config (XML) next to it, made
  by :mod:`~labelwright.review.queue.label_studio`.
* ``prodigy`` — textcat JSONL for the ``choice`` interface: ``options`` (one per
  label), ``accept`` pre-selecting the suggestion, and ``meta`` shown to the reviewer.
  ``_input_hash`` is set from the project, item id and text, and ``_task_hash`` from that,
  the run id and the labels: Prodigy hashes a task without them from its text and options
  and drops a second item with the same text as a duplicate. Prodigy also skips a task
  whose ``_task_hash`` its dataset holds answered: with the run id in it, an item a later
  run queues again (raters disagreed on it, and it awaits an adjudicator) is a new
  question in a dataset that holds the earlier answers, while its ``_input_hash`` still
  groups every answer on the item. A random-sample record's hashes also hold the export
  (see below).
* ``doccano`` — JSONL for a text classification project. The suggestion goes into
  the metadata, not ``label``: doccano would import ``label`` as an annotation, and
  an unreviewed suggestion must never come back as a decision.
* ``argilla`` — Argilla 2.x records (JSONL), flat as ``dataset.records.log`` takes them
  (``id``, ``text``, ``label`` = the suggestion, metadata by name), and the dataset
  settings in ``rg.Settings.to_json``'s format, whose mapping routes ``label_score`` and
  ``label_agent`` to the suggestion's score and agent.

Every record carries the fields that bring a decision back, a blind export's mark and what
a reviewer sees besides the text, the same in every tool
(:mod:`~labelwright.review.queue.task_fields`); in Argilla, whose dataset keeps only the
metadata its settings declare, a blind record is marked ``blind:`` in its id (below).

An item can be both in the review queue and in the run's random sample. Prodigy skips a
task whose hash its dataset holds, and Argilla's ``records.log`` replaces a record with a
known id, so the sample's copy of such an item would vanish from a tool project that holds
both exports, and the sample reviewed would be the items the queue did not hold. A sample
record's Prodigy hashes and Argilla id therefore differ from its queue record's; the queue
keeps the input hash and the Argilla id it always had, so a dataset that holds an earlier
export still knows the item.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.label_studio import (
    LABEL_STUDIO_FIELD as LABEL_STUDIO_FIELD,  # the earlier path
)
from labelwright.review.queue.label_studio import (
    LABEL_STUDIO_STYLE as LABEL_STUDIO_STYLE,  # the earlier path
)
from labelwright.review.queue.label_studio import (
    check_label_studio_definitions,
    check_label_studio_labels,
    label_studio_config,
    label_studio_tasks,
)
from labelwright.review.queue.shown_fields import field_keys, shown_values
from labelwright.review.queue.task_fields import NOTE as NOTE  # the earlier path
from labelwright.review.queue.task_fields import (
    QUESTION,
    TEXT,
    blind_mark,
    lw_fields,
    reviewer_context,
)


def _hash32(*parts: Any) -> int:
    """A signed 32-bit hash of ``parts``, as Prodigy's hashes are."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def _sample_mark(record: dict[str, Any]) -> tuple[str, ...]:
    """What tells a record of the random sample from the queue's record of the same item,
    and a blind record from one that shows the suggestion, in a tool's ids: nothing for
    the queue's (its ids stay what they were)."""
    export = record.get("export", "queue")
    return ((() if export == "queue" else (export,))
            + (("blind",) if record.get("blind") else ()))


def argilla_id(record: dict[str, Any]) -> str:
    """The Argilla record id: the item id, ``sample:<item id>`` in the random sample,
    ``blind:<item id>`` / ``sample:blind:<item id>`` in a blind export (the item id itself
    is the ``lw_id`` metadata)."""
    return ":".join((*_sample_mark(record), str(record["id"])))


def prodigy_tasks(records: list[dict[str, Any]], *, labels: Sequence[str],
                  project: str, show: Sequence[str] = (),
                  definitions: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    meant = definitions or {}  # an option's text: the label and what it means
    options = [{"id": label, "text": f"{label}: {meant[label]}" if label in meant else label}
               for label in labels]
    tasks = []
    for r in records:
        # one input per item (and text), one question per input, run and label set:
        # Prodigy's own hashes (text + options) would make two items with one text one
        # task; the sample's copy of a queue item is another input, and a later run's
        # question on an item is another question (see the module docstring)
        input_hash = _hash32("labelwright", project, *_sample_mark(r), r["id"], r["text"])
        task = {
            TEXT: r["text"],
            "options": options,
            "_input_hash": input_hash,
            "_task_hash": _hash32(input_hash, r["run_id"], *labels),
            **lw_fields(r, project),
            **blind_mark(r),
            "meta": {"id": r["id"], "run_id": r["run_id"], **shown_values(r, show),
                     **reviewer_context(r)},
        }
        if r.get("suggested_label") is not None:
            task["accept"] = [r["suggested_label"]]
        tasks.append(task)
    return tasks


def doccano_records(records: list[dict[str, Any]], *, project: str,
                    show: Sequence[str] = ()) -> list[dict[str, Any]]:
    return [{TEXT: r["text"], **shown_values(r, show), **lw_fields(r, project), **blind_mark(r),
             **reviewer_context(r)} for r in records]


#: the metadata properties of an Argilla record (``terms``, but ``confidence``: ``float``)
ARGILLA_METADATA = ("lw_id", "lw_run_id", "lw_project", "lw_export", "lw_copies",
                    "suggested_label", "confidence", "reasons", "signals", "why",
                    "end_model_label", "votes", "vote_pattern", "glossary_terms",
                    RATER_LABELS)
#: record keys the dataset's ``mapping`` (in the settings) routes to the suggestion
ARGILLA_MAPPING = {f"{QUESTION}_score": f"{QUESTION}.suggestion.score",
                   f"{QUESTION}_agent": f"{QUESTION}.suggestion.agent"}


def argilla_records(records: list[dict[str, Any]], *, project: str,
                    show: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Flat records as Argilla 2.x's ``dataset.records.log`` takes them: the text under the
    field's name, the suggestion under the question's name (score and agent through the
    settings' mapping), metadata under the metadata properties' names. Empty context
    values are left out (no metadata value beats an empty term), and so are empty shown
    fields (``show``: text fields of the settings, which are optional)."""
    out = []
    for r in records:
        record: dict[str, Any] = {"id": argilla_id(r), TEXT: r["text"], **lw_fields(r, project)}
        record.update({k: v for k, v in shown_values(r, show).items() if v != ""})
        record.update({k: v for k, v in reviewer_context(r).items() if v != ""})
        if r.get("suggested_label") is not None:
            record[QUESTION] = r["suggested_label"]
            record[f"{QUESTION}_score"] = r["confidence"]
            record[f"{QUESTION}_agent"] = f"labelwright {r['run_id']}"
        out.append(record)
    return out


def argilla_settings(labels: Sequence[str], *, blind: bool = False,
                     show: Sequence[str] = (),
                     definitions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The dataset settings the records fit, as ``rg.Settings.from_json`` reads them: a text
    field, a single-label question, the metadata properties, and the mapping of the
    suggestion's score and agent (``blind``: only the ids' metadata, no suggestion);
    ``show``: an optional text field per shown field of the item, titled by its name;
    ``definitions``: what labels mean, listed in the guidelines and the question's
    description."""
    metadata = [name for name in ARGILLA_METADATA
                if not blind or name.startswith("lw_") and name != "lw_copies"]
    meant = [f"- {label}: {(definitions or {})[label]}" for label in labels
             if label in (definitions or {})]
    described = {"description": "\n".join(meant)} if meant else {}
    return {
        "guidelines": ("Choose the right label from the text alone." if blind else
                       "Choose the right label; the suggestion is labelwright's "
                       "(see the metadata: why the item is here, the LF votes).")
                      + ("\n\nThe labels:\n" + "\n".join(meant) if meant else ""),
        "fields": [{"name": TEXT, "title": TEXT, "required": True,
                    "settings": {"type": "text", "use_markdown": False}},
                   *({"name": key, "title": name, "required": False,
                      "settings": {"type": "text", "use_markdown": False}}
                     for name, key in field_keys(show).items())],
        "questions": [{"name": QUESTION, "title": QUESTION, "required": True, **described,
                       "settings": {"type": "label_selection",
                                    "options": [{"value": lab, "text": lab} for lab in labels]}}],
        "metadata": [{"name": name, "title": name, "visible_for_annotators": True,
                      "settings": {"type": {"confidence": "float", "lw_copies": "integer"}
                                   .get(name, "terms"),
                                   "visible_for_annotators": True}}
                     for name in metadata],
        "vectors": [],
        "allow_extra_metadata": False,
        "mapping": dict(ARGILLA_MAPPING),
    }


def _write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def companion_path(path: Path, suffix: str) -> Path:
    """``review.json`` -> ``review.<suffix>``: where a tool's config is written."""
    return path.with_name(f"{path.stem}.{suffix}")


#: the config file a tool's export comes with, beside its tasks
COMPANIONS = {"label-studio": "label_config.xml", "argilla": "settings.json"}


def tool_files(path: Path, fmt: str) -> list[Path]:
    """Every file an export of ``fmt`` to ``path`` writes: the tasks, then any config."""
    return [path] + ([companion_path(path, COMPANIONS[fmt])] if fmt in COMPANIONS else [])


def write_tool(records: list[dict[str, Any]], path: Path, fmt: str, *, labels: Sequence[str],
               project: str, blind: bool = False, show: Sequence[str] = (),
               definitions: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``records`` for ``fmt``; returns every file written (tasks first). ``blind``:
    the records hold nothing the rules or the model said, and the config shows none of it.
    ``show``: the item's fields shown beside the text (:mod:`~labelwright.review.queue.
    shown_fields`). ``definitions``: what labels mean (``[review] definitions``), shown
    with the choices of Label Studio, Prodigy and Argilla (doccano's import has no place
    for them)."""
    if fmt == "label-studio":
        check_label_studio_labels(labels)
        check_label_studio_definitions(definitions or {})
        path.write_text(json.dumps(label_studio_tasks(records, project=project, show=show),
                                   indent=1,
                                   ensure_ascii=False, default=str), encoding="utf-8")
        config = companion_path(path, COMPANIONS[fmt])
        config.write_text(label_studio_config(
            labels, blind=blind, copies=all("copies" in r for r in records),
            disputed=any(RATER_LABELS in r for r in records), show=show,
            definitions=definitions),
            encoding="utf-8")
        return [path, config]
    if fmt == "prodigy":
        _write_jsonl(prodigy_tasks(records, labels=labels, project=project, show=show,
                                   definitions=definitions), path)
        return [path]
    if fmt == "doccano":
        _write_jsonl(doccano_records(records, project=project, show=show), path)
        return [path]
    if fmt == "argilla":
        _write_jsonl(argilla_records(records, project=project, show=show), path)
        settings = companion_path(path, COMPANIONS[fmt])
        settings.write_text(json.dumps(argilla_settings(labels, blind=blind, show=show,
                                                        definitions=definitions),
                                       indent=2),
                            encoding="utf-8")
        return [path, settings]
    raise ValueError(f"unknown tool format {fmt!r}")
