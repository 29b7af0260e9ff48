"""``auto``'s choice of a label model: which candidates it tries (:data:`CANDIDATES`, or the
user's list, checked by :func:`check_candidates`), each scored by cross-validation on the gold
rows, with them as known labels inside its fit and (for some) without them, and the best
kept only when it clearly beats the default model.

Apart from :mod:`~labelwright.models.auto`, which holds the model that uses the choice (its
settings, the gold rows' policy, decision weights, prediction, saving; its calibration is
:mod:`~labelwright.models.chosen_calibration`): one choice is made per class balance tried
(:func:`~labelwright.models.balance_choice.choose_balance` asks for several), and each is
this search over the same folds (on the rows :func:`cv_rows` gives)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from labelwright.model_text import chosen_model
from labelwright.models.balance_choice import Choice
from labelwright.models.base import LabelModel
from labelwright.models.decisions import BOOTSTRAP_ROUNDS, BOOTSTRAP_SURE, DecisionRules
from labelwright.models.fit_warnings import fit_warnings_left_to_caller
from labelwright.models.folds import held_out_proba
from labelwright.models.metrics import score
from labelwright.models.registry import UnknownModelError, get_model
from labelwright.models.row_names import RowNames

#: a candidate: (model name, hyperparameters)
Candidate = tuple[str, dict[str, Any]]
#: candidates tried by default
CANDIDATES: tuple[Candidate, ...] = (
    ("majority", {}),
    ("weighted_majority", {"prior_strength": 10.0}),
    ("weighted_majority", {"prior_strength": 100.0}),
    *(("dawid_skene", {"abstain": a, "learn_class_balance": b, "prior_strength": s})
      for a, b, s in itertools.product(("fit_only", "informative", "ignore"), (False, True),
                                      (10.0, 100.0))),
    ("triplet", {}),
    ("snorkel", {}),
)
#: snorkel is skipped above this many label-matrix cells (its fit is dense in n x m x k)
SNORKEL_MAX_CELLS = 5_000_000


def tried_candidates(candidates: Sequence[Sequence[Any]] | None, L: np.ndarray
                     ) -> list[Candidate]:
    """The candidates a fit on ``L`` tries: the user's ``candidates`` as given, or the
    built-in :data:`CANDIDATES` (snorkel left out above :data:`SNORKEL_MAX_CELLS` cells or
    below 3 LFs)."""
    if candidates is not None:
        return [(str(name), dict(params)) for name, params in candidates]
    out = list(CANDIDATES)
    if L.size > SNORKEL_MAX_CELLS or L.shape[1] < 3:
        out = [c for c in out if c[0] != "snorkel"]
    return out


def cv_rows(L: np.ndarray, y_dev: np.ndarray, gold_rows: np.ndarray, scored: np.ndarray,
            rng: np.random.Generator, *, most: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows the cross-validation fits see: ``(L_cv, y_cv, scored_cv)``, every gold row
    plus at most ``most`` other rows drawn with ``rng`` (LF statistics need no more), and
    the ``scored`` gold rows' indices among them (all of ``L`` when it has no more)."""
    if len(L) - len(gold_rows) <= most:
        return L, y_dev, scored
    others = np.flatnonzero(y_dev < 0)
    rows = np.sort(np.concatenate([gold_rows, rng.choice(others, most, replace=False)]))
    return L[rows], y_dev[rows], np.searchsorted(rows, scored)  # same order (both sorted)


def scored_where(names: RowNames, scored: int, gold: int) -> str:
    """What the choice's reasons say it was scored on: ``scored`` of the ``gold`` rows
    (``names``), and when fewer, that the rest were known labels only."""
    where = names.count(scored)
    if scored < gold:
        where += (f" from a random sample ({gold - scored} more "
                  f"{names.plural} used as known labels only)")
    return where


