"""The ``label-studio`` review export: a JSON list of tasks, each task's ``predictions``
carrying the suggested choice and its ``score`` (:func:`label_studio_tasks`), and beside it
a labeling config (XML) with one ``<Choice>`` per project label (:func:`label_studio_config`).
A label or a label's definition holding ``$`` and a name (``$5 plan``) is refused: Label
Studio reads it as a task field (:func:`check_label_studio_labels`). The config's
``<Style>`` shows each line of a text in its own direction (:data:`LABEL_STUDIO_STYLE`).
A blind export's tasks hold ``lw_blind: true`` in their data. The file is written by
:func:`~labelwright.review.queue.tools.write_tool`, as every tool's is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from labelwright.errors import ReviewError
from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.shown_fields import field_keys, shown_values
from labelwright.review.queue.task_fields import (
    NOTE,
    QUESTION,
    TEXT,
    blind_mark,
    lw_fields,
    reviewer_context,
)

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


def shown_name(name: str) -> str:
    """A ``[review] show_fields`` name as a header shows it: a ``$`` that a letter, digit or
    one of ``_.[]{}`` follows (``$total``) gets a zero-width space after it, which Label
    Studio's field pattern (:data:`LABEL_STUDIO_FIELD`) does not read on; it had put the
    value of a task field ``total`` (none: "undefined") where the column's name was."""
    return LABEL_STUDIO_FIELD.sub(lambda found: "$\u200b" + found.group()[1:], name)


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
    fields += "".join(f"  <Header value={quoteattr(f'{shown_name(name)}: ${key}')} "
                      'size="6"/>\n' for name, key in field_keys(show).items())
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
                                         **lw_fields(r, project), **blind_mark(r), **disputed,
                                         **reviewer_context(r)}}
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
