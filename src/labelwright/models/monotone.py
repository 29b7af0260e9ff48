"""Keeping a vote for class ``v`` at least as likely on class ``v``'s items as elsewhere.

LFs are written to vote for their class. Dawid–Skene's likelihood does not know that: with
abstains informative, a latent class can be fit to any group of items that several LFs'
abstains and votes set apart. A rare class whose only evidence is one precise LF was taken
over by another LF's votes for a *different* label: on 60,000 posts, the 5.2% prior the
votes gave ``self_harm`` filled with 1,665 items that a "questions are ok" LF voted on
(P(votes ok | self_harm) 0.43 against 0.095 on ``ok``), and 226 of the 249 items its LFs
voted self_harm on went to ``ok``; given the true balance, ``harassment`` took the items
an LF voting ``ok`` on quoted reports fired on (P(votes ok | harassment) 0.999), and no item
was labelled harassment. Each step of EM raised the likelihood (started from the true
labels, EM went to the same place), so a better start or a comparison of fitted
likelihoods does not find the intended solution: the model has to be told.

:func:`monotone_counts` does so in each M-step: for each vote in turn, the
maximum-likelihood rates under the constraint P(LF j votes v | y) <= P(LF j votes v | v)
for every class y.
Where the counts break it, the classes that break it pool their rate with class ``v``'s
(their counts for vote ``v`` and their items, added, give the shared rate), and each row's
other outcomes keep their proportions. A vote it held down counts, after the fit, at its
held accuracy (``DawidSkene(monotone=True)``'s ``prior_votes_`` and ``held_accuracy_``: the
prior's accuracy moved by the reviewed items the vote was cast on,
:mod:`~labelwright.models.held_votes`), as a vote the fit read against its class does.

The constraint is on LFs that vote one class (``dawid_skene.unconstrained_votes``): they
tell the classes apart only by where they abstain, which follows coverage as much as
classes. An LF voting several classes shows its confusion in its votes.
"""

from __future__ import annotations

import numpy as np


def monotone_counts(stats: np.ndarray, free: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``stats`` (m, k, k+1): counts per (LF, class, outcome), column 0 = abstain and
    column ``v+1`` = vote ``v``, rescaled so that no class's rate of vote ``v`` exceeds
    class ``v``'s; each row keeps its total. ``free`` (m, k) bool: (LF, vote) pairs left
    unconstrained (see :func:`~labelwright.models.dawid_skene.unconstrained_votes`).

    Returns (the counts, (m, k) bool: the (LF, vote) pairs the constraint held down, whose
    vote is now as likely on another class as on its own).

    Votes are taken in turn: rescaling a row for one vote can lift another vote's rate in
    it a little above its own class's, which the next M-step pools again."""
    out = np.array(stats, dtype=np.float64, copy=True)
    m, k = out.shape[0], out.shape[1]
    bound = np.zeros((m, k), dtype=bool)
    for v in range(k):
        bound[:, v] = _pool_vote(out, v, None if free is None else free[:, v])
    return out, bound


def _pool_vote(stats: np.ndarray, v: int, free: np.ndarray | None) -> np.ndarray:
    """Constrain vote ``v``'s column of ``stats`` in place (see :func:`monotone_counts`);
    returns (m,) bool, the LFs whose vote ``v`` it held down.

    Per LF, the set pooled with class ``v`` grows by the class of highest rate above the
    pooled rate, until none is above it (each added class raises the pooled rate, so a
    class below it stays below): the maximum-likelihood rates of binomials constrained
    not to exceed one of them."""
    m, k = stats.shape[0], stats.shape[1]
    total = stats.sum(axis=2)  # (m, k)
    hits = stats[:, :, v + 1]
    rate = np.divide(hits, total, out=np.zeros_like(hits), where=total > 0)
    pooled = np.zeros((m, k), dtype=bool)
    pooled[:, v] = True
    rows = np.arange(m)
    for _ in range(k - 1):
        above = np.where(pooled, -np.inf, rate)
        best = above.argmax(axis=1)
        grow = above[rows, best] > _pooled_rate(hits, total, pooled)
        if free is not None:
            grow &= ~free
        if not grow.any():
            break
        pooled[rows[grow], best[grow]] = True
    # a row with no other outcome to take the difference (no prior, every count a vote
    # v) keeps its counts
    rest = total - hits
    held = pooled.sum(axis=1) > 1
    change = pooled & held[:, None] & (rest > 0)
    if change.any():
        j, c = np.nonzero(change)
        new_hits = _pooled_rate(hits, total, pooled)[j] * total[j, c]
        stats[j, c, :] *= ((total[j, c] - new_hits) / rest[j, c])[:, None]
        stats[j, c, v + 1] = new_hits
    return held


def _pooled_rate(hits: np.ndarray, total: np.ndarray, pooled: np.ndarray) -> np.ndarray:
    """(m,) per LF, the rate of the classes in ``pooled`` taken together."""
    return (hits * pooled).sum(axis=1) / np.maximum((total * pooled).sum(axis=1), 1e-300)
