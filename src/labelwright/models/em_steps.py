"""The steps of Dawid–Skene's EM that read no fitted state: the Dirichlet prior's
pseudo-counts (:func:`dirichlet_prior`), one block's E-step with its M-step sums
(:func:`block_stats`), confusion matrices from those counts (:func:`normalise`) and the row
sample that warms up the full rounds (:func:`sample_blocks`).

Apart from :mod:`~labelwright.models.dawid_skene`, which keeps the model (its parameters,
how a fit is set up, the rounds and the constraint between them, prediction): these are the
arithmetic, each a plain function of its arrays, so each can be read and tested alone."""

from __future__ import annotations

import numpy as np

from labelwright.models import vote_blocks
from labelwright.models.duplicate_lfs import evidence_shares, first_guess_table
from labelwright.models.patterns import Block, blocks
from labelwright.models.sparse_votes import SparseVotes, softmax_relative, sparse_votes
from labelwright.models.vote_blocks import products


def dirichlet_prior(voted: np.ndarray, n: float, k: int, prior_accuracy: float,
                    prior_strength: float, spread: np.ndarray) -> np.ndarray:
    """(m, k, k+1) Dirichlet pseudo-counts (see ``DawidSkene``'s ``prior_accuracy``,
    ``prior_strength``); ``voted`` (m,) is
    how many of the ``n`` items each LF voted on; ``spread`` (k,): the shares the
    ``prior_strength`` pseudo-votes fall on the classes by.

    With a class balance given to ``fit``, the ``prior_strength`` votes fall on the
    classes as items do, by that balance (equal classes: each row the same share, as
    otherwise). A share of its own per row let a rare class's row be mostly prior: at
    a given 95/5 balance, 50 spam items of 1,001 held against a spam row of
    pseudo-items that abstain as often as the LF does over all items, EM read every
    spam LF as firing on ham as often as on spam, and no item was labelled spam.

    A balance the model takes itself keeps the even spread. From >= 20 gold rows:
    those rows are in every class's row as known labels, and spread by it, ``auto``'s
    lines with WRENCH's valid labels as gold lost accuracy (youtube 86.8 -> 86.0, sms
    86.6 -> 85.2). From the votes (``balance_from_votes``, 3+ labels): spread by it,
    ``benchmarks/rare_labels.py``'s one-sided sets lost 0.1-0.6 points in 5 of 6."""
    m = len(voted)
    coverage = np.clip(voted / n, 1.0 / (n + 1), 1.0)
    a0 = prior_accuracy
    v0 = prior_strength * np.asarray(spread, dtype=np.float64)  # (k,)
    prior = np.empty((m, k, k + 1))
    prior[:, :, 1:] = (v0 * (1 - a0) / (k - 1))[None, :, None]
    prior[:, np.arange(k), np.arange(k) + 1] = v0 * a0
    prior[:, :, 0] = ((1 - coverage) / coverage)[:, None] * v0[None, :]
    return prior


def block_stats(sv: SparseVotes, W: np.ndarray | None, base: np.ndarray, first: bool, *,
                k: int, copy_of: np.ndarray | None, gold_weight: float
                ) -> tuple[np.ndarray, np.ndarray, float,
                           tuple[np.ndarray, np.ndarray, float, float] | None]:
    """E-step on one block and its M-step sums against class 0.

    ``W`` (m*k, k-1) and ``base`` (k-1,) are the log joint tables of classes 1..k-1
    minus class 0's (``W`` None: the majority vote shares, each group of copies of an LF
    (``copy_of``) voting once); gold rows count ``gold_weight`` items each. Returns (vote
    counts (m*k, k-1) by row ``j*k + v`` and class ``y`` >= 1, class mass (k-1,), weighted
    sum of log(sum_y exp(log joint_y - log joint_0)), and on the ``first`` round of a
    run, the block's (votes per (LF, vote), the same with gold-weighted rows, total
    weight, total gold-weighted weight))."""
    X, w = sv.X, sv.weights
    if W is None:  # initialisation: majority vote shares, a group of copies voting once
        shares = evidence_shares(copy_of)
        table = first_guess_table(X.shape[1] // k, k, shares)
        post = products(X, table[:, 1:])
        # copies vote together on the rows fit: a row's shares add up to whole LFs
        total = np.diff(X.indptr) if shares is None else \
            products(X, table.sum(axis=1)[:, None])[:, 0]
        none = total == 0  # no vote: 1/k each (a masked division is much slower)
        post += (none / k)[:, None]
        post /= np.maximum(total, 1)[:, None]
        ll = 0.0
    else:
        rel = products(X, W)
        rel += base
        post, log_norm = softmax_relative(rel)
        ll = float(log_norm.sum() if sv.unit_weights else w @ log_norm)
    w_fit = w
    if sv.gold is not None:
        g = sv.gold >= 0
        post[g] = 0.0
        above = g & (sv.gold > 0)
        post[above, sv.gold[above] - 1] = 1.0
        if gold_weight != 1:
            w_fit = np.where(g, w * gold_weight, w)
    sums = None
    if first:
        voted = sv.XT @ w
        voted_fit = voted if w_fit is w else sv.XT @ w_fit
        sums = (voted, voted_fit, float(w.sum()), float(w_fit.sum()))
    if not (sv.unit_weights and w_fit is w):
        post *= w_fit[:, None]
    mass = np.ones(len(post)) @ post  # column sums (a product is much faster)
    return products(sv.XT, post), mass, ll, sums


def normalise(stats: np.ndarray, ignore: bool) -> np.ndarray:
    """Confusion matrices from counts (m, k, k+1); a class with no count at all (no prior,
    no vote: ``prior_strength=0``) gets equal shares, not 0 / 0."""
    total = stats.sum(axis=2, keepdims=True)
    even = np.full_like(stats, 1.0 / (stats.shape[2] - ignore))
    if ignore:
        even[:, :, 0] = 0.0
    return np.divide(stats, total, out=even, where=total > 0)


def sample_blocks(L: np.ndarray, y_dev: np.ndarray | None, rng: np.random.Generator, *,
                  sample_rows: int | None, k: int) -> list[SparseVotes]:
    """About ``sample_rows`` rows (each kept with the same probability) plus every gold
    row, as sparse blocks; sampled rows weigh (non-gold rows) / (sampled non-gold rows)
    each, so the sample stands for the whole matrix against the prior."""
    n = len(L)
    keep = rng.random(n) < min(float(sample_rows or n) / n, 1.0)
    gold = np.zeros(n, dtype=bool) if y_dev is None else y_dev >= 0
    scale = (n - int(gold.sum())) / max(int((keep & ~gold).sum()), 1)
    rows = np.flatnonzero(keep | gold)
    y = None if y_dev is None else y_dev[rows]

    def make(b: Block) -> SparseVotes:
        w = b.weights * scale
        if b.gold is not None:
            w = np.where(b.gold >= 0, b.weights, w)
        return sparse_votes(b.votes, k, w, b.gold)

    return list(map(make, blocks(L[rows], y, vote_blocks.BLOCK_ROWS)))
