"""What ``review stats``' 95% bootstrap intervals cost (Cohen's kappa per pair, Fleiss'
kappa, Krippendorff's alpha, and alpha per label), on synthetic ratings: 5 raters, 6
labels, each rater rating half the items and giving the true label 80% of the time.

    python benchmarks/agreement_intervals.py [--items 1000 10000 50000]

Prints one row per size: seconds for the figures alone and with their intervals.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from labelwright.review.stats import agreement
from labelwright.review.stats.label_agreement import label_agreement

LABELS = ("a", "b", "c", "d", "e", "f")


def ratings(n_items: int, raters: int = 5) -> agreement.Ratings:
    rng = np.random.default_rng(1)
    truth = rng.integers(0, len(LABELS), n_items)
    table = np.where(rng.random((n_items, raters)) < 0.8, truth[:, None],
                     rng.integers(0, len(LABELS), (n_items, raters)))
    table[rng.random((n_items, raters)) > 0.5] = -1
    return agreement.Ratings(table, [f"i{k}" for k in range(n_items)],
                             [f"r{k}" for k in range(raters)], LABELS)


def figures(r: agreement.Ratings, counts: np.ndarray) -> None:
    agreement.cohen_kappa_pairs(r, seed=None)
    agreement.fleiss_kappa(counts)
    agreement.krippendorff_alpha(counts)


def with_intervals(r: agreement.Ratings, counts: np.ndarray) -> None:
    agreement.cohen_kappa_pairs(r, seed=0)
    agreement.fleiss_kappa(counts)
    agreement.fleiss_interval(counts, seed=0)
    agreement.krippendorff_alpha(counts)
    agreement.alpha_interval(counts, seed=0)
    label_agreement(counts, LABELS, seed=0)


def seconds(work: Callable[[agreement.Ratings, np.ndarray], None], r: agreement.Ratings,
            counts: np.ndarray) -> float:
    start = time.perf_counter()
    work(r, counts)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    agreement.cohen_kappa_pairs(ratings(50))  # the imports (scikit-learn), not counted
    agreement.fleiss_kappa(agreement.category_counts(ratings(50)))
    print("items   | figures (s) | intervals (s) | alpha   | 95% interval")
    for n in args.items:
        r = ratings(n)
        counts = agreement.category_counts(r)
        bare = seconds(figures, r, counts)
        spans = seconds(with_intervals, r, counts)
        low, high = agreement.alpha_interval(counts, seed=0)
        print(f"{n:<7} | {bare:11.2f} | {spans:13.2f} | "
              f"{agreement.krippendorff_alpha(counts):.3f}   | {low:.3f}-{high:.3f}")


if __name__ == "__main__":
    main()
