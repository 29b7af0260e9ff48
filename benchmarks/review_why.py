"""What the review records' ``why`` costs a run: records made and written as the run
writes ``review.csv`` and ``review.jsonl``, with and without the ranking's values.

Generates ``--items`` queued items (two labels, ``--lfs`` LFs voting on about a third of
the items each, probabilities and ranking signals drawn at random), then times, ``--rounds``
times each, making the records and writing both files a block at a time
(:func:`labelwright.review.queue.files.write_review_files`): once without the signals'
values and the end model (what a run without a ranking passes, ``why`` from the votes and
probabilities alone; ``--without-only`` with an older checkout's ``src`` first on
``PYTHONPATH`` times the records from before ``why``) and once with them (a run's own).
Prints the median CPU seconds and the JSONL's size.

    python benchmarks/review_why.py --items 200000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

from labelwright.review.queue.files import record_blocks, write_review_files
from labelwright.review.queue.records import review_records

LABELS = ("ham", "spam")
SIGNAL_NAMES = ("uncertainty", "small_margin", "conflict", "end_model_disagrees")


def _inputs(n: int, n_lfs: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    votes = np.where(rng.random((n, n_lfs)) < 0.33, rng.integers(0, 2, (n, n_lfs)), -1)
    p = rng.random(n)
    probs = np.column_stack([p, 1 - p])
    signals = {name: rng.random(n) for name in SIGNAL_NAMES}
    shown = [tuple(s for s in SIGNAL_NAMES[:: 1 + k % 2] if signals[s][k] >= 0.5)
             for k in range(n)]
    end = rng.random((n, 2))
    end /= end.sum(axis=1, keepdims=True)
    return {"votes": votes.astype(np.int8), "probs": probs, "signals": signals,
            "shown": shown, "end": (end.argmax(axis=1), end.max(axis=1))}


def _write(folder: Path, data: dict, n: int, n_lfs: int, *, values: bool) -> float:
    lf_names = [f"lf{k}" for k in range(n_lfs)]
    make = partial(
        review_records, run_id="r", ids=[f"i{k}" for k in range(n)],
        texts=[f"text number {k}" for k in range(n)], labels=LABELS,
        predicted=data["probs"].argmax(axis=1), probs=data["probs"],
        confidence=data["probs"].max(axis=1), reasons=[("low_confidence",)] * n,
        votes=data["votes"], lf_names=lf_names, signals=data["shown"],
        **({"signal_values": data["signals"], "end_model": data["end"]} if values else {}))
    start = time.process_time()
    write_review_files(folder / "review.csv", folder / "review.jsonl",
                       record_blocks(np.arange(n), [[] for _ in range(n)], make),
                       labels=LABELS, lf_names=lf_names)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--lfs", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--without-only", action="store_true",
                        help="only the records without values: what code from before "
                        "records held them can make (PYTHONPATH=<old checkout>/src)")
    args = parser.parse_args()
    data = _inputs(args.items, args.lfs)
    print("| items | values | CPU s (median; range) | review.jsonl MB |\n|---:|---|---:|---:|")
    for values in (False,) if args.without_only else (False, True):
        times, size = [], 0
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as folder:
                times.append(_write(Path(folder), data, args.items, args.lfs, values=values))
                size = (Path(folder) / "review.jsonl").stat().st_size
        print(f"| {args.items:,} | {'with' if values else 'without'} | "
              f"{statistics.median(times):.2f}; {min(times):.2f}-{max(times):.2f} | "
              f"{size / 1e6:.1f} |")


if __name__ == "__main__":
    main()
