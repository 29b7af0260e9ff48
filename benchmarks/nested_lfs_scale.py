"""The cost of finding nested LFs (``labelwright.models.nested_lfs``) beside the near-copy
search a run already does, on a synthetic int8 label matrix (default 10M items x 50 LFs,
coverage 1-30% each, two labels), without and with nested LFs, median of ``--repeat``:

    python benchmarks/nested_lfs_scale.py --rows 10000000 --lfs 50
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from labelwright.models.duplicate_lfs import copy_of, label_counts, near_copies
from labelwright.models.nested_lfs import nested_lfs

T = TypeVar("T")


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


def timed_median(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median seconds of ``repeat`` (1 or more) calls of ``fn``, and its last result."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


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
        near_s, _ = timed_median(functools.partial(near_copies, L, 2, first=first),
                                 args.repeat)
        nest_s, found = timed_median(functools.partial(nested_lfs, L, 2, first=first,
                                                       counts=counts), args.repeat)
        print(f"| {nested} | {near_s:.2f} | {nest_s:.2f} | {len(found)} |")

if __name__ == "__main__":
    main()
