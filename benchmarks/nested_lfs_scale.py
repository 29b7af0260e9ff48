"""The cost of finding nested LFs (``labelwright.models.nested_lfs``) beside the near-copy
search a run already does, on a synthetic int8 label matrix (default 10M items x 50 LFs,
coverage 1-30% each, two labels), without and with nested LFs, median of ``--repeat``:

    python benchmarks/nested_lfs_scale.py --rows 10000000 --lfs 50
"""

from __future__ import annotations

import argparse
import functools

import numpy as np
from timing import median_seconds

from labelwright.models.duplicate_lfs import copy_of, label_counts, near_copies
from labelwright.models.nested_lfs import nested_lfs


def synthetic(rows: int, lfs: int, nested: int, seed: int = 0) -> np.ndarray:
    """``lfs`` LFs voting 0 or 1 on 1-30% of the items each, independently; the last
    ``nested`` of them replaced by LFs voting on a quarter of an earlier LF's votes."""
    rng = np.random.default_rng(seed)
    L = np.full((rows, lfs), -1, dtype=np.int8)
    for j, coverage in enumerate(np.linspace(0.01, 0.3, lfs)):
        on = rng.random(rows) < coverage
        L[on, j] = rng.random(int(on.sum())) < 0.3 + 0.4 * (j % 2)
    for j in range(lfs - nested, lfs):
        outer = L[:, j - lfs + nested]
        L[:, j] = np.where(rng.random(rows) < 0.25, outer, -1)
    return L


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lfs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| nested LFs | label counts + near-copies s | nested search s | pairs found |")
    print("|---|---|---|---|")
    for nested in (0, 3):
        L = synthetic(args.rows, args.lfs, nested)
        first = copy_of(L)
        counts = label_counts(L, 2)
        near_s, _ = median_seconds(functools.partial(near_copies, L, 2, first=first),
                                   args.repeat)
        nest_s, found = median_seconds(functools.partial(nested_lfs, L, 2, first=first,
                                                         counts=counts), args.repeat)
        print(f"| {nested} | {near_s:.2f} | {nest_s:.2f} | {len(found)} |")

if __name__ == "__main__":
    main()
