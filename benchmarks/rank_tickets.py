"""Review-ranking quality and time at scale, on generated tickets whose true labels are known.

WRENCH and UCI sets are a few thousand items; the end model's per-fold sample
(``out_of_fold.FOLD_FIT_ROWS``) and its penalty per item (``logistic.REG_ITEMS``) only act
on larger sets. This writes the bundled example at ``--rows`` tickets
(``run_scale.write_tickets_project``; every generated ticket keeps its true label), runs
``labelwright run`` with ``ranking = "confidence"`` to get its labels and votes, then ranks
the items with the out-of-fold end model fit on at most each of ``--caps`` items per fold,
and prints how much of the label model's errors (against the true labels) each ranking
puts in its first 10% / 20% of items, the end model's out-of-fold accuracy and the time.

    python benchmarks/rank_tickets.py --rows 100000 --caps 50000 200000
    python benchmarks/rank_tickets.py --rows 100000 --caps 200000 --fixed-penalty

``--fixed-penalty`` fits with ``C`` = 4 at every size (before ``REG_ITEMS``).

Generating the tickets takes a while past 100k (each must be new): ~13 min for 500k.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from run_scale import load_make_tickets, run_tickets_project, write_tickets_project

from labelwright.bench.review import catch_share
from labelwright.end_model import logistic
from labelwright.end_model.out_of_fold import out_of_fold_proba
from labelwright.review.ranking.rank import rank_queue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--caps", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--fixed-penalty", action="store_true")
    args = parser.parse_args()
    if args.fixed_penalty:
        logistic.REG_ITEMS = sys.maxsize  # read by logistic's fit, at each call
    with tempfile.TemporaryDirectory(prefix="labelwright-rank-tickets-") as tmp:
        root = Path(tmp)
        truth = write_tickets_project(root, args.rows)
        table, votes, texts = run_tickets_project(root)
    labels = load_make_tickets().LABELS
    probs = table[[f"prob_{c}" for c in labels]].to_numpy()
    given = np.array([labels.index(x) if isinstance(x, str) else -1 for x in table["label"]])
    given = np.where(given >= 0, given, probs.argmax(axis=1))  # no vote: as the ranking does
    true = np.array([labels.index(truth[i]) if truth[i] else -1 for i in table["id"]])
    known = true >= 0  # the hand-written tickets with no content have no true label
    wrong = given[known] != true[known]
    print(f"{args.rows:,} tickets: {int(wrong.sum()):,} label errors "
          f"({100 * wrong.mean():.1f}%)", flush=True)
    for cap in args.caps:
        start = time.perf_counter()
        end_proba = out_of_fold_proba(texts, probs, labels, seed=0,
                                      train_mask=(votes >= 0).any(axis=1), max_fit_rows=cap)
        seconds = time.perf_counter() - start
        ranked = rank_queue(probs, votes, texts, seed=0, label=given, end_proba=end_proba)
        score = ranked.score[known]
        accuracy = 100 * (end_proba.argmax(axis=1)[known] == true[known]).mean()
        print(f"  at most {cap:,} items per fold: end model {seconds:.1f} s, combined "
              f"catch10 {catch_share(score, wrong, 0.1):.2f} catch20 "
              f"{catch_share(score, wrong, 0.2):.2f}, end-model accuracy {accuracy:.2f}",
              flush=True)


if __name__ == "__main__":
    main()
