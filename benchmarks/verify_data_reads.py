"""What ``runs verify --all --inputs`` spends re-reading a data file that changed since its
runs: a project of ``--items`` items (one LF, as ``retirement_reads.py`` writes it) is run
``--runs`` times, a row appended after each run, so that every run's data differs from the
file now; then ``verify_runs(every=True, inputs=True)`` (each run's changed items named) is
timed, with how many times the dataset was read. Run it with ``PYTHONPATH`` at two versions
of ``src`` to compare them:

    PYTHONPATH=src python benchmarks/verify_data_reads.py --items 50000 --runs 4 --repeats 3
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from retirement_reads import write_project

import labelwright
from labelwright.data import dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    reads: list[Path] = []
    read = dataset.read_dataset

    def counted(*a, **k):  # type: ignore[no-untyped-def]
        reads.append(a[0].path)
        return read(*a, **k)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, args.items)
        for k in range(args.runs):
            labelwright.run_project(root, report=False)
            with open(root / "data" / "items.csv", "a", encoding="utf-8") as handle:
                handle.write(f"new{k},refund please {k}\n")
        dataset.read_dataset = counted  # the verify's reads only
        took, count = [], []
        for _ in range(args.repeats):
            reads.clear()
            start = time.perf_counter()
            checks = labelwright.verify_runs(root, every=True, inputs=True)
            took.append(time.perf_counter() - start)
            count.append(len(reads))
            assert all(c.inputs for c in checks)  # every run's data differs
    print(f"Python {platform.python_version()}, {platform.machine()}; {args.items:,} items, "
          f"{args.runs} runs whose data changed; median of {args.repeats}")
    print("| runs verify --all --inputs | dataset reads | seconds |")
    print("| --- | ---: | ---: |")
    print(f"| | {statistics.median(count):.0f} | {statistics.median(took):.2f} |")


if __name__ == "__main__":
    main()
