"""Voting label models: majority vote and accuracy-weighted majority vote."""

from __future__ import annotations

import numpy as np

from labelwright.counts import counted
from labelwright.models.base import MIN_GOLD_VOTES, LabelModel
from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, gold_class_balance
from labelwright.models.learned_fields import Field
from labelwright.models.patterns import blocks, class_vote_counts, map_patterns
from labelwright.models.ties import row_max, row_sum
from labelwright.percent import percent


def _prior(L: np.ndarray, y_dev: np.ndarray | None, class_balance: np.ndarray | None,
           k: int) -> np.ndarray:
    if class_balance is not None:
        return class_balance
    gold = gold_class_balance(y_dev, k, MIN_GOLD_FOR_BALANCE)
    return gold if gold is not None else np.full(k, 1.0 / k)


def _shrunk(right: np.ndarray, seen: np.ndarray, strength: float,
            prior: float | np.ndarray) -> np.ndarray:
    """Accuracy ``(right + strength * prior) / (seen + strength)``; ``prior`` where an LF has
    neither votes nor prior weight (``prior_strength=0`` and no vote: 0 / 0)."""
    num = right + strength * prior
    den = seen + strength
    out = np.broadcast_to(np.asarray(prior, dtype=np.float64), num.shape).copy()
    np.divide(num, den, out=out, where=den > 0)
    return out


class MajorityVote(LabelModel):
    """Each vote counts once; probabilities are the share of votes per class.

    Items where every LF abstains get ``class_balance_``: the ``class_balance`` passed to
    ``fit``, else the gold class balance (with >= 20 gold rows), else uniform -- so ties and
    all-abstain items go to ``tie_break``, as in snorkel's ``MajorityLabelVoter``.
    """

    name = "majority"

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = _prior(L, y_dev, class_balance, self.cardinality)

    def _predict_proba(self, L):
        def fn(votes: np.ndarray) -> np.ndarray:
            counts = class_vote_counts(votes, self.cardinality)
            total = row_sum(counts)
            return np.where(total > 0, counts / np.maximum(total, 1), self.class_balance_)

        return map_patterns(L, fn, self.cardinality)


