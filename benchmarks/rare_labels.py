"""The default model with rare labels: equal classes against the votes' class balance it
takes with >= 3 labels whose votes are 3:1 apart (``balance_from_votes``), beside majority
vote and Snorkel's LabelModel.

Multi-class sets with every item's true label: clause-like 14-label matrices
(:func:`~labelwright.models.synthetic.rare_label_matrix`, labels 30% down to 0.6%), the
16-label one-sided matrices of ``ignore_one_sided.py``, the 4-class 70/10/10/10 sets of
``class_prior.py``; with ``--example`` the bundled example's 5 labels (its generator's true
labels); with ``--run RUN_DIR --truth CSV`` a run's label matrix against a CSV of
``id,label``. Each cell: accuracy % / macro-F1 / covered items labelled a class none of
their votes is for, over the covered items; ``*``: the default took the votes' balance.

    PYTHONPATH=src python benchmarks/rare_labels.py [--example] [--run DIR --truth CSV]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from labelwright.models import get_model
from labelwright.models.metrics import macro_f1
from labelwright.models.synthetic import rare_label_matrix

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from class_prior import synthetic  # noqa: E402
from ignore_one_sided import one_sided_matrix  # noqa: E402

MODELS = {"equal classes": ("default", {"balance_from_votes": False,
                                       "learn_class_balance": False}),
          "default": ("default", {}), "majority": ("majority", {}), "snorkel": ("snorkel", {})}
Set = tuple[str, np.ndarray, np.ndarray, int]


def example_set() -> Set:
    import pandas as pd

    from labelwright.project import apply_project, load_project
    sys.path.insert(0, str(ROOT / "data"))
    from make_tickets import generate  # type: ignore[import-not-found]

    project = load_project(ROOT)
    _, applied = apply_project(project, cache=False)
    labels = list(project.config.labels)
    truth = {row["ticket_id"]: row["_label"] for row in generate()}
    ids = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str)["ticket_id"]
    y = np.array([labels.index(truth[i]) if truth[i] in labels else -1 for i in ids])
    keep = y >= 0  # the content-free tickets have no true label
    return "example tickets (5)", applied.matrix.votes[keep], y[keep], len(labels)


def run_set(run: Path, truth_csv: Path) -> Set:
    import pandas as pd

    labels = json.loads((run / "manifest.json").read_text())["project"]["labels"]
    frame = pd.read_parquet(run / "label_matrix.parquet")
    truth = pd.read_csv(truth_csv, dtype=str)
    truth = truth.set_index(truth.columns[0])[truth.columns[1]]
    y = np.array([labels.index(t) for t in truth.loc[frame["id"]]])
    return f"{run.name} ({len(labels)})", frame.drop(columns="id").to_numpy(), y, len(labels)


def sets(args: argparse.Namespace) -> Iterator[Set]:
    if args.run:
        yield run_set(Path(args.run), Path(args.truth))
    if args.example:
        yield example_set()
    for seed in range(3):
        yield f"clause-like 14, seed {seed}", *rare_label_matrix(3000, seed), 14
    for seed in range(3):
        yield f"one-sided 16, seed {seed}", *one_sided_matrix(20_000, seed), 16
    for seed in range(3):
        for one in (False, True):
            L, y = synthetic(3000, 10, [0.7, 0.1, 0.1, 0.1], one_sided=one, seed=seed)
            yield f"4 classes 70/10/10/10 {'one' if one else 'two'}-sided, seed {seed}", L, y, 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--example", action="store_true")
    parser.add_argument("--run")
    parser.add_argument("--truth")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    print("| set | " + " | ".join(MODELS) + " |")
    print("|---|" + "---:|" * len(MODELS))
    for name, L, y, k in sets(args):
        covered = (L >= 0).any(axis=1)
        cells = []
        for model_name, params in MODELS.values():
            model = get_model(model_name, k, **params).fit(L)
            pred = model.predict(L)
            unvoted = int((covered & ~(L == pred[:, None]).any(axis=1)).sum())
            mark = " *" if getattr(model, "balance_from_votes_", False) else ""
            cells.append(f"{100 * np.mean(pred[covered] == y[covered]):.1f} / "
                         f"{macro_f1(y[covered], pred[covered], k):.3f} / {unvoted}{mark}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
