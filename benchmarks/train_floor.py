"""`labelwright train --min-confidence`: what a floor keeps and drops of the end model's labels.

Trains the end model once (no floor) on a project's latest run, then, for each floor, counts
the items the run left without a label that the end model would label at that confidence or
above, and how often it was right: on the held-out gold items the run left without a label
(what `train` prints), and, given a truth file (``{"item id": "label", ...}``, a generated
dataset's), on every such item. Prints a table; record it in benchmarks/RESULTS.md.

    python benchmarks/train_floor.py PROJECT [--truth truth.json] [--all-items]

Works on a copy: `train` writes into the run folder.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

FLOORS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--truth", type=Path, help="JSON object: item id -> true label")
    parser.add_argument("--all-items", action="store_true",
                        help="train --all-items: the labels of the model refit on all")
    args = parser.parse_args()

    from labelwright.config import load_config
    from labelwright.data.dataset import read_dataset
    from labelwright.end_model.train import train_run

    result = train_run(args.project, all_items=args.all_items)
    out = pd.read_parquet(result.labels_path).set_index("id")
    config = load_config(args.project)
    dataset = read_dataset(config.data, config.labels)
    names = np.asarray(config.labels, dtype=object)
    gold = pd.Series([names[g] if g >= 0 else None for g in dataset.gold],
                     index=[str(i) for i in dataset.ids])
    filled = out[out["label_source"] == "end_model"]  # the run left them without a label
    truth = json.loads(args.truth.read_text()) if args.truth else None
    print(f"{args.project}: {len(filled)} items filled by the end model (no floor); "
          f"held-out accuracy {100 * (result.accuracy or 0):.1f}%"
          + (" (--all-items: the fills are the refit model's)" if args.all_items else ""))
    print(f"{'floor':>5} | {'filled':>6} | {'gold filled':>11} | {'right':>6} | "
          f"{'gold below':>10} | {'right':>6}"
          + (f" | {'true filled':>11} | {'right':>6} | {'below':>6} | {'right':>6}"
             if truth else ""))
    for floor in FLOORS:
        kept = filled["end_model_confidence"] >= floor
        line = f"{floor:5.1f} | {int(kept.sum()):6d}"
        for part in (filled[kept], filled[~kept]):
            has = part[gold.reindex(part.index).notna().to_numpy()]
            line += f" | {len(has):{11 if part is filled[kept] else 10}d} | " + _share(
                has["end_model_label"], gold.reindex(has.index))
        if truth:
            for part in (filled[kept], filled[~kept]):
                true = pd.Series([truth.get(i) for i in part.index], index=part.index)
                line += f" | {len(part):{11 if part is filled[kept] else 6}d} | " + _share(
                    part["end_model_label"], true)
        print(line)


def _share(given: pd.Series, right: pd.Series) -> str:
    if not len(given):
        return f"{'-':>6}"
    return f"{100 * float((given.astype(str) == right.astype(str)).mean()):5.1f}%"


if __name__ == "__main__":
    main()
