"""The reviewed items' signals as their labels had them before review: what the learned
weights (:mod:`~labelwright.review.ranking.weights`) learn from.

The weights predict whether a label is wrong from its signals. On a reviewed item the run's
label model has learned the review (re-fit on it), so its label and probabilities there are
mostly right whatever the signals would have said; learned from them, the weights would
learn what marks the few labels the re-fit model still gets wrong. The label to judge is
the one the item was exported with (:mod:`labelwright.review.feedback.shown_labels`), and its
signals are that label's: the label model's doubt from the probabilities it was shown
with, and the end model's disagreement (and cleanlab's) with that label, by this run's
out-of-fold end model, which never read the item's own review. The vote signals are those
of the votes the run exported the item with (the LFs then: an LF added since to fix the
item would otherwise make its conflict look like what marked the wrong label); an item
whose record holds no votes keeps its votes now.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from labelwright.review.ranking.signals import (
    cleanlab_signal,
    disagreement,
    uncertainty_signals,
)


def shown_signals(signals: dict[str, np.ndarray], shown_label: np.ndarray,
                  shown_probs: np.ndarray, label: np.ndarray, end_proba: np.ndarray,
                  scored: np.ndarray, shown_votes: Mapping[str, np.ndarray] | None = None
                  ) -> dict[str, np.ndarray]:
    """``signals`` with the rows where ``shown_label`` is a label (>= 0) as that label had
    them: the label-model signals of ``shown_probs``, the vote signals of ``shown_votes``
    (``{signal: per item}``, NaN where not known: the item's votes now are kept there),
    and ``end_model_disagrees`` (and ``cleanlab``, when computed) against ``shown_label``
    where a fold's model ``scored`` the item. ``label``: every item's label now (cleanlab's
    class thresholds are of all scored items, the shown labels in place of the reviewed
    items' labels now)."""
    rows = shown_label >= 0
    out = {name: values.copy() for name, values in signals.items()}
    if not rows.any():
        return out
    for name, values in (shown_votes or {}).items():
        if name in out:
            then = rows & ~np.isnan(values)
            out[name][then] = values[then]
    for name, values in uncertainty_signals(shown_probs[rows]).items():
        if name in out:
            out[name][rows] = values
    judged = np.where(rows, shown_label, label)
    out["end_model_disagrees"][rows] = np.where(
        scored[rows], disagreement(shown_probs[rows], end_proba[rows],
                                   label=judged[rows]), 0.0)
    if "cleanlab" in out and scored.any():
        quality = np.zeros(len(label))
        quality[scored] = cleanlab_signal(end_proba[scored], judged[scored])
        out["cleanlab"][rows] = quality[rows]
    return out
