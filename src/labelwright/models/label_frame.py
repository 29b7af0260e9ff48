"""A label model's output as one DataFrame, as a notebook reads it
(:meth:`~labelwright.models.base.LabelModel.predict_frame`): a probability column per
label, then the label ``predict`` gives and its probability, one row per item, indexed by
the items' ids. It is ``predict_proba`` and ``predict`` together, without a run: a run's
``result.frame()`` gives the same columns from what the run wrote."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from labelwright.matrix import ID_COLUMN, LabelMatrix

#: the columns after the probabilities: a label of one of these names would lose its column
FRAME_COLUMNS = ("label", "confidence")


def check_frame_labels(labels: Any) -> None:
    """A ValueError when a label is named as a column the frame writes after the
    probabilities (``label``, ``confidence``): its probabilities would be overwritten
    without a word. Names the label and where the probabilities are read instead."""
    clash = [name for name in labels if name in FRAME_COLUMNS]
    if clash:
        raise ValueError(
            f"label {clash[0]!r} has the name of a column the frame adds after the "
            f"probabilities ({', '.join(FRAME_COLUMNS)}), so its probabilities would be "
            "lost: read them as an array (predict_proba(L), or a run's result.probs and "
            "labels.parquet's prob_<label> columns), or rename the label in labelwright.toml")


def label_frame(probs: np.ndarray, predicted: np.ndarray, L: Any) -> pd.DataFrame:
    """``probs`` (items x classes) and ``predicted`` (a class index per item, -1 none) of
    ``L`` as a DataFrame. A :class:`LabelMatrix` names the columns by its labels, the
    ``label`` column by label name (None for none) and the rows by its ``item_ids``
    (index ``id``); a DataFrame of votes keeps its index; for a plain array of votes the
    columns are the class indices, ``label`` is the class index (-1 none) and the rows are
    numbered. ``confidence`` is the probability of the label given, 0.0 where none is."""
    rows = np.arange(len(predicted))
    given = predicted >= 0
    confidence = np.where(given, probs[rows, np.where(given, predicted, 0)], 0.0)
    if isinstance(L, LabelMatrix) and L.labels:
        names: list[Any] = list(L.labels)
        check_frame_labels(names)
        index = pd.Index(list(L.item_ids), name=ID_COLUMN)
        label: Any = [names[k] if k >= 0 else None for k in predicted.tolist()]
        dtype: Any = object  # None stays None, not NaN
    else:
        names = list(range(probs.shape[1]))
        index = L.index if isinstance(L, pd.DataFrame) else pd.RangeIndex(len(probs))
        label, dtype = predicted, None
    out = pd.DataFrame(probs, columns=names, index=index)
    out["label"] = pd.Series(label, index=index, dtype=dtype)
    out["confidence"] = confidence
    return out
