"""Gold-free corrections of the default label model's confidences, measured against gold.

The default model (Dawid–Skene) takes LFs as independent given the class; LFs that fire
together count their shared evidence twice and the model is over-confident (the example
project: items whose votes conflict get ~99% confidence and are right ~77% of the time).
This script measures corrections that need no gold and keep every label (each item's
log-probabilities divided by a temperature >= its own argmax), gold used only to score:

* ``loo_T`` -- one temperature fit by the held-out-LF check: each LF's outcome (its vote or
  its abstain) predicted from the tempered posterior of the *other* LFs through its learned
  confusion matrix; the temperature that predicts them best. A proper scoring rule: under
  independent LFs it returns ~1.
* ``loo_n`` -- the same check fitting ``T = 1 + rho (n - 1)`` for an item with ``n`` votes
  (Kish's design effect: ``n`` votes correlated by ``rho`` weigh as ``n / (1 + (n-1) rho)``
  independent ones; one vote is left as it is).
* ``overlap`` -- each pair of LFs' co-votes for one label beyond what the model's classes
  explain (observed minus the mixture's expectation, less one standard error, as a share of
  the room up to the smaller LF's votes); a vote's evidence is divided by 1 + the overlaps
  with the item's other votes for its label, and the item's temperature makes its top-class
  margin the reweighted one (capped at :data:`MAX_T`).
* ``refit`` -- the default model fit again with each LF's evidence weighed by 1 / (1 + its
  votes' mean overlap), in the fit too (so the learned confusion matrices stop absorbing the
  overlap), and each item's temperature giving its top class the refit's margin;
  ``refit_local``: the same, only on items where ``overlap`` found an overlap.
* ``bagged`` -- the default model fit on each 4/5 of the items (5 seeded folds), its mean
  log-probabilities' margin carried to each item as a temperature (floored at 1/:data:`MAX_T`,
  so it may sharpen too): whether the over-confidence is estimation noise.
* ``gold_T`` / ``gold_n`` -- the same two forms fit on the scored gold items: the best a
  temperature of that form could do (a reference, not a method).

Sets: the bundled example (fit on all items, scored on the 200 gold ones), WRENCH youtube and
sms (fit on train, scored on test), the UCI sets of ``uci_wrench.py`` (seeds 0-2; skipped
when the raw files are not next to the repository), and synthetic matrices with independent
LFs and with near-copies (each of 4 LFs repeated by 2 LFs 85% of the time).

    python benchmarks/gold_free_confidence.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar

from labelwright.bench.review import catch_share
from labelwright.bench.wrench import load_wrench
from labelwright.models import ece, get_model
from labelwright.models.synthetic import make_label_matrix
from labelwright.models.vote_calibration import vote_patterns
from labelwright.project import apply_project, load_project

ROOT = Path(__file__).resolve().parents[1]
WRENCH = ROOT.parent / "shared" / "data" / "wrench"
MAX_T = 50.0
Dataset = tuple[str, int, np.ndarray, np.ndarray, np.ndarray]  # name, k, L_fit, L_test, y


def example(root: Path) -> Dataset:
    project = load_project(root)
    dataset, applied = apply_project(project, cache=False)
    L, gold = applied.matrix.votes, dataset.gold
    return "example", len(project.config.labels), L, L[gold >= 0], gold[gold >= 0]


def wrench_set(folder: Path, name: str) -> Dataset:
    ds = load_wrench(folder)
    fit_on = ds.train if ds.train is not None else ds.test
    return name, ds.cardinality, fit_on.L, ds.test.L, ds.test.y


def synthetic(correlated: bool, seed: int, n: int = 20000) -> Dataset:
    """10 independent LFs (accuracy 0.6-0.85, coverage 0.4); ``correlated``: each of the
    first 4 gets 2 near-copies that repeat its vote 85% of the time."""
    rng = np.random.default_rng(seed)
    acc = rng.uniform(0.6, 0.85, 10)
    L, y = make_label_matrix(n, acc, coverage=0.4, random_state=seed)
    if correlated:
        cols = [L]
        for j in range(4):
            for _ in range(2):
                own = np.where(rng.random(n) < acc[j], y, 1 - y)
                own[rng.random(n) >= 0.4] = -1
                cols.append(np.where(rng.random(n) < 0.85, L[:, j], own)[:, None])
        L = np.hstack(cols).astype(np.int8)
    return f"synthetic {'near-copies' if correlated else 'independent'} {seed}", 2, L, L, y


def uci_sets(folder: Path, seeds: tuple[int, ...]) -> Iterator[Dataset]:
    import uci_data  # next to this script

    for seed in seeds:
        for path in uci_data.write_sets(folder / str(seed), seed=seed):
            yield wrench_set(path, f"{path.name} s{seed}")


# -- the model's evidence --------------------------------------------------------------------
def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def tempered(probs: np.ndarray, T: np.ndarray | float) -> np.ndarray:
    z = np.log(np.clip(probs, 1e-300, 1.0)) / np.reshape(T, (-1, 1))
    return np.exp(log_softmax(z))


def vote_evidence(model: Any, L: np.ndarray, fitting: bool = False) -> np.ndarray:
    """(m, n, k): each LF's term of each item's log joint (0 where it abstains)."""
    W, _ = model._tables(fitting=fitting)
    k, (n, m) = model.cardinality, L.shape
    out = np.zeros((m, n, k))
    for j in range(m):
        rows = np.flatnonzero(L[:, j] >= 0)
        out[j, rows] = W[j * k + L[rows, j].astype(np.int64)]
    return out


# -- held-out-LF check ------------------------------------------------------------------------
def held_out_terms(model: Any, L: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (item, LF group) with another vote: the log joint without the group, the number
    of votes left, and log P(the group's first LF's outcome | class) from its confusion."""
    _, base = model._tables()
    ev = vote_evidence(model, L)
    full = ev.sum(axis=0) + base
    n_votes = (L >= 0).sum(axis=1)
    with np.errstate(divide="ignore"):
        log_conf = np.maximum(np.log(model.confusion_), -1e4)
    first = model.copy_of_
    joints, left, outcome = [], [], []
    for j in np.flatnonzero(first == np.arange(len(first))):
        group = np.flatnonzero(first == j)
        rest = n_votes - (L[:, group] >= 0).sum(axis=1)
        keep = rest >= 1
        joints.append((full - ev[group].sum(axis=0))[keep])
        left.append(rest[keep])
        outcome.append(log_conf[j][:, L[keep, j].astype(np.int64) + 1].T)
    return np.vstack(joints), np.concatenate(left), np.vstack(outcome)


