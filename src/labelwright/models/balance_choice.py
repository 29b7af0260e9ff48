"""The class balance ``auto``'s fits take when reviews of a random sample are among the gold.

A balance from ~100 reviews is noisy, and a label model's best prior is not always the
items' true mix: on a 3-class review project, 127 random-sample reviews set neutral to 12%
(the votes' 20%, truly 15%) and 23,000 near-tied 3-way conflicts, truly neutral, went to
negative; CV on those 127 rows scored that balance 0.87 macro-F1, the votes' 0.94 (better
in 98% of resamples). The balance and the model go together: on synthetic data, a balance
the default model did badly with was the best one for another candidate. So the balance is
chosen with the model (:func:`choose_balance`), recorded in ``gold_sample_["balance_choice"]``
and named in ``chosen_["reason"]`` (:func:`balance_reason`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from labelwright.models.class_prior import votes_prior
from labelwright.models.decisions import BOOTSTRAP_ROUNDS, BOOTSTRAP_SURE


@dataclass(frozen=True)
class Choice:
    """The candidate ``auto`` chose at one class balance: its CV record (``best``), its
    out-of-fold probabilities of the scored gold rows, the reason, every candidate's record."""

    best: dict[str, Any]
    oof: np.ndarray
    reason: str
    cv_scores: list[dict[str, Any]]


def choose_balance(L: np.ndarray, reviewed_balance: np.ndarray,
                   choose: Callable[[np.ndarray | None], Choice],
                   decided_score: Callable[[dict[str, Any], np.ndarray], float],
                   wins: Callable[[Choice, Choice], float], *, cardinality: int,
                   scoring: str) -> tuple[np.ndarray, Choice, dict[str, Any]]:
    """The class balance the fits take, chosen with the model: at each of the reviewed
    random sample's balance (post-stratified), the votes' (:func:`~labelwright.models.
    class_prior.votes_prior`) and equal classes, the model is chosen as usual (``choose``),
    and the balance whose chosen model scores highest over the sampled rows' folds wins
    (``decided_score``: with the decision weights it would get), if it is the reviewed one
    or beats it in >= 95% of bootstrap resamples of those rows (``wins``), as a candidate
    must beat the default model. ``scoring`` names the score in the record.

    Returns (balance, the choice at it, the record)."""
    k = cardinality
    options = {"reviewed": np.asarray(reviewed_balance, dtype=np.float64),
               "votes": votes_prior(L, k), "equal": np.full(k, 1.0 / k)}
    tried: dict[str, Choice] = {}
    for source, balance in options.items():
        same = next((s for s in tried if np.allclose(options[s], balance, atol=1e-6)),
                    None)
        tried[source] = tried[same] if same is not None else choose(balance)
    scores = {s: decided_score(c.best, c.oof) for s, c in tried.items()}
    chosen = max(scores, key=lambda s: scores[s] - (1e-9 if s != "reviewed" else 0.0))
    share = None
    if chosen != "reviewed":
        # like a model, another balance must beat the reviews' in >= 95% of bootstrap
        # resamples of the sampled rows: margins of 0.01 on ~130 rows were noise
        share = wins(tried[chosen], tried["reviewed"])
        if share < BOOTSTRAP_SURE:
            chosen = "reviewed"
    record = {"chosen": chosen, "scoring": scoring,
              "scores": {s: round(float(v), 6) for s, v in scores.items()},
              "bootstrap_wins": share,
              "models": {s: [c.best["model"], c.best["params"]] for s, c in tried.items()},
              "balances": {s: [round(float(p), 6) for p in b] for s, b in options.items()}}
    return options[chosen], tried[chosen], record


def balance_reason(choice: dict[str, Any]) -> str:
    """What ``chosen_["reason"]`` adds for the balance choice ``choice`` (the record
    :func:`choose_balance` returned)."""
    shown = ", ".join(f"{name} {value:.4f}" for name, value in choice["scores"].items())
    share = choice.get("bootstrap_wins")
    return (f"; class balance: {choice['chosen']} (the model chosen at each of the "
            f"reviewed sample's balance, the votes' and equal classes, mean "
            f"{choice['scoring']} over the same folds: {shown}"
            + ("" if share is None else
               f"; the best beat the reviewed one in {share:.0%} of "
               f"{BOOTSTRAP_ROUNDS} bootstrap resamples, {BOOTSTRAP_SURE:.0%} "
               "needed") + ")")
