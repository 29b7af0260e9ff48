"""Dawid–Skene: one confusion matrix per LF, fit by expectation–maximisation.

Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
algorithm". LFs are conditionally independent given the true class; LF ``j`` votes ``v`` for
an item of class ``y`` with probability ``confusion_[j, y, v]``. EM starts from the majority
vote, Dirichlet pseudo-counts keep confusion matrices away from degenerate solutions (and
favour LFs that are better than chance, which also fixes the label permutation), and all
work is done on unique vote patterns weighted by their counts (see :mod:`patterns`).
"""

from __future__ import annotations

import numpy as np

from labelwright.models.base import LabelModel, gold_class_balance, row_max, row_sum
from labelwright.models.patterns import SLICE_ROWS, Block, blocks, map_patterns

ABSTAIN_MODELS = ("ignore", "informative", "fit_only")
MIN_GOLD_FOR_BALANCE = 20


class DawidSkene(LabelModel):
    """Dawid–Skene label model.

    Parameters
    ----------
    prior_accuracy, prior_strength
        Dirichlet prior on every confusion matrix, worth ``prior_strength`` votes of an LF
        that is right ``prior_accuracy`` of the time (errors spread evenly) and whose coverage
        does not depend on the class. Being counted in *votes*, it shrinks rarely-voting LFs
        toward ``prior_accuracy`` and barely moves LFs with thousands of votes; it also keeps
        EM away from degenerate solutions and from the label permutation (LFs start better
        than chance).
    abstain
        ``"ignore"``: abstains carry no information (``confusion_[j, y]`` is over votes only).
        ``"informative"``: abstaining is one more outcome whose rate may depend on the class
        (an LF that only ever votes "spam" says "probably ham" by abstaining).
        ``"fit_only"``: informative while fitting (so LFs that only vote one class are
        identifiable), ignored when predicting, as snorkel's ``LabelModel`` does: an item's
        probabilities depend only on the votes it got.
    learn_class_balance
        Fit the class balance by EM. When False, the class balance is ``class_balance`` if
        given, else the gold class balance (>= 20 gold rows), else uniform.
    max_iter, tol
        EM stops after ``max_iter`` rounds or when the mean log-likelihood changes < ``tol``.
    gold_weight
        Gold rows of ``y_dev`` enter EM with their posterior fixed to the gold class, each
        counting as ``gold_weight`` items.

    Learned: ``confusion_`` (m, k, k+1) with column 0 = abstain (0 under ``"ignore"``) and
    column ``v+1`` = vote ``v``; ``class_balance_``; ``n_iter_``; ``log_likelihood_``.
    """

    name = "dawid_skene"
    learned_attributes = ("class_balance_", "confusion_", "n_iter_", "log_likelihood_")

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", prior_accuracy: float = 0.7,
                 prior_strength: float = 10.0,
                 abstain: str = "ignore", learn_class_balance: bool = True,
                 max_iter: int = 100, tol: float = 1e-6, gold_weight: float = 1.0) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.prior_accuracy = prior_accuracy
        self.prior_strength = prior_strength
        self.abstain = abstain
        self.learn_class_balance = learn_class_balance
        self.max_iter = max_iter
        self.tol = tol
        self.gold_weight = gold_weight

    # -- EM pieces -----------------------------------------------------------------------
    def _log_table(self, fitting: bool = False) -> np.ndarray:
        """(m, k+1, k): log P(outcome | class), outcome 0 = abstain (0 when ignored)."""
        with np.errstate(divide="ignore"):
            # floor log(0): the table is used in matrix products, where 0 * -inf = nan
            table = np.maximum(np.log(self.confusion_), -1e4).transpose(0, 2, 1).copy()
        if self.abstain == "ignore" or (self.abstain == "fit_only" and not fitting):
            table[:, 0, :] = 0.0
        return table

    def _indicators(self, votes: np.ndarray) -> list[np.ndarray]:
        """Per outcome o (0 = abstain, v+1 = vote v): float (rows, m) indicator matrix."""
        return [(votes == o - 1).astype(np.float64) for o in range(self.cardinality + 1)]

    def _log_joint(self, inds: list[np.ndarray], table: np.ndarray) -> np.ndarray:
        """log p(y) + sum_j log P(outcome_j | y), as one small matrix product per outcome."""
        joint = np.log(self.class_balance_) + inds[0] @ table[:, 0, :]
        for o in range(1, len(inds)):
            joint += inds[o] @ table[:, o, :]
        return joint

    def _em_pass(self, b: Block, table: np.ndarray | None, stats: np.ndarray) -> tuple:
        """E-step on one block, adding its expected counts to ``stats`` (M-step sums).

        Works on slices of ``SLICE_ROWS`` rows so the indicator matrices stay in CPU cache;
        returns the block's class mass and log-likelihood.
        """
        k = self.cardinality
        mass = np.zeros(k)
        ll = 0.0
        for start in range(0, len(b.votes), SLICE_ROWS):
            sl = slice(start, start + SLICE_ROWS)
            inds = self._indicators(b.votes[sl])
            w = b.weights[sl]
            if table is None:  # initialisation: majority vote shares
                counts = np.column_stack([ind.sum(axis=1) for ind in inds[1:]])
                total = row_sum(counts)
                post = np.where(total > 0, counts / np.maximum(total, 1), 1.0 / k)
            else:
                joint = self._log_joint(inds, table)
                top = row_max(joint)
                post = np.exp(joint - top)
                norm = row_sum(post)
                post /= norm
                ll += float(w @ (np.log(norm[:, 0]) + top[:, 0]))
            if b.gold is not None:
                gold = b.gold[sl]
                g = gold >= 0
                post[g] = 0.0
                post[g, gold[g]] = 1.0
                w = np.where(g, w * self.gold_weight, w)
            wpost = post * w[:, None]
            mass += wpost.sum(axis=0)
            for o, ind in enumerate(inds):
                stats[:, :, o] += ind.T @ wpost
        return mass, ll

    def _prior(self, parts: list[Block], n: float) -> np.ndarray:
        """(m, k, k+1) Dirichlet pseudo-counts (see ``prior_accuracy``)."""
        k, m = self.cardinality, parts[0].votes.shape[1]
        voted = sum((b.votes >= 0).T.astype(np.float64) @ b.weights for b in parts)
        coverage = np.clip(voted / n, 1.0 / (n + 1), 1.0)
        a0, v0 = self.prior_accuracy, self.prior_strength / k
        prior = np.empty((m, k, k + 1))
        prior[:, :, 1:] = v0 * (1 - a0) / (k - 1)
        prior[:, np.arange(k), np.arange(k) + 1] = v0 * a0
        prior[:, :, 0] = (v0 * (1 - coverage) / coverage)[:, None]
        return prior

    def _fit(self, L, y_dev, class_balance, rng):
        if self.abstain not in ABSTAIN_MODELS:
            raise ValueError(f"unknown abstain {self.abstain!r}; "
                             f"valid: {', '.join(ABSTAIN_MODELS)}")
        k = self.cardinality
        parts = list(blocks(L, y_dev))
        n = sum(float(b.weights.sum()) for b in parts)
        prior = self._prior(parts, n)
        table = None
        last = -np.inf
        learn = self.learn_class_balance and class_balance is None
        if class_balance is None:
            class_balance = gold_class_balance(y_dev, k, MIN_GOLD_FOR_BALANCE)
        self.class_balance_ = np.full(k, 1.0 / k) if class_balance is None else class_balance
        for it in range(1, self.max_iter + 1):
            stats = prior.copy()
            class_mass = np.ones(k)
            ll = 0.0
            for b in parts:
                mass, block_ll = self._em_pass(b, table, stats)
                ll += block_ll
                class_mass += mass
            if self.abstain == "ignore":
                stats[:, :, 0] = 0.0
            self.confusion_ = stats / stats.sum(axis=2, keepdims=True)
            if learn:
                self.class_balance_ = class_mass / class_mass.sum()
            table = self._log_table(fitting=True)
            ll /= n
            self.n_iter_ = it
            self.log_likelihood_ = ll
            if it > 2 and abs(ll - last) < self.tol:
                break
            last = ll

    def _predict_proba(self, L):
        table = self._log_table()

        def fn(votes: np.ndarray) -> np.ndarray:
            out = np.empty((len(votes), self.cardinality))
            for start in range(0, len(votes), SLICE_ROWS):
                joint = self._log_joint(self._indicators(votes[start:start + SLICE_ROWS]), table)
                out[start:start + SLICE_ROWS] = np.exp(joint - row_max(joint))
            return out

        return map_patterns(L, fn, self.cardinality)

    @property
    def accuracies_(self) -> np.ndarray:
        """P(vote is right | LF votes), per LF, under ``class_balance_``."""
        votes = self.confusion_[:, :, 1:]
        voted = votes.sum(axis=2)  # P(vote | y)
        right = np.einsum("jyy->jy", votes)
        p = self.class_balance_
        return (right * p).sum(axis=1) / np.maximum((voted * p).sum(axis=1), 1e-12)
