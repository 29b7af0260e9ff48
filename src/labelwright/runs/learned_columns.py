"""The label model's learned numbers per LF: as the model holds them
(:func:`learned_lf_numbers`, which the manifest records), as its reading of each LF on the
run's data (:func:`read_accuracies`), the accuracies it assumed instead of learning
(:func:`assumed_accuracies`), and as columns of the LF table (:func:`with_learned`,
:func:`learned_table`).

Kept apart from :mod:`labelwright.runs.outputs`, which writes a run and imports the
whole pipeline, so that reading a run (the report) does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

#: the learned per-LF numbers as columns of the LF table (lf_summary.csv, the report); a
#: run's lf_summary.csv has its own ``learned_accuracy`` (:func:`learned_table`), a run
#: from before it had one takes the manifest's
LEARNED_COLUMNS = {"lf_accuracies": "learned_accuracy", "lf_weights": "learned_weight"}


def with_learned(table: pd.DataFrame, learned: dict[str, Any]) -> pd.DataFrame:
    """The LF table with the label model's learned accuracy and weight of each LF
    (``learned``: :func:`learned_lf_numbers`, as the manifest records them), where the
    model has them; empty for an LF that never voted, whose number is its prior."""
    table = table.copy()
    for key, column in LEARNED_COLUMNS.items():
        numbers = learned.get(key)
        if isinstance(numbers, dict) and numbers:
            table[column] = [numbers.get(name, np.nan) for name in table["lf"]]
            if "coverage" in table.columns:
                table.loc[table["coverage"] == 0, column] = np.nan
    return table


def learned_lf_numbers(model: Any, lf_names: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-LF accuracies (:meth:`~labelwright.models.base.LabelModel.learned_accuracies`)
    and weights the label model learned, when it has them (``auto``: the model it chose)."""
    out = {}
    fitted = getattr(model, "model_", model)
    learned = getattr(model, "learned_accuracies", None)
    found = (("lf_accuracies", learned() if learned is not None else None),
             ("lf_weights", getattr(fitted, "weights_", None)))
    for key, values in found:
        if values is not None and np.ndim(values) == 1 and len(values) == len(lf_names):
            out[key] = {name: round(float(v), 6) for name, v in zip(lf_names, values)}
    return out


def assumed_accuracies(model: Any, lf_names: Sequence[str], votes: np.ndarray
                       ) -> dict[str, float]:
    """LF -> the accuracy the label model reads the LF's votes at instead of the one it
    learned (``dawid_skene``'s ``monotone``, also as ``auto``'s choice: its prior, moved by
    the reviewed labels of those votes), for LFs with such a vote among those they cast (of
    several, the one it casts most)."""
    fitted = getattr(model, "model_", model)
    replaced = getattr(fitted, "prior_votes_", None)
    if replaced is None or not replaced.any():
        return {}
    held = getattr(fitted, "held_accuracy_", None)
    out = {}
    for j, name in enumerate(lf_names):
        cast, times = np.unique(votes[:, j][votes[:, j] >= 0], return_counts=True)
        kept = replaced[j, cast]
        if kept.any():
            most = int(cast[kept][np.argmax(times[kept])])
            out[name] = float(fitted.prior_accuracy if held is None else held[j, most])
    return out


def learned_table(table: pd.DataFrame, model: Any, votes: np.ndarray | None = None,
                  probs: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`with_learned` of a fitted label model. With the run's ``votes`` and the
    model's ``probs`` for them, ``learned_accuracy`` is the model's reading of each LF on
    this data (:func:`read_accuracies`), which the LF table sets beside ``emp_accuracy``;
    the manifest keeps the model's own per-LF parameter (``label_model.lf_accuracies``)."""
    out = with_learned(table, learned_lf_numbers(model, list(table["lf"])))
    if votes is not None and probs is not None and "learned_accuracy" in out.columns:
        read = read_accuracies(votes, probs)
        out["learned_accuracy"] = np.where(np.isnan(out["learned_accuracy"]), np.nan, read)
    return out


def read_accuracies(votes: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Per LF (a column of ``votes``), the share of its votes the label model takes to be
    right: the mean probability ``probs`` gives the label it voted for, over the items it
    voted on (NaN for an LF that never voted). The quantity ``emp_accuracy`` measures on
    gold, so the two compare; a model's own per-LF accuracy is P(vote right | vote) under
    its class balance, which without reviewed labels is an assumed one (equal classes with
    ``dawid_skene``'s defaults), and ``monotone`` may set it aside: with 5 labels and one
    class most of the items, an LF the model read at 70% showed 28%."""
    out = np.full(votes.shape[1], np.nan)
    for j in range(votes.shape[1]):
        rows = np.flatnonzero(votes[:, j] >= 0)
        if rows.size:
            out[j] = round(float(probs[rows, votes[rows, j].astype(np.int64)].mean()), 6)
    return out
