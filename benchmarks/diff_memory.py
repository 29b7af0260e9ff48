"""Peak memory of comparing a run with the run before it, as a run's report does when it
publishes (``publish: comparing with the previous run``): ``diff_runs(previous, run)`` in a
fresh process, its ``ru_maxrss`` above the process's own after pandas and pyarrow are
imported. Runs of different sizes (a run after a larger one) are where the earlier run's
rows that are not compared cost memory.

    python benchmarks/diff_memory.py runs/<previous run> runs/<run>

Each pair is measured in a process of its own (``ru_maxrss`` only grows); no tracemalloc,
which adds memory of its own to every allocation.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(previous: Path, run: Path) -> dict[str, float | int]:
    """One comparison in this process: its counts, seconds and peak above the start."""
    import pandas  # noqa: F401  (imported before the baseline, as in a run)
    import pyarrow  # noqa: F401

    from labelwright.runs.diff import diff_runs

    start = _peak_mb()
    began = time.perf_counter()
    diff = diff_runs(previous, run)
    return {"compared": diff.compared, "only_previous": diff.only_a,
            "flipped": diff.flipped, "seconds": round(time.perf_counter() - began, 2),
            "start_mb": round(start), "peak_above_start_mb": round(_peak_mb() - start)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("previous", type=Path)
    parser.add_argument("run", type=Path)
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.here:
        print(json.dumps(measure(args.previous, args.run)))
        return
    out = subprocess.run([sys.executable, __file__, str(args.previous), str(args.run),
                          "--here"], capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"# {platform.node()} {platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d', time.gmtime())}")
    print("| previous -> run | compared | only in previous | peak above start | seconds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| {args.previous.name} -> {args.run.name} | {row['compared']:,} | "
          f"{row['only_previous']:,} | {row['peak_above_start_mb']} MB | {row['seconds']} |")


if __name__ == "__main__":
    main()
