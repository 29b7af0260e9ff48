"""Each item's label as ``labelwright train`` writes it to ``end_model_labels.parquet``: a
review, else the run's label, else the end model's where it can read the text and is sure
enough.

Apart from :mod:`~labelwright.end_model.train` because this is the one place that decides
which label an item ends with and says where it came from (``label_source``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labelwright.end_model.fill_floor import BELOW_FLOOR

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.end_model.model import EndModel


class Predictions(NamedTuple):
    """The end model's reading of every item."""

    probs: np.ndarray  # every item's probabilities, one column per label
    label: np.ndarray  # every item's most probable label's index
    readable: np.ndarray  # the model reads a word of the item's text
    #: every item trained on had one target: the model is its intercept and reads nothing
    same_target: bool


def predictions(model: EndModel, features: Any, probs: np.ndarray, train: np.ndarray
                ) -> Predictions:
    """Every item's probabilities and label by ``model``, whether it can read each text,
    and whether all items of ``train`` had one target (then it reads none).

    A text with no word the model knows (empty, or only unseen words) would get the class
    prior as its "prediction": the end model labels only texts it can read. One target
    for every item (all of one label, or the same soft label everywhere) makes a model
    that is its intercept, the same "prediction" for every text."""
    end_probs = model.predict_proba_features(features)
    readable = model.readable_features(features)
    same_target = bool(np.ptp(probs[train], axis=0).max() < 1e-9)
    if same_target:
        readable[:] = False
    return Predictions(end_probs, end_probs.argmax(axis=1), readable, same_target)


class ItemLabels(NamedTuple):
    """The labels file's table, and which items ended how."""

    table: pd.DataFrame
    filled: np.ndarray  # no run label, labeled by the end model
    below: np.ndarray  # no run label, the end model's label below the floor: left unlabeled
    unreadable: np.ndarray  # no run label, no review, and a text the model cannot read


def item_labels(frame: pd.DataFrame, labels: tuple[str, ...], probs: np.ndarray,
                reviewed: np.ndarray, predicted: Predictions,
                min_confidence: float) -> ItemLabels:
    """The ``end_model_labels.parquet`` table of the run's labels file ``frame``
    (``probs``: its probabilities, one-hot where ``reviewed`` gives an item's reviewed
    label's index, -1 none): ``id``, ``label``, ``confidence``, ``prob_<label>``,
    ``end_model_label``, ``end_model_confidence`` and ``label_source``."""
    import pandas as pd

    has_label = frame["label"].notna().to_numpy()
    done = reviewed >= 0
    end_probs, end_label, readable = predicted.probs, predicted.label, predicted.readable
    # each item's label: a review (the ledger's now: it may be newer than the run), else the
    # run's, else the end model's where it can read the text
    out = pd.DataFrame({"id": frame["id"].astype(str).tolist()})
    # an item the end model labels below the floor stays unlabeled, marked so
    confident = end_probs.max(axis=1) >= min_confidence
    filled = ~has_label & readable & ~done & confident
    below = ~has_label & readable & ~done & ~confident
    unreadable = ~has_label & ~readable & ~done
    names = np.asarray(labels, dtype=object)
    end_names = names[end_label]
    label = np.where(filled, end_names, frame["label"].astype(object).to_numpy())
    # label columns typed as strings: all None (nothing to name) would be a `null` column
    out["label"] = pd.array(np.where(done, names[np.maximum(reviewed, 0)], label),
                            dtype="string")
    out["confidence"] = np.where(done, 1.0, np.where(filled, end_probs.max(axis=1),
                                                     frame["confidence"]))
    for k, name in enumerate(labels):  # `probs`: the run's, with reviews one-hot
        out[f"prob_{name}"] = np.where(filled, end_probs[:, k], probs[:, k])
    out["end_model_label"] = pd.array(np.where(readable, end_names, None), dtype="string")
    out["end_model_confidence"] = np.where(readable, end_probs.max(axis=1), np.nan)
    source = frame["label_source"].astype(str).to_numpy() if "label_source" in frame \
        else np.full(len(out), "model", dtype=object)
    source = np.where(filled, "end_model", source)
    source[unreadable] = "none"
    source[below] = BELOW_FLOOR
    out["label_source"] = np.where(done, "review", source)
    return ItemLabels(out, filled, below, unreadable)
