"""Time and memory of the review ranking (out-of-fold end model + signals) at scale.

Texts as in ``apply_throughput.py`` (the UCI SMS and YouTube collections replicated with
light perturbation); votes and label-model probabilities are random (only the cost is
measured here: ranking quality is measured by ``labelwright bench wrench``). One run per
size, each in a fresh process so ``peak RSS`` is that size's.

    python benchmarks/rank_scale.py --rows 100000 1000000
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

import numpy as np


def worker(n: int) -> None:
    from apply_throughput import load_texts, replicate

    from labelwright.review.ranking.rank import rank_queue

    texts = replicate(load_texts()[0], n, seed=0)
    rng = np.random.default_rng(0)
    votes = np.where(rng.random((n, 10)) < 0.15, rng.integers(0, 2, (n, 10)), -1)
    p1 = rng.random(n)
    start = time.perf_counter()
    rank_queue(np.stack([1 - p1, p1], axis=1), votes.astype(np.int8), texts, seed=0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>10,} items: rank_queue {seconds:6.1f} s, peak RSS {peak:,.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    for n in args.rows:
        subprocess.run([sys.executable, __file__, "--worker", str(n)], check=True)


if __name__ == "__main__":
    main()
