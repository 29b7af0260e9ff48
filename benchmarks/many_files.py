"""A dataset in many files against the same rows in one file: the cost of reading a
folder of Parquet parts (``[data] path = "data/parts"``) over one Parquet file.

Writes ``--rows`` short product reviews (ids ``r0..``, a ``stars`` column, some empty and
missing texts) as ``--parts`` Parquet parts and as one file, then reads each with
``read_dataset`` (``--run``: ``run_project`` too, vote cache off) in a fresh process, so
that each peak RSS is that read's alone, and prints wall time and peak RSS:

    python benchmarks/many_files.py --rows 300000 --parts 8 --run
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("great works broke refund slow shipping box colour size love never again ok meh "
         "cheap quality battery screen arrived late perfect awful fine").split()

READ = """
import sys
from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
config = load_config(sys.argv[1])
print(len(read_dataset(config.data, config.labels)))
"""
RUN = """
import sys
from labelwright import run_project
print(len(run_project(sys.argv[1], report=False, cache=False).dataset))
"""

LF = '''
from labelwright import ABSTAIN, labeling_function

@labeling_function()
def praise(item):
    return "positive" if "great" in item.text or "love" in item.text else ABSTAIN

@labeling_function()
def low_stars(item):
    return "negative" if item.stars is not None and item.stars <= 1 else ABSTAIN
'''


def write_project(root: Path, rows: int, parts: int) -> None:
    """A project whose ``data/parts`` holds ``parts`` Parquet files of ``rows`` reviews in
    all, and ``data/all.parquet`` the same rows in one file."""
    import pandas as pd

    rng = random.Random(0)
    texts = [None if rng.random() < 0.002 else
             " ".join(rng.choices(WORDS, k=rng.randint(0, 14))) for _ in range(rows)]
    frame = pd.DataFrame({"review_id": [f"r{k}" for k in range(rows)], "text": texts,
                          "stars": [rng.randint(1, 5) for _ in range(rows)]})
    (root / "data" / "parts").mkdir(parents=True)
    frame.to_parquet(root / "data" / "all.parquet", index=False)
    size = -(-rows // parts)
    for k in range(parts):
        frame[k * size:(k + 1) * size].to_parquet(
            root / "data" / "parts" / f"part-{k:05d}.parquet", index=False)
    (root / "labeling_functions").mkdir()
    (root / "labeling_functions" / "reviews.py").write_text(LF)
    (root / "glossaries").mkdir()


def config_text(path: str) -> str:
    return (f'[project]\nname = "bench"\nlabels = ["positive", "negative"]\nseed = 0\n\n'
            f'[data]\npath = "{path}"\nid_column = "review_id"\n\n'
            '[label_model]\nname = "majority"\n')


def measured(script: str, root: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``script`` run on the project at ``root`` in a
    process of its own (its own rusage, from ``os.wait4``)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, str(root)],
                             stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{script.strip().splitlines()[-1]} failed on {root}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--run", action="store_true", help="time run_project too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, args.rows, args.parts)
        print(f"{args.rows:,} rows; one file vs {args.parts} parts; a fresh process each")
        print("| read | data | wall (s) | peak RSS (MiB) |\n| --- | --- | ---: | ---: |")
        steps = [("read_dataset", READ)] + ([("run_project", RUN)] if args.run else [])
        for step, script in steps:
            for path in ("data/parts", "data/all.parquet"):
                (root / "labelwright.toml").write_text(config_text(path))
                wall, peak = measured(script, root)
                print(f"| {step} | {path} | {wall:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
