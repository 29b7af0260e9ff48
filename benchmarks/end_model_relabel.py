"""Does correcting the end model's training labels with its own out-of-fold predictions help?

A confident-learning step tried for the "end model on our labels >= on Snorkel's" target:
an end model trained out of fold (:func:`labelwright.end_model.out_of_fold_proba`) flags a
covered training item when it predicts another class than the item's label with at least
the mean out-of-fold probability of that class among items labelled with it; flagged items
are then dropped (``prune``), given the out-of-fold class (``hard``) or the out-of-fold
probabilities (``soft``) before the end model is trained. Same protocol as
``end_model_uci.py`` (5 random 80/20 splits of the UCI collections, our LFs, no gold).

    python benchmarks/end_model_relabel.py
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from uci_data import apply_lfs, sms_messages, youtube_comments

from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import out_of_fold_proba
from labelwright.models import get_model

MODELS = ("default", "snorkel", "majority")
MODES = ("plain", "prune", "hard", "soft")
DATASETS = {"sms": sms_messages, "youtube": youtube_comments}


def corrected(texts: list[str], probs: np.ndarray, mode: str) -> np.ndarray:
    """``probs`` with the flagged items dropped (all-zero rows) or relabelled."""
    if mode == "plain":
        return probs
    k = probs.shape[1]
    oof = out_of_fold_proba(texts, probs, [str(c) for c in range(k)])
    label, alt = probs.argmax(axis=1), oof.argmax(axis=1)
    threshold = np.array([oof[label == c, c].mean() if (label == c).any() else 1.0
                          for c in range(k)])
    flagged = (alt != label) & (oof[np.arange(len(alt)), alt] >= threshold[alt])
    out = probs.copy()
    out[flagged] = {"prune": 0.0, "hard": np.eye(k)[alt[flagged]],
                    "soft": oof[flagged]}[mode]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    args = parser.parse_args()
    for dataset, load in DATASETS.items():
        texts, y, source = load()
        L = apply_lfs(texts, source)
        scores: dict[tuple[str, str], list[float]] = {}
        for seed in range(args.splits):
            order = np.random.default_rng(seed).permutation(len(y))
            cut = int(round(0.2 * len(y)))
            test, train = order[:cut], order[cut:]
            covered = train[(L[train] >= 0).any(axis=1)]
            train_texts = [texts[i] for i in covered]
            test_texts = [texts[i] for i in test]
            for name in MODELS:
                probs = get_model(name, 2, random_state=0).fit(L[train]).predict_proba(
                    L[covered])
                for mode in MODES:
                    end = EndModel(("ham", "spam")).fit(train_texts,
                                                        corrected(train_texts, probs, mode))
                    accuracy = 100 * float((end.predict(test_texts) == y[test]).mean())
                    scores.setdefault((name, mode), []).append(accuracy)
        print(f"{dataset} (median test accuracy % over {args.splits} splits)")
        for name in MODELS:
            print(f"  {name:9s} " + "  ".join(
                f"{mode} {statistics.median(scores[name, mode]):.2f}" for mode in MODES))


if __name__ == "__main__":
    main()
