"""What ``auto``'s gold rows may change about its predictions, and how sure they must be.

A few dozen gold rows score anything noisily, so each change to the chosen model's own
labels must beat them on those rows, out-of-fold:

* leaving the default model, or deciding on calibrated probabilities instead of the
  model's own: a higher score in >= :data:`BOOTSTRAP_SURE` of :data:`BOOTSTRAP_ROUNDS`
  bootstrap resamples of the gold rows (:meth:`DecisionRules.bootstrap_wins`);
* per-class decision weights (``predict`` takes the argmax of the weights times the
  probabilities; for F1-type scores the most probable class is not always the best
  decision): tuned by coordinate ascent, kept only if, tuned again inside nested folds,
  they beat plain argmax on the held-out rows by more than one standard error
  (:meth:`DecisionRules.checked_weights`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from labelwright.models.folds import stratified_folds
from labelwright.models.metrics import score
from labelwright.models.ties import TIE_TOL

#: a change to the model's own predictions needs a higher score on this share of
#: bootstrap resamples of the gold rows' out-of-fold predictions
BOOTSTRAP_SURE = 0.95
BOOTSTRAP_ROUNDS = 500
#: the per-class decision weights tried (class 0 keeps weight 1)
WEIGHT_GRID = np.exp(np.linspace(-3, 3, 25))


@dataclass(frozen=True)
class DecisionRules:
    """The rules for one fit: ``scoring`` (a :data:`~labelwright.models.metrics.SCORERS`
    name), ``cardinality``, and ``decide(probs, rows)``, the labels ``predict`` would give
    probabilities ``probs`` of the label-matrix rows ``rows`` (ties broken as it breaks
    them there: deciding by another rule scores decisions that predict does not make)."""

    scoring: str
    cardinality: int
    decide: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def _score(self, y: np.ndarray, probs: np.ndarray, pred: np.ndarray,
               scoring: str | None = None) -> float:
        return score(scoring or self.scoring, y, probs, pred, self.cardinality)

    def bootstrap_wins(self, probs: np.ndarray, baseline: np.ndarray, y: np.ndarray,
                       rng: np.random.Generator, *, pred: np.ndarray, base: np.ndarray,
                       scoring: str | None = None) -> float:
        """Share of bootstrap resamples of the gold rows on which ``probs`` scores higher
        than ``baseline`` (both out-of-fold; their predictions ``pred`` / ``base``)."""
        wins = 0
        for _ in range(BOOTSTRAP_ROUNDS):
            idx = rng.integers(0, len(y), len(y))
            wins += self._score(y[idx], probs[idx], pred[idx], scoring) \
                > self._score(y[idx], baseline[idx], base[idx], scoring) + 1e-12
        return wins / BOOTSTRAP_ROUNDS

    def calibrated_decisions_win(self, calibrated: np.ndarray, own: np.ndarray,
                                 y: np.ndarray, rows: np.ndarray,
                                 rng: np.random.Generator) -> bool:
        """Whether predictions from the calibrated probabilities should replace the chosen
        model's own: only if they differ and score higher in >= :data:`BOOTSTRAP_SURE` of
        bootstrap resamples of the gold rows (both out-of-fold; ``rows``: the gold rows'
        indices in the label matrix). A calibration's per-class biases are fit for log loss
        on a few dozen rows per class; as decisions they can fit noise (the example project,
        5 classes, 100 reviewed rows: 1-4 points of accuracy lost against the model's own
        labels in 3 of 5 splits, ``benchmarks/example_auto.py``). Decisions are compared by
        ``scoring``, or by accuracy when that is log loss (a score of the probabilities,
        which the calibration wins by construction)."""
        pred, base = self.decide(calibrated, rows), self.decide(own, rows)
        if np.array_equal(pred, base):
            return False
        scoring = "accuracy" if self.scoring == "log_loss" else self.scoring
        return self.bootstrap_wins(calibrated, own, y, rng, pred=pred, base=base,
                                   scoring=scoring) >= BOOTSTRAP_SURE

    def checked_weights(self, probs: np.ndarray, y: np.ndarray, rows: np.ndarray, *,
                        n_splits: int, seed: int) -> np.ndarray:
        """:meth:`tune_weights` on all gold rows, kept only if tuning beats plain argmax on
        held-out gold rows (``n_splits`` nested folds) by more than one standard error:
        weights tuned on a few dozen rows otherwise fit their noise."""
        weights = self.tune_weights(probs, y, rows)
        if np.all(weights == 1.0):
            return weights
        gains = []
        for fit_idx, test_idx in stratified_folds(n_splits, y, (seed + 1) % 2**32):
            w = self.tune_weights(probs[fit_idx], y[fit_idx], rows[fit_idx])
            held, truth, ids = probs[test_idx], y[test_idx], rows[test_idx]
            gains.append(self._score(truth, held, self.decide(weighted(held, w), ids))
                         - self._score(truth, held, self.decide(held, ids)))
        diff = np.asarray(gains)
        if diff.mean() <= diff.std(ddof=1) / np.sqrt(len(diff)):
            return np.ones(self.cardinality)
        return weights

    def tune_weights(self, probs: np.ndarray, y: np.ndarray, rows: np.ndarray
                     ) -> np.ndarray:
        """Per-class weights on ``probs`` maximising ``scoring`` (coordinate ascent over
        :data:`WEIGHT_GRID`; ``rows``: the gold rows' indices in the label matrix)."""
        w = np.ones(self.cardinality)

        def value(weights: np.ndarray) -> float:
            return self._score(y, probs, self.decide(weighted(probs, weights), rows))

        current = value(w)
        for _ in range(3):
            improved = False
            for c in range(1, self.cardinality):  # class 0 is the reference
                for g in WEIGHT_GRID:
                    trial = w.copy()
                    trial[c] = g
                    v = value(trial)
                    # prefer weights near 1 on ties: only move for a real gain
                    if v > current + 1e-9:
                        current, w, improved = v, trial, True
            if not improved:
                break
        return w

    def decided_score(self, record: dict[str, Any], oof: np.ndarray, *, y_gold: np.ndarray,
                      rows: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]],
                      seed: int, n_splits: int, tune: bool) -> float:
        """The cross-validated score of the decisions a fit at one class balance ends in:
        ``record``'s (the argmax of the out-of-fold probabilities ``oof``), or, where
        ``tune`` (``auto``'s ``tune_decision``) would keep decision weights on them
        (:meth:`checked_weights`), the mean over ``folds`` of each held-out fold decided by
        weights tuned on the other folds. A balance far from the items' mix can be set
        right by decision weights (on synthetic 3-class data, 130 reviews that held half
        the share of a class scored 0.54 macro-F1 by argmax and 0.86 on all items once
        weighted), so it is weighed with them."""
        if not tune or np.all(self.checked_weights(
                oof, y_gold, rows, n_splits=n_splits, seed=seed) == 1.0):
            return float(record["score"])
        scores = []
        for fit_idx, test_idx in folds:
            w = self.tune_weights(oof[fit_idx], y_gold[fit_idx], rows[fit_idx])
            held = oof[test_idx]
            scores.append(self._score(y_gold[test_idx], held,
                                      self.decide(weighted(held, w), rows[test_idx])))
        return float(np.mean(scores))


