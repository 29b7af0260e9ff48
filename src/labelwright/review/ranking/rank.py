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
"the label is wrong" from the signals is fit on the reviewed items: on the label each had
before its review (``shown_label``, the suggestion its reviewer was shown) and that label's
signals (:mod:`~labelwright.review.ranking.shown`), not on this run's label, which a label
model fit with the reviews has mostly learned. It replaces the default weights only if it
ranks the reviewed items better in cross-validation (average precision of "wrong",
:data:`WEIGHT_FOLDS` folds), and in at least :data:`WEIGHTS_SURE` of bootstrap resamples of
the reviewed items; its score is then its predicted probability. ``RankResult.weights_cv``
holds both cross-validated scores and the bootstrap share, ``weights_evidence`` why the
weights are what they are and from how many items.

This module combines them; the signals are computed in
:mod:`~labelwright.review.ranking.signals` and the weights chosen in
:mod:`~labelwright.review.ranking.weights` (their names still import from here), the
arguments checked in :mod:`~labelwright.review.ranking.rank_inputs` and the end model's
verdicts found in :mod:`~labelwright.review.ranking.end_scores`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.review.ranking.end_scores import end_model_scores
from labelwright.review.ranking.rank_inputs import checked_inputs, shown_label_probs
from labelwright.review.ranking.shown import shown_signals

# the signals and the weights, in their own modules; their names still import from here
from labelwright.review.ranking.signals import CLEANLAB_HINT as CLEANLAB_HINT
from labelwright.review.ranking.signals import SIGNALS as SIGNALS
from labelwright.review.ranking.signals import _labels, _per_item, item_signals
from labelwright.review.ranking.signals import cleanlab_available as cleanlab_available
from labelwright.review.ranking.signals import cleanlab_issues as cleanlab_issues
from labelwright.review.ranking.signals import cleanlab_signal as cleanlab_signal
from labelwright.review.ranking.signals import disagreement as disagreement
from labelwright.review.ranking.signals import log as log
from labelwright.review.ranking.signals import uncertainty_signals as uncertainty_signals
from labelwright.review.ranking.signals import vote_signals as vote_signals
from labelwright.review.ranking.signals import wants_cleanlab as wants_cleanlab
from labelwright.review.ranking.weights import CV_TIE as CV_TIE
from labelwright.review.ranking.weights import DEFAULT_WEIGHTS as DEFAULT_WEIGHTS
from labelwright.review.ranking.weights import MIN_PER_CLASS as MIN_PER_CLASS
from labelwright.review.ranking.weights import MIN_REVIEWED as MIN_REVIEWED
from labelwright.review.ranking.weights import WEIGHT_BOOTSTRAP_ROUNDS as WEIGHT_BOOTSTRAP_ROUNDS
from labelwright.review.ranking.weights import WEIGHT_FOLDS as WEIGHT_FOLDS
from labelwright.review.ranking.weights import WEIGHTS_SURE as WEIGHTS_SURE
from labelwright.review.ranking.weights import WeightsEvidence as WeightsEvidence
from labelwright.review.ranking.weights import default_weights as default_weights
from labelwright.review.ranking.weights import learn_weights as learn_weights
from labelwright.review.ranking.weights import signal_matrix as signal_matrix
from labelwright.review.ranking.weights import weights_reason as weights_reason

