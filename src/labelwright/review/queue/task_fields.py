"""What every review tool's record of an item carries, whatever the tool: the names of the
choice question, the note box and the text field, the ``lw_`` fields that bring a decision
back (:func:`lw_fields`), a blind export's mark (:func:`blind_mark`), and what a reviewer
sees besides the text (:func:`reviewer_context`). The tools' formats are written by
:mod:`~labelwright.review.queue.tools` and :mod:`~labelwright.review.queue.label_studio`.

Every record carries the item id, the run id, the project name and the run export it is
from (``lw_id``, ``lw_run_id``, ``lw_project``, ``lw_export``), so the tool's export can be
imported back and reviews of a random sample are known as such. A blind export's
records say so: ``lw_blind: true`` in Label Studio's task data, Prodigy's task and
doccano's record; in Argilla, whose dataset keeps only the metadata its settings declare
(a dataset made with older settings would drop a new one), the ``blind:`` mark of the
record id (:func:`~labelwright.review.queue.tools.argilla_id`). A record that shows the
suggestion is known by it on import.
"""

from __future__ import annotations

from typing import Any

from labelwright.config import NO_LABEL
from labelwright.review.queue.csv_sheet import signals_text
from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.terms import terms_text
from labelwright.review.queue.why import vote_pattern, why_text

QUESTION = "label"  # the name of the choice question / control in every tool
#: the name of Label Studio's optional text box for a decision's note (why the reviewer
#: decided so), which the import keeps with the decision
NOTE = "note"
TEXT = "text"


def lw_fields(record: dict[str, Any], project: str) -> dict[str, Any]:
    """The ids that bring a decision back, and ``lw_copies``, how many other items share
    the item's text (a run's records from before it was counted have none)."""
    return {"lw_id": record["id"], "lw_run_id": record["run_id"], "lw_project": project,
            "lw_export": record.get("export", "queue"),
            **({"lw_copies": record["copies"]} if "copies" in record else {})}


def blind_mark(record: dict[str, Any]) -> dict[str, Any]:
    """``lw_blind: true`` for a blind export's record, so its decision is known as blind
    on import; nothing for one that shows the suggestion (which its context says)."""
    return {"lw_blind": True} if record.get("blind") else {}


def reviewer_context(record: dict[str, Any]) -> dict[str, Any]:
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
