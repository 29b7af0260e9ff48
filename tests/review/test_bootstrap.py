"""Bootstrap intervals of the agreement figures, and agreement per label: each figure as a
function of item weights must be the figure itself at weight 1 per item, checked against
the implementations the published examples check (test_agreement.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from labelwright.review.stats import agreement, bootstrap
from labelwright.review.stats.label_agreement import label_agreement


def noisy_ratings(n_items, *, seed=1, raters=5, labels=4, keep=0.6):
    """Raters who mostly give an item its true label, each rating ``keep`` of the items."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, labels, n_items)
    table = np.where(rng.random((n_items, raters)) < 0.8, truth[:, None],
                     rng.integers(0, labels, (n_items, raters)))
    table[rng.random((n_items, raters)) > keep] = -1
    return agreement.Ratings(table, [f"i{k}" for k in range(n_items)],
                             [f"r{k}" for k in range(raters)], tuple("wxyz"[:labels]))


def at_unit_weights(figure, n):
    return float(figure(np.ones((1, n)))[0])


def test_each_figure_at_unit_weights_is_the_figure():
    ratings = noisy_ratings(200)
    counts = agreement.category_counts(ratings)
    assert at_unit_weights(bootstrap.alpha_figure(counts), len(counts)) == \
        pytest.approx(agreement.krippendorff_alpha(counts))
    kappa, used = agreement.fleiss_kappa(counts)
    m = agreement.fleiss_ratings(counts)
    modal = counts[counts.sum(axis=1) == m]
    assert len(modal) == used
    assert at_unit_weights(bootstrap.fleiss_figure(modal), used) == pytest.approx(kappa)
    both = (ratings.table[:, 0] >= 0) & (ratings.table[:, 1] >= 0)
    a, b = ratings.table[both, 0], ratings.table[both, 1]
    assert at_unit_weights(bootstrap.cohen_kappa_figure(a, b, 4), int(both.sum())) == \
        pytest.approx(cohen_kappa_score(a, b, labels=range(4)))


def test_an_interval_holds_its_figure_is_seeded_and_narrows_with_more_items():
    counts = agreement.category_counts(noisy_ratings(80))
    alpha = agreement.krippendorff_alpha(counts)
    low, high = agreement.alpha_interval(counts, seed=0)
    assert low < alpha < high
    assert agreement.alpha_interval(counts, seed=0) == (low, high)
    assert agreement.alpha_interval(counts, seed=1) != (low, high)
    more = agreement.category_counts(noisy_ratings(800))
    wide, narrow = high - low, np.subtract(*agreement.alpha_interval(more, seed=0)[::-1])
    assert narrow < wide / 2  # ten times the items: about a third of the width


def test_pairs_get_an_interval_and_too_few_items_none():
    ratings = noisy_ratings(60, raters=2, keep=1.0)
    (row,) = agreement.cohen_kappa_pairs(ratings, seed=0).itertuples()
    assert row.ci_low < row.kappa < row.ci_high
    few = agreement.Ratings(ratings.table[:bootstrap.MIN_ITEMS - 1], ratings.item_ids,
                            ratings.raters, ratings.labels)
    (row,) = agreement.cohen_kappa_pairs(few, seed=0).itertuples()
    assert not math.isnan(row.kappa) and math.isnan(row.ci_low) and math.isnan(row.ci_high)


def test_agreement_per_label_finds_the_labels_raters_confuse():
    """Two raters agree on every w and x item and split y and z evenly: one kappa for the
    whole set hides that they do not tell y from z."""
    pairs = [(0, 0)] * 10 + [(1, 1)] * 10 + [(2, 3)] * 5 + [(3, 2)] * 5 + [(2, 2)] * 5
    counts = np.zeros((len(pairs), 4), dtype=np.int64)
    for i, (a, b) in enumerate(pairs):
        counts[i, a] += 1
        counts[i, b] += 1
    table = label_agreement(counts, ["w", "x", "y", "z"], seed=0).set_index("label")
    assert table.loc["w", "ratings"] == 20 and table.loc["w", "specific"] == 1.0
    assert table.loc["w", "alpha"] == pytest.approx(1.0)
    # y: 20 ratings; 10 of them on the 5 items both called y agree with the other rating
    assert table.loc["y", "ratings"] == 20 and table.loc["y", "specific"] == pytest.approx(0.5)
    assert table.loc["z", "specific"] == 0.0 and table.loc["z", "alpha"] < 0
    assert table.loc["y", "ci_low"] < table.loc["y", "alpha"] < table.loc["y", "ci_high"]
    # one vs rest, the label and the others as two categories: alpha of that table
    y_vs_rest = np.stack([counts[:, 2], 2 - counts[:, 2]], axis=1)
    assert table.loc["y", "alpha"] == pytest.approx(agreement.krippendorff_alpha(y_vs_rest))


def test_resampling_alike_items_together_draws_as_resampling_each_item_does():
    """Drawing the distinct rating rows by how many items share each (one multinomial) is
    drawing the items with replacement: the percentiles agree with a loop that resamples
    item by item and computes alpha each time (not the same numbers, the same spread)."""
    counts = agreement.category_counts(noisy_ratings(60, raters=3, labels=3, keep=0.9))
    pairable = counts[counts.sum(axis=1) >= 2]
    low, high = agreement.alpha_interval(counts, seed=0)
    rng = np.random.default_rng(7)
    naive = [agreement.krippendorff_alpha(pairable[rng.integers(0, len(pairable),
                                                                len(pairable))])
             for _ in range(bootstrap.RESAMPLES)]
    naive_low, naive_high = np.percentile(naive, [2.5, 97.5])
    width = naive_high - naive_low
    assert abs(low - naive_low) < width / 8 and abs(high - naive_high) < width / 8