def fit_by_check(terms: tuple[np.ndarray, np.ndarray, np.ndarray],
                 T_of: Callable[[float, np.ndarray], np.ndarray],
                 bounds: tuple[float, float]) -> float:
    joint, left, outcome = terms

    def loss(a: float) -> float:
        z = log_softmax(joint / T_of(a, left)[:, None]) + outcome
        top = z.max(axis=1)
        return float(-(top + np.log(np.exp(z - top[:, None]).sum(axis=1))).mean())

    return float(minimize_scalar(loss, bounds=bounds, method="bounded").x)


def fit_by_gold(probs: np.ndarray, y: np.ndarray, n_votes: np.ndarray,
                T_of: Callable[[float, np.ndarray], np.ndarray],
                bounds: tuple[float, float]) -> float:
    rows = np.arange(len(y))

    def loss(a: float) -> float:
        return float(-np.log(np.clip(tempered(probs, T_of(a, n_votes))[rows, y],
                                     1e-12, 1)).mean())

    return float(minimize_scalar(loss, bounds=bounds, method="bounded").x)


def one_T(a: float, n: np.ndarray) -> np.ndarray:
    return np.full(len(n), np.exp(a))


def design_T(a: float, n: np.ndarray) -> np.ndarray:
    return 1 + np.exp(a) * np.maximum(n - 1, 0)


T_BOUNDS, RHO_BOUNDS = (np.log(0.2), np.log(20.0)), (np.log(1e-4), np.log(5.0))


# -- overlap reweighting ----------------------------------------------------------------------
def overlaps(model: Any, L: np.ndarray, z: float = 1.0) -> np.ndarray:
    """(m, m, k): how much of two LFs' votes for label v overlap beyond what the model's
    classes explain, 0..1 (0 for exact copies: the model weighs those already)."""
    k, (n, m) = model.cardinality, L.shape
    _, base = model._tables(fitting=True)
    posterior = np.exp(log_softmax(vote_evidence(model, L, fitting=True).sum(axis=0) + base))
    classes = posterior.mean(axis=0)  # the fit's class mass: the mixture's marginals match
    votes = model.confusion_[:, :, 1:]
    out = np.zeros((m, m, k))
    for v in range(k):
        hits = (L == v).astype(np.float64)
        seen = hits.T @ hits
        expected = n * np.einsum("y,jy,ly->jl", classes, votes[:, :, v], votes[:, :, v])
        counts = np.diag(seen)
        room = np.minimum.outer(counts, counts) - expected
        beyond = seen - expected - z * np.sqrt(np.maximum(expected, 1.0))
        share = np.where(room > 0, np.clip(beyond / np.maximum(room, 1e-12), 0, 1), 0.0)
        share[model.copy_of_[:, None] == model.copy_of_[None, :]] = 0.0
        out[:, :, v] = share
    return out


