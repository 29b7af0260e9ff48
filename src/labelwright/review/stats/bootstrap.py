"""95% intervals for the agreement figures, by a seeded bootstrap over items.

Kappa and alpha have analytic standard errors only under assumptions that reviews rarely
meet (a fixed number of raters per item, large samples, no label used by one rater only);
resampling the reviewed items does without them, and the same recipe serves Cohen's kappa,
Fleiss' kappa, Krippendorff's alpha and each label's one-vs-rest alpha. Each resample draws
as many items as there are, with replacement; the interval is the 2.5th and 97.5th
percentiles of the figure over :data:`RESAMPLES` resamples, seeded (the project's
``seed``), so ``review stats`` prints the same interval each time.

Every figure here is computed from per-item sums weighted by how often a resample drew the
item (``weights @ per_item``), so a resample costs a matrix product, not a loop over items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

#: how many resamples an interval rests on
RESAMPLES = 1000
#: below this many items no interval is given: resampling 3 items says little of what 300
#: would show, and an interval on them would look like a measurement
MIN_ITEMS = 10
#: at most this many (resample, item) weights held at once
_CELLS = 2_000_000


def item_weights(n_items: int, seed: int, resamples: int = RESAMPLES) -> Iterator[np.ndarray]:
    """Blocks of resamples, each row how often that resample drew each of ``n_items`` items
    (a multinomial draw of ``n_items`` with equal chances), ``resamples`` rows in all. A
    stream of its own (not the draws' or the fits'), seeded by ``seed``."""
    rng = np.random.default_rng([seed, 0x4B41])
    block = max(1, _CELLS // max(n_items, 1))
    left = resamples
    while left > 0:
        size = min(block, left)
        yield rng.multinomial(n_items, np.full(n_items, 1.0 / n_items), size=size)
        left -= size


def intervals(figures: Sequence[Callable[[np.ndarray], np.ndarray]], n_items: int,
              seed: int, resamples: int = RESAMPLES) -> list[tuple[float, float]]:
    """The 95% percentile interval of each of ``figures`` (each a function of a block of
    item weights -> the figure per resample) over the same resamples of ``n_items`` items;
    NaNs below :data:`MIN_ITEMS` items, or when fewer than half the resamples give a figure
    (one label drawn throughout leaves kappa 0/0)."""
    if n_items < MIN_ITEMS or not figures:
        return [(float("nan"), float("nan"))] * len(figures)
    values: list[list[np.ndarray]] = [[] for _ in figures]
    for weights in item_weights(n_items, seed, resamples):
        block = weights.astype(float)
        for out, figure in zip(values, figures):
            out.append(figure(block))
    return [_percentiles(np.concatenate(v), resamples) for v in values]


def interval(figure: Callable[[np.ndarray], np.ndarray], n_items: int, seed: int,
             resamples: int = RESAMPLES) -> tuple[float, float]:
    """:func:`intervals` of one figure."""
    return intervals([figure], n_items, seed, resamples)[0]


def _percentiles(values: np.ndarray, resamples: int) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size < resamples / 2:
        return float("nan"), float("nan")
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def kappa_of_confusions(confusion: np.ndarray, n_labels: int) -> np.ndarray:
    """Cohen's kappa per row of ``confusion`` (rows of ``n_labels`` x ``n_labels`` counts,
    flattened: rater a's label times ``n_labels`` plus rater b's); NaN where chance
    agreement is 1 (one label throughout)."""
    c = confusion.reshape(-1, n_labels, n_labels)
    total = c.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.trace(c, axis1=1, axis2=2) / total
        chance = (c.sum(axis=2) * c.sum(axis=1)).sum(axis=1) / total**2
        return np.where(chance < 1 - 1e-12, (observed - chance) / (1 - chance), np.nan)


def cohen_kappa_figure(a: np.ndarray, b: np.ndarray, n_labels: int
                       ) -> Callable[[np.ndarray], np.ndarray]:
    """Cohen's kappa of two raters' labels ``a`` and ``b`` (one per item both rated), as a
    function of item weights."""
    onehot = np.zeros((len(a), n_labels * n_labels))
    onehot[np.arange(len(a)), a * n_labels + b] = 1.0
    return lambda weights: kappa_of_confusions(weights @ onehot, n_labels)


def alpha_figure(counts: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Krippendorff's alpha (nominal) of an (items, labels) count table, as a function of
    item weights. An item with ``m`` ratings adds ``n_c`` to label c's total in the
    coincidence matrix and ``(m^2 - sum n_c^2) / (m - 1)`` to its disagreeing cells, so
    alpha = 1 - observed / expected needs only those per-item sums. Items with fewer than
    two ratings are not pairable and count for nothing."""
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = np.where(pairable[:, None], counts, 0.0), np.where(pairable, m, 2.0)
    observed = np.where(pairable, (m**2 - (counts**2).sum(axis=1)) / (m - 1), 0.0)

    def alpha(weights: np.ndarray) -> np.ndarray:
        n_c = weights @ counts
        n = n_c.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = (n**2 - (n_c**2).sum(axis=1)) / (n - 1)
            return np.where(expected > 0, 1 - (weights @ observed) / expected, np.nan)

    return alpha


def fleiss_figure(counts: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Fleiss' kappa of an (items, labels) count table whose items all have the same
    number of ratings, as a function of item weights."""
    counts = np.asarray(counts, dtype=float)
    m = counts[0].sum() if len(counts) else 2.0
    agreement = ((counts**2).sum(axis=1) - m) / (m * (m - 1))

    def kappa(weights: np.ndarray) -> np.ndarray:
        n = weights.sum(axis=1)
        shares = (weights @ counts) / (n * m)[:, None]
        chance = (shares**2).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(chance < 1 - 1e-12,
                            ((weights @ agreement) / n - chance) / (1 - chance), np.nan)

    return kappa
