"""What retired decisions cost the readers of the review ledger.

A ledger of ``--decisions`` decisions (one rater each, items ``i0``, ``i1``, ...) is written
into a temporary folder; then :func:`labelwright.review.feedback.reviewed_labels` (what a
run, ``review stats`` and ``train`` read the reviews with) is timed on it with no
retirements table (a ledger from before retirements), and after each batch of retirement
records brings the total to each of ``--retired``; the table gives the median of
``--repeats`` reads, and the time the batch took to write
(:func:`labelwright.review.retirements.append_retirements`).

    python benchmarks/retirement_reads.py --decisions 100000 --retired 1000 50000 --repeats 5
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from labelwright.review import ledger
from labelwright.review.feedback import reviewed_labels
from labelwright.review.retirements import (
    RETIRE,
    Retirement,
    append_retirements,
    not_retired,
)

LABELS = ("billing", "technical")


def write_ledger(root: Path, n: int) -> None:
    decisions = [ledger.Decision(f"i{k}", LABELS[k % 2], "bench", "", "", "2026-12-05",
                                 "f.csv", "s", f"row {k}", "r1", "csv") for k in range(n)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s", reviewer="bench",
                  source_file="f.csv", fmt="csv", imported_at="2026-12-05")


def read_time(root: Path, ids: list[str], repeats: int) -> tuple[float, float]:
    """Median seconds of the whole read, and of its part that reads the retirements."""
    times, parts = [], []
    decisions = ledger.read_decisions(ledger.ledger_path(root))
    for _ in range(repeats):
        start = time.perf_counter()
        reviewed_labels(root, ids, LABELS, same_rater={}, renamed={})
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        not_retired(ledger.ledger_path(root), decisions)
        parts.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--retired", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}; "
          f"{args.decisions:,} decisions, median of {args.repeats} reads")
    print("| retired decisions | read (s) | of which retirements (s) | writing the batch (s) |")
    print("| ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_ledger(root, args.decisions)
        ids = [f"i{k}" for k in range(args.decisions)]
        read, part = read_time(root, ids, args.repeats)
        print(f"| none (no table) | {read:.3f} | {part:.4f} | — |")
        done = 0
        for total in sorted(args.retired):
            batch = [Retirement(RETIRE, -1, f"i{k}", "bench", "bench", "2026-12-05", "bench",
                                "--items-file ids.txt", position=k)
                     for k in range(done, min(total, args.decisions))]
            start = time.perf_counter()
            append_retirements(ledger.ledger_path(root), batch, decisions=args.decisions,
                               records_read=done)
            wrote = time.perf_counter() - start
            done += len(batch)
            read, part = read_time(root, ids, args.repeats)
            print(f"| {done:,} | {read:.3f} | {part:.4f} | {wrote:.3f} |")


if __name__ == "__main__":
    main()
