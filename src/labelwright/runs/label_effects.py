"""What two runs' own files say beyond flipped labels, for ``runs diff`` and the report.

* Accuracy on the gold items held out in **both** runs. A run leaves its reviewed gold
  items out of its accuracy (the label model was fit on their reviewed labels), so as
  reviews grow, a later run's accuracy is over fewer, other items; the two manifests'
  accuracies then compare different items. Here each run's ``labels.parquet`` (its label,
  its label source and the data's gold as the run read it) gives the accuracy of both on
  the items neither reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CommonGold:
    """Accuracy of two runs on the gold items held out in both."""

    items: int  # gold items held out (not reviewed) in both runs
    accuracy: tuple[float | None, float | None]  # run a's and run b's on them (None: no items)
    differ: bool  # whether the runs' held-out gold items are not the same items

    @property
    def delta(self) -> float | None:
        a, b = self.accuracy
        return None if a is None or b is None else b - a


def held_out(labels: pd.DataFrame) -> pd.Series | None:
    """Which rows of a run's labels are held-out gold: a gold label and a label that is not
    a review's (None when the run's labels lack the ``gold`` or ``label_source`` column)."""
    if "gold" not in labels or "label_source" not in labels:
        return None
    return labels["gold"].notna() & (labels["label_source"] != "review")


def common_gold(labels_a: pd.DataFrame, labels_b: pd.DataFrame,
                joined: pd.DataFrame) -> CommonGold | None:
    """Both runs' accuracy on the gold items held out in both (``joined``: the two runs'
    labels joined on id, columns suffixed ``_a`` and ``_b``), None when a run's labels
    cannot say which items were held out. An item without a label counts as wrong, as in a
    run's own accuracy."""
    mask_a, mask_b = held_out(labels_a), held_out(labels_b)
    if mask_a is None or mask_b is None:
        return None
    differ = set(labels_a.loc[mask_a, "id"]) != set(labels_b.loc[mask_b, "id"])
    both = joined[joined["gold_a"].notna() & joined["gold_b"].notna()
                  & (joined["label_source_a"] != "review")
                  & (joined["label_source_b"] != "review")]
    if both.empty:
        return CommonGold(0, (None, None), differ)
    def accuracy(side: str) -> float:
        return float((both[f"label_{side}"].astype(object)
                      == both[f"gold_{side}"].astype(object)).mean())
    return CommonGold(len(both), (accuracy("a"), accuracy("b")), differ)
