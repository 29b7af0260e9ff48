"""How often ``review stats --as-read`` and ``runs verify --recompute`` read the review
ledger and settle its decisions, and what the commands take.

A small project (``--items`` items, one LF) is written beside a ledger of ``--decisions``
decisions (one rater each, items ``i0``, ``i1``, ...), run once; then each command is called
``--repeats`` times and the table gives how often it read the ledger's decisions table, how
often it settled the decisions (:func:`~labelwright.review.feedback.gold.reviewed_labels`)
and its seconds (medians). Run it with ``PYTHONPATH`` at two versions of ``src`` to compare:

    PYTHONPATH=src python benchmarks/ledger_reads_per_command.py --decisions 50000
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from retirement_reads import write_ledger, write_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import labelwright
    from labelwright.review.decisions import ledger_reading
    from labelwright.review.feedback import gold
    from labelwright.review.stats.summary import review_stats

    reads: list[int] = []
    settles: list[int] = []
    rows, settle = ledger_reading._decision_rows, gold.reviewed_labels
    ledger_reading._decision_rows = lambda conn: reads.append(1) or rows(conn)

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        settles.append(1)
        return settle(*a, **k)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_ledger(root, args.decisions)
        write_project(root, args.items)
        run = labelwright.run_project(root, report=False)
        labelwright.verify_runs(root, recompute=True)  # every module imported once
        for module in list(sys.modules.values()):  # each module that settles decisions
            if getattr(module, "reviewed_labels", None) is settle:
                module.reviewed_labels = counting  # type: ignore[attr-defined]
        print(f"Python {platform.python_version()}, {platform.machine()}; "
              f"{args.decisions:,} decisions, {args.items} items; median of {args.repeats}")
        print("| command | ledger reads | settlements | seconds |")
        print("| --- | ---: | ---: | ---: |")
        for name, call in (
                ("review stats --as-read",
                 lambda: review_stats(root, run.run_id, as_read=True)),
                ("runs verify --recompute",
                 lambda: labelwright.verify_runs(root, recompute=True))):
            counts, settled, took = [], [], []
            for _ in range(args.repeats):
                reads.clear()
                settles.clear()
                start = time.perf_counter()
                call()
                took.append(time.perf_counter() - start)
                counts.append(len(reads))
                settled.append(len(settles))
            print(f"| {name} | {statistics.median(counts):.0f} | "
                  f"{statistics.median(settled):.0f} | {statistics.median(took):.2f} |")


if __name__ == "__main__":
    main()
