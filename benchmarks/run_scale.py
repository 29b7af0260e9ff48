"""``labelwright run`` end to end on a large generated project.

Writes a project to a temporary folder outside the repository: ``--rows`` items (the UCI
SMS and YouTube texts replicated with light perturbation, as in ``apply_throughput.py``;
the first 2,000 carry gold labels), the 8 regex LFs of ``tests/test_sms_real_data.py`` and
the default config (label model ``auto``, combined review ranking, report). Then runs
``labelwright run`` in a child process and prints its wall time, peak RSS and the step
timings the run's manifest records.

    python benchmarks/run_scale.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from apply_throughput import SPAM, load_texts, replicate
from uci_data import sms_lf_source

CONFIG = """\
[project]
name = "run-scale"
labels = ["ham", "spam"]

[data]
path = "data/items.csv"
id_column = "id"
text_column = "text"
gold_column = "gold"
"""


def write_project(root: Path, rows: int, gold_rows: int = 2000) -> None:
    texts, gold = load_texts()
    (root / "data").mkdir(parents=True)
    with open(root / "data" / "items.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "gold"])
        for i, text in enumerate(replicate(texts, rows, seed=0)):
            label = ("spam" if gold[i % len(texts)] == SPAM else "ham") if i < gold_rows else ""
            writer.writerow([f"r{i}", text, label])
    (root / "labeling_functions").mkdir()
    (root / "labeling_functions" / "sms.py").write_text(sms_lf_source()[1], encoding="utf-8")
    (root / "labelwright.toml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="labelwright-run-scale-") as tmp:
        root = Path(tmp)
        write_project(root, args.rows)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "labelwright", "run", "-p", str(root)],
                       check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        manifest = json.loads(next((root / "runs").glob("*/manifest.json")).read_text())
        steps = {k: round(v, 1) for k, v in manifest.get("timings_seconds", {}).items()}
        print(f"{args.rows:,} rows: labelwright run {seconds:.1f} s, peak RSS {peak:,.0f} MB; "
              f"steps (s): {steps}")


if __name__ == "__main__":
    main()
