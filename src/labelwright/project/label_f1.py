"""Macro-F1 on held-out gold beside accuracy (``auto`` chooses by it), and the line naming
the weakest labels, for ``run``, ``analyze --model`` and ``train``.

An item left without a label is a miss of its gold label, as in the accuracy; the macro
average is over the labels present in the gold or given (:func:`~labelwright.models.metrics.
macro_f1`, as ``auto``'s CV scores it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.models.metrics import f1_per_class, macro_f1

if TYPE_CHECKING:
    import pandas as pd

#: labels the weakest-labels line names at most
WEAKEST_SHOWN = 3
#: a label under this share of the held-out gold items is rare: the run names its F1
#: whatever its rank (the weakest three hid a rare label's, 18 gold items of 800)
RARE_SHARE = 0.05


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


def no_gold_labels(scores: dict[str, Any], labels: Sequence[str],
                   given: Sequence[int]) -> str | None:
    """``"no gold: toxic (3 given), fraud (0 given)"``: the labels without a held-out gold
    item, each with the items given it (``given``, in label order); None when every label
    has some, or the scores hold no per-label counts. The weakest labels are ranked among
    the labels with gold only, so a rare label nobody reviewed was missing from the line
    with no word, read as one that scored well."""
    support = scores.get("support_by_label")
    if support is None:
        return None
    missing = [f"{label} ({given[k]:,} given)" for k, label in enumerate(labels)
               if not support[k]]
    return "no gold: " + ", ".join(missing) if missing else None


def rare_labels(per_label: pd.DataFrame, rare_share: float = RARE_SHARE) -> str | None:
    """``"rare labels (under 5% of the held-out gold): indemnity F1 0.89 (95% interval
    0.71–0.96; 18 gold (2.2%), 17 given)"``: each label with gold items under ``rare_share`` of
    them, rarest first, or, when none is, the rarest label; its F1 with the interval of
    :func:`~labelwright.project.label_scores.f1_bounds`. ``per_label``: the run's
    :func:`~labelwright.project.label_scores.per_label_scores`. None without gold items.
    The weakest-labels line names three labels by F1, and a rare label's F1, the one a
    user with a 2% label asks after, never showed while three others scored lower. A label
    with no held-out gold item ends the line as ``"toxic: no gold items, not measured (3
    given)"``: left out, it read as measured (the model gave it to 3 items, all wrong)."""
    from labelwright.percent import percent
    from labelwright.project.label_scores import f1_bounds

    scored = per_label[per_label["support"] > 0]
    total = int(scored["support"].sum())
    if not total:
        return None
    ranked = scored.sort_values(["support", "label"], kind="stable")
    rare = ranked[ranked["support"] < rare_share * total]
    head = (f"rare labels (under {rare_share:.0%} of the held-out gold)" if len(rare)
            else "rarest label")
    shown = rare if len(rare) else ranked.head(1)

    def one(row: Any) -> str:
        bounds = f1_bounds(int(row.correct), int(row.support), int(row.predicted))
        interval = ("" if bounds is None else
                    f"95% interval {bounds[0]:.2f}–{bounds[1]:.2f}; ")
        f1 = "—" if row.f1 != row.f1 else f"{row.f1:.2f}"  # NaN: nothing given or gold
        return (f"{row.label} F1 {f1} ({interval}{int(row.support)} gold "
                f"({percent(row.support / total)}), {int(row.predicted)} given)")
    unmeasured = [f"{row.label}: no gold items, not measured ({int(row.predicted)} given)"
                  for row in per_label[per_label["support"] == 0].itertuples()]
    return "; ".join([f"{head}: " + ", ".join(one(row) for row in shown.itertuples()),
                      *unmeasured])
