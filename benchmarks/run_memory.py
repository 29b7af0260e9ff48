"""Where ``labelwright run``'s memory goes, step by step, on a project already written.

Runs :func:`labelwright.project.run.run_project` in this process on ``--project`` (a
folder with a ``labelwright.toml``; ``run_scale.py --keep`` writes one) and prints, per
step the run announces (``label model``, ``review ranking``, ``outputs``, ...), the
process's resident memory when the step started and the most it reached during the step
(sampled every 20 ms; Linux). With ``--trace`` it also traces Python's allocations
(``tracemalloc``: several times slower) and prints, at the start of each step, what
Python holds, and at the step ``--holders-at`` names (default ``outputs``, when the
run holds the most at once), the lines of code holding the most of it, in bytes per
item. ``--holders-at`` may be given more than once. As the CLI does, it first fixes
glibc's mmap threshold (:mod:`labelwright.large_blocks`; ``--allocator-as-is`` does not).

    python benchmarks/run_scale.py --rows 300000 --keep /tmp/p300k
    python benchmarks/run_memory.py --project /tmp/p300k
    python benchmarks/run_memory.py --project /tmp/p300k --trace --holders-at outputs
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import tracemalloc
from pathlib import Path

from labelwright.large_blocks import return_large_blocks
from labelwright.project.run import run_project

MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """This process's resident memory in bytes (Linux: ``/proc/self/statm``)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


class RssSampler:
    """The process's resident memory, sampled in a thread; the most seen per step."""

    def __init__(self) -> None:
        self.step = "load"
        self.peaks: dict[str, int] = {}
        self.at_start: dict[str, int] = {"load": rss()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def enter(self, step: str) -> None:
        now = rss()
        self._note(now)
        self.step = step
        self.at_start.setdefault(step, now)
        self._note(now)

    def _note(self, now: int) -> None:
        self.peaks[self.step] = max(self.peaks.get(self.step, 0), now)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._note(rss())


def holders(snapshot: tracemalloc.Snapshot, items: int, top: int) -> list[str]:
    """The ``top`` lines of code whose live allocations hold the most, in bytes per item."""
    stats = snapshot.filter_traces([
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]).statistics("lineno")
    rows = []
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = frame.filename.split("site-packages/")[-1].split("/src/")[-1]
        rows.append(f"  {stat.size / items:8.0f} B/item {stat.size / MB:8.1f} MB "
                    f"{stat.count:>9,} blocks  {where}:{frame.lineno}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--holders-at", action="append", default=None)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--allocator-as-is", action="store_true",
                        help="leave glibc's mmap threshold as it is (the Python API's run)")
    args = parser.parse_args()
    if not args.allocator_as_is:
        return_large_blocks()
    holders_at = set(args.holders_at or ["outputs"])
    sampler = RssSampler()
    traced: dict[str, int] = {}
    snapshots: dict[str, tracemalloc.Snapshot] = {}

    def stage(name: str) -> None:
        if args.trace:
            traced[name] = tracemalloc.get_traced_memory()[0]
            if name in holders_at:
                snapshots[name] = tracemalloc.take_snapshot()
        sampler.enter(name)

    if args.trace:
        tracemalloc.start(1)
    sampler.start()
    start = time.perf_counter()
    result = run_project(args.project, stage=stage, progress=lambda step, *_: (
        sampler.enter(step) if step == "apply" and sampler.step == "load" else None))
    seconds = time.perf_counter() - start
    sampler.enter("(result held)")
    if args.trace:
        traced["(result held)"] = tracemalloc.get_traced_memory()[0]
    sampler.stop()
    items = len(result.dataset)
    print(f"{args.project}: {items:,} items, {seconds:.1f} s, peak RSS "
          f"{max(sampler.peaks.values()) / MB:,.0f} MB, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'step':<40} {'RSS at start':>13} {'peak in step':>13}"
          + (f" {'traced at start':>16}" if args.trace else ""))
    for step, peak in sampler.peaks.items():
        line = (f"{step:<40} {sampler.at_start.get(step, 0) / MB:>10,.0f} MB "
                f"{peak / MB:>10,.0f} MB")
        if args.trace and step in traced:
            line += f" {traced[step] / MB:>13,.0f} MB"
        print(line)
    for step, snapshot in snapshots.items():
        print(f"holders at the start of {step!r} (bytes per item):")
        print("\n".join(holders(snapshot, items, args.top)))


if __name__ == "__main__":
    main()
