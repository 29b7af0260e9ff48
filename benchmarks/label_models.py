"""Benchmark label models: WRENCH youtube and sms, then fit/predict at scale.

    python benchmarks/label_models.py                # everything (~8 minutes on 2 cores)
    python benchmarks/label_models.py --skip-scale   # WRENCH only
    python benchmarks/label_models.py --skip-wrench  # scale only

WRENCH data is read from ``../shared/data/wrench`` (next to the repository; never copied
into it). Scale runs draw a synthetic 50-LF binary label matrix (int8) with known LF
accuracies (uniform in [0.55, 0.9], coverage 0.2) and run every (model, size) in a fresh
subprocess, so ``peak RSS`` is that process's ``ru_maxrss`` (interpreter, imports, the
matrix itself and the fit/predict). Fit times are medians of ``--repeats`` fits.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from rich.table import Table

from labelwright.cli.output import make_console

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "wrench"
N_LFS = 50


def synthetic(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from labelwright.models.synthetic import make_label_matrix

    acc = np.random.default_rng(0).uniform(0.55, 0.9, N_LFS)
    L, y = make_label_matrix(n, acc, coverage=0.2, random_state=1)
    return L, y, acc


def worker(model_name: str, n: int, repeats: int) -> None:
    """One (model, size) run; prints one JSON line."""
    from labelwright.models import get_model

    L, y, acc = synthetic(n)
    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for _ in range(repeats):
        model = get_model(model_name, 2, random_state=0)
        start = time.perf_counter()
        model.fit(L)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    pred = model.predict(L)
    predict_s = time.perf_counter() - start
    learned = getattr(model, "accuracies_", None)
    if learned is None and hasattr(model, "mu_") and len(model.mu_):
        # snorkel: P(vote right | votes) from mu under the class balance
        mu = model.mu_.reshape(N_LFS, 2, 2)  # (lf, vote, class)
        p = model.class_balance_
        right = (mu[:, 0, 0] * p[0] + mu[:, 1, 1] * p[1])
        learned = right / (mu.sum(axis=1) @ p)
    print(json.dumps({
        "model": model_name, "n": n, "fit_s": statistics.median(times),
        "fit_runs": len(times), "predict_s": predict_s,
        "accuracy": float((pred == y).mean()),
        "acc_err": None if learned is None else float(np.abs(learned - acc).max()),
        "rss_data_mb": rss_data,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def run_scale(plan: list[tuple[str, int, int]]) -> list[dict]:
    out = []
    for name, n, repeats in plan:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", name, str(n), str(repeats)],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            out.append({"model": name, "n": n, "error": proc.stderr.strip().splitlines()[-1]})
        else:
            out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def wrench_records() -> list:
    from labelwright.bench.wrench import evaluate, run_wrench

    folders = [DATA / "youtube", DATA / "sms"]
    records, datasets = run_wrench(folders)
    # for reference: auto told to optimise F1 of class 1 instead of macro-F1
    for ds in datasets:
        records.append(evaluate(ds, "auto", "valid", params={"scoring": "f1"},
                                label="auto (scoring=f1)"))
    return records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-wrench", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", nargs=3, metavar=("MODEL", "N", "REPEATS"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), int(args.worker[2]))
        return
    console = make_console()
    if not args.skip_wrench:
        table = Table(title="WRENCH test (%), tie-break random, random_state 0")
        for col in ("dataset", "model", "gold", "acc", "macro-F1", "F1", "ECE", "fit s",
                    "traced MB", "auto chose"):
            table.add_column(col)
        for r in wrench_records():
            chosen = "" if not r.chosen else f"{r.chosen['model']} {r.chosen['params']}"
            table.add_row(r.dataset, r.model, r.gold, f"{r.accuracy:.2f}", f"{r.macro_f1:.2f}",
                          "—" if r.f1 is None else f"{r.f1:.2f}", f"{r.ece:.2f}",
                          f"{r.fit_seconds:.2f}", f"{r.peak_rss_mb:.2f}", chosen)
        console.print(table)
    if not args.skip_scale:
        r = args.repeats
        plan = [(m, 1_000_000, r) for m in ("snorkel", "majority", "triplet", "default")]
        plan += [(m, 10_000_000, r) for m in ("majority", "triplet", "default")]
        table = Table(title=f"Scale: synthetic {N_LFS} LFs, binary, int8, coverage 0.2")
        for col in ("model", "items", "fit s (median)", "runs", "predict s", "accuracy",
                    "max |acc err|", "RSS after data MB", "peak RSS MB"):
            table.add_column(col)
        for row in run_scale(plan):
            if "error" in row:
                table.add_row(row["model"], f"{row['n']:,}", row["error"])
                continue
            table.add_row(row["model"], f"{row['n']:,}", f"{row['fit_s']:.2f}",
                          str(row["fit_runs"]), f"{row['predict_s']:.2f}",
                          f"{100 * row['accuracy']:.2f}",
                          "—" if row["acc_err"] is None else f"{row['acc_err']:.4f}",
                          f"{row['rss_data_mb']:.0f}", f"{row['peak_rss_mb']:.0f}")
        console.print(table)


if __name__ == "__main__":
    main()
