"""Calibration per label the label model gave, on held-out gold: per label, its items,
mean confidence and accuracy, the accuracy's 95% Wilson interval, and a flag where that
interval lies wholly below the mean confidence (over-confident: a review threshold lets
its wrong labels through) or wholly above it (under-confident: its right labels are sent
to review for low confidence). The label model's probabilities are calibrated on all
labels together, so one label can be off either way while the whole is calibrated.

The report's table (:mod:`labelwright.report.calibration`), ``run``'s lines and
``run --json``'s ``miscalibrated_labels`` all read these numbers. pandas and numpy only
(the Wilson interval of review stats, when asked): the report loads without the label models."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from labelwright.counts import counted
from labelwright.models.vote_calibration import GAP_WORDS, confidence_gap
from labelwright.project.held_out import held_out_rows, keeps_model_label
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES


def judged_gold(frame: pd.DataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Of a run's ``labels.parquet`` frame (with a ``gold`` column): the label model's own
    label and confidence per item (``model_label``, ``model_confidence``; ``label`` and
    ``confidence`` for a run from before them), which items are held-out gold it labeled
    (``judged``), and whether its label is the gold one on each of those (``correct``)."""
    own = keeps_model_label(frame)
    model_label = frame["model_label"] if own else frame["label"]
    confidence = frame["model_confidence" if own else "confidence"].to_numpy(dtype=float)
    judged = held_out_rows(frame) & model_label.notna().to_numpy()
    correct = (model_label[judged].astype(str) == frame["gold"][judged].astype(str)).to_numpy()
    return model_label, confidence, judged, correct


def class_reliability_table(label: pd.Series, confidence: np.ndarray, correct: np.ndarray,
                            labels: tuple[str, ...]) -> pd.DataFrame:
    """Per label the label model gave (``label``, one per gold item it labeled): ``items``,
    mean ``confidence``, ``correct`` and ``accuracy``, in ``labels`` order (labels it gave
    none of left out). One pass of bincounts: fast on any number of items."""
    codes = pd.Categorical(label.astype(str), categories=list(labels)).codes
    known = codes >= 0  # a label the run's labels do not name: not a label of this run
    k = len(labels)
    items = np.bincount(codes[known], minlength=k)
    confidences = np.bincount(codes[known], weights=confidence[known], minlength=k)
    right = np.bincount(codes[known], weights=correct[known].astype(float), minlength=k)
    given = np.flatnonzero(items)
    return pd.DataFrame({"label": [labels[g] for g in given], "items": items[given],
                         "confidence": confidences[given] / items[given],
                         "correct": right[given].astype(np.int64),
                         "accuracy": right[given] / items[given]})


def with_review_cost(table: pd.DataFrame, frame: pd.DataFrame, model_label: pd.Series,
                     judged: np.ndarray, correct: np.ndarray) -> pd.DataFrame:
    """``table`` (:func:`class_reliability_table`) with, per label, what its confidence
    costs in review: ``low_confidence``, the run's items with that label (the model's, not
    reviewed) sent to review for low confidence, and of its gold items (``judged``, with
    ``correct``) those sent there (``gold_low_confidence``) and those of them the gold
    says are right (``gold_low_confidence_right``). An under-confident label spends review
    on labels that are right."""
    reasons = frame["reasons"].fillna("").astype(str)
    # a run has a few distinct reason lists: each is split once, not once per item
    sent = {value for value in reasons.unique() if "low_confidence" in value.split(";")}
    low = reasons.isin(sent).to_numpy(dtype=bool) & model_label.notna().to_numpy(dtype=bool)
    if "label_source" in frame.columns:  # a reviewed item is no longer the model's to send
        low = low & ~frame["label_source"].astype(str).isin(REVIEWED_SOURCES).to_numpy()
    # each item's label as a code of the table's labels (-1 any other), counted by
    # bincount: a comparison of every item's label per label took 1.7 s on 2M items
    names = [str(label) for label in table["label"]]
    codes = pd.Index(names).get_indexer(model_label)
    k = len(names)

    def per_label(mask: np.ndarray, of: np.ndarray) -> list[int]:
        picked = of[mask]
        return np.bincount(picked[picked >= 0], minlength=k).tolist()

    gold_codes, gold_low = codes[judged], low[judged]
    out = table.copy()
    out["low_confidence"] = per_label(low, codes)
    out["gold_low_confidence"] = per_label(gold_low, gold_codes)
    out["gold_low_confidence_right"] = per_label(gold_low & correct, gold_codes)
    return out


