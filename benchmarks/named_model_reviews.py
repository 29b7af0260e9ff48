"""A label model named in ``[label_model]`` with reviews of the queue's head: its class
balance taken from the reviews' raw mix (before 2026-12-04) against ``auto``'s
post-stratified estimate (:func:`labelwright.models.gold_use.reviewed_class_balance`, what
a run gives it now), on the UCI YouTube and SMS collections with our own LFs.

Per split a quarter of the items is test. On the rest the named model, fit without
reviews, labels; :func:`labelwright.review.ranking.rank.rank_queue` and
:func:`labelwright.triage.triage` build the queue (threshold 0.7, audit 25), and its first
``--reviewed`` items get their true labels. Printed per model: the share of spam the
balance assumes (the true share in the header), test accuracy, and how many of the pool's
unreviewed items reach the 0.7 threshold (accepted), without reviews, with the raw mix
and with the corrected balance.

    python benchmarks/named_model_reviews.py
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from uci_data import apply_lfs, sms_messages, youtube_comments

from labelwright.models import get_model
from labelwright.models.gold_use import reviewed_class_balance
from labelwright.review.ranking.rank import rank_queue
from labelwright.triage.core import triage

DATASETS = {"uci_youtube": youtube_comments, "uci_sms": sms_messages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=3)
    parser.add_argument("--reviewed", type=int, nargs="+", default=[30, 150])
    parser.add_argument("--models", nargs="+", default=["snorkel", "dawid_skene"])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    print("| set (spam %) | model | reviewed | split | spam %: none / raw / corrected "
          "| test acc.: none / raw / corrected | accepted: none / raw / corrected |")
    print("|---|---|---|---|---|---|---|")
    for name, load in DATASETS.items():
        texts, y, source = load()
        L = apply_lfs(texts, source)
        n = len(y)
        for model_name in args.models:
            for reviewed in args.reviewed:
                for seed in range(args.splits):
                    order = np.random.default_rng(seed).permutation(n)
                    test, pool = order[: n // 4], np.sort(order[n // 4:])
                    plain = get_model(model_name, 2).fit(L)
                    probs, pred = plain.predict_proba(L), plain.predict(L)
                    ranked = rank_queue(probs[pool], L[pool], [texts[i] for i in pool],
                                        seed=0, label=pred[pool])
                    queue = triage(probs[pool], L[pool], pred[pool], threshold=0.7,
                                   audit_size=25, seed=0, score=ranked.score).order
                    head = pool[queue[:reviewed]]
                    y_dev = np.full(n, -1)
                    y_dev[head] = y[head]
                    balance, _ = reviewed_class_balance(L, y_dev, 2)
                    fits = [plain, get_model(model_name, 2).fit(L, y_dev=y_dev),
                            get_model(model_name, 2).fit(L, y_dev=y_dev,
                                                         class_balance=balance)]
                    rest = np.setdiff1d(pool, head)
                    shares = " / ".join(f"{100 * m.class_balance_[1]:.1f}" for m in fits)
                    accs = " / ".join(f"{100 * (m.predict(L[test]) == y[test]).mean():.1f}"
                                      for m in fits)
                    accepted = " / ".join(
                        str(int((m.predict_proba(L[rest]).max(axis=1) >= 0.7).sum()))
                        for m in fits)
                    print(f"| {name} ({100 * y.mean():.1f}) | {model_name} | {reviewed} | "
                          f"{seed} | {shares} | {accs} | {accepted} |")


if __name__ == "__main__":
    main()
