"""A class fit to another label's LF: per-class recall of the default model on the two
generated sets that reproduce it (:func:`~labelwright.models.synthetic.question_takeover`,
:func:`~labelwright.models.synthetic.quoted_takeover`), beside majority vote.

``question``: one-sided LFs, a rare class (0.5%) with one precise LF and an LF voting the
common label on items no other LF votes on; the default model takes the votes' class
balance. ``quoted``: the true balance given, an LF voting the common label on items that
two LFs of another label also vote on. Each cell: the share of a class's covered items the
model gives that class, median over the seeds.

    PYTHONPATH=src python benchmarks/class_takeover.py [--seeds 3]
"""

from __future__ import annotations

import argparse

import numpy as np

from labelwright.models import get_model
from labelwright.models.synthetic import QUOTED_SHARES, question_takeover, quoted_takeover

SETS = {"question": (question_takeover, ("ok", "spam", "rare"), None),
        "quoted": (quoted_takeover, ("ok", "harassment", "rare", "spam"), QUOTED_SHARES)}


def recalls(name: str, model: str, seed: int) -> np.ndarray:
    """Per class, the share of its covered items ``model`` labels so."""
    make, labels, balance = SETS[name]
    L, y = make(random_state=seed)
    fitted = get_model(model, cardinality=len(labels)).fit(L, class_balance=balance)
    pred = fitted.predict(L)
    covered = (L >= 0).any(axis=1)
    return np.array([float((pred[covered & (y == c)] == c).mean())
                     for c in range(len(labels))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print("| set | model | recall per class (covered items) |")
    print("|---|---|---|")
    for name, (_, labels, _) in SETS.items():
        for model in ("default", "majority"):
            cells = np.median([recalls(name, model, s) for s in range(args.seeds)], axis=0)
            shown = ", ".join(f"{label} {100 * r:.1f}%" for label, r in zip(labels, cells))
            print(f"| {name} | {model} | {shown} |")


if __name__ == "__main__":
    main()
