"""Closed-form triplet label model (FlyingSquid-style), fit in one pass over the votes.

Fu et al. (2020), "Fast and Three-rious: Speeding Up Weak Supervision with Triplet Methods".
Each LF, when it votes, is right with probability ``a_j`` and otherwise picks a wrong class
uniformly. Writing ``x_j = onehot(vote) - 1/k`` (0 when abstaining) and
``alpha_j = (k a_j - 1) / (k - 1)``, conditional independence gives for two LFs that both vote

    M_ij = (P(agree) - 1/k) / (1 - 1/k) = alpha_i * alpha_j

so every triplet (i, j, l) yields ``alpha_i^2 = M_ij M_il / M_jl``; we take the median over
triplets. The only statistics needed are pairwise agreement counts, gathered with a few
matrix products per chunk of rows, so the fit is one pass and needs no iterations over L.
With ``balance_iter`` > 0 the class balance is then fit by EM with the accuracies fixed (on at
most 200,000 sampled items); by default it is uniform unless given or taken from gold.
"""

from __future__ import annotations

import numpy as np

from labelwright.models.base import LabelModel
from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, gold_class_balance
from labelwright.models.learned_fields import Field
from labelwright.models.patterns import blocks, class_vote_counts, map_patterns
from labelwright.models.ties import row_max

#: items sampled for the class-balance EM
BALANCE_ROWS = 200_000
#: rows per slice of the moment computation (8192 x 50 float32 = 1.6 MB: cache-sized)
MOMENT_ROWS = 8192