def decided_on_top(probs: np.ndarray, decision: np.ndarray) -> np.ndarray:
    """``probs`` with each row's decided class on top: where ``decision`` (the weighted
    probabilities the labels are the argmax of) puts one class clearly first (by more than
    :data:`~labelwright.models.ties.TIE_TOL`) and ``probs`` has another on top, the two
    classes' probabilities trade places. Published beside the labels, probabilities whose
    top class is not the label are read as the label being doubted (triage's confidence)
    or wrong (an end model trained on them learns the other class)."""
    rows = np.arange(len(probs))
    chosen = decision.argmax(axis=1)
    runner_up = np.where(np.arange(decision.shape[1]) == chosen[:, None], -np.inf, decision)
    clear = decision[rows, chosen] - runner_up.max(axis=1, initial=-np.inf) > TIE_TOL
    top = probs.argmax(axis=1)
    move = np.flatnonzero(clear & (chosen != top))
    if not move.size:
        return probs
    out = probs.copy()
    label, best = chosen[move], top[move]
    out[move, label], out[move, best] = probs[move, best], probs[move, label]
    return out


def weighted(probs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``probs`` times per-class decision ``weights``, each row summing to 1 again (so ties
    are found at the tolerance :func:`~labelwright.models.ties.break_ties` uses on
    probabilities)."""
    out = probs * weights
    return out / out.sum(axis=1, keepdims=True)
