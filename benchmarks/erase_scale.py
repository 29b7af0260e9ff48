"""``labelwright erase`` at scale: the texts of a few deleted items taken out of several
runs of a large project.

Builds the bundled example project on ``--rows`` generated tickets (as ``run_scale.py
--project tickets``) in ``--dir``, runs it ``--runs`` times, exports the review queue as
CSV and for Label Studio, then deletes ``--items`` queued items' rows from the data (spread
over the queue) and times, each as a command in a child process under ``nice``:
``erase --dry-run``, ``erase``, the same ``erase`` again (nothing left to do) and ``runs
verify --all``; with ``--next-run``, also the run after the erasure (the dropped cache
entries are misses). Prints a table of wall times and what the erasure changed::

    python benchmarks/erase_scale.py --rows 300000 --runs 3 --dir /tmp/erase_bench
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from run_scale import write_tickets_project


def labelwright(project: Path, *args: str) -> tuple[float, str]:
    """Run ``labelwright ARGS -p project``: (wall seconds, its output)."""
    start = time.perf_counter()
    done = subprocess.run(["nice", sys.executable, "-m", "labelwright", *args, "-p",
                           str(project)], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def queued_ids(run_dir: Path, n: int) -> list[str]:
    """``n`` ids spread over the run's review queue."""
    ids = []
    with open(run_dir / "review.jsonl", encoding="utf-8") as handle:
        for line in handle:
            ids.append(json.loads(line)["id"])
    step = max(len(ids) // n, 1)
    return ids[::step][:n]


def delete_rows(data: Path, ids: set[str]) -> None:
    with open(data, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(data, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["ticket_id"] not in ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--next-run", action="store_true")
    args = parser.parse_args()
    project = args.dir / "project"
    if not project.exists():
        write_tickets_project(project, args.rows)
    runs = project / "runs"
    made = [p for p in runs.iterdir() if p.is_dir()] if runs.is_dir() else []
    for k in range(len(made), args.runs):
        seconds, _ = labelwright(project, "run")
        print(f"run {k + 1}: {seconds:.1f} s", flush=True)
    newest = max(p for p in runs.iterdir() if p.is_dir() and not p.name.startswith("."))
    exports = args.dir / "exports"
    exports.mkdir(exist_ok=True)
    for fmt, name in (("csv", "queue.csv"), ("label-studio", "queue.json")):
        labelwright(project, "review", "export", "--format", fmt, "--out",
                    str(exports / name), "--force")
    ids = queued_ids(newest, args.items)
    delete_rows(project / "data" / "tickets.csv", set(ids))
    erase = ["erase", *[a for i in ids for a in ("--item", i)], "--reviewer", "bench",
             "--reason", "benchmark"]
    rows = []
    seconds, out = labelwright(project, *erase, "--dry-run")
    rows.append(("erase --dry-run", seconds, out.splitlines()[0]))
    seconds, out = labelwright(project, *erase)
    rows.append(("erase", seconds, out.splitlines()[0]))
    record = json.loads((runs / "ERASURES.jsonl").read_text(encoding="utf-8")
                        .splitlines()[-1])
    files = [f for f in record["files"] if f["sha256_after"] is not None]
    written = sum(Path(f["path"]).stat().st_size for f in files)
    seconds, out = labelwright(project, *erase)
    rows.append(("erase again", seconds, out.splitlines()[0]))
    seconds, out = labelwright(project, "runs", "verify", "--all")
    rows.append(("runs verify --all", seconds,
                 f"{out.count(': ok (')} runs ok, "
                 f"{out.count('item texts erased on')} naming the erasure"))
    if args.next_run:
        seconds, _ = labelwright(project, "run")
        rows.append(("run after the erasure", seconds, "caches dropped: misses"))
    print(f"\n{args.rows:,} rows, {args.runs} runs, {len(ids)} items erased: "
          f"{len(files)} files rewritten ({written / 1e6:.1f} MB), "
          f"{len(record['files']) - len(files)} cache entries dropped\n")
    print("| command | wall (s) | what it said |")
    print("|---|---|---|")
    for name, seconds, said in rows:
        print(f"| `{name}` | {seconds:.1f} | {said} |")


if __name__ == "__main__":
    main()