class TripletModel(LabelModel):
    """Triplet (method-of-moments) label model with symmetric per-LF accuracies.

    Parameters
    ----------
    min_overlap
        Pairs of LFs that both vote on fewer items are not used in triplets.
    prior_accuracy
        Accuracy given to LFs without a usable triplet (too little overlap).
    balance_iter
        EM rounds for the class balance (0 = uniform) when it is neither given nor gold.
        Off by default: with LFs that each vote one class (the usual kind), which class an
        item no LF voted on belongs to is not identifiable, and EM drives the balance into
        a corner (measured on WRENCH sms: [1.0, 0.0], every item predicted ham).

    Every LF is taken to be at least as good as chance (as in FlyingSquid): a negative
    pairwise signal between two LFs (typical of two one-sided LFs voting different
    classes, whose overlap is mostly conflict) does not fit that model and is left out of
    the triplets, instead of flipping an LF into an adversary.

    Learned: ``accuracies_`` (m,), ``weights_`` (m,) log-odds, ``class_balance_``.
    """

    name = "triplet"
    learned_fields = {**LabelModel.learned_fields,
                      "accuracies_": Field("probability", ("m",)),
                      "weights_": Field("number", ("m",))}

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", min_overlap: int = 10,
                 prior_accuracy: float = 0.7, balance_iter: int = 0) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.min_overlap = min_overlap
        self.prior_accuracy = prior_accuracy
        self.balance_iter = balance_iter

    def _check_params(self) -> None:
        self._require_share("prior_accuracy")
        self._require_number("min_overlap", 0, whole=True)
        self._require_number("balance_iter", 0, whole=True)

    def _moments(self, parts: list) -> tuple[np.ndarray, np.ndarray]:
        """(both, agree): weighted counts of items where LFs i and j both vote / agree.

        Each is a sum of ``X.T @ X`` with ``X`` an indicator matrix scaled by sqrt(count),
        which numpy computes as a symmetric rank-k update. Rows go through in slices of
        :data:`MOMENT_ROWS` written into one reused float32 buffer, so the indicators stay
        in cache (about twice as fast at 1M x 50 as whole-block indicators).
        """
        m = parts[0].votes.shape[1]
        both = np.zeros((m, m))
        agree = np.zeros((m, m))
        buffer = np.empty((MOMENT_ROWS, m), dtype=np.float32)
        for b in parts:
            root = None if b.counts is None else np.sqrt(b.counts).astype(np.float32)
            for start in range(0, len(b.votes), MOMENT_ROWS):
                votes = b.votes[start:start + MOMENT_ROWS]
                x = buffer[:len(votes)]
                for c in range(-1, self.cardinality):
                    if c < 0:
                        np.greater_equal(votes, 0, out=x, casting="unsafe")
                    else:
                        np.equal(votes, c, out=x, casting="unsafe")
                    if root is not None:
                        x *= root[start:start + MOMENT_ROWS, None]
                    gram = x.T @ x
                    if c < 0:
                        both += gram
                    else:
                        agree += gram
        return both, agree

    def _signal(self, both: np.ndarray, agree: np.ndarray) -> np.ndarray:
        """alpha_j >= 0 (LFs no worse than chance) from the median of triplet estimates."""
        k, m = self.cardinality, len(both)
        ok = both >= self.min_overlap
        np.fill_diagonal(ok, False)
        with np.errstate(divide="ignore", invalid="ignore"):
            M = np.where(ok, (agree / np.where(ok, both, 1) - 1 / k) / (1 - 1 / k), np.nan)
        a0 = (k * self.prior_accuracy - 1) / (k - 1)
        alpha = np.full(m, a0)
        # only positive signals fit the model (alpha >= 0): a negative one comes from class-
        # dependent coverage (two one-sided LFs of different classes mostly conflict)
        usable = ok & (np.nan_to_num(M) > 0.05)
        for i in range(m):
            # every pair of a triplet must be usable: M_ij and M_il too, or two negative
            # signals of a worse-than-chance LF would multiply into a high accuracy
            js = np.flatnonzero(usable[i])
            if len(js) < 2:
                continue
            sub = usable[np.ix_(js, js)]
            sub = np.triu(sub, 1)
            a, b = np.nonzero(sub)
            if len(a) == 0:
                continue
            est = M[i, js[a]] * M[i, js[b]] / M[js[a], js[b]]
            est = est[np.isfinite(est)]
            if len(est) == 0:
                continue
            alpha[i] = np.sqrt(np.clip(np.median(est), 0.0, 1.0))
        return alpha

    def _fit(self, L, y_dev, class_balance, rng):
        k = self.cardinality
        parts = list(blocks(L))
        both, agree = self._moments(parts)
        alpha = self._signal(both, agree)
        acc = np.clip((alpha * (k - 1) + 1) / k, 1e-3, 1 - 1e-3)
        self.accuracies_ = acc
        self.weights_ = np.log(acc * (k - 1) / (1 - acc))
        p = class_balance
        if p is None:
            p = gold_class_balance(y_dev, k, MIN_GOLD_FOR_BALANCE)
        if p is None:
            p = self._fit_balance(L, rng)
        self.class_balance_ = p

    def _fit_balance(self, L: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """EM for the class balance with accuracies fixed, on up to ``BALANCE_ROWS`` items
        sampled with ``rng`` (a k-vector needs no more)."""
        k = self.cardinality
        p = np.full(k, 1.0 / k)
        if self.balance_iter <= 0:
            return p
        if len(L) > BALANCE_ROWS:
            L = L[np.sort(rng.choice(len(L), BALANCE_ROWS, replace=False))]
        scores = [(class_vote_counts(b.votes, k, self.weights_), b.weights) for b in blocks(L)]
        for _ in range(self.balance_iter):
            mass = np.ones(k)  # add-one (Dirichlet) smoothing
            for s, w in scores:
                z = s + np.log(p)
                z = np.exp(z - row_max(z))
                mass += (z / z.sum(axis=1, keepdims=True) * w[:, None]).sum(axis=0)
            new = mass / mass.sum()
            done = np.abs(new - p).max() < 1e-7
            p = new
            if done:
                break
        return p

    def _predict_proba(self, L):
        log_p = np.log(self.class_balance_)

        def fn(votes: np.ndarray) -> np.ndarray:
            z = class_vote_counts(votes, self.cardinality, self.weights_) + log_p
            return np.exp(z - row_max(z))

        return map_patterns(L, fn, self.cardinality)
