"""95% intervals for the agreement figures, by a seeded bootstrap over items.

Kappa and alpha have analytic standard errors only under assumptions that reviews rarely
meet (a fixed number of raters per item, large samples, no label used by one rater only);
resampling the reviewed items does without them, and the same recipe serves Cohen's kappa,
Fleiss' kappa, Krippendorff's alpha and each label's one-vs-rest alpha. Each resample draws
as many items as there are, with replacement; the interval is the 2.5th and 97.5th
percentiles of the figure over :data:`RESAMPLES` resamples, seeded (the project's
``seed``), so ``review stats`` prints the same interval each time.

Every figure here is computed from per-item sums weighted by how often a resample drew the
item (``weights @ per_item``). Items with the same ratings (the same labels from the same
number of raters) are one unit, weighted by how many items share it: drawing ``n`` items
with replacement is then one multinomial draw over the units, so a resample costs as much
for 50,000 items as for 500 (a loop per item took 54 s for ten pairs of raters).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: how many resamples an interval rests on
RESAMPLES = 1000
#: below this many items no interval is given: resampling 3 items says little of what 300
#: would show, and an interval on them would look like a measurement
MIN_ITEMS = 10
#: at most this many (resample, unit) weights held at once
_CELLS = 2_000_000

Figure = Callable[[np.ndarray], np.ndarray]


def interval(make_figure: Callable[[np.ndarray], Figure], rows: np.ndarray, seed: int,
             resamples: int = RESAMPLES) -> tuple[float, float]:
    """The 95% percentile interval of a figure of the items ``rows`` (one row per item),
    over ``resamples`` seeded resamples of the items. ``make_figure(units)``: the figure
    as a function of a block of weights (one row per resample, one column per unit), for
    the distinct rows ``units``. NaNs below :data:`MIN_ITEMS` items, or when fewer than
    half the resamples give a figure (one label drawn throughout leaves kappa 0/0)."""
    rows = np.asarray(rows)
    if len(rows) < MIN_ITEMS:
        return float("nan"), float("nan")
    units, shared = np.unique(rows, axis=0, return_counts=True)
    figure = make_figure(units)
    rng = np.random.default_rng([seed, 0x4B41])  # a stream of its own
    block = max(1, _CELLS // len(units))
    values = []
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        weights = rng.multinomial(len(rows), shared / len(rows), size=size)
        values.append(figure(weights.astype(float)))
    finite = np.concatenate(values)
    finite = finite[np.isfinite(finite)]
    if finite.size < resamples / 2:
        return float("nan"), float("nan")
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def cohen_kappa_interval(a: np.ndarray, b: np.ndarray, n_labels: int, seed: int
                         ) -> tuple[float, float]:
    """The 95% interval of Cohen's kappa of two raters' labels ``a`` and ``b``."""
    return interval(lambda units: cohen_kappa_figure(units[:, 0], units[:, 1], n_labels),
                    np.stack([a, b], axis=1), seed)


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


def cohen_kappa_figure(a: np.ndarray, b: np.ndarray, n_labels: int) -> Figure:
    """Cohen's kappa of two raters' labels ``a`` and ``b`` (one per item both rated), as a
    function of item weights."""
    onehot = np.zeros((len(a), n_labels * n_labels))
    onehot[np.arange(len(a)), a * n_labels + b] = 1.0
    return lambda weights: kappa_of_confusions(weights @ onehot, n_labels)


def alpha_figure(counts: np.ndarray) -> Figure:
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


def fleiss_figure(counts: np.ndarray) -> Figure:
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
