"""The review record of an item: what a reviewer needs to decide it (its text, the
suggested label and probabilities, why it is queued, every LF's vote, the glossary terms
that matched with their notes) and what brings the decision back to its run (the item id,
the run id, the project, which of the run's exports it is in). A blind record
(:func:`blind_records`) leaves out everything the rules and the model said. Every format
(:mod:`~labelwright.review.queue.formats`) writes these records; a run makes them a block at
a time (:mod:`~labelwright.review.queue.files`), ``review export`` reads them back
(:mod:`~labelwright.review.queue.export`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.terms import distinct_matches
from labelwright.review.queue.why import vote_pattern, why_text

#: which of a run's item lists a record is from: the review queue or the random sample
EXPORTS = ("queue", "sample")


def _match_record(match: GlossaryMatch) -> dict[str, Any]:
    return {
        "glossary": match.glossary,
        "label": match.label,
        "term": match.term,
        "text": match.text,
        "note": match.note,
        "excluded_by": match.excluded_by,
    }


def review_records(
    *,
    run_id: str,
    order: np.ndarray,
    ids: Sequence[str],
    texts: Sequence[str],
    labels: Sequence[str],
    predicted: np.ndarray,
    probs: np.ndarray,
    confidence: np.ndarray,
    reasons: Sequence[Sequence[str]] | Mapping[int, Sequence[str]],
    votes: np.ndarray,
    lf_names: Sequence[str],
    matches: Sequence[Sequence[GlossaryMatch]] | Mapping[int, Sequence[GlossaryMatch]],
    fields: pd.DataFrame | None = None,
    signals: Sequence[Sequence[str]] | None = None,
    export: str = "queue",
    project: str = "",
    copies: np.ndarray | None = None,
    first_rank: int = 1,
    signal_values: Mapping[str, np.ndarray] | None = None,
    end_model: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    """Records of the items in ``order`` (the review queue), most useful first.

    ``project`` (the project's name) comes back with each decision, so an import can tell
    a file from another project.

    ``reasons`` gives each item's reasons by its index (a sequence over all items, or a
    mapping that holds at least the items in ``order``).

    ``signals`` names, per item, the ranking signals that put it high in the queue.
    ``export`` is ``"queue"`` or ``"sample"`` (the run's random sample).
    ``copies``: per item, how many other items share its text (:mod:`labelwright.copies`),
    as each record's ``copies``. ``matches``: each item's glossary matches by its index
    (a sequence over all items, or a mapping that holds the items in ``order``).
    ``first_rank``: the rank of ``order``'s first item, when ``order`` is a block of a
    longer queue (:mod:`~labelwright.review.queue.files`).
    ``signal_values``: each ranking signal's value per item; a record holds those of its
    ``signals`` (``signal_values``), rounded to 3 places. ``end_model``: per item the
    out-of-fold end model's label (its index, -1 where no fold's model scored the item)
    and that label's probability, as ``end_model_label`` and ``end_model_confidence``.
    Each record also says why it is here in words (``why``,
    :func:`~labelwright.review.queue.why.why_text`) and names its votes
    (``vote_pattern``).
    """
    if export not in EXPORTS:
        raise ValueError(f"unknown export {export!r}; valid: {', '.join(EXPORTS)}")
    records = []
    rows = order.tolist()
    # the queue's fields in one call: a row at a time (``fields.iloc[i]``) cost most of
    # the export's time on a 190k-item queue
    # an empty cell (NaN) as None, which the JSONL line writes as null (JSON has no NaN)
    item_fields = (_missing_as_none(fields.iloc[rows]).to_dict("records")
                   if fields is not None and len(fields.columns) else [{}] * len(rows))
    # each array's rows for the queue as Python numbers in one call each: element by
    # element they cost half the export's time on a 170k-item queue
    picked = np.asarray(order, dtype=np.int64)
    row_values = zip(predicted[picked].tolist(), confidence[picked].tolist(),
                     probs[picked].tolist())
    # the votes cast, LF by LF within each item (row-major), and where each item's start:
    # most LFs abstain on an item, and looking at each of its LFs in Python cost ~5 s of
    # a 365,000-item queue
    cast = np.asarray(votes)[picked] >= 0
    at_row, at_lf = np.nonzero(cast)
    voted_lfs = [lf_names[k] for k in at_lf.tolist()]
    voted_labels = [labels[v] for v in np.asarray(votes)[picked[at_row], at_lf].tolist()]
    starts = np.searchsorted(at_row, np.arange(len(rows) + 1)).tolist()
    # the block's signal values and end-model verdicts as Python numbers, rounded in one
    # call each (per item, float() and round() were most of what they cost)
    values = ({name: np.round(np.asarray(v, dtype=np.float64)[picked], 3).tolist()
               for name, v in signal_values.items()} if signal_values is not None else None)
    verdicts = ((np.asarray(end_model[0])[picked].tolist(),
                 np.round(np.asarray(end_model[1], dtype=np.float64)[picked], 3).tolist())
                if end_model is not None else None)
    for rank, (i, its_fields, (label_code, its_confidence, its_probs)) in enumerate(
            zip(rows, item_fields, row_values), start=first_rank):
        first, last = starts[rank - first_rank], starts[rank - first_rank + 1]
        records.append({
            "id": ids[i],
            "run_id": run_id,
            "project": project,
            "export": export,
            "rank": rank,
            "text": texts[i],
            "suggested_label": labels[label_code] if label_code >= 0 else None,
            "confidence": round(its_confidence, 6),
            "reasons": list(reasons[i]),
            "signals": list(signals[i]) if signals is not None else [],
            "probabilities": {label: round(p, 6) for label, p in zip(labels, its_probs)},
            "votes": dict(zip(voted_lfs[first:last], voted_labels[first:last])),
            # each distinct match once, with its count: a long contract matches a term
            # hundreds of times (:mod:`~labelwright.review.queue.terms`)
            "glossary_matches": distinct_matches(_match_record(m) for m in matches[i]),
            "fields": its_fields,
        })
        if copies is not None:
            records[-1]["copies"] = int(copies[i])
        _add_why(records[-1], rank - first_rank, values, verdicts, labels)
    return records


def _add_why(record: dict[str, Any], j: int, values: dict[str, list[float]] | None,
             verdicts: tuple[list[int], list[float]] | None, labels: Sequence[str]) -> None:
    """The values behind ``record``'s signals, the end model's label and the words that
    say why the item is here (:func:`~labelwright.review.queue.why.why_text`); ``j``: the
    record's place in the block ``values`` and ``verdicts`` hold."""
    if values is not None:
        record["signal_values"] = {name: values[name][j] for name in record["signals"]
                                   if name in values}
    if verdicts is not None:
        code = verdicts[0][j]
        record["end_model_label"] = labels[code] if code >= 0 else None
        record["end_model_confidence"] = verdicts[1][j] if code >= 0 else None
    record["vote_pattern"] = vote_pattern(record["votes"])
    record["why"] = why_text(record)


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its missing values (an empty cell of a data column, NaN) as None."""
    if not frame.isna().to_numpy().any():
        return frame
    return frame.astype(object).where(frame.notna(), None)


#: what the rules and the label model said about an item: left out of a blind export
SAID = ("suggested_label", "confidence", "reasons", "signals", "probabilities", "votes",
        "glossary_matches", "signal_values", "end_model_label", "end_model_confidence",
        "vote_pattern", "why")
#: what a blind record leaves out: what was said, and how many other items share the text
#: (a text posted fifty times hints at its label)
BLIND_LEAVES_OUT = (*SAID, "copies", RATER_LABELS)


def blind_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` without what the rules and the model said (:data:`SAID`) and their
    ``copies`` count: the item's ids, rank, text and fields only. A reviewer who sees the
    suggestion tends to agree with it, so reviews of a random sample exported this way
    measure the labels without that pull. Each record is marked ``blind``: its copy in a
    tool is another task than the one that shows the suggestion
    (:func:`labelwright.review.queue.tools.argilla_id`)."""
    return [{**{k: v for k, v in r.items() if k not in BLIND_LEAVES_OUT}, "blind": True}
            for r in records]