#: signals shown on an exported item whenever their tool flags it (``RankResult.flags``),
#: whatever their weight, after the ``limit`` largest contributions (another tool's verdict
#: a reviewer may want to see)
ALWAYS_SHOWN = ("cleanlab",)


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
    #: why the weights are the defaults or learned, from what (:class:`WeightsEvidence`'s
    #: record; the manifest's ``triage.ranking_weights_evidence``)
    weights_evidence: dict[str, Any] = field(default_factory=dict)

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
def rank_queue(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *, seed: int,
               reviewed_gold: np.ndarray | None = None, label: np.ndarray | None = None,
               n_splits: int = 5, end_proba: np.ndarray | None = None,
               end_scored: np.ndarray | None = None,
               cleanlab: bool | None = None, workers: int | None = None,
               features: str = "auto", cache_dir: Path | None = None,
               groups: np.ndarray | None = None,
               shown_label: np.ndarray | None = None,
               shown_probs: np.ndarray | None = None,
               shown_votes: dict[str, np.ndarray] | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> RankResult:
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
    shown_label
        Per item, the label it had before its review, the one its reviewer was shown
        (class index; -1: exported without a label; -2: not known), whose correctness the
        learned weights learn from, with its signals as it had them
        (:mod:`~labelwright.review.ranking.shown`); only reviewed items with a shown label
        are learned from. Omitted: ``label``, the label each item has now (a label model
        fit without the reviews gives it; one fit with them has learned them).
    shown_probs
        With ``shown_label``: the probabilities each such label was shown with (n x k, NaN
        where not known); omitted: ``probs``.
    shown_votes
        With ``shown_label``: ``{"no_vote": ..., "conflict": ...}``, each item's vote
        signals as the run that exported it had them (NaN where not known: its votes now
        are used); omitted: the votes now.
    progress
        Hears the end model's folds: ``progress("review ranking", 0, folds)`` once they are
        drawn (after the texts' term counts), then ``progress("review ranking", 1, folds)``
        as each fold's model has scored its items (not called with ``end_proba``).
    """
    probs = np.asarray(probs, dtype=np.float64)
    label, covered, gold = checked_inputs(probs, votes, texts, label=label,
                                          reviewed_gold=reviewed_gold)
    n = len(probs)
    if end_proba is None:
        end_proba, end_scored = end_model_scores(
            probs, texts, covered, gold, seed=seed, n_splits=n_splits, workers=workers,
            features=features, cache_dir=cache_dir, groups=groups, progress=progress)
    scored = (np.ones(n, dtype=bool) if end_scored is None
              else _per_item(end_scored, n, "end_scored", bool))
    label = _labels(probs, label, end_proba)
    signals, flags = item_signals(probs, votes, end_proba, scored, label, cleanlab=cleanlab)
    weighed = _weighed(signals, probs, label, gold, end_proba, scored, seed=seed,
                       shown_label=shown_label, shown_probs=shown_probs,
                       shown_votes=shown_votes)
    return RankResult(score=np.asarray(weighed.score, dtype=np.float64), signals=signals,
                      weights=weighed.weights, weights_source=weighed.source,
                      end_proba=end_proba, end_scored=scored, flags=flags,
                      weights_cv=weighed.cv, weights_evidence=weighed.evidence.record())


@dataclass
class _Weighing:
    """How :func:`_weighed` combined the signals: the weights, the scores they give, where
    they come from (``"default"`` or ``"reviewed"``), their cross-validated scores and the
    evidence for them."""

    weights: dict[str, float]
    score: np.ndarray
    source: str
    cv: dict[str, float]
    evidence: WeightsEvidence


def _weighed(signals: dict[str, np.ndarray], probs: np.ndarray, label: np.ndarray,
             gold: np.ndarray | None, end_proba: np.ndarray, scored: np.ndarray, *,
             seed: int, shown_label: np.ndarray | None, shown_probs: np.ndarray | None,
             shown_votes: dict[str, np.ndarray] | None) -> _Weighing:
    """The signals combined: by the default weights, or by weights learned from the
    reviewed items (``gold``) when they rank those better (see the module docstring), each
    judged on the label it was shown before review (``shown_label``, with ``shown_probs``
    and ``shown_votes``; see :func:`rank_queue`)."""
    n = len(probs)
    weights = default_weights(list(signals))
    default_score = sum(w * signals[s] for s, w in weights.items())
    score, source = default_score, "default"
    cv: dict[str, float] = {}
    evidence = WeightsEvidence("default", "no reviews")
    if gold is not None:
        shown = (label if shown_label is None
                 else _per_item(shown_label, n, "shown_label"))
        used = (gold >= 0) & (shown >= 0)
        learn_from = (signals if shown_label is None else
                      shown_signals(signals, shown, shown_label_probs(shown_probs, probs, shown),
                                    label, end_proba, scored, shown_votes))
        learned = learn_weights(learn_from, shown, np.where(used, gold, -1), seed=seed)
        if learned is not None:
            cv = learned[2]
        wrong = int((used & (shown != gold)).sum())
        reason = weights_reason(int((gold >= 0).sum()), int(used.sum()), wrong, cv or None)
        if learned is not None and reason == "learned":
            _, X = signal_matrix(signals)
            weights, score, source = learned[0], learned[1].predict_proba(X)[:, 1], "reviewed"
        evidence = WeightsEvidence(
            source, reason, reviewed=int((gold >= 0).sum()), used=int(used.sum()),
            wrong=wrong, cv_default=cv.get("default"), cv_learned=cv.get("reviewed"),
            bootstrap_wins=cv.get("bootstrap_wins"))
    return _Weighing(weights, np.asarray(score), source, cv, evidence)
