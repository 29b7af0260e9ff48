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
