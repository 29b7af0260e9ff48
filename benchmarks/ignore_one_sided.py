"""dawid_skene with ``abstain="ignore"`` on one-sided LFs, with and without gold.

A generated 16-label matrix like a keyword rule set: every LF votes one label only, labels
from 25% down to 0.5% of the items. Gold is a random 20% of the items; every score is on
the other 80%. Prints one line per (abstain, gold) with accuracy, macro-F1 and how many
scored items the largest predicted class took.

    PYTHONPATH=src python benchmarks/ignore_one_sided.py [--seed N]
"""

from __future__ import annotations

import argparse
import logging

import numpy as np

from labelwright.models import get_model
from labelwright.models.metrics import macro_f1

SHARES = np.array([25, 17, 10, 8, 7, 6, 5, 5, 4, 4, 3, 2, 1.5, 1, 1, 0.5])


def one_sided_matrix(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Votes of 3 one-sided LFs per label: each fires on 15-45% of its label's items and on
    0.2-2% of the others."""
    rng = np.random.default_rng(seed)
    k = len(SHARES)
    y = rng.choice(k, size=n, p=SHARES / SHARES.sum())
    cols = []
    for c in range(k):
        for _ in range(3):
            hit, miss = rng.uniform(0.15, 0.45), rng.uniform(0.002, 0.02)
            cols.append(np.where(rng.random(n) < np.where(y == c, hit, miss), c, -1))
    return np.column_stack(cols), y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    L, y = one_sided_matrix(20_000, args.seed)
    dev = np.random.default_rng(args.seed + 1).random(len(y)) < 0.2
    scored = ~dev
    for abstain in ("ignore", "fit_only", "informative"):
        for gold in ("none", "20%"):
            y_dev = np.where(dev, y, -1) if gold != "none" else None
            model = get_model("dawid_skene", cardinality=len(SHARES), abstain=abstain)
            pred = model.fit(L, y_dev=y_dev).predict(L)[scored]
            top = np.bincount(pred[pred >= 0], minlength=len(SHARES)).max()
            print(f"{abstain:12} gold {gold:5} accuracy {np.mean(pred == y[scored]):.3f} "
                  f"macro-F1 {macro_f1(y[scored], pred, len(SHARES)):.3f} "
                  f"largest class {top} of {scored.sum()}")


if __name__ == "__main__":
    main()
