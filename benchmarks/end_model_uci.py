"""End models trained on label models' output, on the UCI SMS and YouTube spam collections.

A second measurement of "does an end model trained on labelwright's labels match one trained
on Snorkel's?" next to WRENCH's youtube and sms (whose LFs and splits are WRENCH's): the raw
UCI collections with our own LFs (see :mod:`uci_data`), applied with labelwright's Applier.

For each data set and each of ``--splits`` random splits (seeded 0, 1, ...): a share
``--test`` of the items is held out; each label model is fit on the other items' votes
without gold; the end model (:class:`labelwright.end_model.model.EndModel`, default settings) is
trained on the covered training items with that model's probabilities and scored on the
held-out items (accuracy, %).

    python benchmarks/end_model_uci.py
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from uci_data import apply_lfs, sms_messages, youtube_comments

from labelwright.end_model.model import EndModel
from labelwright.models import get_model

MODELS = ("default", "snorkel", "majority")
DATASETS = {"sms": sms_messages, "youtube": youtube_comments}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--test", type=float, default=0.2, help="held-out share per split")
    args = parser.parse_args()
    for dataset, load in DATASETS.items():
        texts, y, source = load()
        L = apply_lfs(texts, source)
        print(f"{dataset}: {len(y)} items, {L.shape[1]} LFs, "
              f"coverage {(L >= 0).any(axis=1).mean():.3f}")
        scores: dict[str, list[float]] = {name: [] for name in MODELS}
        for seed in range(args.splits):
            order = np.random.default_rng(seed).permutation(len(y))
            cut = int(round(args.test * len(y)))
            test, train = order[:cut], order[cut:]
            covered = train[(L[train] >= 0).any(axis=1)]
            line = []
            for name in MODELS:
                model = get_model(name, 2, random_state=0).fit(L[train])
                end = EndModel(("ham", "spam")).fit([texts[i] for i in covered],
                                                    model.predict_proba(L[covered]))
                acc = 100 * float((end.predict([texts[i] for i in test]) == y[test]).mean())
                scores[name].append(acc)
                line.append(f"{name} {acc:.2f}")
            print(f"  split {seed}: " + ", ".join(line))
        print("  median: " + ", ".join(f"{name} {statistics.median(s):.2f}"
                                       for name, s in scores.items()))


if __name__ == "__main__":
    main()
