"""What ``explain`` says about an item's label beyond the numbers: why it is not the most
probable class, that no LF voted for it, and the label ``labelwright train``'s end model
gave the item (a run's ``end_model_labels.parquet``).

An auditor reading ``fraud 0.287, other 0.447 ... Final label: fraud`` had no word on why;
nor on a label no vote named (``loan`` and ``fees`` votes, label ``other``), which the label
model reads from its LFs' learned confusions, not from any rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.runs.explain.lookup import parquet_row
from labelwright.runs.file_names import TRAIN_FILES

#: probabilities this close are a tie (the tie-break chose), not a label off the top
TIE_TOLERANCE = 1e-9
#: what each ``[label_model] tie_break`` does with a tie
TIE_BREAKS = {"random": "picks one of them by a hash of the item's id (the same pick on "
                        "every run)",
              "first": "takes the first of them in [project] labels order",
              "abstain": "gives none of them"}


def label_notes(label: str | None, source: str, probabilities: Mapping[str, float],
                votes: Sequence[str | None], label_model: Mapping[str, Any]) -> list[str]:
    """Lines on a model label (``source`` "model") that is not the most probable class of
    ``probabilities`` (saying what chose it, from the manifest's ``label_model`` record),
    or that none of ``votes`` (the LFs' votes, None for abstain) names; and on a tie the
    tie-break settled (a model label, or none on a covered item), which labels tied."""
    voted = {v for v in votes if v is not None}
    tie = (tie_note(label, probabilities, label_model)
           if source == "model" or (source == "none" and voted) else None)
    notes = [tie] if tie is not None else []
    if label is None or source != "model":
        return notes
    if tie is None and probabilities and label in probabilities:  # a tie: said already
        top = max(probabilities, key=lambda name: probabilities[name])
        if probabilities[top] > probabilities[label] + TIE_TOLERANCE:
            notes.append(f"the label is not the most probable class ({top} "
                         f"{probabilities[top]:.3f}, {label} {probabilities[label]:.3f}): "
                         + _chosen_how(label_model))
    if voted and label not in voted:
        notes.append(f"no LF voted for {label} (the votes: {', '.join(sorted(voted))}): the "
                     "label model reads this combination of votes as most likely on an "
                     f"item labeled {label}, from how often each LF voted so on the items it "
                     "took for each label; no rule names it, so check it before trusting it")
    return notes


def tie_note(label: str | None, probabilities: Mapping[str, float],
             label_model: Mapping[str, Any]) -> str | None:
    """``a tie: ...`` when the most probable classes of ``probabilities`` tie as the label
    model's predict sees a tie (within :data:`~labelwright.models.ties.TIE_TOL`), so that
    its ``tie_break`` (the manifest's ``label_model`` record) chose ``label`` (None: no
    label); None otherwise, or when the label does not come from these probabilities
    (auto's model's own labels where it calibrated them, or its decision weights)."""
    # imported here: the models package it loads is needed by explain only for a
    # reviewed item's probabilities otherwise
    from labelwright.models.ties import TIE_TOL

    if len(probabilities) < 2 or _decided_otherwise(label_model):
        return None
    top = max(probabilities.values())
    tied = [name for name, p in probabilities.items() if p >= top - TIE_TOL]
    if len(tied) < 2 or (label is not None and label not in tied):
        return None
    policy = label_model.get("tie_break")
    how = TIE_BREAKS.get(str(policy), "chose")
    outcome = f"the label is {label}" if label is not None else "the item has no label"
    return (f"a tie: {' and '.join([', '.join(tied[:-1]), tied[-1]])} are equally probable "
            f"({top:.3f} each); the label model's tie-break ([label_model] tie_break = "
            f"{policy!r}) {how}, so {outcome}")


def _decided_otherwise(label_model: Mapping[str, Any]) -> bool:
    """Whether the run's labels are not the argmax of the probabilities shown: auto's
    chosen model's own labels beside probabilities it calibrated (with no reviews it
    calibrates nothing, and they are the same), or labels weighed by decision weights."""
    calibration = label_model.get("calibration") or {}
    calibrated = (calibration.get("method", "identity") != "identity"
                  or calibration.get("confidence_map") is not None)
    return (label_model.get("labels_from") == "model" and calibrated) or bool(
        _decision_weights(label_model))


def _decision_weights(label_model: Mapping[str, Any]) -> list[Any]:
    """The per-class decision weights the run's labels were weighed by ([] when none, or
    all 1: unweighed)."""
    weights = label_model.get("decision_weights")
    return weights if isinstance(weights, list) and any(w != 1.0 for w in weights) else []


def _chosen_how(label_model: Mapping[str, Any]) -> str:
    weights = _decision_weights(label_model)
    if label_model.get("labels_from") == "model":
        return ("auto's labels are its chosen model's own" + (
            ", weighed by per-class decision weights tuned on the reviewed labels"
            if weights else "") + ", while the probabilities shown are calibrated "
            "(see \"How `auto` uses reviewed labels\" in the README)")
    if weights:
        return ("auto weighs the probabilities by per-class decision weights tuned on the "
                f"reviewed labels ({', '.join(f'{w:g}' for w in weights)})")
    return "the label model's tie-break or decision rule chose it"


def end_model_label(run_dir: Path, item_id: str) -> dict[str, Any] | None:
    """The item's row of the run's ``end_model_labels.parquet`` (``labelwright train``):
    ``label``, ``confidence`` and ``label_source`` (the label a training set of that file
    takes: a review, the run's, or the end model's own where the run had none) and
    ``own_label``, ``own_confidence`` (the end model's prediction); None when train has not
    run on the run or the item is not there. A file an older ``train`` wrote has no
    ``end_model_label`` column, and the end model's probabilities in its ``prob_<label>``
    columns on every row: its label is then the one they give, and ``derived`` is True."""
    path = Path(run_dir) / TRAIN_FILES[1]
    if not path.is_file():
        return None
    schema = pq.read_schema(path)
    columns = schema.names
    row: Mapping[str, Any]
    if "id" in columns and pa.types.is_string(schema.field("id").type):  # as train writes it
        found = parquet_row(path, item_id)  # read up to the item's row, not whole
        if found is None:
            return None
        row = found[0]
    else:
        frame = pd.read_parquet(path)
        rows = frame[frame["id"].astype(str) == item_id]
        if rows.empty:
            return None
        row = rows.iloc[0]

    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or pd.isna(value) else str(value)

    def number(name: str) -> float | None:
        value = row.get(name)
        return None if value is None or pd.isna(value) else float(value)

    found_row = {"label": text("label"), "confidence": number("confidence"),
                 "label_source": text("label_source"), "own_label": text("end_model_label"),
                 "own_confidence": number("end_model_confidence"), "derived": False}
    if "end_model_label" not in columns and found_row["label_source"] != "none":
        # an older train wrote no end_model_label, and the end model's probabilities in the
        # prob_ columns of every row: its label is theirs, derived (on a text it could not
        # read they are its class prior)
        probs = {str(c)[len("prob_"):]: number(str(c)) for c in columns
                 if str(c).startswith("prob_")}
        known = {label: p for label, p in probs.items() if p is not None}
        if known:
            best = max(known, key=lambda label: known[label])
            found_row.update(own_label=best, own_confidence=known[best], derived=True)
    return found_row
