"""Reviewed labels on the bundled example project: `auto` against `default`, majority vote
and Snorkel's LabelModel, on a set with five classes and the example's own LFs.

The example's 200 gold items are split at random (``--splits`` seeds) into 100 that play
reviewed labels (``y_dev``) and 100 that are scored; every model is fit on the example's
whole label matrix. Prints accuracy / macro-F1 / ECE (%) on the scored half, and for `auto`
what it chose, its calibration and which probabilities its labels come from.

    python benchmarks/example_auto.py
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from labelwright.models import ece, get_model
from labelwright.models.metrics import accuracy, macro_f1
from labelwright.project import apply_project, load_project

ROOT = Path(__file__).resolve().parents[1]
MODELS = ("majority", "snorkel", "default", "auto")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    project = load_project(ROOT)
    dataset, applied = apply_project(project, cache=False)
    L, gold, k = applied.matrix.votes, dataset.gold, len(project.config.labels)
    rows = np.flatnonzero(gold >= 0)
    print(f"example project: {len(L)} items, {L.shape[1]} LFs, {k} classes, "
          f"{len(rows)} gold items")
    totals: dict[str, list[tuple[float, float, float]]] = {m: [] for m in MODELS}
    for seed in range(args.splits):
        order = np.random.default_rng(seed).permutation(rows)
        dev, test = order[:len(order) // 2], order[len(order) // 2:]
        y_dev = np.full(len(L), -1)
        y_dev[dev] = gold[dev]
        cells = []
        for name in MODELS:
            model = get_model(name, k, random_state=0).fit(L, y_dev=y_dev)
            pred = model.predict(L[test])
            result = (100 * accuracy(gold[test], pred), 100 * macro_f1(gold[test], pred, k),
                      100 * ece(model.predict_proba(L[test]), gold[test]))
            totals[name].append(result)
            cells.append(f"{name} {result[0]:.1f} / {result[1]:.1f} / {result[2]:.1f}")
            if name == "auto":
                auto = model
        print(f"split {seed}: " + " | ".join(cells))
        decide = getattr(auto, "decide_on_", "calibrated")  # older versions: calibrated
        sample = getattr(auto, "gold_sample_", None) or {}
        print(f"  auto: {auto.chosen_['model']} {auto.chosen_['params']}, calibration "
              f"{auto.calibration_['method']}, labels from {decide}, "
              f"decision weights {np.round(auto.decision_weights_, 2).tolist()}, "
              f"gold rows a random sample: {sample.get('representative')} "
              f"(p={sample.get('p_value')})")
    print("median (accuracy / macro-F1 / ECE): " + " | ".join(
        f"{name} " + " / ".join(f"{v:.1f}" for v in np.median(np.array(r), axis=0))
        for name, r in totals.items()))


if __name__ == "__main__":
    main()
