"""Time ``labelwright run`` re-run on a project with nothing changed (every vote from the
vote cache): the edit -> re-run loop's floor.

Copies the project to a temporary folder, runs it once to fill the caches, then re-runs it
``--repeat`` times and prints each run's wall time and the run's own time (what ``run``
prints: without Python's start-up and imports), and their medians. The labelwright
measured is the one ``python`` imports (set PYTHONPATH to compare two checkouts).

    PYTHONPATH=src python benchmarks/rerun_unchanged.py /path/to/project --repeat 3
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_RUN_TIME = re.compile(r"in ([0-9.]+)s \(([0-9.]+)s with start-up\)")


def run_once(project: Path) -> tuple[float, float, str]:
    """(wall seconds, the run's own seconds, its vote cache line) of one ``run``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "labelwright", "run"],
                          cwd=project, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    found = _RUN_TIME.search(done.stdout)
    votes = next((line for line in done.stdout.splitlines() if line.startswith("votes:")), "")
    return wall, float(found.group(1)) if found else float("nan"), votes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(args.project, project, ignore=shutil.ignore_patterns("runs"))
        run_once(project)  # fills the caches
        rows = [run_once(project) for _ in range(args.repeat)]
    print(f"{'re-run':>6} {'wall s':>7} {'run s':>6}  votes")
    for k, (wall, own, votes) in enumerate(rows, 1):
        print(f"{k:>6} {wall:7.1f} {own:6.1f}  {votes}")
    print(f"{'median':>6} {statistics.median(r[0] for r in rows):7.1f} "
          f"{statistics.median(r[1] for r in rows):6.1f}")


if __name__ == "__main__":
    main()
