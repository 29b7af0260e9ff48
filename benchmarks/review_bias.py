"""Reviewed labels from the head of the review queue against a random sample, on the UCI
SMS and YouTube collections with our own LFs (see :mod:`uci_data`).

What a project does: for each of ``--splits`` seeds, a quarter of the items is held out as
test; on the rest the `default` model labels, :func:`labelwright.ranking.rank_queue` and
:func:`labelwright.triage.triage` build the review queue (threshold 0.7, audit 25), and
``--reviewed`` items get their true labels, either the first ones of the queue (what a
reviewer works through) or a random sample. `auto` is fit with those as ``y_dev``; printed
are its test accuracy and ECE (%), what it did with the gold rows, and `default` without
gold for reference.

    python benchmarks/review_bias.py
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from uci_data import apply_lfs, sms_messages, youtube_comments

from labelwright.models import ece, get_model
from labelwright.ranking import rank_queue
from labelwright.triage import triage

DATASETS = {"uci_youtube": youtube_comments, "uci_sms": sms_messages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=3)
    parser.add_argument("--reviewed", type=int, default=150)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    print("| set | split | `default`, no gold | queue head: `auto` | random sample: `auto` |")
    print("|---|---|---|---|---|")
    for name, load in DATASETS.items():
        texts, y, source = load()
        L = apply_lfs(texts, source)
        n = len(y)
        for seed in range(args.splits):
            rng = np.random.default_rng(seed)
            order = rng.permutation(n)
            test, pool = order[: n // 4], np.sort(order[n // 4:])
            plain = get_model("default", 2).fit(L)
            probs, pred = plain.predict_proba(L), plain.predict(L)
            ranked = rank_queue(probs[pool], L[pool], [texts[i] for i in pool], seed=0,
                                label=pred[pool])
            queue = triage(probs[pool], L[pool], pred[pool], threshold=0.7, audit_size=25,
                           seed=0, score=ranked.score).order
            picks = {"queue": pool[queue[:args.reviewed]],
                     "random": rng.choice(pool, args.reviewed, replace=False)}
            cells = [f"{100 * (pred[test] == y[test]).mean():.1f} / "
                     f"{100 * ece(probs[test], y[test]):.1f}"]
            for rows in picks.values():
                y_dev = np.full(n, -1)
                y_dev[rows] = y[rows]
                auto = get_model("auto", 2).fit(L, y_dev=y_dev)
                sample = getattr(auto, "gold_sample_", None) or {}
                what = ("not random: default model" if sample.get("representative") is False
                        else f"chose {auto.chosen_['model']}, "
                             f"{auto.calibration_['method']}")
                cells.append(f"{100 * (auto.predict(L[test]) == y[test]).mean():.1f} / "
                             f"{100 * ece(auto.predict_proba(L[test]), y[test]):.1f} ({what})")
            print(f"| {name} | {seed} | " + " | ".join(cells) + " |")
    print("(cells: test accuracy / ECE, %)")


if __name__ == "__main__":
    main()
