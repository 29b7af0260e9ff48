"""The closed forms behind ``review stats``: Wilson and exact (Clopper-Pearson) intervals
for a proportion, Fleiss' kappa and Cohen's kappa.

They give statsmodels' ``proportion_confint`` (``"wilson"``, ``"beta"``), its
``fleiss_kappa`` and scikit-learn's ``cohen_kappa_score`` to rounding (tests compare them),
without importing either: the first statsmodels import (scipy.stats with it) took about
2.4 s of a 6.4 s ``review stats``, and scikit-learn's metrics load scipy.stats too. The
normal quantile is the standard library's; only the exact interval needs scipy, for the
inverse of the incomplete beta function (:mod:`scipy.special`, a third of scipy.stats'
import time), and imports it when called.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np


def wilson(successes: float, n: float, alpha: float) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` of ``n`` (``n > 0``) at level ``1 - alpha``,
    clipped to [0, 1]."""
    z = NormalDist().inv_cdf(1 - alpha / 2)
    share = successes / n
    denominator = 1 + z**2 / n
    centre = (share + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(share * (1.0 - share) / n + z**2 / (4.0 * n**2)) / denominator
    return float(np.clip(centre - half, 0, 1)), float(np.clip(centre + half, 0, 1))


def clopper_pearson(successes: float, n: float, alpha: float) -> tuple[float, float]:
    """The exact interval of ``successes`` of ``n`` (``n > 0``): the ``alpha / 2`` quantile of
    Beta(successes, n - successes + 1) and the ``1 - alpha / 2`` one of
    Beta(successes + 1, n - successes); 0 and 1 at no success and at all."""
    from scipy.special import betainccinv, betaincinv

    share = successes / n
    low = 0.0 if share == 0 else float(betaincinv(successes, n - successes + 1, alpha / 2))
    high = 1.0 if share == 1 else float(betainccinv(successes + 1, n - successes, alpha / 2))
    return low, high


def fleiss(counts: np.ndarray) -> float:
    """Fleiss' kappa of an (items, labels) count table whose items all have the same number
    of ratings (at least two): mean pairwise agreement per item against the agreement the
    labels' overall shares give by chance. NaN (numpy's warnings on) where that is 1."""
    table = np.asarray(counts, dtype=float)
    ratings = table.sum(axis=1).max()
    shares = table.sum(axis=0) / table.sum()
    agreement = (((table * table).sum(axis=1) - ratings) / (ratings * (ratings - 1.0))).mean()
    chance = (shares * shares).sum()
    return float((agreement - chance) / (1 - chance))


def cohen(a: np.ndarray, b: np.ndarray, n_labels: int) -> float:
    """Cohen's kappa of two raters' label indices ``a`` and ``b`` (one per item both rated),
    over ``n_labels`` labels: one minus disagreement seen over disagreement by chance."""
    confusion = np.zeros((n_labels, n_labels), dtype=np.int64)
    np.add.at(confusion, (np.asarray(a), np.asarray(b)), 1)
    expected = np.outer(confusion.sum(axis=0), confusion.sum(axis=1)) / confusion.sum()
    off = ~np.eye(n_labels, dtype=bool)
    return float(1 - confusion[off].sum() / expected[off].sum())
