"""The end model's fit with more than two classes, and what it costs the review ranking.

A 20,000-row, 5-label project: the UCI SMS and YouTube texts and the example's tickets
(the hand-written ones and generated ones to fill the rows), labelled by the example's 28
LFs and 5 glossaries (``labelwright run`` with ``ranking = "confidence"``). It prints

* one out-of-fold model's fit (the first of 5 folds: its 16,000 rows, covered by an LF or
  not, vocabulary and idf as the review ranking makes them) with 2, 3 and 5 classes, on
  words and on words + character grams: scikit-learn on the rows repeated once per class
  (every fit before the soft-label solver; two classes still are) against the soft-label
  solver, alternated, median of ``--runs``; the time against the two-class fit's, per
  extra class. Fewer classes merge the label model's last columns into one (3 classes:
  billing, bug, the rest);
* how far each fit of 3+ classes ends from the optimum of the objective they share;
* the whole out-of-fold scoring (``out_of_fold_proba``, the review ranking's end model,
  which fits only the items with a vote), on words and on words + character grams, with
  2 classes and with 5 (repeated rows against the soft-label solver, alternated, median
  of ``--runs``).

    python benchmarks/multiclass_fit.py --runs 3
    python benchmarks/multiclass_fit.py --tol 1e-4   # the soft-label solver at FIT_TOL
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import numpy as np
from run_scale import load_make_tickets, run_tickets_project, write_tickets_project
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import KFold
from uci_data import sms_messages, youtube_comments

from labelwright.end_model import logistic as end_model
from labelwright.end_model.features import TOKEN_PATTERN, char_grams, joined_features, uses_chars
from labelwright.end_model.logistic import (
    FIT_TOL,
    fit_logistic,
    fit_replicated,
    quiet_solver,
    softmax,
)
from labelwright.end_model.multinomial import _SoftmaxLoss
from labelwright.end_model.out_of_fold import _fold_tfidf, out_of_fold_proba

LABELS = list(load_make_tickets().LABELS)


def labelled_mix(rows: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, probabilistic labels and LF coverage of the mixed project."""
    others = sms_messages()[0] + youtube_comments()[0]
    with tempfile.TemporaryDirectory(prefix="labelwright-multiclass-") as tmp:
        root = Path(tmp)
        write_tickets_project(root, rows - len(others))
        with open(root / "data" / "tickets.csv", "a", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([f"uci-{i}", text, "", "", ""]
                                     for i, text in enumerate(others))
        table, votes, texts = run_tickets_project(root)
    return texts, table[[f"prob_{c}" for c in LABELS]].to_numpy(), (votes >= 0).any(axis=1)


def fold_features(texts: list[str], fit_idx: np.ndarray) -> dict[str, sparse.csr_matrix]:
    """The first fold's training matrix, words alone and with character grams, made as
    the review ranking makes them."""
    words = CountVectorizer(ngram_range=(1, 2), token_pattern=TOKEN_PATTERN,
                            dtype=np.float32).fit_transform(texts).tocsr()
    chars = CountVectorizer(**char_grams(), dtype=np.float32).fit_transform(texts).tocsr()
    X_words = _fold_tfidf(words, fit_idx, fit_idx[:1], min_df=2, max_features=200_000)[0]
    X_chars = _fold_tfidf(chars, fit_idx, fit_idx[:1], min_df=2, max_features=200_000)[0]
    return {"words": X_words, "words+chars": joined_features(X_words, X_chars)}


def merged(probs: np.ndarray, k: int) -> np.ndarray:
    """The first ``k - 1`` columns, and the rest summed into one."""
    return np.hstack([probs[:, :k - 1], probs[:, k - 1:].sum(axis=1, keepdims=True)])


@contextmanager
def fits(solver: str) -> Iterator[None]:
    """Fits of 3+ classes by the soft-label solver (``soft``) or, as before it, by
    scikit-learn on the repeated rows (``repeated``)."""
    saved = end_model.fit_multinomial
    if solver == "repeated":
        end_model.fit_multinomial = (  # type: ignore[assignment]
            lambda X, targets, *, C, tol: fit_replicated(X, targets, C=C, tol=FIT_TOL))
    try:
        with quiet_solver():
            yield
    finally:
        end_model.fit_multinomial = saved


def timed(fit: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fit()
    return time.perf_counter() - start, result


Fit = tuple[np.ndarray, np.ndarray]


def fold_fits(X: sparse.csr_matrix, p: np.ndarray, runs: int
              ) -> tuple[dict[str, float], dict[str, Fit]]:
    """Median seconds of the repeated-rows fit and the soft-label one, alternated so both
    see the same load, and each one's coefficients and intercepts."""
    w = np.ones(len(p))
    seconds: dict[str, list[float]] = {"repeated": [], "soft": []}
    fitted: dict[str, Fit] = {}
    for _ in range(runs):
        for solver in seconds:
            with fits(solver):
                took, fitted[solver] = timed(lambda: fit_logistic(X, p, w, C=4.0))
            seconds[solver].append(took)
    return {solver: statistics.median(took) for solver, took in seconds.items()}, fitted


def from_optimum(X: sparse.csr_matrix, p: np.ndarray, fitted: dict[str, Fit]) -> str:
    """How far each fit of 3+ classes ends from the optimum of their objective (the
    soft-label solver on float64 features to a gradient of 1e-9): its objective above the
    optimum's, and its probabilities' largest difference from the optimum's."""
    X64 = X.astype(np.float64)
    saved, end_model.MULTINOMIAL_TOL = end_model.MULTINOMIAL_TOL, 1e-9
    try:
        best = fit_logistic(X64, p, np.ones(len(p)), C=4.0)
    finally:
        end_model.MULTINOMIAL_TOL = saved
    loss = _SoftmaxLoss(X64, np.where(p > 1e-6, p, 0.0),
                        4.0 * min(1.0, end_model.REG_ITEMS / len(p)))

    def gaps(coef: np.ndarray, intercept: np.ndarray) -> str:
        value = loss.value_and_gradient(np.concatenate([coef.T.ravel(), intercept]))[0]
        above = value - loss.value_and_gradient(np.concatenate([best[0].T.ravel(),
                                                                best[1]]))[0]
        off = np.abs(softmax(X64 @ coef.T + intercept) - softmax(X64 @ best[0].T + best[1]))
        return f"{above:.1e}, {off.max():.1e}"

    return " / ".join(gaps(*fit) for fit in fitted.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tol", type=float, default=end_model.MULTINOMIAL_TOL,
                        help="the soft-label solver's gradient tolerance")
    args = parser.parse_args()
    end_model.MULTINOMIAL_TOL = args.tol
    texts, probs, covered = labelled_mix(args.rows)
    print(f"{len(texts):,} rows, {sum(map(len, texts)):,} characters, "
          f"{int(covered.sum()):,} with a vote", flush=True)
    fit_idx, _ = next(KFold(5, shuffle=True, random_state=0).split(texts))
    features = fold_features(texts, fit_idx)
    print(f"one fold's fit, {fit_idx.size:,} rows, median of {args.runs} (s): repeated rows "
          "-> soft-label solver (its time / the two-class fit's / (classes - 1))")
    print("| classes | " + " | ".join(f"{name} ({X.shape[1]:,} features)"
                                       for name, X in features.items()) + " |")
    print("|---|---|---|")
    binary: dict[str, float] = {}
    optimum = []
    for k in (2, 3, 5):
        p = merged(probs[fit_idx], k)
        cells = []
        for name, X in features.items():
            seconds, fitted = fold_fits(X, p, args.runs)
            if k == 2:  # the same fit either way: scikit-learn's binomial loss
                binary[name] = statistics.mean(seconds.values())
                cells.append(f"{binary[name]:.2f}")
                continue
            old, new = seconds.values()
            cells.append(f"{old:.2f} -> {new:.2f} ({new / binary[name] / (k - 1):.2f})")
            optimum.append(f"| {k} | {name} | {from_optimum(X, p, fitted)} |")
        print(f"| {k} | " + " | ".join(cells) + " |", flush=True)
    print("how far each fit ends from the optimum: objective above it, largest probability "
          "difference (repeated rows / soft-label solver)")
    print("| classes | features | from the optimum |\n|---|---|---|\n" + "\n".join(optimum),
          flush=True)
    print(f"the review ranking's out-of-fold scores, median of {args.runs} (s): repeated rows "
          "-> soft-label solver")
    print("| classes | words | words + character grams |\n|---|---|---|")
    for k in (2, 5):
        cells = []
        for setting in ("words", "words+chars"):
            score = partial(out_of_fold_proba, texts, merged(probs, k), LABELS[:k],
                            train_mask=covered, features=setting)
            took: dict[str, list[float]] = {}
            for _ in range(args.runs):
                for solver in ("repeated", "soft") if k > 2 else ("soft",):
                    with fits(solver):
                        took.setdefault(solver, []).append(timed(score)[0])
            cells.append(" -> ".join(f"{statistics.median(seconds):.1f}"
                                     for seconds in took.values()))
        print(f"| {k} | " + " | ".join(cells) + " |", flush=True)
    print(f"features = 'auto' reads character grams here with 3 labels: "
          f"{uses_chars('auto', texts, 3)}, with 5: {uses_chars('auto', texts, 5)}")


if __name__ == "__main__":
    main()
