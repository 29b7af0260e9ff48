"""What reading the report's conflict and low-confidence examples costs on a large queue.

Writes a ``review.jsonl`` of ``--items`` records in the queue's order (``--head`` disputed
items, as a run after reviews puts first; then conflicts, low confidence and both, 70% of
the queue; then uncovered and audit items), each with a 100-character text, 16 labels'
probabilities and 5 votes, into a temporary folder, and times the report's read of its
examples (:func:`labelwright.report.data._examples`, 20 of each kind): the median of
``--repeats`` reads, and how many examples of each kind it found.

    python benchmarks/report_examples.py --items 100000 --head 0 500 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
from pathlib import Path

from timing import median_seconds

from labelwright.report.data import _examples

LABELS = [f"label_{k}" for k in range(16)]


def write_queue(path: Path, items: int, head: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    body = items - head
    kinds = ([["disputed"]] * head + [["conflict"]] * (body * 30 // 100)
             + [["low_confidence"]] * (body * 30 // 100)
             + [["conflict", "low_confidence"]] * (body * 10 // 100))
    kinds += [["uncovered"]] * (items - len(kinds) - body * 5 // 100)
    kinds += [["audit"]] * (items - len(kinds))
    with open(path, "w", encoding="utf-8") as handle:
        for k, reasons in enumerate(kinds):
            handle.write(json.dumps({
                "id": f"M{k:07d}", "rank": k + 1, "text": "is my claim approved yet " * 4,
                "suggested_label": "other", "confidence": rng.random(), "reasons": reasons,
                "probabilities": {label: 1 / len(LABELS) for label in LABELS},
                "votes": {f"lf_{j}": "other" for j in range(5)}}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--head", type=int, nargs="+", default=[0, 500])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {args.items:,} queue items")
    print("| head items | read (s, median) | conflict examples | low-confidence examples |")
    print("| ---: | ---: | ---: | ---: |")
    for head in args.head:
        with tempfile.TemporaryDirectory() as folder:
            run_dir = Path(folder)
            write_queue(run_dir / "review.jsonl", args.items, head)
            seconds, (conflicts, low) = median_seconds(lambda d=run_dir: _examples(d, 20),
                                                       args.repeats)
            print(f"| {head:,} | {seconds:.2f} | {len(conflicts)} "
                  f"| {len(low)} |")


if __name__ == "__main__":
    main()
