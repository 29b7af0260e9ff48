"""Held-out gold: the items whose gold labels measure a run's label model.

An item is held out when it has a gold label and no reviewed label of its own: the label
model was fit with the reviewed labels, so their items cannot measure it. An item that took
the reviewed label of a copy of its text (label source ``copy``) is held out: the model
labeled it and was not fit on it. The run's accuracy (``evaluation``), its confusion table
and per-label scores, the report, the training set and ``labelwright train`` all count
these items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES

#: the label source of an item reviewed itself (the label model was fit with its label)
OWN_REVIEW = "review"


def held_out_items(has_gold: np.ndarray, reviewed: np.ndarray) -> np.ndarray:
    """Per item, whether its gold label measures the run: ``has_gold`` and not
    ``reviewed`` (a reviewed label of its own, which the label model was fit with)."""
    return np.asarray(has_gold, dtype=bool) & ~np.asarray(reviewed, dtype=bool)


def keeps_model_label(frame: pd.DataFrame) -> bool:
    """Does a run's ``labels.parquet`` frame keep the label model's own label and confidence
    on every item (``model_label``, ``model_confidence``)? Runs from before them do not:
    there ``label`` is the model's except where a review or a copy's review set it."""
    return "model_label" in frame.columns and "model_confidence" in frame.columns


def held_out_rows(frame: pd.DataFrame) -> np.ndarray:
    """:func:`held_out_items` for the rows of a run's ``labels.parquet`` frame: its ``gold`` column
    against its ``label_source``. A run from before ``model_label`` and ``model_confidence``
    were written kept a copy's reviewed label as the item's only one: there a copy is left
    out too, as it holds no label of the model's."""
    has_gold = (frame["gold"].notna().to_numpy(dtype=bool) if "gold" in frame.columns
                else np.zeros(len(frame), dtype=bool))
    if "label_source" not in frame.columns:
        return has_gold
    source = frame["label_source"].astype(str)
    reviewed = source == OWN_REVIEW if keeps_model_label(frame) else \
        source.isin(REVIEWED_SOURCES)
    return held_out_items(has_gold, reviewed.to_numpy(dtype=bool))