def check_candidates(candidates: Any, cardinality: int) -> None:
    """A ValueError naming the entry of ``auto``'s ``candidates`` setting that is not a
    [model name, settings] pair, or whose model or settings are wrong (None: the built-in
    list, nothing to check)."""
    if candidates is not None and not isinstance(candidates, list | tuple):
        raise ValueError(f"candidates must be a list of [model name, settings] pairs, got "
                         f"{candidates!r}")
    if candidates is not None and len(candidates) == 0:
        raise ValueError("candidates must name at least one (model, settings) pair, or be "
                         "None for the built-in list")
    for k, candidate in enumerate(candidates or []):
        if (not isinstance(candidate, list | tuple) or len(candidate) != 2
                or not isinstance(candidate[0], str) or not isinstance(candidate[1], dict)):
            raise ValueError(f"candidates[{k}] is {candidate!r}; each candidate is a pair "
                             '[model name, settings], e.g. ["dawid_skene", {}]')
        name, params = candidate
        try:
            get_model(name, cardinality=cardinality, **params).check_params()
        except UnknownModelError as exc:  # not the [label_model] name
            raise ValueError(f"candidates[{k}]: {exc}") from None
        except TypeError as exc:
            raise ValueError(f"candidate {name!r}: {exc}") from None


@dataclass
class CandidateSearch:
    """The candidates and the folds one ``auto`` fit chooses among and on.

    ``candidates`` is tried in order; unless ``explicit`` (the user's own list), the first
    is the default model, the one to beat. ``make`` builds a candidate's model; ``rules``
    holds the scoring and the labels ``predict`` would give (ties broken as it breaks
    them). ``L_cv``, ``y_cv`` and ``scored_cv`` are the rows the cross-validation fits see
    (every gold row and a sample of the others), the gold to fit with, and the scored gold
    rows' place among them; ``scored`` and ``y_gold`` are those rows in the whole label
    matrix and their labels; ``folds`` split them. ``where`` and ``names`` say in a reason
    which rows scored."""

    candidates: Sequence[Candidate]
    explicit: bool
    make: Callable[[str, dict[str, Any]], LabelModel]
    rules: DecisionRules
    L_cv: np.ndarray
    y_cv: np.ndarray
    scored_cv: np.ndarray
    scored: np.ndarray
    y_gold: np.ndarray
    folds: Sequence[tuple[np.ndarray, np.ndarray]]
    where: str
    names: RowNames
    rng: np.random.Generator

    def cross_validated(self, name: str, params: dict[str, Any], balance: np.ndarray | None,
                        gold_in_fit: bool = True
                        ) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
        """One candidate's CV record (model, params, gold_in_fit, mean score, fold scores),
        its out-of-fold probabilities of the scored rows and the labels they decide."""
        if gold_in_fit:
            oof = held_out_proba(partial(self.make, name, params), self.L_cv, self.y_cv,
                                 self.scored_cv, self.folds, class_balance=balance)
        else:  # one fit sees no gold row: every gold row is held out of it
            oof = without_gold_proba(self.make(name, params), self.L_cv, self.scored_cv,
                                     balance)
        pred = self.rules.decide(oof, self.scored)  # ties broken as predict breaks them
        scores = [score(self.rules.scoring, self.y_gold[test_idx], oof[test_idx],
                        pred[test_idx], self.rules.cardinality)
                  for _, test_idx in self.folds]
        return ({"model": name, "params": params, "gold_in_fit": gold_in_fit,
                 "score": float(np.mean(scores)),
                 "fold_scores": [float(s) for s in scores]}, oof, pred)

    def choose(self, balance: np.ndarray | None) -> Choice:
        """The candidate chosen at ``balance``: the best mean score, the default model
        kept unless the best beats it in >= 95% of bootstrap resamples."""
        tried = []
        best, baseline = None, None
        done: dict[tuple[str, str, bool], tuple[dict[str, Any], np.ndarray, np.ndarray]] = {}
        for index, (name, params) in enumerate(self.candidates):
            with_gold = None
            # the built-in list scores only the default model both ways: its 17 other
            # candidates scored without gold too, one of 34 beat the default model in
            # 96% of resamples of 150 gold rows by chance and lost 4.25 points on test
            ways = (True, False) if self.explicit or index == 0 else (True,)
            for gold_in_fit in ways:
                key = (name, same_fit_params(name, params, balance), gold_in_fit)
                if key not in done:
                    done[key] = self.cross_validated(name, params, balance, gold_in_fit)
                record, oof, pred = done[key]
                record = {**record, "params": params}
                if with_gold is not None and np.allclose(oof, with_gold, atol=1e-9):
                    continue  # the gold rows change nothing in this model's fit
                with_gold = oof
                tried.append(record)
                if baseline is None:
                    baseline, baseline_oof, baseline_pred = record, oof, pred
                if best is None or record["score"] > best["score"] + 1e-12:
                    best, best_oof, best_pred = record, oof, pred
        assert best is not None and baseline is not None
        reason = (f"best mean {self.rules.scoring} over {len(self.folds)}-fold CV on "
                  f"{self.where}")
        if not self.explicit and best is not baseline:
            # a few dozen gold rows score candidates noisily: leave the default model
            # only for one whose out-of-fold predictions beat it in >= 95% of bootstrap
            # resamples of the gold rows
            share = self.rules.bootstrap_wins(best_oof, baseline_oof, self.y_gold, self.rng,
                                              pred=best_pred, base=baseline_pred)
            gain = best["score"] - baseline["score"]
            if share < BOOTSTRAP_SURE:
                reason = (f"the default model kept ({chosen_model(baseline)}): the "
                          f"best candidate, {chosen_model(best, self.names.plural)}, scored "
                          f"{gain:.4f} "
                          f"{self.rules.scoring} higher over {len(self.folds)}-fold CV on "
                          f"{self.where}, but was better in only {share:.0%} of "
                          f"{BOOTSTRAP_ROUNDS} bootstrap resamples of them (it must be "
                          f"in {BOOTSTRAP_SURE:.0%})")
                best, best_oof = baseline, baseline_oof
            else:
                reason += (f", {gain:.4f} above the default model (better in {share:.0%} "
                           f"of {BOOTSTRAP_ROUNDS} bootstrap resamples)")
        return Choice(best, best_oof, reason + without_gold_reason(best, tried, self.names),
                      tried)


