"""Review exports in the formats annotation tools import.

* ``label-studio`` — a JSON list of tasks; each task's ``predictions`` carry the
  suggested choice and its ``score``, and a labeling config (XML) with one
  ``<Choice>`` per project label is written next to it. A label holding ``$`` and a name
  (``$5 plan``) is refused: Label Studio reads it as a task field. The config's
  ``<Style>`` shows each line of a text in its own direction (:data:`LABEL_STUDIO_STYLE`).
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

Every record carries the item id, the run id, the project name and the run export it is
from (``lw_id``, ``lw_run_id``, ``lw_project``, ``lw_export``), so the tool's export can be
imported back and reviews of a random sample are known as such. A blind export's
records say so: ``lw_blind: true`` in Label Studio's task data, Prodigy's task and
doccano's record; in Argilla, whose dataset keeps only the metadata its settings declare
(a dataset made with older settings would drop a new one), the ``blind:`` mark of the
record id (below). A record that shows the suggestion is known by it on import.

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
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from labelwright.config import NO_LABEL
from labelwright.errors import ReviewError
from labelwright.review.queue.csv_sheet import signals_text
from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.shown_fields import field_keys, shown_values
from labelwright.review.queue.terms import terms_text
from labelwright.review.queue.why import vote_pattern, why_text

QUESTION = "label"  # the name of the choice question / control in every tool
#: the name of Label Studio's optional text box for a decision's note (why the reviewer
#: decided so), which the import keeps with the decision
NOTE = "note"
TEXT = "text"


def _ids(record: dict[str, Any], project: str) -> dict[str, Any]:
    """The ids that bring a decision back, and ``lw_copies``, how many other items share
    the item's text (a run's records from before it was counted have none)."""
    return {"lw_id": record["id"], "lw_run_id": record["run_id"], "lw_project": project,
            "lw_export": record.get("export", "queue"),
            **({"lw_copies": record["copies"]} if "copies" in record else {})}


def _blind_mark(record: dict[str, Any]) -> dict[str, Any]:
    """``lw_blind: true`` for a blind export's record, so its decision is known as blind
    on import; nothing for one that shows the suggestion (which its context says)."""
    return {"lw_blind": True} if record.get("blind") else {}


def _context(record: dict[str, Any]) -> dict[str, Any]:
    """What a reviewer sees besides the text: why the item is here, votes, glossary terms
    (those an exclusion cancelled too, as the CSV shows them: :func:`terms_text`; nothing
    for a blind export's record, which holds none of it)."""
    if record.get("blind"):
        return {}
    return {
        # "(none)", which no label may be: "none" may be one of a project's labels
        "suggested_label": record["suggested_label"] or NO_LABEL,
        "confidence": record["confidence"],
        "reasons": ", ".join(record["reasons"]),
        "signals": signals_text(record.get("signals", [])),
        # the signals' values and the end model's label in words (why.py)
        "why": record.get("why") or why_text(record),
        "end_model_label": record.get("end_model_label") or "",
        "vote_pattern": record.get("vote_pattern") or vote_pattern(record["votes"]),
        "votes": ", ".join(f"{lf}: {label}" for lf, label in record["votes"].items()),
        "glossary_terms": terms_text(record["glossary_matches"]),
        # a disputed item's raters and their labels, for its adjudicator
        **({RATER_LABELS: record[RATER_LABELS]} if RATER_LABELS in record else {}),
    }


#: what Label Studio replaces by task data in a tag's value (parseValue in its
#: src/utils/data.js: ``/\$[\w[\].{}]+/``, where JavaScript's ``\w`` is ASCII)
LABEL_STUDIO_FIELD = re.compile(r"\$[A-Za-z0-9_\[\].{}]+")


def check_label_studio_labels(labels: Sequence[str]) -> None:
    """Refuse labels Label Studio would change: it replaces each ``$name`` in a
    ``<Choice>`` value by the task's field ``name`` ("undefined" when there is none), so
    "$5 plan" is shown and saved as "undefined plan", which no import can take back. Label
    Studio has no escape for ``$``."""
    bad = [(label, LABEL_STUDIO_FIELD.search(label)) for label in labels]
    named = [f"{label!r} ({found.group(0)!r})" for label, found in bad if found]
    if named:
        raise ReviewError(
            f"label(s) {', '.join(named)} cannot go through Label Studio: it reads '$' "
            "followed by a name in a <Choice> value as a field of the task and puts the "
            "field's value in its place, so the choice would be shown and saved as another "
            "label; rename the label(s) in [project] labels (a '$' is kept where no letter, "
            "digit or one of _.[]{} follows it: 'US$', '$ off'), or export another format "
            "(csv, jsonl, prodigy, doccano, argilla)")


def check_label_studio_definitions(definitions: Mapping[str, str]) -> None:
    """Refuse a ``[review] definitions`` text Label Studio would change, as a label
    (:func:`check_label_studio_labels`): it reads ``$name`` in a choice's hint too."""
    named = [f"{label!r} ({found.group(0)!r})" for label, text in definitions.items()
             if (found := LABEL_STUDIO_FIELD.search(text))]
    if named:
        raise ReviewError(
            f"[review] definitions of {', '.join(named)} cannot go through Label Studio: it "
            "reads '$' followed by a name in a choice's hint as a field of the task and puts "
            "the field's value in its place; write it otherwise ('US$', '$ 5', 'dollars'), or "
            "export another format")


#: The CSS of the labeling config's ``<Style>``: each line of the text takes its direction
#: from its own first letter, as HTML's ``dir="auto"`` does, so an Arabic or Hebrew text
#: reads right to left (and a long one is aligned right) with its Latin words, digits and
#: punctuation in place, and an English text is as it was. Label Studio's ``<Text>`` has no
#: direction setting; it writes each line of a text as a ``<span>`` of this class (Label
#: Studio 1.23; its own templates style the class names of the same ``lsf-richtext``
#: block). A Label Studio that names it otherwise shows the texts left to right, as
#: before: a rule that matches nothing changes nothing.
LABEL_STUDIO_STYLE = ".lsf-richtext__line { unicode-bidi: plaintext; }"


def label_studio_config(labels: Sequence[str], *, blind: bool = False,
                        copies: bool = False, disputed: bool = False,
                        show: Sequence[str] = (),
                        definitions: Mapping[str, str] | None = None) -> str:
    """The labeling config: the text, what a reviewer needs to decide (the suggestion, the
    LF votes, the glossary terms with their notes and, with ``copies``, how many other items
    share the text, ``lw_copies``, which the decision labels too; none of it for a ``blind``
    export: a text posted fifty times hints at spam), with ``disputed`` the labels the raters
    of a disputed item chose (``rater_labels``), one single-choice question over the
    labels, and an optional text box for why (:data:`NOTE`), which the import keeps as the
    decision's note. ``show``: the item's fields each in a header of its own, by name
    (``subject: ...``), blind or not. ``definitions``: what labels mean
    (``[review] definitions``), each the ``hint`` of its choice (shown on hover) and one
    header line, blind or not: they are the team's, not the rules'.

    The text's lines are each shown in their own direction (:data:`LABEL_STUDIO_STYLE`).
    The headers show why the item is here in words, with the values behind its ranking
    signals and what the end model says (``$why``).
    Label Studio shows only what the config names on the labeling screen; the rest of a
    task's data is in the Data Manager's columns alone. Each header mixes text with a
    ``$field`` of the task, which Label Studio replaces by the field's value (an empty
    string for an item without votes or terms: the header still renders).
    """
    meant = definitions or {}
    choices = "\n".join(f"    <Choice value={quoteattr(label)}"
                        + (f" hint={quoteattr(meant[label])}" if label in meant else "") + "/>"
                        for label in labels)
    said = " | ".join(f"{label}: {meant[label]}" for label in labels if label in meant)
    if said:
        fields = f"  <Header value={quoteattr(said)} size=\"6\"/>\n"
    else:
        fields = ""
    fields += "".join(f"  <Header value={quoteattr(f'{name}: ${key}')} size=\"6\"/>\n"
                      for name, key in field_keys(show).items())
    headers = "" if blind else (
        '  <Header value="Suggested: $suggested_label ($confidence) — $reasons" size="6"/>\n'
        '  <Header value="Why here: $why" size="6"/>\n'
        '  <Header value="LF votes: $votes" size="6"/>\n'
        '  <Header value="Glossary terms: $glossary_terms" size="6"/>\n')
    if copies and not blind:  # a run from before records counted them has no lw_copies
        headers += '  <Header value="Other items with this text: $lw_copies" size="6"/>\n'
    if disputed and not blind:  # every task has the field then ("" where not disputed)
        headers += f'  <Header value="Raters\' labels: ${RATER_LABELS}" size="6"/>\n'
    return (
        "<View>\n"
        f"  <Style>{LABEL_STUDIO_STYLE}</Style>\n"
        f'  <Text name="{TEXT}" value="$text"/>\n'
        f"{fields}{headers}"
        f'  <Choices name="{QUESTION}" toName="{TEXT}" choice="single" showInLine="true" '
        'required="true">\n'
        f"{choices}\n"
        "  </Choices>\n"
        f'  <TextArea name="{NOTE}" toName="{TEXT}" rows="2" maxSubmissions="1" '
        'placeholder="Note: why (optional)"/>\n'
        "</View>\n"
    )


def label_studio_tasks(records: list[dict[str, Any]], *, project: str,
                       show: Sequence[str] = ()) -> list[dict[str, Any]]:
    # with a disputed item among them, every task has the field its header names
    disputed = {RATER_LABELS: ""} if any(RATER_LABELS in r for r in records) else {}
    tasks = []
    for r in records:
        task: dict[str, Any] = {"data": {TEXT: r["text"], **shown_values(r, show),
                                         **_ids(r, project), **_blind_mark(r), **disputed,
                                         **_context(r)}}
        if r.get("suggested_label") is not None:
            task["predictions"] = [{
                "model_version": f"labelwright {r['run_id']}",
                "score": r["confidence"],
                "result": [{
                    "from_name": QUESTION, "to_name": TEXT, "type": "choices",
                    "value": {"choices": [r["suggested_label"]]},
                }],
            }]
        tasks.append(task)
    return tasks


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
            **_ids(r, project),
            **_blind_mark(r),
            "meta": {"id": r["id"], "run_id": r["run_id"], **shown_values(r, show),
                     **_context(r)},
        }
        if r.get("suggested_label") is not None:
            task["accept"] = [r["suggested_label"]]
        tasks.append(task)
    return tasks


def doccano_records(records: list[dict[str, Any]], *, project: str,
                    show: Sequence[str] = ()) -> list[dict[str, Any]]:
    return [{TEXT: r["text"], **shown_values(r, show), **_ids(r, project), **_blind_mark(r),
             **_context(r)} for r in records]


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
        record: dict[str, Any] = {"id": argilla_id(r), TEXT: r["text"], **_ids(r, project)}
        record.update({k: v for k, v in shown_values(r, show).items() if v != ""})
        record.update({k: v for k, v in _context(r).items() if v != ""})
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
