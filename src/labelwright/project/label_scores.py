"""Per-label scores of the label model on held-out gold: the confusion table (gold label by
the label it gave) and each label's precision, recall, F1 and support. The quality report
shows them; :class:`~labelwright.project.RunResult` gives them as DataFrames.

Held out are the items with a gold label and no reviewed label of their own
(:mod:`labelwright.project.held_out`), as the run's accuracy counts them; an item the
model left without a label is a miss of its gold label, so the table's diagonal over its
total is that accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.project.held_out import held_out_rows

#: the columns of :func:`per_label_scores`, in order
SCORE_COLUMNS = ("label", "support", "predicted", "correct", "precision", "recall", "f1")


def gold_confusion(label: pd.Series, gold: pd.Series, labels: Sequence[str],
                   held_out: np.ndarray) -> pd.DataFrame | None:
    """Items of ``held_out`` counted by gold label (rows, the project's labels) and the
    label model's label (columns, the labels then ``NO_LABEL``: an item left without a
    label is wrong, as in the run's accuracy). None when no item is held out."""
    if not held_out.any():
        return None
    truth = pd.Categorical(gold[held_out].astype(str), categories=list(labels))
    given = pd.Categorical(label[held_out].astype(object).fillna(NO_LABEL).astype(str),
                           categories=[*labels, NO_LABEL])
    return pd.crosstab(truth, given, dropna=False).rename_axis(index="gold", columns="label")


def per_label_scores(confusion: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """One row per label of ``confusion`` (:func:`gold_confusion`): ``support`` (held-out
    items with that gold label), ``predicted`` (held-out items the model gave it),
    ``correct`` (both), and ``precision``, ``recall`` and ``f1`` (NaN where the share has
    no items to be taken of)."""
    counts = confusion.to_numpy()
    right = np.diag(counts[:, :len(labels)]).astype(int)
    support = counts.sum(axis=1).astype(int)
    predicted = counts[:, :len(labels)].sum(axis=0).astype(int)

    def share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
        return np.divide(part, whole, out=np.full(len(part), np.nan), where=whole > 0)

    return pd.DataFrame({"label": list(labels), "support": support, "predicted": predicted,
                         "correct": right, "precision": share(right, predicted),
                         "recall": share(right, support),
                         "f1": share(2 * right, support + predicted)}, columns=SCORE_COLUMNS)


def f1_bounds(right: int, gold_n: int, given_n: int) -> tuple[float, float] | None:
    """A 95% interval of F1 = 2·right / (gold_n + given_n); None without items. F1 is no
    share of items, but J = right / (gold_n + given_n - right) is: of the items with this
    gold label or given this label, the share with both. F1 = 2J / (1 + J) rises with J, so
    the Wilson interval of J carried over to F1 is an interval of F1."""
    from labelwright.review.stats.agreement import wilson_interval

    union = gold_n + given_n - right
    if not union:
        return None
    low, high = wilson_interval(int(right), int(union))
    return 2 * low / (1 + low), 2 * high / (1 + high)


def run_confusion(labels_frame: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame | None:
    """The confusion table of a run's ``labels.parquet`` frame: its ``model_label`` against
    its ``gold`` on the held-out items (:func:`~labelwright.project.held_out.held_out_rows`);
    None without gold items held out."""
    if "gold" not in labels_frame.columns:
        return None
    return gold_confusion(labels_frame["model_label"], labels_frame["gold"], labels,
                          held_out_rows(labels_frame))
