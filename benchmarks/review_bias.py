"""Reviewed labels from the head of the review queue against a random sample, on the UCI
SMS and YouTube collections with our own LFs (see :mod:`uci_data`).

What a project does: for each of ``--splits`` seeds, a quarter of the items is held out as
test; on the rest the `default` model labels, :func:`labelwright.review.ranking.rank.rank_queue` and
:func:`labelwright.triage.triage` build the review queue (threshold 0.7, audit 25), and
``--reviewed`` items get their true labels, either the first ones of the queue (what a
reviewer works through) or a random sample. `auto` is fit with those as ``y_dev``; printed
are its test accuracy and ECE (%), what it did with the gold rows, and `default` without
gold for reference. The last two columns review both the queue head and a random sample
of ``--sampled`` items (drawn from all items, as a run draws it, so some are in the head
too): once with nothing saying which rows are the random ones (all gold rows are checked as
one sample), once with the sample's items outside the head marked (``sampled``, as the
ledger's reviews of a run's random sample reach ``auto``).

    python benchmarks/review_bias.py
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from uci_data import apply_lfs, sms_messages, youtube_comments

from labelwright.models import ece, get_model
from labelwright.review.ranking.rank import rank_queue
from labelwright.triage.core import triage

DATASETS = {"uci_youtube": youtube_comments, "uci_sms": sms_messages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=3)
    parser.add_argument("--reviewed", type=int, default=150)
    parser.add_argument("--sampled", type=int, default=100)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    print("| set | split | `default`, no gold | queue head: `auto` | random sample: `auto` "
          "| head + sample, unmarked | head + sample, marked |")
    print("|---|---|---|---|---|---|---|")
    means = {}
    for name, load in DATASETS.items():
        scores = []  # per split: (accuracy, ECE) of each column
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
            head = pool[queue[:args.reviewed]]
            random = rng.choice(pool, args.reviewed, replace=False)
            # drawn as a run draws its sample: from every item, the queue's included;
            # items that are in both count as the queue's (labelwright.review.feedback.gold)
            extra = rng.choice(pool, args.sampled, replace=False)
            marked = np.zeros(n, dtype=bool)
            marked[np.setdiff1d(extra, head)] = True
            both = np.union1d(head, extra)
            picks = [(head, None), (random, None), (both, None), (both, marked)]
            cells = [f"{100 * (pred[test] == y[test]).mean():.1f} / "
                     f"{100 * ece(probs[test], y[test]):.1f}"]
            covered = test[(L[test] >= 0).any(axis=1)]
            scores.append([((pred[test] == y[test]).mean(), ece(probs[test], y[test]),
                            (pred[covered] == y[covered]).mean())])
            for rows, sampled in picks:
                y_dev = np.full(n, -1)
                y_dev[rows] = y[rows]
                auto = get_model("auto", 2)
                auto.fit(L, y_dev=y_dev, **({} if sampled is None else {"sampled": sampled}))
                sample = getattr(auto, "gold_sample_", None) or {}
                what = ("not random: default model" if sample.get("representative") is False
                        else f"chose {auto.chosen_['model']}, "
                             f"{auto.calibration_['method']}")
                accuracy = (auto.predict(L[test]) == y[test]).mean()
                error = ece(auto.predict_proba(L[test]), y[test])
                scores[-1].append((accuracy, error,
                                   (auto.predict(L[covered]) == y[covered]).mean()))
                cells.append(f"{100 * accuracy:.1f} / {100 * error:.1f} ({what})")
            print(f"| {name} | {seed} | " + " | ".join(cells) + " |")
        means[name] = 100 * np.mean(scores, axis=0)
    for name, columns in means.items():
        print(f"| {name} | mean | " + " | ".join(f"{a:.2f} / {e:.2f}" for a, e, _ in columns)
              + " |")
    for name, columns in means.items():
        print(f"| {name} | mean, covered items | "
              + " | ".join(f"{c:.2f}" for _, _, c in columns) + " |")
    print("(cells: test accuracy / ECE, %; 'covered items': accuracy on the test items some "
          "LF voted on -- a run leaves the others unlabeled)")


if __name__ == "__main__":
    main()
