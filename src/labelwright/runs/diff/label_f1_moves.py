"""Which labels' F1 on held-out gold moved between two runs, from their manifests.

The run summary's ``since run ...`` line and ``runs diff`` gave the accuracy on gold
alone: on a 12-label project an edit that lifted one rare label's F1 from 0.33 to 0.77
moved the accuracy by a point, and which label it helped (or hurt) was not said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labelwright.runs.label_set import manifest_labels

#: how far a label's F1 must move to be named: a smaller move is about one gold item on a
#: label with ten or more (one of ten missed: 1.0 to 0.95); one item on a rare label moves
#: it further (one of three: 1.0 to 0.8), and is named
F1_MOVE = 0.05


def _f1_by_label(manifest: Mapping[str, Any]) -> dict[str, float]:
    """Label -> the label model's F1 on held-out gold, for the labels with gold items in
    the run (a label without any has no F1 to move); {} when the run records none."""
    scores = (manifest.get("evaluation") or {}).get("label_model") or {}
    labels, f1 = manifest_labels(manifest), scores.get("f1_by_label")
    support = scores.get("support_by_label")
    if labels is None or f1 is None or support is None or len(f1) != len(labels):
        return {}
    return {label: float(value) for label, value, n in zip(labels, f1, support) if n}


def f1_moves(a: Mapping[str, Any], b: Mapping[str, Any], renamed: Mapping[str, str]
             ) -> dict[str, tuple[float, float]]:
    """Label (run b's name) -> (F1 in run a, F1 in run b) for the labels with held-out gold
    in both runs' manifests ``a`` and ``b`` whose F1 moved by :data:`F1_MOVE` or more,
    largest move first; ``renamed``: run a's label -> its name in run b."""
    before = {renamed.get(label, label): f1 for label, f1 in _f1_by_label(a).items()}
    after = _f1_by_label(b)
    moved = {label: (before[label], f1) for label, f1 in after.items()
             if label in before and abs(f1 - before[label]) >= F1_MOVE - 1e-9}
    return dict(sorted(moved.items(), key=lambda kv: -abs(kv[1][1] - kv[1][0])))


def f1_move_text(moves: Mapping[str, tuple[float, float]], shown: int | None = None) -> str:
    """``renal F1 0.33 -> 0.77, cardiac F1 0.47 -> 0.40``: the first ``shown`` moves (all
    when None), ``and N more`` for the rest."""
    items = list(moves.items())
    head = items if shown is None else items[:shown]
    text = ", ".join(f"{label} F1 {a:.2f} -> {b:.2f}" for label, (a, b) in head)
    return text + (f" and {len(items) - len(head)} more" if len(items) > len(head) else "")
