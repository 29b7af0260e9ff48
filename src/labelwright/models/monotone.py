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

The constraint is on LFs that vote one class (:func:`unconstrained_votes`): they
tell the classes apart only by where they abstain, which follows coverage as much as
classes. An LF voting several classes shows its confusion in its votes. Gold rows lift it
for an (LF, vote) pair they clearly show against its class (:func:`gold_shows_against`).
"""

from __future__ import annotations

import numpy as np

from labelwright.models.base import MIN_GOLD_VOTES

#: standard errors by which gold rows must show an LF voting ``v`` more often on another
#: class than on ``v`` before ``monotone`` is lifted for that vote (:func:`gold_shows_against`;
#: 1.96: a difference that chance alone makes about 1 time in 40)
GOLD_AGAINST_Z = 1.96


def monotone_counts(stats: np.ndarray, free: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``stats`` (m, k, k+1): counts per (LF, class, outcome), column 0 = abstain and
    column ``v+1`` = vote ``v``, rescaled so that no class's rate of vote ``v`` exceeds
    class ``v``'s; each row keeps its total. ``free`` (m, k) bool: (LF, vote) pairs left
    unconstrained (see :func:`unconstrained_votes`).

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


def unconstrained_votes(votes: np.ndarray, gold_free: np.ndarray) -> np.ndarray:
    """(m, k) bool: the (LF, vote) pairs ``monotone`` leaves to EM in every M-step (of
    :func:`monotone_counts`): ``gold_free``, those the gold rows show against
    their class (:func:`gold_shows_against`), and every vote of an LF that votes two
    classes or more (``votes`` (m, k): each LF's votes per class, as EM's first round
    counts them; a scan of a 1M x 6 label matrix for them took 0.1 s, a third of a fit).

    An LF that votes one class tells the classes apart only by where it abstains, and its
    abstains follow coverage as much as classes: that is where a class gets fit to another
    LF's items. An LF voting several classes (a classifier, a crowd worker) shows its
    confusion in its votes, which EM reads as they are (one right 45% of the time between
    two classes is read so, as the rule after the fit still sets its votes aside)."""
    return gold_free | (np.count_nonzero(votes, axis=1) >= 2)[:, None]


def gold_shows_against(L: np.ndarray, y_dev: np.ndarray | None, k: int) -> np.ndarray:
    """(m, k) bool: the gold rows alone show LF ``j``'s vote ``v`` to be evidence against
    class ``v``: it votes ``v`` on at least :data:`MIN_GOLD_VOTES` gold rows, class ``v``
    has gold rows, and it votes ``v`` on a clearly larger share of another class's gold rows
    than of class ``v``'s (P(vote v | y) estimated from the gold rows is highest elsewhere,
    by :data:`GOLD_AGAINST_Z` standard errors or more: :func:`clearly_above`).

    A larger share alone was read as proof: an LF that votes ``world`` on short headlines
    whatever their topic fired on 37.5% of 56 gold ``tech`` rows and 33.5% of 179 ``world``
    ones, sampling noise; lifted, EM fit that vote to ``tech`` (P(vote | tech) 0.68 against
    0.22 for ``world``) and 4,051 items it alone voted on went from 41% right to 30%."""
    out = np.zeros((L.shape[1], k), dtype=bool)
    if y_dev is None or not (y_dev >= 0).any():
        return out
    gold = y_dev >= 0
    Lg, yg = L[gold], y_dev[gold]
    per_class = np.bincount(yg, minlength=k)
    hits = np.zeros((L.shape[1], k, k))  # (j, v, y): class y's gold rows voted v
    for y in np.flatnonzero(per_class):
        rows = Lg[yg == y]
        for v in range(k):
            hits[:, v, y] = (rows == v).sum(axis=0)
    votes = hits.sum(axis=2)
    own = hits[:, np.arange(k), np.arange(k)]  # (j, v): class v's gold rows voted v
    above = np.zeros_like(out)
    for y in np.flatnonzero(per_class):
        above |= clearly_above(hits[:, :, y], per_class[y], own, per_class[None, :]) \
            & (np.arange(k) != y)[None, :]
    return (votes >= MIN_GOLD_VOTES) & (per_class > 0)[None, :] & above


def clearly_above(hits_a: np.ndarray, n_a: np.ndarray | int, hits_b: np.ndarray,
                  n_b: np.ndarray | int) -> np.ndarray:
    """Whether rate ``hits_a / n_a`` is above ``hits_b / n_b`` by at least
    :data:`GOLD_AGAINST_Z` standard errors (two-proportion z score, pooled; arrays
    broadcast). An LF that fires on every class alike differs between the classes' gold
    rows by chance alone; only a difference beyond that shows a vote against its class."""
    n_a, n_b = np.asarray(n_a, np.float64), np.asarray(n_b, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_a = hits_a / np.maximum(n_a, 1)
        rate_b = hits_b / np.maximum(n_b, 1)
        pooled = (hits_a + hits_b) / np.maximum(n_a + n_b, 1)
        se = np.sqrt(pooled * (1 - pooled) * (1 / np.maximum(n_a, 1) + 1 / np.maximum(n_b, 1)))
        z = np.where(se > 0, (rate_a - rate_b) / np.where(se > 0, se, 1.0), 0.0)
    return (n_a > 0) & (n_b > 0) & (z >= GOLD_AGAINST_Z)
