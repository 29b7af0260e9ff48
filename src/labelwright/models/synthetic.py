"""Synthetic label matrices with known LF accuracies, and probabilities with a known
calibration, for tests and benchmarks."""

from __future__ import annotations

import numpy as np


def make_label_matrix(
    n_items: int,
    accuracies: np.ndarray,
    *,
    cardinality: int = 2,
    coverage: float | np.ndarray = 0.3,
    class_balance: np.ndarray | None = None,
    random_state: int | None = 0,
    chunk_rows: int = 1 << 18,
    confusable: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``(L, y)``: int8 votes of conditionally independent LFs and the true classes.

    LF ``j`` votes on an item with probability ``coverage[j]`` (independent of the class);
    its vote is the true class with probability ``accuracies[j]``, else a wrong class:
    uniformly chosen, or with probability ``confusable`` the class paired with the true
    one (:func:`paired_class`: 0 with 1, 2 with 3, ...), as classifier-like LFs mistake
    similar labels for each other. Generated in chunks of rows, so memory is
    ``n_items x n_lfs`` bytes plus one chunk.
    """
    rng = np.random.default_rng(random_state)
    acc = np.asarray(accuracies, dtype=np.float64)
    m, k = len(acc), cardinality
    cov = np.broadcast_to(np.asarray(coverage, dtype=np.float64), (m,))
    p = np.full(k, 1.0 / k) if class_balance is None else np.asarray(class_balance, float)
    y = rng.choice(k, size=n_items, p=p).astype(np.int64)
    L = np.empty((n_items, m), dtype=np.int8)
    for start in range(0, n_items, chunk_rows):
        yc = y[start:start + chunk_rows, None].astype(np.int8)
        rows = len(yc)
        right = rng.random((rows, m), dtype=np.float32) < acc
        wrong = (yc + rng.integers(1, k, size=(rows, m), dtype=np.int8)) % k
        if confusable > 0:  # no extra draw otherwise: the same seed gives the same matrix
            paired = rng.random((rows, m), dtype=np.float32) < confusable
            wrong = np.where(paired, paired_class(yc, k), wrong)
        votes = np.where(right, yc, wrong).astype(np.int8)
        votes[rng.random((rows, m), dtype=np.float32) >= cov] = -1
        L[start:start + rows] = votes
    return L, y


def paired_class(y: np.ndarray, cardinality: int) -> np.ndarray:
    """The class each of ``y`` is confused with in :func:`make_label_matrix`: 0 with 1, 2
    with 3, ...; with an odd number of classes the last one with the one before it."""
    partner = y ^ 1
    return np.where(partner >= cardinality, y - 1, partner).astype(y.dtype)


def one_sided_votes(y: np.ndarray, cardinality: int, *, per_class: int = 3,
                    hit: tuple[float, float] = (0.1, 0.5),
                    stray: tuple[float, float] = (0.005, 0.06),
                    random_state: int | None = 0) -> np.ndarray:
    """(len(y), cardinality * per_class) int8 votes of keyword-like LFs for the true classes
    ``y``: LF ``j`` votes only class ``j // per_class``, on a share of that class's items
    drawn from ``hit`` and on a share of every other class's items drawn from ``stray``
    (each LF's two rates drawn once)."""
    rng = np.random.default_rng(random_state)
    n, k = len(y), cardinality
    cols = []
    for c in range(k):
        for _ in range(per_class):
            rate = np.where(y == c, rng.uniform(*hit), rng.uniform(*stray))
            cols.append(np.where(rng.random(n) < rate, c, -1))
    return np.column_stack(cols).astype(np.int8)


#: items per label of a user's 810 contract clauses (14 labels, three with < 10 items)
CLAUSE_COUNTS = (240, 120, 96, 72, 64, 56, 48, 40, 24, 20, 12, 7, 5, 6)


def rare_label_matrix(n_items: int, random_state: int | None = 0,
                      counts: tuple[int, ...] = CLAUSE_COUNTS) -> tuple[np.ndarray, np.ndarray]:
    """``(L, y)`` with labels as imbalanced as ``counts`` and votes like a contract clause
    project's: two near-copies of a section-header LF that names every label (on 95% of the
    items, right 97% of the time; the copy repeats it on 80% of the items), and one keyword
    LF per label that fires on 40-90% of its label's items and on 0.5-4% of every other
    label's (the stray votes a common label's items get)."""
    rng = np.random.default_rng(random_state)
    shares = np.asarray(counts, dtype=np.float64)
    k, n = len(shares), n_items
    y = rng.choice(k, n, p=shares / shares.sum())
    wrong = (y + rng.integers(1, k, n)) % k
    header = np.where(rng.random(n) < 0.95, np.where(rng.random(n) < 0.03, wrong, y), -1)
    copy = np.where(rng.random(n) < 0.8, header, np.where(rng.random(n) < 0.8, y, -1))
    cols = [header, copy]
    for c in range(k):
        hit, miss = rng.uniform(0.4, 0.9), rng.uniform(0.005, 0.04)
        cols.append(np.where(rng.random(n) < np.where(y == c, hit, miss), c, -1))
    return np.column_stack(cols).astype(np.int8), y.astype(np.int64)


def question_takeover(n_items: int = 20000, random_state: int | None = 0
                      ) -> tuple[np.ndarray, np.ndarray]:
    """``(L, y)``: one-sided LFs on classes ok 90.5%, spam 9%, rare 0.5%. LF 0 votes ok on
    60% of the ok items, LF 1 ("questions") on another 12% and never beside LF 0, LFs 2-3
    vote spam (LF 3 also on 2% of the ok items), LF 4 votes the rare class on 90% of its
    items and nowhere else. A Dawid-Skene fit without the ``monotone`` constraint in its
    M-steps filled the rare class's share (the votes' balance gives it ~6%) with LF 1's
    items, and the rare LF's items went elsewhere."""
    rng = np.random.default_rng(random_state)
    n = n_items
    y = rng.choice(3, size=n, p=[0.905, 0.09, 0.005])
    L = np.full((n, 5), -1, dtype=np.int8)
    ok, u = y == 0, rng.random(n)
    L[ok & (u < 0.6), 0] = 0
    L[ok & (u >= 0.6) & (u < 0.72), 1] = 0
    L[(y == 1) & (rng.random(n) < 0.6), 2] = 1
    L[(y == 1) & (rng.random(n) < 0.5), 3] = 1
    L[ok & (rng.random(n) < 0.02), 3] = 1
    L[(y == 2) & (rng.random(n) < 0.9), 4] = 2
    return L, y


#: :func:`quoted_takeover`'s true class shares (ok, harassment, rare, spam)
QUOTED_SHARES = (0.925, 0.03, 0.005, 0.04)


def quoted_takeover(n_items: int = 30000, random_state: int | None = 0
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``(L, y)``: one-sided LFs on classes ok, harassment, rare and spam
    (:data:`QUOTED_SHARES`). LF 0 votes ok on 45% of the ok items; LF 1 votes ok on quoted
    reports (13% of the ok items), half of which an insult LF (2) and half a weak
    harassment LF (6, also on 10% of LF 0's items) vote harassment on; LF 2 votes
    harassment on 70% of its items, LF 6 on 20%; LF 3 votes the rare class, LFs 4-5 spam.
    Given the true balance, a fit without the ``monotone`` constraint in its M-steps fit
    the harassment class to the quoted reports (P(LF 1 votes ok | harassment) 0.99) and
    gave harassment to under a fifth of its items."""
    rng = np.random.default_rng(random_state)
    n = n_items
    y = rng.choice(4, size=n, p=list(QUOTED_SHARES))
    L = np.full((n, 7), -1, dtype=np.int8)
    ok, u = y == 0, rng.random(n)
    L[ok & (u < 0.45), 0] = 0
    quoted = ok & (u >= 0.45) & (u < 0.58)
    L[quoted, 1] = 0
    L[quoted & (rng.random(n) < 0.5), 2] = 1
    L[(y == 1) & (rng.random(n) < 0.7), 2] = 1
    L[quoted & (rng.random(n) < 0.5), 6] = 1
    L[ok & (u < 0.45) & (rng.random(n) < 0.1), 6] = 1
    L[(y == 1) & (rng.random(n) < 0.2), 6] = 1
    L[(y == 2) & (rng.random(n) < 0.9), 3] = 2
    L[(y == 3) & (rng.random(n) < 0.7), 4] = 3
    L[(y == 3) & (rng.random(n) < 0.5), 5] = 3
    return L, y


def two_level_probs(n_items: int, random_state: int | None = 0, *, sure_share: float = 0.7,
                    claimed: float = 0.999, right_when_sure: float = 0.85,
                    plain: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    """Binary ``(probs, y)`` whose calibration is known and not fixable by one temperature:
    a share ``sure_share`` of the items claim ``claimed`` and are right ``right_when_sure``
    of the time (a label model over-confident on its most common vote pattern); the others
    claim ``plain`` and are right exactly that often."""
    rng = np.random.default_rng(random_state)
    y = rng.integers(0, 2, n_items)
    sure = rng.random(n_items) < sure_share
    conf = np.where(sure, claimed, plain)
    right = rng.random(n_items) < np.where(sure, right_when_sure, plain)
    pred = np.where(right, y, 1 - y)
    return np.where(pred[:, None] == np.arange(2), conf[:, None], 1 - conf[:, None]), y