def same_fit_params(name: str, params: dict[str, Any], balance: np.ndarray | None) -> str:
    """``params`` as far as they change a fit of ``name`` at ``balance``: two candidates
    with the same are fit once per balance. A dawid_skene given a class balance never
    learns one, whatever its ``learn_class_balance`` (``DawidSkene._fit``: EM learns it only
    without a given balance, and nothing else reads the setting), so the setting is left
    out then: at each balance ``auto`` tries, 6 of its 12 built-in dawid_skene candidates
    were the fits of the other 6."""
    if name == "dawid_skene" and balance is not None:
        params = {key: value for key, value in params.items() if key != "learn_class_balance"}
    return repr(sorted(params.items()))


def without_gold_proba(model: LabelModel, L: np.ndarray, rows: np.ndarray,
                       class_balance: np.ndarray | None) -> np.ndarray:
    """Probabilities of ``L[rows]`` from ``model`` fit on ``L`` without any gold row, at
    ``class_balance`` (None: the model's own rule without gold). No fold's gold is in the
    fit, so one fit scores every fold, as :func:`~labelwright.models.folds.held_out_proba`
    scores each with the others' gold inside."""
    with fit_warnings_left_to_caller():  # a fit only to be scored
        return model.fit(L, class_balance=class_balance).predict_proba(L[rows])


def without_gold_reason(best: dict[str, Any], tried: list[dict[str, Any]],
                        names: RowNames) -> str:
    """What ``chosen_["reason"]`` adds when the model chosen is fit without the gold rows:
    its score, and the same model's with them as known labels inside its fit."""
    if best.get("gold_in_fit", True):
        return ""
    same = next((r for r in tried if r["model"] == best["model"]
                 and r["params"] == best["params"] and r.get("gold_in_fit", True)), None)
    against = "" if same is None else f" ({best['score']:.4f} against {same['score']:.4f})"
    return (f"; fit without the {names.plural} inside it: as known labels in its fit they "
            f"scored lower{against} in the same folds")
