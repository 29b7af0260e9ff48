"""The edit -> re-run loop at scale: ``labelwright run`` again after editing one LF.

Builds the bundled example project on ``--rows`` generated tickets (as
``run_scale.py --project tickets``) in ``--dir``, runs it once to fill the vote and Doc
caches, then ``--rounds`` times edits one LF (``pricing_question``'s cue list, one cue
in, then out again) and runs ``labelwright run`` again, in a child process under
``nice``. Prints each re-run's wall time and the step timings its manifest records
(``timings_seconds``; the rest of the wall time is starting Python, the diff against the
previous run and the report, which come after the manifest),
and their medians.

``--unchanged`` runs again without the edit: a re-run that changed nothing (the
ranking cache's case: the review ranking is read back, not fit again).

``--compare OLD_SRC`` keeps two copies of the project, one per checkout (each with its own
caches: the vote cache keys glossary LFs by labelwright's matching code), and alternates
the two checkouts' re-runs on the same edit; after each pair it checks that every output
file is the same bytes, run ids, timestamps and timings aside::

    git archive main src | tar -x -C /tmp/old
    python benchmarks/rerun_scale.py --rows 300000 --dir /tmp/rerun --compare /tmp/old/src
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run_scale import write_tickets_project

REPO = Path(__file__).resolve().parents[1]
EDITED = "labeling_functions/keywords.py"
CUE = '"tier", "quote")'
#: the files compared between checkouts (report.html with its volatile parts masked)
OUTPUTS = ("labels.parquet", "label_matrix.parquet", "lf_summary.csv", "label_model.json",
           "glossary_hits.csv", "review.csv", "review.jsonl", "sample.csv", "sample.jsonl",
           "reviews.json", "report.html")
STEPS = ("apply", "fit", "rank", "triage", "outputs")  # the manifest times no more


def toggle_edit(project: Path) -> None:
    """Edit one LF: take the cue "quote" out of its list, or put it back."""
    path = project / EDITED
    text = path.read_text(encoding="utf-8")
    if CUE in text:
        text = text.replace(CUE, '"tier")')
    else:
        text = text.replace('"tier")', CUE)
    path.write_text(text, encoding="utf-8")


def run(project: Path, src: Path) -> tuple[float, dict[str, float], Path]:
    """``labelwright run`` of ``project`` with the code under ``src``: wall seconds, the
    manifest's step timings and the run folder."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run(["nice", sys.executable, "-m", "labelwright", "run", "-p", str(project)],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    seconds = time.perf_counter() - start
    newest = max(p for p in (project / "runs").iterdir()
                 if p.is_dir() and not p.name.startswith("."))
    manifest = json.loads((newest / "manifest.json").read_text(encoding="utf-8"))
    return seconds, manifest.get("timings_seconds", {}), newest


def normalised(path: Path, run_id: str) -> bytes:
    """The file's bytes with the run id masked, and in the report also what a run's time
    writes (timestamps, durations, run ids of the previous run) and the project's folder
    (each checkout has its copy)."""
    data = path.read_bytes()
    project = str(path.parent.parent.parent).encode()
    data = data.replace(project, b"PROJECT")
    if path.suffix in (".csv", ".jsonl", ".json", ".html"):
        data = data.replace(run_id.encode(), b"RUN")
    if path.suffix == ".html":
        data = re.sub(rb"\d{8}-\d{6}-\d{6}", b"RUN", data)
        data = re.sub(rb"\d{4}-\d\d-\d\dT[\d:.+]+", b"TIME", data)
        data = re.sub(rb"\d+(\.\d+)? ?(s|ms|min)\b", b"DUR", data)
    return data


def same_outputs(a: Path, b: Path) -> list[str]:
    """Output files of run folders ``a`` and ``b`` that differ (masked as in
    :func:`normalised`)."""
    differ = []
    for name in OUTPUTS:
        fa, fb = a / name, b / name
        if fa.exists() != fb.exists():
            differ.append(f"{name} (in one run only)")
        elif fa.exists() and normalised(fa, a.name) != normalised(fb, b.name):
            differ.append(name)
    return differ


def line(name: str, seconds: float, steps: dict[str, float]) -> str:
    parts = " ".join(f"{s} {steps.get(s, float('nan')):6.1f}" for s in STEPS)
    return f"{name:>4}: wall {seconds:6.1f} s | {parts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--dir", type=Path, required=True,
                        help="folder for the project(s), outside the repository")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="the other checkout's src folder")
    parser.add_argument("--unchanged", action="store_true",
                        help="re-run without editing an LF first")
    args = parser.parse_args()
    base = args.dir / "project"
    if not base.exists():
        write_tickets_project(base, args.rows)
    checkouts = {"new": REPO / "src"}
    if args.compare is not None:
        checkouts["old"] = args.compare.resolve()
    projects = {}
    for name, src in checkouts.items():
        projects[name] = args.dir / name
        if not projects[name].exists():
            shutil.copytree(base, projects[name])
            seconds, steps, _ = run(projects[name], src)  # fills its caches
            print(line(name, seconds, steps) + "  (cold)", flush=True)
    results: dict[str, list[tuple[float, dict[str, float]]]] = {n: [] for n in checkouts}
    for r in range(args.rounds):
        order = list(checkouts) if r % 2 == 0 else list(reversed(checkouts))
        folders = {}
        for name in order:
            if not args.unchanged:
                toggle_edit(projects[name])
            seconds, steps, folders[name] = run(projects[name], checkouts[name])
            results[name].append((seconds, steps))
            print(line(name, seconds, steps), flush=True)
        if len(folders) == 2:
            differ = same_outputs(folders["old"], folders["new"])
            print("  outputs: " + ("identical" if not differ else "DIFFER: " + ", ".join(differ)),
                  flush=True)
    print("median of", args.rounds, "re-runs:")
    for name, rows in results.items():
        steps = {s: statistics.median(r[1].get(s, float("nan")) for r in rows) for s in STEPS}
        print(line(name, statistics.median(r[0] for r in rows), steps))


if __name__ == "__main__":
    main()
