"""How the end model and the run's labels score on the held-out gold items: accuracy,
macro-F1 and per-label scores of both, the items apart by whether the run labeled them
(:func:`held_out_split`), and with a confidence floor, how right the fills above and below
it are.

Apart from :mod:`~labelwright.end_model.train` because this is measuring, not training:
``train`` writes these numbers into the model's ``training.held_out`` and its result, and
reads nothing back from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.end_model.fill_floor import floor_split

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class HeldOutScores:
    """The scores on the held-out gold items (all None or empty when they are not
    measured: no gold item held out, or a model of one target, which reads nothing)."""

    accuracy: float | None = None  # the end model's; an item it cannot read is wrong
    label_model_accuracy: float | None = None  # the run's own labels'
    #: :func:`held_out_split`
    split: dict[str, Any] | None = None
    #: macro-F1 and per-label F1 (``end_model``, ``label_model``:
    #: :func:`~labelwright.project.label_f1.f1_scores`)
    f1: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: per-label scores (``end_model``, ``label_model``: :func:`per_label_table`)
    per_label: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: the unlabeled held-out items apart at the floor
    #: (:func:`~labelwright.end_model.fill_floor.floor_split`); None without a floor
    floor: dict[str, Any] | None = None


def held_out_scores(gold: np.ndarray, end_label: np.ndarray, end_probs: np.ndarray,
                    readable: np.ndarray, frame: pd.DataFrame, labels: Sequence[str],
                    held_out: np.ndarray, has_label: np.ndarray,
                    min_confidence: float) -> HeldOutScores:
    """The end model's labels (``end_label``, ``end_probs``; ``readable``: whether it can
    read each text) and the run's (``frame``, its labels file) scored on the gold items of
    ``held_out`` (``gold``: a class index per item, -1 none; ``has_label``: the run gave
    the item a label)."""
    from labelwright.project.label_f1 import f1_scores

    # an item the model cannot read has no label: it counts as wrong
    predicted = np.where(readable, end_label, -1)
    accuracy = float((predicted[held_out] == gold[held_out]).mean())
    # the label model's own label, as the run's accuracy scores it (a held-out gold
    # item may have taken a copy's review)
    own = "model_label" if "model_label" in frame.columns else "label"
    run_label = frame[own].map({name: k for k, name in enumerate(labels)})
    run_label = run_label.fillna(-1).astype(int).to_numpy()
    floor = None
    if min_confidence > 0:  # how right the fills are that the floor keeps and drops
        floor = floor_split(gold, end_label, end_probs.max(axis=1),
                            held_out & ~has_label, min_confidence, readable=readable)
    return HeldOutScores(
        accuracy=accuracy,
        label_model_accuracy=float((run_label[held_out] == gold[held_out]).mean()),
        split=held_out_split(gold, predicted, run_label, held_out, has_label),
        f1={"end_model": f1_scores(gold[held_out], predicted[held_out], len(labels)),
            "label_model": f1_scores(gold[held_out], run_label[held_out], len(labels))},
        per_label={"end_model": per_label_table(gold[held_out], predicted[held_out], labels),
                   "label_model": per_label_table(gold[held_out], run_label[held_out], labels)},
        floor=floor)


def per_label_table(gold: np.ndarray, predicted: np.ndarray, labels: Sequence[str]
                    ) -> pd.DataFrame:
    """Each label's scores (:func:`~labelwright.project.label_scores.per_label_scores`, as
    a run's per-label table) of ``predicted`` against ``gold``: class indices, -1 none."""
    import pandas as pd

    from labelwright.project.label_scores import gold_confusion, per_label_scores

    names = np.asarray(labels, dtype=object)
    given = pd.Series(np.where(predicted >= 0, names[np.maximum(predicted, 0)], None))
    confusion = gold_confusion(given, pd.Series(names[gold]), labels,
                               np.ones(len(gold), dtype=bool))
    return (per_label_scores(confusion, labels) if confusion is not None
            else pd.DataFrame(columns=["label"]))


def score_records(scores: pd.DataFrame) -> list[dict[str, Any]]:
    """``scores`` as JSON records, a share over no items (NaN) as null."""
    return [{key: (None if isinstance(value, float) and value != value else value)
             for key, value in row.items()} for row in scores.to_dict("records")]


def held_out_split(gold: np.ndarray, end_label: np.ndarray, run_label: np.ndarray,
                   held_out: np.ndarray, has_label: np.ndarray) -> dict[str, Any]:
    """The held-out gold items apart by the run's final label (``has_label``, as the fill
    and the ``--min-confidence`` floor count them): ``run_labeled``, those the run gave a
    label (where end model and label model compare label for label), with ``items``,
    ``end_model_accuracy``, ``label_model_accuracy`` and ``by_copy`` (labeled by a reviewed
    copy of their text alone: the label model gave them none, which its accuracy counts
    wrong, as the overall one does); ``run_unlabeled``, those it left without one (no LF
    voted, or a tie left unlabeled), with ``items`` and ``end_model_accuracy``. An accuracy
    over no items is None. ``end_label`` / ``run_label`` (the label model's own): a class
    index per item, -1 for none. Split by the label model's label instead, a gold item a
    copy labeled was counted as left without a label here and not by the floor."""
    def share(right: np.ndarray) -> float | None:
        return float(right.mean()) if right.size else None

    labeled = held_out & has_label
    unlabeled = held_out & ~has_label
    return {"run_labeled": {"items": int(labeled.sum()),
                            "by_copy": int((labeled & (run_label < 0)).sum()),
                            "end_model_accuracy": share(end_label[labeled] == gold[labeled]),
                            "label_model_accuracy": share(run_label[labeled] == gold[labeled])},
            "run_unlabeled": {"items": int(unlabeled.sum()),
                              "end_model_accuracy": share(end_label[unlabeled]
                                                          == gold[unlabeled])}}
