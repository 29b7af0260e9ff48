"""Label models on generated label matrices of four kinds of LFs, 2 to 10 classes.

Does the default model do at least as well as majority vote on data it was not tuned on?
Each set is generated with every item's true label known
(:mod:`labelwright.models.synthetic`), 5,000 items:

* ``one_sided`` -- keyword-like LFs, each voting one class: three per class, firing on
  10-50% of their class's items and 0.5-6% of every other's
  (:func:`~labelwright.models.synthetic.one_sided_votes`);
* ``even`` -- 8 LFs that may vote any class (crowd-worker, classifier or model LFs): right
  55-85% of the time, errors spread evenly, each voting on 10-40% of the items
  (:func:`~labelwright.models.synthetic.make_label_matrix`);
* ``confusable`` -- the same, 60% of each error going to the class paired with the true one
  (0 with 1, 2 with 3, ...);
* ``mixed`` -- 4 LFs of ``even``'s kind beside 2 one-sided LFs per class.

Classes: equal (``balanced``), or shares proportional to 1, 1/2, ..., 1/k
(``imbalanced``; 67/33 for two classes, 5:1 for five, 10:1 for ten). Each cell is the
median over the seeds of accuracy and macro-F1 on the covered items (those some LF voted
on, which a run labels), predictions with each model's own tie-break.

Models: ``default``; ``equal`` (Dawid-Skene with equal classes, no balance from the votes);
``fixed`` (the default's class balance rule before ``learn_class_balance="auto"``: equal
classes or, with 3+ classes 3:1 apart, the votes'); ``learned`` (balance learned by EM
always); majority vote, weighted majority vote and Snorkel's LabelModel.

    PYTHONPATH=src python benchmarks/multiclass_votes.py [--seeds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from labelwright.models import get_model
from labelwright.models.metrics import accuracy, macro_f1
from labelwright.models.synthetic import make_label_matrix, one_sided_votes

FAMILIES = ("one_sided", "even", "confusable", "mixed")
CLASSES = (2, 3, 5, 10)
BALANCES = ("balanced", "imbalanced")
N_ITEMS = 5000
#: name -> (registry name, settings)
MODELS: dict[str, tuple[str, dict[str, Any]]] = {
    "default": ("default", {}),
    "fixed": ("default", {"learn_class_balance": False}),
    "equal": ("default", {"learn_class_balance": False, "balance_from_votes": False}),
    "learned": ("default", {"learn_class_balance": True}),
    "majority": ("majority", {}),
    "weighted_majority": ("weighted_majority", {}),
    "snorkel": ("snorkel", {}),
}


def class_shares(k: int, balance: str) -> np.ndarray:
    """Equal classes, or shares proportional to 1, 1/2, ..., 1/k."""
    shares = np.ones(k) if balance == "balanced" else 1.0 / np.arange(1, k + 1)
    return shares / shares.sum()


def any_class(n_lfs: int, k: int, shares: np.ndarray, rng: np.random.Generator,
              confusable: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(L, y)`` of ``n_lfs`` LFs that may vote any class (see the module docstring)."""
    acc = rng.uniform(0.55, 0.85, n_lfs)
    coverage = rng.uniform(0.1, 0.4, n_lfs)
    return make_label_matrix(N_ITEMS, acc, cardinality=k, coverage=coverage,
                             class_balance=shares, confusable=confusable,
                             random_state=int(rng.integers(2**31)))


def label_matrix(family: str, k: int, balance: str,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One generated ``(L, y)`` of ``family`` (see the module docstring)."""
    rng = np.random.default_rng([seed, k, FAMILIES.index(family), BALANCES.index(balance)])
    shares = class_shares(k, balance)
    if family == "one_sided":
        y = rng.choice(k, N_ITEMS, p=shares)
        return one_sided_votes(y, k, random_state=int(rng.integers(2**31))), y
    if family in ("even", "confusable"):
        return any_class(8, k, shares, rng, confusable=0.6 if family == "confusable" else 0.0)
    if family == "mixed":
        L, y = any_class(4, k, shares, rng)
        keywords = one_sided_votes(y, k, per_class=2, random_state=int(rng.integers(2**31)))
        return np.hstack([L, keywords]), y
    raise ValueError(f"unknown family {family!r}; valid: {', '.join(FAMILIES)}")


def scores(L: np.ndarray, y: np.ndarray, k: int,
           models: dict[str, tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, float, float]]:
    """(model, accuracy, macro-F1) on the covered items, per model."""
    covered = (L >= 0).any(axis=1)
    for name, (registered, params) in models.items():
        pred = get_model(registered, k, random_state=0, **params).fit(L).predict(L)
        yield name, accuracy(y[covered], pred[covered]), macro_f1(y[covered], pred[covered], k)


def run(seeds: int, models: dict[str, tuple[str, dict[str, Any]]],
        families: tuple[str, ...] = FAMILIES,
        classes: tuple[int, ...] = CLASSES) -> list[dict[str, Any]]:
    """One record per (family, classes, balance, model): median accuracy and macro-F1 over
    the seeds, and each seed's accuracy."""
    records = []
    for family in families:
        for k in classes:
            for balance in BALANCES:
                per: dict[str, list[tuple[float, float]]] = {name: [] for name in models}
                for seed in range(seeds):
                    L, y = label_matrix(family, k, balance, seed)
                    for name, acc, f1 in scores(L, y, k, models):
                        per[name].append((acc, f1))
                for name, got in per.items():
                    accs, f1s = np.array(got).T
                    records.append({"family": family, "classes": k, "balance": balance,
                                    "model": name, "accuracy": round(float(np.median(accs)), 4),
                                    "macro_f1": round(float(np.median(f1s)), 4),
                                    "accuracy_per_seed": [round(float(a), 4) for a in accs]})
    return records


def table(records: list[dict[str, Any]], models: list[str]) -> str:
    """Rows of set; columns of model: median accuracy % / macro-F1."""
    head = f"{'family':11} {'k':>2} {'balance':10} " + " ".join(f"{m[:17]:>17}" for m in models)
    lines = [head]
    cells: dict[tuple[str, int, str], dict[str, dict[str, Any]]] = {}
    for r in records:
        cells.setdefault((r["family"], r["classes"], r["balance"]), {})[r["model"]] = r
    for (family, k, balance), row in cells.items():
        lines.append(f"{family:11} {k:>2} {balance:10} " + " ".join(
            f"{100 * row[m]['accuracy']:9.1f} / {row[m]['macro_f1']:.3f}" for m in models))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--family", action="append", choices=FAMILIES,
                        help="only these families (repeatable; default: all)")
    parser.add_argument("--classes", action="append", type=int, choices=CLASSES)
    parser.add_argument("--model", action="append", choices=sorted(MODELS))
    parser.add_argument("--json", action="store_true", help="one JSON record per line")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # convergence notes of a few fits would flood the table
    warnings.filterwarnings("ignore")
    names = args.model or list(MODELS)
    models = {name: MODELS[name] for name in names}
    records = run(args.seeds, models, tuple(args.family or FAMILIES),
                  tuple(args.classes or CLASSES))
    if args.json:
        print("\n".join(json.dumps(r) for r in records))
    else:
        print(table(records, names))


if __name__ == "__main__":
    main()