def label_calibration(frame: pd.DataFrame, labels: tuple[str, ...], *,
                      gold: tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray] | None = None
                      ) -> pd.DataFrame | None:
    """:func:`class_reliability_table` of a run's ``labels.parquet`` frame on its held-out
    gold, :func:`with_review_cost` added; None without gold items held out. ``gold``:
    :func:`judged_gold` of ``frame`` when the caller has it (the report does), so the
    labels are not compared with the gold again."""
    if "gold" not in frame.columns or not frame["gold"].notna().any():
        return None
    model_label, confidence, judged, correct = gold if gold is not None else judged_gold(frame)
    if not judged.any():
        return None
    table = class_reliability_table(model_label[judged], confidence[judged], correct, labels)
    return with_review_cost(table, frame, model_label, judged, correct)


def overconfident(table: pd.DataFrame) -> list[str]:
    """The labels whose accuracy's 95% Wilson interval lies below their mean confidence."""
    return [str(r.label) for r in table.itertuples()
            if confidence_gap(int(r.correct), int(r.items), r.confidence) == "over"]


def underconfident(table: pd.DataFrame) -> list[str]:
    """The labels whose accuracy's 95% Wilson interval lies above their mean confidence."""
    return [str(r.label) for r in table.itertuples()
            if confidence_gap(int(r.correct), int(r.items), r.confidence) == "under"]


def review_cost_words(row: Any, shown: str) -> str:
    """What a label's confidence costs in review, from the columns of
    :func:`with_review_cost` (``row``, absent: ""), the label written as ``shown``:
    ``77 items labeled x in review for low confidence, 20 of its 20 gold items sent there
    are right``."""
    if not hasattr(row, "low_confidence"):
        return ""
    gold = (f"{int(row.gold_low_confidence_right)} of its {int(row.gold_low_confidence)} "
            "gold items sent there are right" if row.gold_low_confidence else
            "none of its gold items was sent there")
    return (f"{counted(int(row.low_confidence), 'item')} labeled {shown} in review for low "
            f"confidence, {gold}")


def miscalibrated_labels(table: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The labels of ``table`` (:func:`label_calibration`) flagged either way, in the
    labels' order, each as ``run --json`` gives it: ``label``, ``direction`` (``over`` or
    ``under``), ``items``, mean ``confidence``, ``accuracy``, its 95% Wilson ``interval``
    ([low, high]) and, with :func:`with_review_cost`'s columns, ``low_confidence``,
    ``gold_low_confidence`` and ``gold_low_confidence_right``."""
    from labelwright.review.stats.agreement import wilson_interval

    out: list[dict[str, Any]] = []
    for r in ([] if table is None else table.itertuples()):
        direction = confidence_gap(int(r.correct), int(r.items), r.confidence)
        if direction is None:
            continue
        low, high = wilson_interval(int(r.correct), int(r.items))
        flag: dict[str, Any] = {"label": str(r.label), "direction": direction,
                                "items": int(r.items), "confidence": float(r.confidence),
                                "accuracy": float(r.accuracy),
                                "interval": [float(low), float(high)]}
        for key in ("low_confidence", "gold_low_confidence", "gold_low_confidence_right"):
            if hasattr(r, key):
                flag[key] = int(getattr(r, key))
        out.append(flag)
    return out


def miscalibrated_lines(table: pd.DataFrame | None) -> list[str]:
    """``run``'s line per label :func:`miscalibrated_labels` flags, in the report's words:
    ``calibration on held-out gold: Psy under-confident, 71.4% confident, 92.3% right (95%
    interval ...; 130 items): right more often than its confidence says; 412 items labeled
    Psy in review for low confidence, 63 of its 68 gold items sent there are right``."""
    from labelwright.percent import percent

    lines = []
    for flag in miscalibrated_labels(table):
        low, high = flag["interval"]
        line = (f"calibration on held-out gold: {flag['label']} {GAP_WORDS[flag['direction']]}, "
                f"{percent(flag['confidence'])} confident, {percent(flag['accuracy'])} right "
                f"(95% interval {percent(low)}\u2013{percent(high)}; "
                f"{counted(flag['items'], 'item')}): ")
        if flag["direction"] == "over":
            line += ("right less often than its confidence says; a review threshold lets "
                     "more of its wrong labels through")
        else:
            cost = review_cost_words(SimpleNamespace(**flag), flag["label"])
            line += "right more often than its confidence says" + (f"; {cost}" if cost else "")
        lines.append(line)
    return lines

