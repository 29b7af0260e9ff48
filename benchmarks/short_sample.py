"""``auto`` with reviews of a random sample short of a label, alone or beside the queue's.

Four generated projects (every item's true label known): ``binary`` (a 3% label the votes
put at ~20%), ``videos`` (5 labels, 28/28/35/4.5/4.5%, a precise and a noisy one-sided LF
per label, a quarter of the items voted), ``sixteen`` (16 labels from 25% to 0.5%,
``ignore_one_sided.one_sided_matrix``) and ``three`` (25/15/60%, 8 LFs of 60-85%). A random
sample of ``--sample`` items is reviewed (``sampled``), and with ``--queue N`` the N items
the default model is least sure of too. Prints, per seed and on average, accuracy and
macro-F1 on the covered items without a review, the record's source and the model chosen.
``--options`` instead fits the default model with the reviews as known labels at each
class balance a short sample could give (its raw mix, post-stratified, shrunk toward the
votes', the votes', equal classes, the true one).

    PYTHONPATH=src python benchmarks/short_sample.py videos --sample 100 --seeds 1-8
    PYTHONPATH=src python benchmarks/short_sample.py sixteen --sample 253 --queue 60
"""

from __future__ import annotations

import argparse
import logging

import numpy as np
from ignore_one_sided import one_sided_matrix

from labelwright.models import get_model
from labelwright.models.class_prior import votes_prior
from labelwright.models.default_fit import default_fit_proba
from labelwright.models.gold_use import MAX_ROWS, MIN_GOLD, N_SPLITS, GoldPolicy
from labelwright.models.metrics import macro_f1


def binary(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 5000
    y = (rng.random(n) < 0.03).astype(int)
    L = np.full((n, 4), -1)
    L[(y == 1) & (rng.random(n) < 0.8), 0] = 1
    L[(y == 0) & (rng.random(n) < 0.10), 1] = 1  # a noisy minority LF
    L[(y == 0) & (rng.random(n) < 0.3), 2] = 0
    L[(y == 0) & (rng.random(n) < 0.2), 3] = 0
    return L, y


def videos(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, share = 3000, np.array([28, 28, 35, 4.5, 4.5])
    y = rng.choice(5, n, p=share / share.sum())
    cols = []
    for c in range(5):
        for hit, miss in ((rng.uniform(0.08, 0.2), 0.001),
                          (rng.uniform(0.05, 0.15), rng.uniform(0.005, 0.02))):
            cols.append(np.where(rng.random(n) < np.where(y == c, hit, miss), c, -1))
    return np.column_stack(cols), y


def three(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 20_000
    y = rng.choice(3, n, p=[0.25, 0.15, 0.6])
    cols = []
    for _ in range(8):
        vote = np.where(rng.random(n) < rng.uniform(0.6, 0.85), y, rng.integers(0, 3, n))
        cols.append(np.where(rng.random(n) < 0.5, vote, -1))
    return np.column_stack(cols), y


def sixteen(seed: int) -> tuple[np.ndarray, np.ndarray]:
    return one_sided_matrix(3165, seed)


PROJECTS = {"binary": binary, "videos": videos, "three": three, "sixteen": sixteen}


def reviews(L: np.ndarray, y: np.ndarray, seed: int, sample: int, queue: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """``(y_dev, sampled)``: the queue's ``queue`` least sure items (by the default model
    without reviews, covered items first) and a random sample of ``sample`` other items."""
    k = int(y.max()) + 1
    head = np.array([], dtype=int)
    if queue:
        probs = get_model("default", k).fit(L).predict_proba(L)
        sure = np.where((L >= 0).any(axis=1), probs.max(axis=1), 2.0)
        head = np.argsort(sure, kind="stable")[:queue]
    pool = np.setdiff1d(np.arange(len(y)), head)
    drawn = np.random.default_rng(seed + 100).choice(pool, sample, replace=False)
    y_dev = np.full(len(y), -1)
    y_dev[drawn], y_dev[head] = y[drawn], y[head]
    sampled = np.zeros(len(y), dtype=bool)
    sampled[drawn] = True
    return y_dev, sampled


def scores(pred: np.ndarray, y: np.ndarray, rows: np.ndarray, k: int) -> tuple[float, float]:
    return float(np.mean(pred[rows] == y[rows])), float(macro_f1(y[rows], pred[rows], k))


def balances(L: np.ndarray, y: np.ndarray, y_dev: np.ndarray, sampled: np.ndarray
             ) -> dict[str, np.ndarray | None]:
    k = int(y.max()) + 1
    drawn = np.flatnonzero(sampled)
    known = np.setdiff1d(np.flatnonzero(y_dev >= 0), drawn)
    rest = np.setdiff1d(np.arange(len(y)), known)
    policy = GoldPolicy(k, MIN_GOLD, N_SPLITS, 0, default_fit_proba(k, 0, "random"),
                        max_rows=MAX_ROWS)
    stratified = policy.balance_with_sample(L, y_dev, drawn, known, rest)
    counts = np.bincount(y_dev[y_dev >= 0], minlength=k) + 1.0
    # the thirty-eighth session's rule: the sample's mix with the votes' as 20 more reviews
    shrunk = (len(drawn) * policy.settled_balance(L[rest], np.searchsorted(rest, drawn),
                                                  y_dev[drawn])
              + 20 * votes_prior(L[rest], k)) / (len(drawn) + 20)
    shrunk = (np.bincount(y_dev[known], minlength=k) + len(rest) * shrunk)
    return {"raw mix (the fit's own)": None, "raw mix, given": counts / counts.sum(),
            "post-stratified": stratified,
            "post-stratified, shrunk 20": shrunk / shrunk.sum(),
            "votes' if in the sample's 95% interval": policy.balance_with_sample(
                L, y_dev, drawn, known, rest, against_votes=True),
            "votes'": votes_prior(L, k), "equal": np.full(k, 1.0 / k),
            "true": np.bincount(y, minlength=k) / len(y)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", choices=sorted(PROJECTS))
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--queue", type=int, default=0)
    parser.add_argument("--seeds", default="1-5", help="first-last")
    parser.add_argument("--options", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    first, last = map(int, args.seeds.split("-"))
    found: dict[str, list[tuple[float, float]]] = {}
    for seed in range(first, last + 1):
        L, y = PROJECTS[args.project](seed)
        k = int(y.max()) + 1
        y_dev, sampled = reviews(L, y, seed, args.sample, args.queue)
        rows = (y_dev < 0) & (L >= 0).any(axis=1)
        short = int((np.bincount(y[sampled], minlength=k) < 5).sum())
        if args.options:
            for name, balance in balances(L, y, y_dev, sampled).items():
                model = get_model("default", k, random_state=0)
                pred = model.fit(L, y_dev=y_dev, class_balance=balance).predict(L)
                found.setdefault(name, []).append(scores(pred, y, rows, k))
            print(f"seed {seed}: {short} labels short", flush=True)
            continue
        model = get_model("auto", k, random_state=0).fit(L, y_dev=y_dev, sampled=sampled,
                                                         reviewed=True)
        got = scores(model.predict(L), y, rows, k)
        found.setdefault("auto", []).append(got)
        record = model.gold_sample_ or {}
        print(f"seed {seed}: {short} labels short, accuracy {got[0]:.4f}, macro-F1 "
              f"{got[1]:.4f} ({record.get('source')}, {model.chosen_['model']})", flush=True)
    for name, values in found.items():
        acc, f1 = np.mean(values, axis=0)
        print(f"{name:28} mean accuracy {acc:.4f}  macro-F1 {f1:.4f}")


if __name__ == "__main__":
    main()
