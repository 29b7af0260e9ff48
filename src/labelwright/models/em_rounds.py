"""Dawid–Skene's EM rounds over blocks of rows, and what one fit carries between them.

Every product runs against class 0: the E-step needs each row's log joint of classes
1..k-1 minus class 0's (k-1 columns; one for two classes), the M-step the counts of
classes 1..k-1, and class 0's follow from sums taken once per run (votes per (LF, vote),
total weight), since a row's posterior sums to 1.

Apart from :mod:`~labelwright.models.dawid_skene`, which keeps the model (its settings,
how a fit is set up, prediction): :class:`EMRounds` runs the rounds (on a row sample first
if asked, then on all rows, blocks spread over threads) and holds a fit's state while it runs (the
held one-sided LFs, the prior's spread, the (LF, vote) pairs the ``monotone`` rule leaves
free and those it held down), so none of it stays on the model. The arithmetic inside a
round is in :mod:`~labelwright.models.em_steps`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from labelwright.models import vote_blocks
from labelwright.models.confusion_tables import log_tables
from labelwright.models.em_steps import block_stats, dirichlet_prior, normalise, sample_blocks
from labelwright.models.monotone import monotone_counts, unconstrained_votes
from labelwright.models.one_sided import held_confusion
from labelwright.models.vote_blocks import BlockList, Blocks, SparseBlocks, blas_controller

if TYPE_CHECKING:
    from labelwright.models.dawid_skene import DawidSkene

#: EM rounds on the row sample at most: it only warms up the full rounds, and along the
#: flat directions of the likelihood (class-dependent abstain rates without gold) a sample
#: can creep for 100+ rounds where the full data stops within tol in a few
SAMPLE_ROUNDS = 25


@dataclass
class EMRounds:
    """The EM of one fit of ``model``: its rounds (:meth:`run`, once on a row sample and
    once on all rows, or once) set ``confusion_`` and, when ``learn``, ``class_balance_``.

    ``held``: under ``abstain="ignore"``, the one-sided LFs, their classes and accuracies,
    whose confusion rows are held (see :mod:`~labelwright.models.one_sided`); ``spread``:
    the shares the prior's pseudo-votes fall on the classes by
    (:func:`~labelwright.models.em_steps.dirichlet_prior`); with ``monotone``, ``free``:
    the (LF, vote) pairs left to EM (:func:`~labelwright.models.monotone.unconstrained_votes`,
    completed on each run's first round), and ``bound``: those the last M-step held down
    (:func:`~labelwright.models.monotone.monotone_counts`)."""

    model: DawidSkene
    learn: bool
    spread: np.ndarray
    held: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    free: np.ndarray | None = None
    bound: np.ndarray | None = None

    def fit(self, L: np.ndarray, y_dev: np.ndarray | None, rng: np.random.Generator
            ) -> tuple[int, int, float, float, np.ndarray]:
        """The fit's rounds over ``L``: first on a row sample drawn with ``rng`` when the
        model's ``sample_rows`` asks for one, then on all rows, on a pool of ``n_threads``.
        Returns (rounds on the sample, rounds on all rows, then :meth:`run`'s
        log-likelihood, change and votes of the full rounds)."""
        model = self.model
        k = model.cardinality
        threads = max(int(model.n_threads), 1)
        many = len(L) > vote_blocks.BLOCK_ROWS
        pool = ThreadPoolExecutor(threads) if threads > 1 and many else None
        # the pool's threads are the parallelism: BLAS threads inside them would contend.
        # Also without a pool: a multi-threaded BLAS sums in an order that depends on its
        # thread count, and the fit must not depend on n_threads
        limits = blas_controller().limit(limits=1, user_api="blas")
        try:
            full = SparseBlocks(L, y_dev, k)
            rounds, warm = 0, False
            if model.sample_rows and full.n_rows(pool) > model.sample_rows:
                sample = BlockList(sample_blocks(L, y_dev, rng, sample_rows=model.sample_rows,
                                                  k=k))
                rounds, _, _, _ = self.run(sample, min(model.max_iter, SAMPLE_ROUNDS), False,
                                           pool)
                warm = True
            # the full rounds have a budget of their own: the sample only gives a warm start,
            # the answer is the full data's
            more, ll, change, votes = self.run(full, model.max_iter, warm, pool)
        finally:
            if pool is not None:
                pool.shutdown()
            limits.restore_original_limits()
        return rounds, more, ll, change, votes

    def run(self, source: Blocks, max_iter: int, warm: bool,
            pool: ThreadPoolExecutor | None) -> tuple[int, float, float, np.ndarray]:
        """EM rounds over the blocks of ``source`` until the mean log-likelihood
        changes < ``tol`` (after >= 2 rounds) or ``max_iter``; starts from the current
        ``confusion_`` when ``warm``, else from the majority vote. Blocks are processed on
        ``pool`` (results summed in block order, so threads do not change the answer).
        Returns (rounds, mean log-likelihood, its change in the last round: below ``tol``
        when EM converged, infinite when no round could be compared, and each LF's votes
        per class (m, k), counted on the first round)."""
        model = self.model
        k = model.cardinality
        prior = None
        votes = None
        # votes per (LF, vote) and total weight, as counted for the prior and with gold rows
        # weighted for the fit (taken on the first round)
        voted: np.ndarray | float = 0.0
        voted_fit: np.ndarray | float = 0.0
        last, ll, n, n_fit, change = -np.inf, 0.0, 0.0, 0.0, np.inf
        # round 1 of a cold start has no model yet (majority vote), so no log-likelihood
        first_ll = 1 if warm else 2
        it = 0
        for it in range(1, max_iter + 1):
            if warm or it > 1:
                # while fitting, abstains inform unless ignored ("fit_only" too)
                W, base = log_tables(model.confusion_, model.class_balance_,
                                     informative=model.abstain != "ignore",
                                     copy_of=model.copy_of_)
                W_rel, base_rel = W[:, 1:] - W[:, :1], base[1:] - base[0]
            else:
                W, base, W_rel, base_rel = None, np.zeros(k), None, np.zeros(k - 1)
            vote_stats: np.ndarray | float = 0.0
            mass = np.zeros(k - 1)
            ll = 0.0
            first = prior is None
            step = partial(block_stats, W=W_rel, base=base_rel, first=first, k=k,
                           copy_of=model.copy_of_, gold_weight=model.gold_weight)
            for stats_b, mass_b, ll_b, sums_b in source.map(pool, step):
                vote_stats = vote_stats + stats_b
                mass += mass_b
                ll += ll_b
                if sums_b is not None:
                    voted = voted + sums_b[0]
                    voted_fit = voted_fit + sums_b[1]
                    n += sums_b[2]
                    n_fit += sums_b[3]
            voted, voted_fit = np.asarray(voted), np.asarray(voted_fit)
            if first:
                votes = voted.reshape(-1, k)
                prior = dirichlet_prior(votes.sum(axis=1), n, k, model.prior_accuracy,
                                        model.prior_strength, self.spread)
                if self.free is not None:
                    self.free = unconstrained_votes(votes, self.free)
            assert prior is not None and votes is not None  # set on the first round
            m = prior.shape[0]
            rel = np.asarray(vote_stats).reshape(m * k, k - 1)
            by_class = np.empty((m * k, k))
            by_class[:, 1:] = rel
            # each row's posterior sums to 1; a class-0 count that is truly 0 can come out
            # -1e-16 from rounding, which (with no prior pseudo-count) would make log(nan)
            by_class[:, 0] = np.maximum(voted_fit - rel.sum(axis=1), 0.0)
            mass = np.concatenate([[max(n_fit - mass.sum(), 0.0)], mass])
            counts = by_class.reshape(m, k, k).transpose(0, 2, 1)  # (m, y, v)
            stats = prior.copy()
            stats[:, :, 1:] += counts
            if model.abstain == "ignore":
                stats[:, :, 0] = 0.0
            else:
                stats[:, :, 0] += np.maximum(mass[None, :] - counts.sum(axis=2), 0.0)
            if W is not None:  # the log joint of class 0, summed over rows: a dot product
                ll += float(voted @ W[:, 0]) + base[0] * n
            if model.monotone:  # in every M-step: see :mod:`monotone`
                stats, self.bound = monotone_counts(stats, self.free)
            model.confusion_ = normalise(stats, model.abstain == "ignore")
            if self.learn:
                model.class_balance_ = (mass + 1.0) / (mass.sum() + k)
            if self.held is not None:  # one-sided LFs under "ignore": held, not fit
                lfs, classes, acc = self.held
                model.confusion_[lfs] = held_confusion(acc, classes, model.class_balance_, k)
                if self.bound is not None:
                    self.bound[lfs] = False
            ll /= n
            if it > first_ll:
                change = abs(ll - last)
                if change < model.tol:
                    break
            last = ll
        assert votes is not None  # max_iter >= 1: at least the first round ran
        return it, ll, change, votes
