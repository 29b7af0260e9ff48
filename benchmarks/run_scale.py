"""``labelwright run`` end to end on a large generated project.

Writes a project to a temporary folder outside the repository, runs ``labelwright run``
in a child process and prints its wall time, peak RSS and the step timings the run's
manifest records. Two projects:

``--project uci`` (default)
    ``--rows`` items (the UCI SMS and YouTube texts replicated with light perturbation, as
    in ``apply_throughput.py``; the first 2,000 carry gold labels), the 8 regex LFs of
    ``tests/test_sms_real_data.py`` and the default config (label model ``auto``, combined
    review ranking, report).
``--project tickets``
    The bundled example (its 28 LFs, 5 glossaries and ``labelwright.toml``) on ``--rows``
    tickets from ``data/make_tickets.py`` (the hand-written ones and generated ones; 200
    gold). Templated text and sharp labels: the review ranking's end model has the most
    to fit here.

    python benchmarks/run_scale.py --rows 1000000
    python benchmarks/run_scale.py --project tickets --rows 20000 100000
    python benchmarks/run_scale.py --rows 300000 --keep /tmp/scale  # /tmp/scale/uci-300000
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd
from apply_throughput import SPAM, load_texts, replicate
from uci_data import sms_lf_source

REPO = Path(__file__).resolve().parents[1]

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


def load_make_tickets() -> Any:
    """The example's ticket generator, ``data/make_tickets.py``, as a module."""
    spec = importlib.util.spec_from_file_location("make_tickets", REPO / "data" / "make_tickets.py")
    assert spec is not None and spec.loader is not None
    make_tickets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_tickets)
    return make_tickets


def write_tickets_project(root: Path, rows: int) -> dict[str, str]:
    """Write the example project with ``rows`` tickets; return each ticket's true label
    (empty for the content-free ones)."""
    make_tickets = load_make_tickets()
    tickets = make_tickets.generate(n_generated=max(rows - len(make_tickets.HANDWRITTEN), 0))
    (root / "data").mkdir(parents=True)
    fields = ["ticket_id", "text", "channel", "plan", "gold_label"]
    with open(root / "data" / "tickets.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(tickets)
    for folder in ("labeling_functions", "glossaries"):
        shutil.copytree(REPO / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "labelwright.toml", root / "labelwright.toml")
    return {t["ticket_id"]: t["_label"] for t in tickets}


def run_tickets_project(root: Path) -> tuple[Any, Any, list[str]]:
    """Run the tickets project at ``root`` with the review queue ordered by confidence (the
    caller times the end model itself, so the run's ranking fits none) and read back the
    run's labels table, its votes and the texts in the table's order."""
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[triage]\n", '[triage]\nranking = "confidence"\n'), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "labelwright", "run", "-p", str(root),
                    "--no-report"], check=True, stdout=subprocess.DEVNULL)
    run = next((root / "runs").glob("*/"))
    table = pd.read_parquet(run / "labels.parquet")
    votes = pd.read_parquet(run / "label_matrix.parquet").drop(columns=["id"]).to_numpy()
    texts = pd.read_csv(root / "data" / "tickets.csv", keep_default_na=False
                        ).set_index("ticket_id").loc[table["id"], "text"].tolist()
    return table, votes, texts


def run_once(project: str, rows: int, keep: Path | None = None) -> None:
    """Write the project, run it and print what it took; ``keep``: write it under that
    folder (``<project>-<rows>``) and leave it there (for ``run_memory.py``), else in a
    temporary folder."""
    with tempfile.TemporaryDirectory(prefix="labelwright-run-scale-") as tmp:
        root = Path(tmp) if keep is None else keep / f"{project}-{rows}"
        (write_tickets_project if project == "tickets" else write_project)(root, rows)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "labelwright", "run", "-p", str(root)],
                       check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        manifest = json.loads(next((root / "runs").glob("*/manifest.json")).read_text())
        steps = {k: round(v, 1) for k, v in manifest.get("timings_seconds", {}).items()}
        print(f"{project} {rows:,} rows: labelwright run {seconds:.1f} s, peak RSS "
              f"{peak:,.0f} MB; steps (s): {steps}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", choices=["uci", "tickets"], default="uci")
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--keep", type=Path, default=None,
                        help="write each project under this folder and keep it")
    args = parser.parse_args()
    for rows in args.rows:
        run_once(args.project, rows, args.keep)


if __name__ == "__main__":
    main()
