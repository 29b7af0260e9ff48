"""Rank the review queue: the items whose label is most likely wrong come first.

Signals, computed without gold labels, each in ``[0, 1]`` with 1 = "more likely wrong":

* ``uncertainty`` — ``(1 - max prob) * k / (k - 1)``: the label model's own doubt;
* ``small_margin`` — ``1 -`` (top prob ``-`` second prob);
* ``entropy`` — entropy of the probabilistic label divided by ``log k``;
* ``no_vote`` — 1 where no LF voted;
* ``conflict`` — share of an item's votes that are *not* for its most-voted label
  (0 with one vote or unanimous votes);
* ``end_model_disagrees`` — ``1 -`` the probability a text classifier gives the label
  model's label. The classifier (:mod:`labelwright.end_model.out_of_fold`) is trained out-of-fold
  (5 folds) on the probabilistic labels, so an item's own weak label never scores it.
  An item no fold's model scored (fewer than 2 items to learn from, or none outside its
  fold) has no end-model verdict: 0 here and in ``cleanlab``, not a placeholder's doubt.
* ``cleanlab`` — ``1 -`` cleanlab's label quality score of the label model's label, from
  the same out-of-fold end-model probabilities (``cleanlab.rank.get_label_quality_scores``,
  self-confidence after subtracting each class's average confidence, so a class the end
  model is less sure of as a whole is not flagged for that alone). Only with the optional
  extra ``pip install 'labelwright[cleanlab]'``. Without the class adjustment it would rank
  items exactly as ``end_model_disagrees`` does. Alone it is better than
  ``end_model_disagrees`` on one benchmark set and worse on another; taking 0.2 of the end
  model's weight it caught as many or slightly more errors on every WRENCH youtube / sms
  setting (at most +1.2 points of catch20, averaged over 5 fold seeds). Exported items show
  it whenever cleanlab flags them as label issues (:func:`cleanlab_issues`), whatever its
  weight and value: the class adjustment divides by one plus the classes' threshold gaps,
  so with many classes a fixed cut on the value flags items the end model is sure of (12
  classes, 2 the end model is unsure of: every item it confirms at 0.95 scored 0.65).

The combined score is ``sum(weight * signal)``. Without enough reviewed items the weights
are :data:`DEFAULT_WEIGHTS` (fixed, not tuned per dataset): the end model's disagreement
and cleanlab count most because they are the only signals that look at the text, not the
votes (on the WRENCH youtube and sms sets, averaged over 5 fold seeds, giving them 0.85 in
all caught 0-3.5 points more of the label model's errors in the top 20% than the earlier
0.7 with uncertainty 0.2 and conflict 0.1; these weights were chosen looking at those two
sets). Without cleanlab installed, ``end_model_disagrees`` gets cleanlab's weight.
With ``reviewed_gold`` (at least :data:`MIN_REVIEWED` reviewed items, at least
:data:`MIN_PER_CLASS` right and wrong labels among them), a logistic regression predicting
"the label model's label is wrong" from the signals is fit on the reviewed items. It
replaces the default weights only if it ranks the reviewed items better in
cross-validation (average precision of "wrong", :data:`WEIGHT_FOLDS` folds), and in at least
:data:`WEIGHTS_SURE` of bootstrap resamples of the reviewed items; its score is then its
predicted probability. ``RankResult.weights_cv`` holds both cross-validated scores and the
bootstrap share.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from labelwright.end_model.out_of_fold import score_out_of_fold
from labelwright.errors import ConfigError
from labelwright.lfs.stats import vote_counts
from labelwright.models.metrics import average_precision

log = logging.getLogger(__name__)

SIGNALS = ("uncertainty", "small_margin", "entropy", "no_vote", "conflict",
           "end_model_disagrees", "cleanlab")
#: default weights of the combined score (sum to 1)
#: (without cleanlab installed, its weight goes to ``end_model_disagrees``: both read the same
#: out-of-fold end-model probabilities)
DEFAULT_WEIGHTS: dict[str, float] = {
    "uncertainty": 0.1, "small_margin": 0.0, "entropy": 0.0, "no_vote": 0.0,
    "conflict": 0.05, "end_model_disagrees": 0.65, "cleanlab": 0.2,
}
#: signals shown on an exported item whenever their tool flags it (``RankResult.flags``),
#: whatever their weight, after the ``limit`` largest contributions (another tool's verdict
#: a reviewer may want to see)
ALWAYS_SHOWN = ("cleanlab",)


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
CLEANLAB_HINT = "pip install 'labelwright[cleanlab]'"


@dataclass
class RankResult:
    """Scores (higher = review first), each signal, and the weights that combined them."""

    score: np.ndarray
    signals: dict[str, np.ndarray]
    weights: dict[str, float] = field(default_factory=dict)
    weights_source: str = "default"  # "default" | "reviewed"
    end_proba: np.ndarray | None = None  # out-of-fold end-model probabilities (n x k)
    #: cross-validated average precision of "wrong" on reviewed items, per weights source
    weights_cv: dict[str, float] = field(default_factory=dict)
    #: rows of ``end_proba`` a fold's model scored (the others hold a uniform placeholder)
    end_scored: np.ndarray | None = None
    #: per :data:`ALWAYS_SHOWN` signal, the items its tool flags by its own rule
    #: (``cleanlab``: :func:`cleanlab_issues`)
    flags: dict[str, np.ndarray] = field(default_factory=dict)

    def order(self) -> np.ndarray:
        """Item indices, highest score first (ties: lower index first)."""
        return np.lexsort((np.arange(len(self.score)), -self.score))

    def top_signals(self, *, limit: int = 2, min_value: float = 0.5) -> list[tuple[str, ...]]:
        """Per item, the signals that pushed it up the queue: of the signals with a positive
        weight and a value of at least ``min_value``, the ``limit`` largest
        ``weight * value``, largest first; then the :data:`ALWAYS_SHOWN` signals (cleanlab)
        whose tool flags the item (:attr:`flags`; not shown without a flag)."""
        names = [s for s in SIGNALS if self.weights.get(s, 0.0) > 0 and s in self.signals
                 and s not in ALWAYS_SHOWN]
        extra = [s for s in ALWAYS_SHOWN if s in self.flags]
        out: list[tuple[str, ...]] = [() for _ in self.score]
        if names:
            values = np.column_stack([self.signals[s] for s in names])
            # signals below min_value drop out before the cut to ``limit``: a weak signal
            # with a large weight must not push a qualifying one off the list
            strong = values >= min_value
            contrib = np.where(strong, values * np.array([self.weights[s] for s in names]),
                               -np.inf)
            ranked = np.argsort(-contrib, axis=1, kind="stable")[:, :limit]
            out = [tuple(names[j] for j in row if strong[i, j])
                   for i, row in enumerate(ranked)]
        for name in extra:
            flagged = self.flags[name]
            out = [row + (name,) if flagged[i] else row for i, row in enumerate(out)]
        return out


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


def _labels(probs: np.ndarray, label: np.ndarray | None, end_proba: np.ndarray) -> np.ndarray:
    """The label whose correctness each item is scored on: ``label``, or the argmax of
    ``probs`` when omitted; where ``label`` is -1 (the item got none: no LF voted, or a tie
    left unbroken), the end model's own most likely class, so the label's signals say how
    sure the text classifier is of any class (not of a tie-break's coin flip)."""
    if label is None:
        return np.asarray(probs).argmax(axis=1)
    label = _per_item(label, len(probs), "label")
    return np.where(label >= 0, label, np.asarray(end_proba).argmax(axis=1))


def _per_item(values: np.ndarray, n: int, name: str, dtype: type = np.int64) -> np.ndarray:
    """``values`` as an array of ``dtype``; :class:`ValueError` naming the argument unless
    it holds one entry per item."""
    values = np.asarray(values, dtype=dtype)
    if values.shape != (n,):
        raise ValueError(f"{name} must have one entry per item ({n}), got shape "
                         f"{values.shape}")
    return values


def disagreement(probs: np.ndarray, end_proba: np.ndarray, *,
                 label: np.ndarray | None = None) -> np.ndarray:
    """``1 -`` the end model's probability of the label model's label (default: argmax;
    -1, no label: the end model's most likely class)."""
    label = _labels(probs, label, end_proba)
    return 1.0 - np.asarray(end_proba)[np.arange(len(label)), label]


def cleanlab_available() -> bool:
    """Whether the optional cleanlab package can be imported."""
    try:
        import cleanlab.rank  # noqa: F401
    except ImportError:
        return False
    return True


def wants_cleanlab(cleanlab: bool | None, n: int) -> bool:
    """Whether a ranking of ``n`` items computes the cleanlab signal: ``cleanlab`` as
    :func:`rank_queue` takes it, ``None`` meaning when installed (logging the install hint
    when not)."""
    if cleanlab is None and n:
        cleanlab = cleanlab_available()
        if not cleanlab:
            log.info("cleanlab is not installed: the review ranking has no 'cleanlab' "
                     "signal (%s)", CLEANLAB_HINT)
    return bool(cleanlab) and n > 0


def cleanlab_signal(end_proba: np.ndarray, label: np.ndarray) -> np.ndarray:
    """``1 -`` cleanlab's label quality of ``label`` given out-of-fold ``end_proba`` (n x k):
    self-confidence with per-class thresholds subtracted (``adjust_pred_probs``).

    Raises :class:`~labelwright.errors.ConfigError` with the install hint when cleanlab is
    not installed.
    """
    get_label_quality_scores = _from_cleanlab("rank", "get_label_quality_scores")
    end_proba = np.asarray(end_proba, dtype=np.float64)
    quality = get_label_quality_scores(np.asarray(label, dtype=np.int64), end_proba,
                                       method="self_confidence", adjust_pred_probs=True)
    return np.clip(1.0 - np.asarray(quality, dtype=np.float64), 0.0, 1.0)


def cleanlab_issues(end_proba: np.ndarray, label: np.ndarray) -> np.ndarray:
    """The items cleanlab flags as label issues given out-of-fold ``end_proba`` (n x k):
    ``cleanlab.filter.find_label_issues`` with its defaults (confident learning, pruned by
    noise rate). An item labelled ``i`` counts towards class ``j`` when its probability of
    ``j`` reaches ``j``'s threshold (the end model's average probability of ``j`` on items
    labelled ``j``); for each pair of classes cleanlab estimates from those counts how many
    labels are wrong and flags that many, largest margin of ``j`` over ``i`` first, never an
    item whose most likely class is its label. A verdict relative to the data, unlike a cut
    on :func:`cleanlab_signal`'s value. Fewer than 2 classes among the labels: nothing is
    flagged (cleanlab refuses them; no item can reach an absent class's threshold).

    Raises :class:`~labelwright.errors.ConfigError` with the install hint when cleanlab is
    not installed.
    """
    find_label_issues = _from_cleanlab("filter", "find_label_issues")
    label = np.asarray(label, dtype=np.int64)
    if np.unique(label).size < 2:
        return np.zeros(len(label), dtype=bool)
    with warnings.catch_warnings():
        # it keeps at least one item per class unflagged, and says so for small classes
        warnings.filterwarnings("ignore", "May not flag all label issues", UserWarning)
        # n_jobs=1: no process pool forked from a program that may run threads
        issues = find_label_issues(label, np.asarray(end_proba, dtype=np.float64), n_jobs=1)
    return np.asarray(issues, dtype=bool)


def _from_cleanlab(module: str, name: str) -> Any:
    """``cleanlab.<module>.<name>``; a :class:`ConfigError` with the install hint when
    cleanlab is not installed."""
    try:
        return getattr(__import__(f"cleanlab.{module}", fromlist=[name]), name)
    except ImportError:
        raise ConfigError(f"the cleanlab signal needs the cleanlab package: "
                          f"{CLEANLAB_HINT}") from None


def rank_queue(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *, seed: int,
               reviewed_gold: np.ndarray | None = None, label: np.ndarray | None = None,
               n_splits: int = 5, end_proba: np.ndarray | None = None,
               end_scored: np.ndarray | None = None,
               cleanlab: bool | None = None, workers: int | None = None,
               features: str = "auto", cache_dir: Path | None = None,
               groups: np.ndarray | None = None) -> RankResult:
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
        The label each item got (class index; omitted: the argmax of ``probs``), the label
        whose correctness is scored. -1: the item got no label (no LF voted, or an unbroken
        tie); its ``end_model_disagrees`` and ``cleanlab`` score the end model's own most
        likely class, so they do not depend on a tie-break's coin flip.
    end_proba
        Precomputed out-of-fold end-model probabilities (skips training).
    end_scored
        With ``end_proba``: the rows a model scored (``OutOfFold.scored``; default: all).
        The others get 0 for ``end_model_disagrees`` and ``cleanlab``.
    cleanlab
        Compute the ``cleanlab`` signal: ``None`` (default) when cleanlab is installed
        (otherwise the signal is left out and the install hint logged), ``True`` always
        (:class:`~labelwright.errors.ConfigError` with the install hint when cleanlab is
        missing), ``False`` never.
    workers
        Threads fitting the end model's folds at once (``None``: the usable cores).
    features
        What the end model reads: ``"words"``, ``"words+chars"`` or ``"auto"`` (see
        :class:`~labelwright.end_model.model.EndModel`).
    cache_dir
        Where the end model's term counts of the texts are kept between runs (``None``:
        not kept); the scores are the same either way
        (:mod:`labelwright.end_model.term_counts`).
    groups
        Each item's text group, when the caller found them
        (:func:`labelwright.copies.find_copies`); the end model's folds keep a group
        together (found here when not given).
    """
    probs = np.asarray(probs, dtype=np.float64)
    n, k = probs.shape
    if len(texts) != n or len(votes) != n:
        raise ValueError(f"probs has {n} rows but votes has {len(votes)} and texts "
                         f"{len(texts)}; they must describe the same items")
    if label is not None:  # before the end model's folds are fit
        label = _per_item(label, n, "label")
    covered = np.asarray((np.asarray(votes) >= 0).any(axis=1) if n else [], dtype=bool)
    gold = None
    if reviewed_gold is not None:
        gold = _per_item(reviewed_gold, n, "reviewed_gold")
        if n and (gold.min() < -1 or gold.max() >= k):
            raise ValueError(f"reviewed_gold must be -1 (not reviewed) or 0..{k - 1}, got "
                             f"values from {gold.min()} to {gold.max()}")
    if end_proba is None:
        train_probs, train_mask, done = probs, covered, None
        if gold is not None and (gold >= 0).any():
            done = gold >= 0
            train_probs = probs.copy()
            train_probs[done] = np.eye(k)[gold[done]]
            train_mask = covered | done
        # reviewed labels are few and certain: every fold model keeps them
        end_proba, end_scored = score_out_of_fold(
            texts, train_probs, [str(c) for c in range(k)], train_mask=train_mask,
            n_splits=n_splits, seed=seed, keep=done, workers=workers, features=features,
            cache_dir=cache_dir, groups=groups)
    scored = (np.ones(n, dtype=bool) if end_scored is None
              else _per_item(end_scored, n, "end_scored", bool))
    label = _labels(probs, label, end_proba)
    # a placeholder row's 1 - 1/k is no verdict of the end model's: the signal is absent
    signals = {**uncertainty_signals(probs), **vote_signals(votes, k),
               "end_model_disagrees": np.where(
                   scored, disagreement(probs, end_proba, label=label), 0.0)}
    cleanlab = wants_cleanlab(cleanlab, n)
    flags: dict[str, np.ndarray] = {}
    if cleanlab:
        # on the scored rows only: placeholders would also shift cleanlab's class thresholds
        signals["cleanlab"], flags["cleanlab"] = np.zeros(n), np.zeros(n, dtype=bool)
        if scored.any():
            signals["cleanlab"][scored] = cleanlab_signal(end_proba[scored], label[scored])
            flags["cleanlab"][scored] = cleanlab_issues(end_proba[scored], label[scored])
    weights = default_weights(list(signals))
    default_score = sum(w * signals[s] for s, w in weights.items())
    score, source = default_score, "default"
    cv: dict[str, float] = {}
    if gold is not None:
        learned = learn_weights(signals, label, gold, seed=seed)
        if learned is not None:
            learned_weights, model, cv = learned
            if cv["reviewed"] > cv["default"] + CV_TIE and cv["bootstrap_wins"] >= WEIGHTS_SURE:
                _, X = signal_matrix(signals)
                weights, score, source = learned_weights, model.predict_proba(X)[:, 1], \
                    "reviewed"
    return RankResult(score=np.asarray(score, dtype=np.float64), signals=signals,
                      weights=weights, weights_source=source, end_proba=end_proba,
                      end_scored=scored, flags=flags, weights_cv=cv)


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