class WeightedMajorityVote(LabelModel):
    """Votes weighted by each LF's log-odds of being right, ``log(a (k-1) / (1 - a))``.

    Accuracies ``accuracies_`` are estimated without gold as each LF's agreement with the
    weighted vote of the *other* LFs (``n_rounds`` rounds, starting from equal weights),
    shrunk toward ``prior_accuracy`` with ``prior_strength`` pseudo-votes. Gold rows, when
    given, update that estimate as a Beta posterior (gold votes count ``gold_weight`` each).
    ``weights_`` are >= 0 (an LF at or below chance is ignored, never read backwards)
    except for an LF that the gold rows themselves show below chance on >= 5 votes.

    An LF the agreement puts at or below chance takes the default model's learned accuracy
    instead (``borrowed_``; gold votes it has then move it as they move any LF's, so a gold
    vote agreeing with it never lowers its weight): the agreement is measured only where
    other LFs vote, and an LF that votes one class mostly where the other class's LFs fire
    comes out below chance however right it is (a spam rule 99.5% right on UCI YouTube,
    33.6% coverage: 0.319 by agreement; the default model, which fits how often each LF
    fires per class, reads it at 0.74).

    The class balance adds ``log(class_balance_)`` to every item's scores: with a balance
    of 95/5, a lone vote for the 5% class wins only from an LF whose weight exceeds
    ``log(95/5)`` = 2.94 (accuracy above 95%). One accuracy per LF, the same whichever class
    it votes, is right for LFs that vote every class; for an LF that votes only the rare
    class, its accuracy *when it votes* already holds the balance, and the prior counts it
    again (see README, "Imbalanced classes").
    """

    name = "weighted_majority"
    learned_fields = {**LabelModel.learned_fields,
                      "accuracies_": Field("probability", ("m",)),
                      "weights_": Field("number", ("m",)),
                      "borrowed_": Field("bool", ("m",))}

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", prior_accuracy: float = 0.7,
                 prior_strength: float = 10.0, n_rounds: int = 3,
                 gold_weight: float = 1.0) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.prior_accuracy = prior_accuracy
        self.prior_strength = prior_strength
        self.n_rounds = n_rounds
        self.gold_weight = gold_weight

    def _check_params(self) -> None:
        self._require_share("prior_accuracy")
        for name in ("prior_strength", "gold_weight"):
            self._require_number(name, 0.0)
        self._require_number("n_rounds", 0, whole=True)  # 0 fits one round, as 1 does

    def _log_odds(self, acc: np.ndarray) -> np.ndarray:
        acc = np.clip(acc, 1e-3, 1 - 1e-3)
        return np.log(acc * (self.cardinality - 1) / (1 - acc))

    def _fit(self, L, y_dev, class_balance, rng):
        k, m = self.cardinality, L.shape[1]
        a0, s = self.prior_accuracy, self.prior_strength
        weights = np.ones(m)
        acc = np.full(m, a0)
        parts = list(blocks(L, y_dev))
        for _ in range(max(self.n_rounds, 1)):
            agree, total = np.zeros(m), np.zeros(m)
            for b in parts:
                w = b.weights
                scores = class_vote_counts(b.votes, k, weights)
                voted = b.votes >= 0
                for j in range(m):
                    # leave-one-out: remove LF j's own vote from the weighted scores
                    own = np.zeros_like(scores)
                    rows = np.flatnonzero(voted[:, j])
                    own[rows, b.votes[rows, j]] = weights[j]
                    loo = scores - own
                    # float32 vote sums: a removed vote leaves ~1e-8, not 0
                    top = loo.max(axis=1)
                    has = voted[:, j] & (top > 1e-6)
                    # a tie shares the agreement among the tied classes (an argmax would
                    # hand it to the lowest class index, so labels hung on class order)
                    tied = loo >= (top - 1e-6)[:, None]
                    mine = tied[np.arange(len(loo)), np.maximum(b.votes[:, j], 0)]
                    agree[j] += (w * (has & mine) / tied.sum(axis=1)).sum()
                    total[j] += w[has].sum()
            acc = _shrunk(agree, total, s, a0)
            weights = np.maximum(self._log_odds(acc), 0.0)
        has_gold = y_dev is not None and bool(np.any(y_dev >= 0))
        # per LF, whatever the reviews: the agreement is no estimate for such an LF, so its
        # reviewed votes move the borrowed accuracy. Moving the agreement's from its fifth
        # reviewed vote on, a spam rule right on all five had dropped from weight 4.04 to
        # 0.07: a review agreeing with an LF must never lower its weight
        self.borrowed_ = weights <= 0
        if self.borrowed_.any():
            acc = np.where(self.borrowed_, self._default_accuracies(L, class_balance), acc)
        # a vote never counts against the class it names (a negative weight), unless the
        # gold rows show the LF worse than chance on >= MIN_GOLD_VOTES of its votes. The
        # agreement above is measured only where other LFs vote too, and an LF that votes
        # one class where the others vote another is mostly seen in its conflicts: a ham
        # rule 99.5% right on UCI SMS came out 15% "accurate", turning its votes into spam
        against = np.zeros(m, dtype=bool)
        if has_gold:
            assert y_dev is not None
            gold = y_dev >= 0
            Lg, yg = L[gold], y_dev[gold]
            voted = Lg >= 0
            hits = ((Lg == yg[:, None]) & voted).sum(axis=0)
            votes = voted.sum(axis=0)
            against = (votes >= MIN_GOLD_VOTES) & (hits < votes / k)
            acc = _shrunk(hits * self.gold_weight, votes * self.gold_weight, s, acc)
        self.accuracies_ = acc
        weights = self._log_odds(acc)
        self.weights_ = np.where(against, weights, np.maximum(weights, 0.0))
        self.class_balance_ = _prior(L, y_dev, class_balance, k)

    def _default_accuracies(self, L: np.ndarray, class_balance: np.ndarray | None
                            ) -> np.ndarray:
        """Per LF, the default model's learned accuracy on ``L`` (fit without gold, at the
        class balance given, else its own)."""
        from labelwright.models.default_fit import fitted_default_model

        learned = fitted_default_model(L, self.cardinality, class_balance,
                                       random_state=self.random_state,
                                       tie_break=self.tie_break).learned_accuracies()
        assert learned is not None  # the default model learns one per LF
        return learned

    def _fill_missing(self) -> None:
        if not hasattr(self, "borrowed_"):  # saved before accuracies were borrowed: none
            self.borrowed_ = np.zeros(len(self.weights_), dtype=bool)

    def _predict_proba(self, L):
        log_p = np.log(self.class_balance_)

        def fn(votes: np.ndarray) -> np.ndarray:
            scores = class_vote_counts(votes, self.cardinality, self.weights_) + log_p
            scores -= row_max(scores)
            return np.exp(scores)

        return map_patterns(L, fn, self.cardinality)


def ignored_lfs_warning(model: object, L: np.ndarray,
                        lf_names: list[str] | None = None) -> str | None:
    """The warning for a fitted ``weighted_majority`` that gives some LFs no weight (their
    accuracy, by agreement or the default model's or the gold rows', at or below chance):
    their votes count for nothing, which the labels do not show. Names each with the share
    of the items it voted on; says which took the default model's accuracy. None for any
    other model, or when every LF that voted counts."""
    if not isinstance(model, WeightedMajorityVote) or not hasattr(model, "weights_"):
        return None
    names = lf_names or [f"LF {j}" for j in range(len(model.weights_))]
    coverage = (np.asarray(L) >= 0).mean(axis=0) if len(L) else np.zeros(len(names))
    ignored = np.flatnonzero((model.weights_ == 0) & (coverage > 0))
    if not len(ignored):
        return None
    listed = ", ".join(f"'{names[j]}' ({percent(coverage[j])} of the items, accuracy read "
                       f"{model.accuracies_[j]:.3f})" for j in ignored)
    how = ("the agreement with the other LFs and the default model's fit both read"
           if model.borrowed_[ignored].all() else "its accuracy estimate reads")
    many = len(ignored) > 1
    return (f"weighted_majority ignores {counted(len(ignored), 'LF')}: {listed}; {how} "
            f"{'them' if many else 'it'} at or below chance (1 in {model.cardinality}), so "
            f"{'their' if many else 'its'} votes count for nothing: check the "
            f"{'rules' if many else 'rule'}; reviewed labels "
            f"{'they vote' if many else 'it votes'} on give "
            f"{'each' if many else 'it'} its accuracy on them")
