"""Class priors without reviewed labels: equal classes vs estimates from the votes.

The default model assumes equal classes until reviewed labels (or a configured
``[label_model] class_balance``) say otherwise. This compares, for ``default``:

* ``equal`` — its equal classes;
* ``votes`` — ``class_balance = "votes"``: the square root of the majority vote's class
  shares, renormalised (:func:`labelwright.models.class_prior.votes_prior`);
* ``at_pred`` — ``votes`` applied when predicting only (fit with equal classes);
* ``share`` — the majority vote's shares themselves;
* ``em`` — Dawid–Skene learning the balance by EM;

against majority vote and Snorkel's LabelModel, on synthetic label matrices with known
imbalance (LFs right 75% of the time, else a random label; two-sided: every LF may vote
every class; one-sided: LF j votes only class j mod k) and on the real sets of
``class_balance.py`` (WRENCH youtube, sms with its rules' own votes, UCI SMS and YouTube
with our LFs) plus WRENCH sms as stored. Accuracy on covered items (those a run labels),
and for the real sets also accuracy / class-1 F1 on all test items (the WRENCH protocol:
items with no vote get the prior's argmax, or a coin flip under equal classes).

    python benchmarks/class_prior.py
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
from class_balance import WRENCH, datasets
from uci_data import RAW

from labelwright.bench.wrench import load_wrench
from labelwright.models import get_model
from labelwright.models.class_prior import vote_share, votes_prior
from labelwright.models.metrics import accuracy, binary_f1

SETTINGS = ("equal", "votes", "at_pred", "share", "em", "majority", "snorkel")


class PriorAtPrediction:
    """``default`` fit with equal classes, its covered items' probabilities then re-weighted
    by :func:`votes_prior` (the prior applied when predicting only, not in the fit)."""

    def __init__(self, L: np.ndarray, k: int) -> None:
        self.model = get_model("default", k, tie_break="random",
                               balance_from_votes=False).fit(L)
        self.weight = votes_prior(L, k) * k

    def predict(self, L: np.ndarray) -> np.ndarray:
        pred = self.model.predict(L)
        covered = (L >= 0).any(axis=1)
        pred[covered] = (self.model.predict_proba(L[covered]) * self.weight).argmax(axis=1)
        return pred


def synthetic(n: int, m: int, prior: list[float], *, one_sided: bool,
              seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    k = len(prior)
    y = rng.choice(k, n, p=prior)
    vote = np.where(rng.random((n, m)) < 0.75, y[:, None], rng.integers(0, k, (n, m)))
    L = np.where(rng.random((n, m)) < 0.6, vote, -1)
    if one_sided:
        L = np.where(L == (np.arange(m) % k)[None, :], L, -1)
    return L, y


def fitted(name: str, L: np.ndarray, k: int):  # type: ignore[no-untyped-def]
    if name == "at_pred":
        return PriorAtPrediction(L, k)
    if name in ("majority", "snorkel"):
        return get_model(name, k, tie_break="random").fit(L)
    if name == "em":
        return get_model("dawid_skene", k, learn_class_balance=True, tie_break="random").fit(L)
    balance = {"equal": None, "votes": votes_prior(L, k), "share": vote_share(L, k)}[name]
    # "equal" is equal classes: with >= 3 labels the default would take the votes' balance
    return get_model("default", k, tie_break="random",
                     balance_from_votes=False).fit(L, class_balance=balance)


def main() -> None:
    logging.disable(logging.WARNING)
    print("synthetic, 3000 items x 6 LFs (10 for 4 classes); accuracy % on covered items, "
          "median of 3 seeds")
    print(f"  {'prior':22} {'LFs':10} " + " ".join(f"{s:>8}" for s in SETTINGS))
    cases = [([0.5, 0.5], 6), ([0.8, 0.2], 6), ([0.9, 0.1], 6), ([0.95, 0.05], 6),
             ([0.7, 0.1, 0.1, 0.1], 10)]
    for prior, m in cases:
        for one_sided in (False, True):
            scores = {s: [] for s in SETTINGS}
            for seed in range(3):
                L, y = synthetic(3000, m, prior, one_sided=one_sided, seed=seed)
                covered = (L >= 0).any(axis=1)
                for s in SETTINGS:
                    pred = fitted(s, L, len(prior)).predict(L)
                    scores[s].append(100 * accuracy(y[covered], pred[covered]))
            print(f"  {'/'.join(f'{p:g}' for p in prior):22} "
                  f"{'one-sided' if one_sided else 'two-sided':10} "
                  + " ".join(f"{np.median(scores[s]):8.2f}" for s in SETTINGS))
    # the real sets are read from the shared data folder beside the repository: a copy of
    # the benchmarks elsewhere printed the synthetic table, then crashed without it
    missing = [str(p) for p in (WRENCH / "sms", WRENCH / "youtube", RAW) if not p.is_dir()]
    if missing:
        print(f"real sets: skipped, no data at {', '.join(missing)} (WRENCH's released "
              "sms and youtube folders, and the raw UCI files; see benchmarks/uci_data.py)")
        return
    print("real sets (fit on train, no gold): accuracy % on covered train items (the items "
          "fit, as a run labels them) and covered test items; then all test items "
          "accuracy / class-1 F1 %")
    with tempfile.TemporaryDirectory() as tmp:
        sets = [load_wrench(WRENCH / "sms"), *datasets(Path(tmp))]
        for ds in sets:
            covered = (ds.test.L >= 0).any(axis=1)
            models = {s: fitted(s, ds.train.L, 2) for s in SETTINGS}
            fit_on = (ds.train.L >= 0).any(axis=1)
            print(f"  {ds.name:12} train cov " + " ".join(
                f"{100 * accuracy(ds.train.y[fit_on], m.predict(ds.train.L)[fit_on]):8.2f}"
                for m in models.values()))
            cov = " ".join(
                f"{100 * accuracy(ds.test.y[covered], m.predict(ds.test.L)[covered]):8.2f}"
                for m in models.values())
            print(f"  {ds.name:12} test cov  " + cov)
            alls = " ".join(
                f"{100 * accuracy(ds.test.y, p):5.1f}/{100 * binary_f1(ds.test.y, p):4.1f}"
                for p in (m.predict(ds.test.L) for m in models.values()))
            print(f"  {ds.name:12} all items " + alls)


if __name__ == "__main__":
    main()
