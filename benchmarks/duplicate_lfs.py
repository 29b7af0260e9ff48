"""Duplicate LFs: how alike the LFs of real label matrices are, and what copies of one LF do
to the default model's labels.

Part 1, for the bundled example project and each WRENCH folder given (all its splits'
label matrices stacked): LFs, groups of exact copies, near-copy pairs (same vote on >= 95%
of the items either votes on) and the most alike pair of distinct LFs with its share, so
the near-copy rule can be seen not to fire on LFs correlated the normal way.

Part 2, the example project with LF ``--lf`` (default: the one voting on the most items)
copied 0, 1 and 2 times: the default model fit on each matrix, scored on the gold items:
accuracy, mean confidence, and the same on the *tied* gold items (the two most voted labels
have as many votes in the matrix without copies), once counting each copy as an LF of its
own (the model before copies were found: ``copy_of`` made to find none) and once as it is;
then the same for every LF copied twice in turn, averaged over the LFs.

    python benchmarks/duplicate_lfs.py ../shared/data/wrench/youtube ../shared/data/wrench/sms
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from labelwright.bench.wrench import load_wrench
from labelwright.models import dawid_skene
from labelwright.models.duplicate_lfs import NEAR_SHARE, copy_of, exact_groups, near_copies
from labelwright.models.registry import default_model
from labelwright.project import apply_project, load_project

ROOT = Path(__file__).resolve().parents[1]


def most_alike(votes: np.ndarray) -> tuple[float, tuple[int, int] | None]:
    """The highest share (same vote / either votes) over pairs of LFs that are not exact
    copies, and the pair: how far a label matrix's most alike LFs are from ``NEAR_SHARE``
    (every pair compared in full: fine for a benchmark's few thousand items)."""
    votes = np.asarray(votes)
    first = copy_of(votes)
    best, pair = 0.0, None
    m = votes.shape[1]
    for a in range(m):
        for b in range(a + 1, m):
            if first[a] != a or first[b] != b:
                continue
            x, y = votes[:, a], votes[:, b]
            either = int(np.count_nonzero((x >= 0) | (y >= 0)))
            same = int(np.count_nonzero((x == y) & (x >= 0)))
            if either and same < either and same / either > best:
                best, pair = same / either, (a, b)
    return best, pair


def alike_line(name: str, L: np.ndarray, lf_names: list[str], k: int) -> str:
    first = copy_of(L)
    share, pair = most_alike(L)
    named = f"{lf_names[pair[0]]} / {lf_names[pair[1]]}" if pair else "-"
    return (f"{name:<10} {len(L):>7} {L.shape[1]:>4} {len(exact_groups(first)):>6} "
            f"{len(near_copies(L, k, first=first)):>5} {100 * share:>8.1f}%  {named}")


@contextmanager
def copies_counted_each() -> Iterator[None]:
    """The default model as it was before copies were found: every LF its own group."""
    kept = dawid_skene.copy_of
    dawid_skene.copy_of = lambda L: np.arange(np.shape(L)[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        dawid_skene.copy_of = kept


def scores(L: np.ndarray, gold: np.ndarray, tied: np.ndarray, k: int) -> np.ndarray:
    """Accuracy and mean confidence on the gold items, then on the tied gold items."""
    probs = default_model(k).fit(L).predict_proba(L)
    labels, conf = probs.argmax(axis=1), probs.max(axis=1)
    rows = gold >= 0
    both = rows & tied
    return np.array([(labels[rows] == gold[rows]).mean(), conf[rows].mean(),
                     (labels[both] == gold[both]).mean(), conf[both].mean()])


def scored(L: np.ndarray, gold: np.ndarray, tied: np.ndarray, k: int) -> str:
    acc, conf, tied_acc, tied_conf = scores(L, gold, tied, k)
    return f"{100 * acc:>6.1f}% {conf:>6.3f} {100 * tied_acc:>7.1f}% {tied_conf:>6.3f}"


def top_two_tied(L: np.ndarray, k: int) -> np.ndarray:
    counts = np.stack([(L == c).sum(axis=1) for c in range(k)], axis=1)
    top = np.sort(counts, axis=1)[:, -2:]
    return (top[:, 1] > 0) & (top[:, 0] == top[:, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wrench", nargs="*", help="WRENCH dataset folders")
    parser.add_argument("--lf", help="the example's LF to copy (default: most votes)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    project = load_project(ROOT)
    dataset, applied = apply_project(project, cache=False)
    L, gold, k = applied.matrix.votes, dataset.gold, len(project.config.labels)
    names = list(applied.matrix.lf_names)
    print(f"near-copies: the same vote on >= {100 * NEAR_SHARE:.0f}% of the items either votes on")
    print(f"{'data':<10} {'items':>7} {'LFs':>4} {'copies':>6} {'near':>5} {'most alike':>9}")
    print(alike_line("example", L, names, k))
    for folder in args.wrench:
        data = load_wrench(folder)
        splits = [s for s in (data.train, data.valid, data.test) if s is not None]
        stacked = np.vstack([s.L for s in splits])
        print(alike_line(data.name, stacked, [f"LF {j}" for j in range(stacked.shape[1])],
                         data.cardinality))

    j = names.index(args.lf) if args.lf else int((L >= 0).sum(axis=0).argmax())
    tied = top_two_tied(L, k)
    print(f"\nexample, LF {names[j]} ({int((L[:, j] >= 0).sum())} votes) copied; "
          f"{int((gold >= 0).sum())} gold items, {int(((gold >= 0) & tied).sum())} tied")
    print(f"{'copies':>6} {'counted':<7} {'acc':>7} {'conf':>6} {'tied acc':>8} {'conf':>6}")
    for copies in range(3):
        Lc = np.hstack([L] + [L[:, [j]]] * copies)
        with copies_counted_each():
            print(f"{copies:>6} {'each':<7} {scored(Lc, gold, tied, k)}")
        print(f"{copies:>6} {'once':<7} {scored(Lc, gold, tied, k)}")

    # every LF that votes, copied twice in turn: the mean over LFs, and how many moved
    print("\nevery LF copied twice in turn (mean over LFs; LFs whose accuracy moved)")
    alone = scores(L, gold, tied, k)
    for counted in ("each", "once"):
        rows = []
        for j in np.flatnonzero((L >= 0).any(axis=0)):
            Lc = np.hstack([L, L[:, [j]], L[:, [j]]])
            if counted == "each":
                with copies_counted_each():
                    rows.append(scores(Lc, gold, tied, k))
            else:
                rows.append(scores(Lc, gold, tied, k))
        got = np.array(rows)
        up = int((got[:, 0] > alone[0] + 1e-12).sum())
        down = int((got[:, 0] < alone[0] - 1e-12).sum())
        print(f"{counted:<5} acc {100 * got[:, 0].mean():.1f}% conf {got[:, 1].mean():.3f} "
              f"tied acc {100 * got[:, 2].mean():.1f}% conf {got[:, 3].mean():.3f}; "
              f"{up} up, {down} down of {len(got)}")


if __name__ == "__main__":
    main()
