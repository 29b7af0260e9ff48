"""What each item's text hash (``text_hash`` in ``labels.parquet``) costs a run.

Two measures at ``--rows`` items (the UCI texts replicated, as ``run_scale.py`` writes
them):

1. The parts: hashing every text, and ``labels.parquet`` written with and without the
   column (a table with the columns a two-label run writes), bytes and seconds; and the
   other place the hashes could go, a file of ids and hashes of its own.
2. With ``--without-src DIR`` (a ``src`` folder of labelwright from before the column:
   ``git archive <commit> src | tar -x -C DIR``): ``labelwright run`` on the ``run_scale``
   UCI project, in child processes, ``--repeats`` times without the column and as many with
   it, after one warm-up run that fills the vote and Doc caches; wall time and the run's
   ``outputs`` step (which writes the labels), medians.

    python benchmarks/text_hashes.py --rows 1000000 --without-src /tmp/lw-old/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from apply_throughput import load_texts, replicate
from run_scale import write_project
from timing import median_seconds

from labelwright.runs.item_texts import TEXT_HASH, text_hashes

SRC = Path(__file__).resolve().parents[1] / "src"


def parts(rows: int, repeats: int, folder: Path) -> None:
    texts_, _ = load_texts()
    texts = list(replicate(texts_, rows, seed=0))
    ids = [f"r{i}" for i in range(rows)]
    hashing, _ = median_seconds(lambda: text_hashes(texts), repeats)
    rng = np.random.default_rng(0)
    p = rng.random(rows)
    labels = pd.array(np.where(p > 0.5, "spam", "ham"), dtype="string")
    frame = pd.DataFrame({"id": ids, "label": labels, "confidence": np.maximum(p, 1 - p),
                          "prob_ham": 1 - p, "prob_spam": p,
                          "status": np.where(p > 0.9, "review", "accepted"),
                          "reasons": "", "label_source": "model", "model_label": labels,
                          "model_confidence": np.maximum(p, 1 - p)})
    hashed = frame.assign(**{TEXT_HASH: text_hashes(texts)})
    sizes, writes = {}, {}
    for name, table in (("without", frame), ("with", hashed),
                        ("own file", hashed[["id", TEXT_HASH]])):
        path = folder / f"{name.replace(' ', '_')}.parquet"
        writes[name], _ = median_seconds(
            lambda t=table, p=path: t.to_parquet(p, index=False), repeats)
        sizes[name] = path.stat().st_size
    print(f"\n{rows:,} items, medians of {repeats}")
    print("| what | bytes | seconds |\n| --- | ---: | ---: |")
    print(f"| hashing every text | — | {hashing:.2f} |")
    for name in sizes:
        what = {"without": "labels.parquet without text_hash",
                "with": "labels.parquet with text_hash",
                "own file": "a file of its own (id, text_hash)"}[name]
        print(f"| {what} | {sizes[name]:,} | {writes[name]:.2f} (write) |")


def _run(root: Path, src: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "labelwright", "run", "-p", str(root)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    latest = sorted(p for p in (root / "runs").iterdir() if p.is_dir() and p.name[0] != ".")[-1]
    manifest = json.loads((latest / "manifest.json").read_text())
    return wall, float(manifest["timings_seconds"].get("outputs", float("nan")))


def runs(rows: int, repeats: int, without: Path, folder: Path) -> None:
    root = folder / "project"
    write_project(root, rows)
    _run(root, SRC)  # warm-up: the vote and Doc caches
    found: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for name, src in (("without", without), ("with", SRC)):
        for _ in range(repeats):
            found[name].append(_run(root, src))
            print(f"  {name}: {found[name][-1][0]:.1f} s", flush=True)
    print(f"\n`labelwright run`, {rows:,} items, medians of {repeats}")
    print("| labelwright | run (s) | outputs step (s) |\n| --- | ---: | ---: |")
    for name, times in found.items():
        print(f"| {name} text_hash | {statistics.median(t for t, _ in times):.1f} | "
              f"{statistics.median(o for _, o in times):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--without-src", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="labelwright-text-hashes-") as tmp:
        parts(args.rows, args.repeats, Path(tmp))
        if args.without_src is not None:
            runs(args.rows, args.repeats, args.without_src, Path(tmp))


if __name__ == "__main__":
    main()
