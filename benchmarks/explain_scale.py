"""``labelwright explain`` on a large generated project: wall time and peak RSS per item.

Writes a project outside the repository (``--root``, kept for later rounds): ``--rows``
items (the UCI SMS and YouTube texts replicated with light perturbation, as in
``apply_throughput.py``) in ``data/items.csv`` or ``data/items.parquet`` with two field
columns (``channel``, text; ``stars``, a number in Parquet), 3 regex LFs and the
``majority`` label model, and runs ``labelwright run --no-report`` on it once. Then it
times ``labelwright explain ID`` (a child process under ``/usr/bin/time -v``) for an item
near the start, the middle and the end of the file, ``--repeat`` times each, and prints
the median wall time and peak RSS. ``--src`` puts another checkout's ``src`` first on the
children's ``PYTHONPATH`` (to time the code before a change on the same run).

    python benchmarks/explain_scale.py --root /tmp/explain-bench --rows 1000000
    python benchmarks/explain_scale.py --root /tmp/explain-bench --format parquet
    python benchmarks/explain_scale.py --root /tmp/explain-bench --src /tmp/old/src
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import apply_throughput
import pandas as pd
from apply_throughput import load_texts, replicate

CONFIG = """\
[project]
name = "explain-scale"
labels = ["ham", "spam"]

[data]
path = "data/items.{suffix}"
id_column = "id"
text_column = "text"

[label_model]
name = "majority"

[triage]
ranking = "confidence"
audit_size = 0
"""

LFS = r'''
import re

from labelwright import ABSTAIN, labeling_function

OFFER = re.compile(r"\b(free|win|won|prize|claim|urgent|cash)\b", re.I)
URL = re.compile(r"https?://|www\.|\.com\b", re.I)
PERSONAL = re.compile(r"\b(i|me|my|u|ur|lol|ok|love|sorry|home|later)\b", re.I)


@labeling_function()
def offer_words(item):
    return "spam" if OFFER.search(item.text) else ABSTAIN


@labeling_function()
def has_url(item):
    return "spam" if URL.search(item.text) else ABSTAIN


@labeling_function()
def personal(item):
    return "ham" if PERSONAL.search(item.text) else ABSTAIN
'''

CHANNELS = ["sms", "web", "app", "mail"]


def write_project(root: Path, rows: int, fmt: str) -> None:
    if not apply_throughput.RAW.is_dir():  # a worktree outside /work: the shared folder
        apply_throughput.RAW = Path("/work/shared/data/raw")
    texts, _ = load_texts()
    (root / "data").mkdir(parents=True)
    ids = [f"r{i}" for i in range(rows)]
    channels = [CHANNELS[i % len(CHANNELS)] for i in range(rows)]
    stars = [i % 5 + 1 for i in range(rows)]
    generated = replicate(texts, rows, seed=0)
    if fmt == "parquet":
        pd.DataFrame({"id": ids, "text": generated, "channel": channels, "stars": stars}
                     ).to_parquet(root / "data" / "items.parquet", row_group_size=100_000)
    else:
        with open(root / "data" / "items.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "text", "channel", "stars"])
            writer.writerows(zip(ids, generated, channels, stars))
    (root / "labeling_functions").mkdir()
    (root / "labeling_functions" / "sms.py").write_text(LFS, encoding="utf-8")
    (root / "labelwright.toml").write_text(textwrap.dedent(CONFIG.format(suffix=fmt)),
                                           encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and stdout of ``command`` under ``/usr/bin/time -v``."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], env=env, capture_output=True,
                          text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall is not None and rss is not None, done.stderr
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return total, int(rss.group(1)) / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="project folder (made once)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, help="a src folder to run explain from")
    args = parser.parse_args()
    root = args.root.resolve()
    env = dict(os.environ)
    if args.src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(args.src.resolve()),
                                             env.get("PYTHONPATH", "")])
    if not (root / "labelwright.toml").is_file():
        write_project(root, args.rows, args.format)
    if not (root / "runs").is_dir():
        start = time.perf_counter()
        seconds, peak, _ = timed([sys.executable, "-m", "labelwright", "run", "-p", str(root),
                                  "--no-report"], env)
        print(f"run: {seconds:.1f} s, peak RSS {peak:,.0f} MB "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    rows = args.rows
    print(f"| item | wall (s), median of {args.repeat} | peak RSS (MB) |")
    print("|---|---|---|")
    for item in (f"r{5}", f"r{rows // 2}", f"r{rows - 5}"):
        runs = [timed([sys.executable, "-m", "labelwright", "explain", item, "-p", str(root)],
                      env) for _ in range(args.repeat)]
        assert all(item in out for _, _, out in runs)
        print(f"| {item} | {statistics.median(r[0] for r in runs):.2f} | "
              f"{statistics.median(r[1] for r in runs):,.0f} |", flush=True)


if __name__ == "__main__":
    main()