def lf_weights(L: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    """(m,) each LF's evidence weight for a refit: 1 / (1 + its votes' mean overlap with the
    other LFs' votes for the same label)."""
    n, m = L.shape
    out = np.ones(m)
    for j in range(m):
        rows = np.flatnonzero(L[:, j] >= 0)
        if len(rows):
            v = L[rows, j].astype(np.int64)
            same = L[rows] == L[rows, j][:, None]
            out[j] = 1.0 / (1.0 + (overlap[j][:, v].T * same).sum(axis=1).mean())
    return out


def refit_joint(k: int, L_fit: np.ndarray, L: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The log joint of ``L`` under the default model refit with each LF's evidence times
    ``weight`` (on top of the exact copies' shares), in the fit and in the prediction."""
    import labelwright.models.confusion_tables as confusion_tables

    shares = confusion_tables.evidence_shares

    def weighted(first: np.ndarray | None) -> np.ndarray:
        own = shares(first)
        return weight if own is None else weight * own

    confusion_tables.evidence_shares = weighted
    try:
        model = get_model("default", k).fit(L_fit)
        _, base = model._tables()
        return vote_evidence(model, L).sum(axis=0) + base
    finally:
        confusion_tables.evidence_shares = shares


def bagged_joint(k: int, L_fit: np.ndarray, L: np.ndarray, folds: int = 5) -> np.ndarray:
    """Mean log-probabilities of ``L`` under default models each fit on all folds but one."""
    fold = np.random.default_rng(0).integers(0, folds, len(L_fit))
    return sum(np.log(np.clip(get_model("default", k).fit(L_fit[fold != f]).predict_proba(L),
                              1e-300, 1.0)) for f in range(folds)) / folds


def margin_T(old: np.ndarray, new: np.ndarray, low: float = 1.0) -> np.ndarray:
    """Each item's temperature that gives its top class (by ``old``) its margin in ``new``
    (at least ``low``, at most :data:`MAX_T`)."""
    rows, top = np.arange(len(old)), old.argmax(axis=1)

    def margin(z: np.ndarray) -> np.ndarray:
        rest = z.copy()
        rest[rows, top] = -np.inf
        return z[rows, top] - rest.max(axis=1)

    m_old, m_new = margin(old), margin(new)
    safe = np.where(m_old > 1e-12, m_old, 1.0)
    return np.where(m_old > 1e-12, np.clip(safe / np.maximum(m_new, safe / MAX_T), low, None),
                    1.0)


def overlap_T(model: Any, L: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    """Each item's temperature that gives its top class the margin of the reweighted votes."""
    _, base = model._tables()
    ev = vote_evidence(model, L)
    n, m = L.shape
    weight = np.ones((m, n))
    for j in range(m):
        rows = np.flatnonzero(L[:, j] >= 0)
        v = L[rows, j].astype(np.int64)
        same = L[rows] == L[rows, j][:, None]
        weight[j, rows] = 1.0 / (1.0 + (overlap[j][:, v].T * same).sum(axis=1))
    return margin_T(ev.sum(axis=0) + base, (ev * weight[:, :, None]).sum(axis=0) + base)


# -- scoring ----------------------------------------------------------------------------------
def scores(probs: np.ndarray, y: np.ndarray, pred: np.ndarray,
           patterns: np.ndarray) -> dict[str, Any]:
    rows = np.arange(len(y))
    conf, wrong = probs[rows, pred], pred != y
    conflict = np.isin(patterns, ("conflict", "split"))  # triage's conflict: 2+ labels voted
    return {"accuracy": round(100 * float((~wrong).mean()), 2),
            "ece": round(100 * ece(probs, y, pred=pred), 2),
            "nll": round(float(-np.log(np.clip(probs[rows, y], 1e-12, 1)).mean()), 3),
            "conflict_items": int(conflict.sum()),
            "conflict_confidence": round(100 * float(conf[conflict].mean()), 1)
            if conflict.any() else None,
            "conflict_accuracy": round(100 * float((~wrong[conflict]).mean()), 1)
            if conflict.any() else None,
            "catch10": catch_share(1 - conf, wrong, 0.1),
            "catch20": catch_share(1 - conf, wrong, 0.2)}


def measure(data: Dataset) -> list[dict[str, Any]]:
    name, k, L_fit, L_test, y = data
    model = get_model("default", k).fit(L_fit)
    probs = model.predict_proba(L_test)
    pred = model.predict(L_test)
    n_votes = (L_test >= 0).sum(axis=1)
    terms = held_out_terms(model, L_fit)
    T = np.exp(fit_by_check(terms, one_T, T_BOUNDS))
    rho = np.exp(fit_by_check(terms, design_T, RHO_BOUNDS))
    gold_T = np.exp(fit_by_gold(probs, y, n_votes, one_T, T_BOUNDS))
    gold_rho = np.exp(fit_by_gold(probs, y, n_votes, design_T, RHO_BOUNDS))
    overlap = overlaps(model, L_fit)
    per_item = overlap_T(model, L_test, overlap)
    _, base = model._tables()
    refit_T = margin_T(vote_evidence(model, L_test).sum(axis=0) + base,
                       refit_joint(k, L_fit, L_test, lf_weights(L_fit, overlap)))
    local_T = np.where(per_item > 1.0, refit_T, 1.0)
    bag_T = margin_T(np.log(np.clip(probs, 1e-300, 1.0)), bagged_joint(k, L_fit, L_test),
                     low=1 / MAX_T)
    versions = {"default": (probs, ""),
                "loo_T": (tempered(probs, T), f"T={T:.2f}"),
                "loo_n": (tempered(probs, 1 + rho * np.maximum(n_votes - 1, 0)),
                          f"rho={rho:.3f}"),
                "overlap": (tempered(probs, per_item),
                            f"T>1 on {100 * (per_item > 1.01).mean():.0f}%"),
                "refit": (tempered(probs, refit_T),
                          f"T>1 on {100 * (refit_T > 1.01).mean():.0f}%"),
                "refit_local": (tempered(probs, local_T),
                                f"T>1 on {100 * (local_T > 1.01).mean():.0f}%"),
                "bagged": (tempered(probs, bag_T), f"T<1 on {100 * (bag_T < 0.99).mean():.0f}%"),
                "gold_T": (tempered(probs, gold_T), f"T={gold_T:.2f}"),
                "gold_n": (tempered(probs, 1 + gold_rho * np.maximum(n_votes - 1, 0)),
                           f"rho={gold_rho:.3f}")}
    patterns = vote_patterns(L_test, k)
    out = []
    for method, (p, fitted) in versions.items():
        tied = np.isclose(probs.max(axis=1), np.sort(probs, axis=1)[:, -2])
        assert (p.argmax(axis=1) == probs.argmax(axis=1))[~tied].all(), f"{method}: a label"
        out.append({"dataset": name, "method": method, "fitted": fitted,
                    **scores(p, y, pred, patterns)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    parser.add_argument("--example", type=Path, default=ROOT, help="the example project")
    parser.add_argument("--wrench", type=Path, default=WRENCH, help="folder of youtube, sms")
    parser.add_argument("--uci-seeds", type=int, nargs="*", default=[0, 1, 2])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    with tempfile.TemporaryDirectory(prefix="labelwright-uci-") as tmp:
        sets = [example(args.example)]
        for name in ("youtube", "sms"):
            if (args.wrench / name).is_dir():
                sets.append(wrench_set(args.wrench / name, name))
            else:
                print(f"WRENCH {name} skipped: no folder {args.wrench / name}", file=sys.stderr)
        try:
            sets += list(uci_sets(Path(tmp), tuple(args.uci_seeds)))
        except SystemExit as exc:  # the raw UCI files are not next to the repository
            print(f"UCI sets skipped: {exc}", file=sys.stderr)
        sets += [synthetic(c, s) for c in (False, True) for s in (0, 1)]
        for data in sets:
            for row in measure(data):
                if args.json:
                    print(json.dumps(row))
                else:
                    print(f"{row['dataset']:26s} {row['method']:11s} {row['fitted']:15s} "
                          f"acc {row['accuracy']:6.2f} ECE {row['ece']:5.2f} "
                          f"NLL {row['nll']:.3f} conflict {row['conflict_confidence']}"
                          f"/{row['conflict_accuracy']} ({row['conflict_items']}) "
                          f"catch10/20 {row['catch10']:.1f}/{row['catch20']:.1f}")


if __name__ == "__main__":
    main()
