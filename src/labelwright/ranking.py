"""Rank the review queue: the items whose label is most likely wrong come first.

Signals, computed without gold labels, each in ``[0, 1]`` with 1 = "more likely wrong":

* ``uncertainty`` — ``(1 - max prob) * k / (k - 1)``: the label model's own doubt;
* ``small_margin`` — ``1 -`` (top prob ``-`` second prob);
* ``entropy`` — entropy of the probabilistic label divided by ``log k``;
* ``no_vote`` — 1 where no LF voted;
* ``conflict`` — share of an item's votes that are *not* for its most-voted label
  (0 with one vote or unanimous votes);
* ``end_model_disagrees`` — ``1 -`` the probability a text classifier gives the label
  model's label. The classifier (:mod:`labelwright.end_model`) is trained out-of-fold
  (5 folds) on the probabilistic labels, so an item's own weak label never scores it.

The combined score is ``sum(weight * signal)``. Without enough reviewed items the weights
are :data:`DEFAULT_WEIGHTS` (fixed, not tuned per dataset): the end model's disagreement
counts most because it is the only signal that looks at the text, not the votes.
With ``reviewed_gold`` (at least :data:`MIN_REVIEWED` reviewed items, both right and wrong
labels among them), a logistic regression predicting "the label model's label is wrong"
from the signals on the reviewed items gives the weights instead, and the score is its
predicted probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from labelwright.analysis import vote_counts
from labelwright.end_model import out_of_fold_proba

SIGNALS = ("uncertainty", "small_margin", "entropy", "no_vote", "conflict",
           "end_model_disagrees")
#: default weights of the combined score (sum to 1)
DEFAULT_WEIGHTS: dict[str, float] = {
    "uncertainty": 0.2, "small_margin": 0.0, "entropy": 0.0, "no_vote": 0.0,
    "conflict": 0.1, "end_model_disagrees": 0.7,
}
#: reviewed items needed before the weights are learned from them
MIN_REVIEWED = 30
#: of which at least this many must be wrong and this many right
MIN_PER_CLASS = 5


@dataclass
class RankResult:
    """Scores (higher = review first), each signal, and the weights that combined them."""

    score: np.ndarray
    signals: dict[str, np.ndarray]
    weights: dict[str, float] = field(default_factory=dict)
    weights_source: str = "default"  # "default" | "reviewed"
    end_proba: np.ndarray | None = None  # out-of-fold end-model probabilities (n x k)

    def order(self) -> np.ndarray:
        """Item indices, highest score first (ties: lower index first)."""
        return np.lexsort((np.arange(len(self.score)), -self.score))

    def top_signals(self, *, limit: int = 2, min_value: float = 0.5) -> list[tuple[str, ...]]:
        """Per item, the signals that pushed it up the queue: largest ``weight * value``
        first, only signals with a positive weight and a value of at least ``min_value``."""
        names = [s for s in SIGNALS if self.weights.get(s, 0.0) > 0]
        if not names:
            return [() for _ in self.score]
        values = np.column_stack([self.signals[s] for s in names])
        contrib = values * np.array([self.weights[s] for s in names])
        ranked = np.argsort(-contrib, axis=1, kind="stable")[:, :limit]
        return [tuple(names[j] for j in row if values[i, j] >= min_value)
                for i, row in enumerate(ranked)]


def uncertainty_signals(probs: np.ndarray) -> dict[str, np.ndarray]:
    """``uncertainty``, ``small_margin`` and ``entropy`` of probabilistic labels (n x k)."""
    probs = np.clip(np.asarray(probs, dtype=np.float64), 0.0, 1.0)
    k = probs.shape[1]
    top2 = np.sort(probs, axis=1)[:, -2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.where(probs > 0, probs * np.log(probs), 0.0).sum(axis=1) / np.log(k)
    return {
        "uncertainty": np.clip((1 - top2[:, 1]) * k / (k - 1), 0, 1),
        "small_margin": np.clip(1 - (top2[:, 1] - top2[:, 0]), 0, 1),
        "entropy": np.clip(ent, 0, 1),
    }


def vote_signals(votes: np.ndarray, n_labels: int) -> dict[str, np.ndarray]:
    """``no_vote`` and ``conflict`` from the label matrix (n x LFs, -1 = abstain)."""
    counts = vote_counts(np.asarray(votes), n_labels)
    n_votes = counts.sum(axis=1)
    conflict = np.where(n_votes > 0, 1 - counts.max(axis=1) / np.maximum(n_votes, 1), 0.0)
    return {"no_vote": (n_votes == 0).astype(np.float64), "conflict": conflict.astype(float)}


def _labels(probs: np.ndarray, label: np.ndarray | None) -> np.ndarray:
    best = np.asarray(probs).argmax(axis=1)
    if label is None:
        return best
    label = np.asarray(label, dtype=np.int64)
    if label.shape != best.shape:
        raise ValueError(f"label must have one entry per item ({len(best)}), got {label.shape}")
    return np.where(label >= 0, label, best)


def disagreement(probs: np.ndarray, end_proba: np.ndarray, *,
                 label: np.ndarray | None = None) -> np.ndarray:
    """``1 -`` the end model's probability of the label model's label (default: argmax)."""
    label = _labels(probs, label)
    return 1.0 - np.asarray(end_proba)[np.arange(len(label)), label]


def rank_queue(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *, seed: int,
               reviewed_gold: np.ndarray | None = None, label: np.ndarray | None = None,
               n_splits: int = 5, end_proba: np.ndarray | None = None) -> RankResult:
    """Score every item for review; see the module docstring.

    Parameters
    ----------
    probs
        Probabilistic labels of the label model (n x k).
    votes
        The label matrix (n x LFs, -1 = abstain).
    texts
        The items' texts, for the end model.
    seed
        Seed of the end model's folds.
    reviewed_gold
        Class index per item from reviews, -1 where not reviewed. Reviewed items train
        the end model with their reviewed label, and (when enough) fit the weights.
    label
        The label each item got (class index; -1 or omitted: the argmax of ``probs``),
        the label whose correctness is scored.
    end_proba
        Precomputed out-of-fold end-model probabilities (skips training).
    """
    probs = np.asarray(probs, dtype=np.float64)
    n, k = probs.shape
    if len(texts) != n or len(votes) != n:
        raise ValueError(f"probs has {n} rows but votes has {len(votes)} and texts "
                         f"{len(texts)}; they must describe the same items")
    label = _labels(probs, label)
    covered = np.asarray((np.asarray(votes) >= 0).any(axis=1) if n else [], dtype=bool)
    gold = None
    if reviewed_gold is not None:
        gold = np.asarray(reviewed_gold, dtype=np.int64)
        if gold.shape != (n,):
            raise ValueError(f"reviewed_gold must have one entry per item ({n}), "
                             f"got shape {gold.shape}")
    if end_proba is None:
        train_probs, train_mask = probs, covered
        if gold is not None and (gold >= 0).any():
            done = gold >= 0
            train_probs = probs.copy()
            train_probs[done] = np.eye(k)[gold[done]]
            train_mask = covered | done
        end_proba = out_of_fold_proba(texts, train_probs, [str(c) for c in range(k)],
                                      train_mask=train_mask, n_splits=n_splits, seed=seed)
    signals = {**uncertainty_signals(probs), **vote_signals(votes, k),
               "end_model_disagrees": disagreement(probs, end_proba, label=label)}
    weights, source = dict(DEFAULT_WEIGHTS), "default"
    score = sum(w * signals[s] for s, w in weights.items())
    if gold is not None:
        learned = learn_weights(signals, label, gold)
        if learned is not None:
            weights, model = learned
            X = np.column_stack([signals[s] for s in SIGNALS])
            score, source = model.predict_proba(X)[:, 1], "reviewed"
    return RankResult(score=np.asarray(score, dtype=np.float64), signals=signals,
                      weights=weights, weights_source=source, end_proba=end_proba)


def learn_weights(signals: dict[str, np.ndarray], label: np.ndarray, gold: np.ndarray
                  ) -> tuple[dict[str, float], LogisticRegression] | None:
    """Fit "label is wrong" on reviewed items; ``None`` when they are too few or one-sided."""
    done = gold >= 0
    wrong = (label != gold)[done]
    if done.sum() < MIN_REVIEWED or wrong.sum() < MIN_PER_CLASS \
            or (~wrong).sum() < MIN_PER_CLASS:
        return None
    X = np.column_stack([signals[s] for s in SIGNALS])
    model = LogisticRegression(C=1.0, max_iter=1000).fit(X[done], wrong.astype(int))
    return dict(zip(SIGNALS, map(float, model.coef_[0]))), model
