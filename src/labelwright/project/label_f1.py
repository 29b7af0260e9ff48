"""Macro-F1 on held-out gold beside accuracy (``auto`` chooses by it), and the line naming
the weakest labels, for ``run``, ``analyze --model`` and ``train``.

An item left without a label is a miss of its gold label, as in the accuracy; the macro
average is over the labels present in the gold or given (:func:`~labelwright.models.metrics.
macro_f1`, as ``auto``'s CV scores it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from labelwright.models.metrics import f1_per_class, macro_f1

#: labels the weakest-labels line names at most
WEAKEST_SHOWN = 3


def f1_scores(gold: np.ndarray, predicted: np.ndarray, n_labels: int) -> dict[str, Any]:
    """``macro_f1``, ``f1_by_label`` and ``support_by_label`` (gold items per label, in the
    project's label order) of ``predicted`` against ``gold`` (-1: no label)."""
    return {"macro_f1": macro_f1(gold, predicted, n_labels),
            "f1_by_label": [float(f) for f in f1_per_class(gold, predicted, n_labels)],
            "support_by_label": [int(n) for n in np.bincount(gold[gold >= 0],
                                                             minlength=n_labels)]}


def weakest_labels(scores: dict[str, Any], labels: Sequence[str],
                   shown: int = WEAKEST_SHOWN) -> str | None:
    """``"weakest labels: <label> F1 0.12 (8 gold), ..."``: the ``shown`` labels with gold
    items and the lowest F1, lowest first; None with 2 labels or fewer (the macro-F1 says
    it) or scores without per-label F1 (a manifest written before they were recorded)."""
    f1, support = scores.get("f1_by_label"), scores.get("support_by_label")
    if len(labels) <= 2 or f1 is None or support is None:
        return None
    present = [k for k in range(len(labels)) if support[k] > 0]
    if not present:
        return None
    order = sorted(present, key=lambda k: (f1[k], -support[k], k))[:shown]
    return "weakest labels: " + ", ".join(f"{labels[k]} F1 {f1[k]:.2f} ({support[k]} gold)"
                                          for k in order)
