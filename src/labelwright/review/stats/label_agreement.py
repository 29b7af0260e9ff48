"""Agreement per label: which labels the raters tell apart and which they confuse.

One kappa for the whole label set hides a label the raters read differently (two raters
who agree on sports and politics and split on tech vs business have a fair overall kappa).
Per label, over the items with two or more ratings:

* ``specific`` — specific agreement: of the ratings with the label, the share whose other
  raters of the item chose it too (``sum n_ij (n_ij - 1) / sum n_ij (m_i - 1)``, over
  pairs of ratings of one item): "when one rater said tech, how often did another";
* ``alpha`` — Krippendorff's alpha (nominal) of the label against all others (one vs
  rest), agreement beyond chance on whether an item has the label, with a 95% bootstrap
  interval over items (:mod:`~labelwright.review.stats.bootstrap`). Alpha allows any
  number of ratings per item, so every item with two or more counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from labelwright.review.stats.bootstrap import alpha_figure, interval

COLUMNS = ["label", "ratings", "specific", "alpha", "ci_low", "ci_high"]


def label_agreement(counts: np.ndarray, labels: Sequence[str], *, seed: int) -> pd.DataFrame:
    """One row per label of an (items, labels) count table (the raters' ratings, the
    adjudicators left out): ``ratings`` with the label on items rated twice or more,
    ``specific``, ``alpha`` and its interval ``ci_low``, ``ci_high`` (NaN where no such
    item has the label, or every one of them has it: nothing to agree beyond chance on)."""
    counts = np.asarray(counts, dtype=np.int64)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    rows = []
    for j, label in enumerate(labels):
        chosen = counts[:, j]
        pairs = int((chosen * (m - 1)).sum())
        table = np.stack([chosen, m - chosen], axis=1)  # the label, and every other
        alpha = float(alpha_figure(table)(np.ones((1, len(table))))[0]) if len(table) \
            else float("nan")
        low, high = interval(alpha_figure, table, seed)
        rows.append({"label": label, "ratings": int(chosen.sum()),
                     "specific": float((chosen * (chosen - 1)).sum() / pairs) if pairs
                     else float("nan"),
                     "alpha": alpha, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=COLUMNS)


def label_splits(counts: np.ndarray, labels: Sequence[str]) -> list[tuple[str, str, int]]:
    """``(label a, label b, items)`` for each pair of labels the raters split on: the items
    rated twice or more that hold a rating of each, most items first (then in label
    order), pairs on no item left out. The per-label table says a label is read
    differently; this says with which other label (two reviewers who split promo from spam
    know what to put in the label's definition)."""
    counts = np.asarray(counts, dtype=np.int64)
    rated = counts[counts.sum(axis=1) >= 2] > 0
    splits = [(labels[a], labels[b], int((rated[:, a] & rated[:, b]).sum()))
              for a in range(len(labels)) for b in range(a + 1, len(labels))]
    return sorted((s for s in splits if s[2]), key=lambda s: -s[2])
