"""The review ranking's weights (:mod:`~labelwright.review.ranking.rank`): the defaults, and
those learned from reviewed items, kept only when they rank those items surely better."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from labelwright.models.metrics import average_precision
from labelwright.review.ranking.signals import SIGNALS

#: default weights of the combined score (sum to 1)
#: (without cleanlab installed, its weight goes to ``end_model_disagrees``: both read the same
#: out-of-fold end-model probabilities)
DEFAULT_WEIGHTS: dict[str, float] = {
    "uncertainty": 0.1, "small_margin": 0.0, "entropy": 0.0, "no_vote": 0.0,
    "conflict": 0.05, "end_model_disagrees": 0.65, "cleanlab": 0.2,
}


def default_weights(signals: Sequence[str]) -> dict[str, float]:
    """:data:`DEFAULT_WEIGHTS` for the signals computed (cleanlab's weight moves to
    ``end_model_disagrees`` when there is no cleanlab signal)."""
    weights = dict(DEFAULT_WEIGHTS)
    if "cleanlab" not in signals:
        weights["end_model_disagrees"] += weights.pop("cleanlab")
    return weights
#: learned weights must beat the defaults' cross-validated score by more than this: equal
#: scores that differ in the last bit of a float are a tie, and a tie keeps the defaults
CV_TIE = 1e-9
#: ... and do so in at least this share of bootstrap resamples of the reviewed items: a
#: dozen wrong labels among 150 reviewed items rank noisily (UCI YouTube: learned weights
#: 0.001 above the defaults in CV caught 44% of the errors in the top 20% against 75%)
WEIGHTS_SURE = 0.95
WEIGHT_BOOTSTRAP_ROUNDS = 500
#: reviewed items needed before the weights are learned from them
MIN_REVIEWED = 30
#: of which at least this many must be wrong and this many right
MIN_PER_CLASS = 5
#: cross-validation folds that compare learned and default weights on the reviewed items
WEIGHT_FOLDS = 5


def signal_matrix(signals: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """The computed signals in :data:`SIGNALS` order and their (items x signals) matrix:
    the features of the learned weights, in the order they were fit on."""
    names = [s for s in SIGNALS if s in signals]
    return names, np.column_stack([signals[s] for s in names])


def _bootstrap_wins(learned: np.ndarray, default: np.ndarray, y: np.ndarray,
                    seed: int) -> float:
    """Share of bootstrap resamples (with both a wrong and a right label) on which
    ``learned`` ranks the wrong labels better than ``default`` (average precision)."""
    rng = np.random.default_rng(seed)
    wins = rounds = 0
    for _ in range(WEIGHT_BOOTSTRAP_ROUNDS):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() == y[idx].max():
            continue
        rounds += 1
        wins += average_precision(y[idx], learned[idx]) \
            > average_precision(y[idx], default[idx]) + CV_TIE
    return wins / rounds if rounds else 0.0


@dataclass(frozen=True)
class WeightsEvidence:
    """Why the ranking's weights are the defaults or learned ones, and from what: the
    manifest's ``triage.ranking_weights_evidence`` (:meth:`record`)."""

    source: str  # "default" | "reviewed"
    #: why: "no reviews", "too few", "one-sided", "no better in CV", "not sure", "learned"
    reason: str
    reviewed: int = 0  # items with a reviewed label
    #: of them, those learned from: the label they had before review is known and is a label
    used: int = 0
    wrong: int = 0  # of ``used``, those whose label before review the review changed
    #: cross-validated average precision of "wrong" on ``used``: default and learned weights
    cv_default: float | None = None
    cv_learned: float | None = None
    bootstrap_wins: float | None = None  # share of resamples the learned weights won

    def record(self) -> dict[str, Any]:
        """The manifest's record (``labelwright.runs.ranking_weights`` reads it)."""
        return {"source": self.source, "reason": self.reason,
                "reviewed_items": self.reviewed, "learned_from": self.used,
                "wrong_before_review": self.wrong,
                "needs": {"learned_from": MIN_REVIEWED, "wrong_and_right": MIN_PER_CLASS,
                          "bootstrap_wins": WEIGHTS_SURE},
                "cv_average_precision": None if self.cv_default is None
                else {"default": self.cv_default, "learned": self.cv_learned},
                "bootstrap_wins": self.bootstrap_wins}


def weights_reason(reviewed: int, used: int, wrong: int, cv: dict[str, float] | None) -> str:
    """The :attr:`WeightsEvidence.reason` of ``reviewed`` items, ``used`` of them to learn
    from (their label before review is known), ``wrong`` of those wrong before review, and
    the comparison ``cv`` (None: not made). The one rule of which weights a ranking keeps:
    learned ones only for ``"learned"``."""
    if reviewed == 0:
        return "no reviews"
    if used < MIN_REVIEWED:  # also none usable of many reviewed: too few, not "no reviews"
        return "too few"
    if min(wrong, used - wrong) < MIN_PER_CLASS or cv is None:
        return "one-sided"
    if cv["reviewed"] <= cv["default"] + CV_TIE:
        return "no better in CV"
    return "learned" if cv["bootstrap_wins"] >= WEIGHTS_SURE else "not sure"


def learn_weights(signals: dict[str, np.ndarray], label: np.ndarray, gold: np.ndarray, *,
                  seed: int = 0
                  ) -> tuple[dict[str, float], LogisticRegression, dict[str, float]] | None:
    """Fit "label is wrong" on reviewed items; ``None`` when they are too few or one-sided.

    Returns the learned weights (logistic-regression coefficients), the model fit on every
    reviewed item, and the cross-validated average precision of "wrong" on the reviewed
    items of the learned model (``"reviewed"``, out-of-fold) and of the default weights
    (``"default"``, same items), with ``"bootstrap_wins"``: the share of
    :data:`WEIGHT_BOOTSTRAP_ROUNDS` bootstrap resamples of the reviewed items on which the
    learned model's out-of-fold average precision is the higher.
    """
    done = gold >= 0
    wrong = (label != gold)[done]
    if done.sum() < MIN_REVIEWED or wrong.sum() < MIN_PER_CLASS \
            or (~wrong).sum() < MIN_PER_CLASS:
        return None
    names, X = signal_matrix(signals)
    X = X[done]
    y = wrong.astype(int)
    folds = StratifiedKFold(min(WEIGHT_FOLDS, int(y.sum()), int((1 - y).sum())),
                            shuffle=True, random_state=seed)
    oof = np.zeros(len(y))
    for fit_idx, score_idx in folds.split(X, y):
        fold_model = LogisticRegression(C=1.0, max_iter=1000).fit(X[fit_idx], y[fit_idx])
        oof[score_idx] = fold_model.predict_proba(X[score_idx])[:, 1]
    fixed = default_weights(names)
    default = X @ np.array([fixed.get(s, 0.0) for s in names])
    cv = {"default": float(average_precision(y, default)),
          "reviewed": float(average_precision(y, oof)),
          "bootstrap_wins": _bootstrap_wins(oof, default, y, seed)}
    model = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    return dict(zip(names, map(float, model.coef_[0]))), model, cv
