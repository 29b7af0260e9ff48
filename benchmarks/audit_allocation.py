"""How well a run's audit estimates the precision of each accepted label, and the accuracy
of all of them, under ``[triage] audit_allocation`` "proportional" and "per_label".

Reads a run's ``labels.parquet`` and a file of true labels (JSON lines, one object per
item with the id and the label), takes the items the audit draws from (accepted, or
drawn into the audit: the run's own pool) with the run's label, and draws the audit
again with ``--draws`` seeds, as triage draws it (:func:`labelwright.triage.stratified_sample`
with :func:`labelwright.triage.draw_keys`). Each draw is "reviewed" with the true label,
and estimated as ``review stats`` estimates it. Prints per allocation and label the true
precision, the mean estimate, the mean audited items, how often the 95% interval held
the truth and how often the label had too few audited items to read.

    python benchmarks/audit_allocation.py RUN_DIR TRUTH.jsonl --id-column post_id \\
        --sizes 50 100 --draws 400
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.review.stats.agreement import wilson_interval
from labelwright.review.stats.audit_estimate import per_label, stratified_accuracy
from labelwright.triage.draws import draw_keys, stratified_sample


def pool_of(run_dir: Path, truth: Path, id_column: str) -> pd.DataFrame:
    """The items the run's audit drew from, with ``label`` (the run's) and ``truth``."""
    labels = pd.read_parquet(run_dir / "labels.parquet",
                             columns=["id", "label", "status", "reasons", "label_source"])
    audited = labels["reasons"].fillna("").astype(str) == "audit"
    accepted = (labels["status"] == "accepted") & (labels["label_source"] == "model")
    pool = labels[(audited | accepted).to_numpy()][["id", "label"]].copy()
    true = pd.read_json(truth, lines=True, dtype=False)
    true = true.rename(columns={id_column: "id", "label": "truth"})[["id", "truth"]]
    return pool.assign(id=pool["id"].astype(str)).merge(true, on="id", how="left")


def draw(pool: pd.DataFrame, size: int, allocation: str, seed: int) -> np.ndarray:
    """The rows of one audit of ``size`` items, drawn with ``seed``."""
    groups = pd.factorize(pool["label"])[0]
    keys = draw_keys(pool["id"].tolist(), seed, "audit")
    return stratified_sample(groups, np.arange(len(pool)), size, keys=keys,
                             allocation=allocation)


def measure(pool: pd.DataFrame, size: int, allocation: str, draws: int) -> list[dict]:
    """Per label and over all, the estimates of ``draws`` audits against the truth."""
    strata = {name: {"accepted": int(n), "audited": 0}
              for name, n in pool["label"].value_counts().items()}
    right_all = (pool["label"] == pool["truth"]).to_numpy()
    true_overall = float(right_all.mean())
    true_precision = pool.assign(right=right_all).groupby("label")["right"].mean()
    rows: dict[str, dict[str, list[float]]] = {}
    for seed in range(draws):
        picked = pool.iloc[draw(pool, size, allocation, seed)]
        right = (picked["label"] == picked["truth"]).tolist()
        figures = per_label(picked["label"].tolist(), right, strata)
        if allocation == "per_label":
            overall = stratified_accuracy(figures)
            assert overall is not None
            est, low, high = overall.accuracy, overall.ci_low, overall.ci_high
        else:  # the figure review stats gives a proportional audit: unweighted, Wilson
            est = float(np.mean(right))
            low, high = wilson_interval(int(sum(right)), len(right))
        cells = [("(all accepted)", true_overall, est, low, high, len(right), False)]
        cells += [(p.label, float(true_precision[p.label]), p.precision, p.ci_low, p.ci_high,
                   p.reviewed, p.few) for p in figures]
        for name, truth, est, low, high, n, few in cells:
            row = rows.setdefault(name, {"truth": [], "est": [], "n": [], "cover": [],
                                         "few": [], "width": []})
            row["truth"].append(truth)
            row["n"].append(n)
            row["few"].append(few)
            if n:
                row["est"].append(est)
                row["cover"].append(low <= truth <= high)
                row["width"].append(high - low)
    return [{"allocation": allocation, "size": size, "label": name,
             "accepted": int(len(pool)) if name == "(all accepted)" else strata[name]["accepted"],
             "true": f"{np.mean(r['truth']):.2%}",
             "mean est.": f"{np.mean(r['est']):.2%}" if r["est"] else "—",
             "audited": f"{np.mean(r['n']):.1f}",
             "covered": f"{np.mean(r['cover']):.1%}" if r["cover"] else "—",
             "width": f"{np.mean(r['width']):.1%}" if r["width"] else "—",
             "too few": f"{np.mean(r['few']):.0%}"} for name, r in rows.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--draws", type=int, default=400)
    args = parser.parse_args()
    pool = pool_of(args.run_dir, args.truth, args.id_column)
    out = [row for size in args.sizes for allocation in ("proportional", "per_label")
           for row in measure(pool, size, allocation, args.draws)]
    print(pd.DataFrame(out).to_string(index=False))
    print(json.dumps({"run": args.run_dir.name, "pool": len(pool), "draws": args.draws}))


if __name__ == "__main__":
    main()
