"""The edit loop: a `labelwright run` after adding one LF to a module, on the bundled example.

Copies the example (config, LFs, glossaries, data; ``--scale N`` repeats its rows N times
under new ids) to a temp folder, runs once to fill the vote cache, adds one LF to
``labeling_functions/<--module>.py`` (keywords: 5 cheap LFs; linguistic: 4 LFs reading the
Doc) and times the run after it, in a fresh process per source tree given (``--src old/src
--src new/src`` compares two checkouts); CPU is the run process's user + system time.

    python benchmarks/edit_loop.py --src /tmp/old/src --src src --scale 50 --module linguistic
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]

ADDED = '''

@labeling_function()
def mentions_invoice_copy(item):
    """Added in the edit loop."""
    text = item.text.lower()
    return "billing" if "invoice" in text and "copy" in text else ABSTAIN
'''


def example(folder: Path, scale: int) -> None:
    for name in ("labeling_functions", "glossaries", "data"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "labelwright.toml", folder)
    if scale > 1:
        tickets = pd.read_csv(folder / "data" / "tickets.csv")
        parts = []
        for i in range(scale):
            part = tickets.copy()
            part["ticket_id"] = part["ticket_id"].astype(str) + f"-{i}"
            if i:
                part["gold_label"] = None
            parts.append(part)
        pd.concat(parts).to_csv(folder / "data" / "tickets.csv", index=False)


def run(folder: Path, src: str) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, manifest) of one ``labelwright run`` in ``folder``."""
    env = {**os.environ, "PYTHONPATH": src}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "labelwright", "run", "--no-report"], cwd=folder,
                   env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    latest = sorted(p for p in (folder / "runs").iterdir() if p.is_dir())[-1]
    return seconds, cpu, json.loads((latest / "manifest.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", required=True,
                        help="a source tree to run with (PYTHONPATH); repeat to compare")
    parser.add_argument("--scale", type=int, default=1, help="repeat the example's rows")
    parser.add_argument("--module", default="keywords", help="the LF module to add an LF to")
    args = parser.parse_args()
    print(f"adding one LF to {args.module}.py")
    print("| code | items | LFs computed | apply (s) | run wall (s) | run CPU (s) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for src in args.src:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            example(folder, args.scale)
            run(folder, os.path.abspath(src))  # fills the vote cache
            with open(folder / "labeling_functions" / f"{args.module}.py", "a") as handle:
                handle.write(ADDED)
            seconds, cpu, manifest = run(folder, os.path.abspath(src))
            computed = manifest["apply"]["rows_computed"]
            ran = sum(1 for n in computed.values() if n)
            print(f"| {src} | {manifest['data']['rows']:,} | {ran} of {len(computed)} | "
                  f"{manifest['apply']['seconds']:.2f} | {seconds:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
