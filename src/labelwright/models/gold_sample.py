"""Are the gold (reviewed) rows a random sample of the items?

Reviewed labels usually come from the top of the review queue: conflicts, low confidence,
no vote. Those are a fine source of known labels for the items themselves, and of gold rows
inside a label model's fit (the rows were chosen by their votes and text, not by their true
class). But an estimate *about all items* taken from them -- the class balance, how often the
model is right at a given confidence (calibration), which model scores best (CV) -- is an
estimate about the hard items. On UCI YouTube with the first 150 queue items reviewed, a
calibration fit on them took `auto`'s test ECE from 10.8 (none) to 28.1 and its accuracy
from 84.3 to 64.2 (``benchmarks/review_bias.py``).

:func:`check_gold_sample` compares the gold rows with all rows on what the queue selects by,
read off the label matrix alone (:func:`vote_strata`): how many votes an item got (0, 1, 2,
3, 4+) and how much they agree (all, >= 75%, >= 50%, less, as the share of votes for the
most voted class). Its statistic is the total variation distance between the two
distributions over those strata, and its p-value the share of :data:`DRAWS` random samples
of the same size, drawn without replacement from all rows (multivariate hypergeometric), at
least that far. Gold rows are taken for a random sample unless they are both significantly
(p < :data:`P_MIN`) and substantially (distance >= :data:`MIN_DISTANCE`) different.
Random samples of 30-150 items score p >= 0.05 on the UCI sets; the head of the review
queue p = 0.002, the smallest possible, at distances of 0.5-0.9.

:func:`post_stratified_balance` estimates all items' class balance from gold rows that fail
the check, within strata of items whose votes are alike (:func:`class_strata`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from labelwright.models.patterns import class_vote_counts

#: random samples the gold rows' distance is compared with
DRAWS = 500
#: gold rows below this p-value are not taken for a random sample ...
P_MIN = 0.01
#: ... if they are also at least this far from all items (total variation distance): many
#: gold rows make small, harmless differences significant. Heads of review queues measured
#: 0.5-0.9; WRENCH youtube's valid items (another video than most train items) 0.15
MIN_DISTANCE = 0.25
#: strata count votes up to this many
MAX_VOTES = 4
#: lower edges of the agreement bins (share of an item's votes for its most voted class)
AGREEMENT_EDGES = (0.5, 0.75, 1.0)
_N_AGREE = len(AGREEMENT_EDGES) + 1
N_STRATA = (MAX_VOTES + 1) * _N_AGREE


@dataclass(frozen=True)
class GoldSample:
    representative: bool
    p_value: float
    distance: float  # total variation distance between gold rows and all rows, 0..1
    most_over: str  # the stratum the gold rows over-represent most, in words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def vote_strata(L: np.ndarray, cardinality: int) -> np.ndarray:
    """Stratum per row: ``min(votes, MAX_VOTES) * 4 + agreement bin`` (see the module
    docstring; a row with one vote agrees fully; rows with no vote are stratum 0)."""
    L = np.asarray(L)
    votes = (L >= 0).sum(axis=1)
    top = np.zeros(len(L), dtype=np.int64)
    for c in range(cardinality):
        top = np.maximum(top, (L == c).sum(axis=1))
    agreement = np.where(votes > 0, top / np.maximum(votes, 1), 0.0)  # no vote: stratum 0
    return np.minimum(votes, MAX_VOTES) * _N_AGREE + np.searchsorted(
        AGREEMENT_EDGES, agreement, side="right")


def describe_stratum(stratum: int) -> str:
    votes, agree = divmod(int(stratum), _N_AGREE)
    count = f"{votes}+" if votes == MAX_VOTES else str(votes)
    if votes < 2:
        return f"items with {count} vote" + ("" if votes == 1 else "s")
    share = ("under 50% of them agreeing", "50-75% of them agreeing",
             "75-99% of them agreeing", "all agreeing")[agree]
    return f"items with {count} votes, {share}"


def check_gold_sample(L: np.ndarray, gold_rows: np.ndarray, cardinality: int,
                      seed: int = 0, *, min_distance: float = MIN_DISTANCE) -> GoldSample:
    """Whether the rows ``gold_rows`` of ``L`` look like a random sample of all its rows
    (see the module docstring). ``min_distance`` 0 judges by the p-value alone: for rows
    drawn at random, any significant difference means they were not all reviewed alike."""
    return _exact_test(vote_strata(L, cardinality), N_STRATA, gold_rows, seed, min_distance,
                       describe_stratum)


def majority_strata(L: np.ndarray, cardinality: int) -> np.ndarray:
    """Stratum per row: the class most of its votes name (0..k-1), ``k`` for a tie, ``k+1``
    for no vote."""
    counts = class_vote_counts(np.asarray(L), cardinality)
    top = counts.max(axis=1)
    tied = (counts == top[:, None]).sum(axis=1) > 1
    return np.where(top == 0, cardinality + 1,
                    np.where(tied, cardinality, counts.argmax(axis=1))).astype(np.int64)


def check_gold_classes(L: np.ndarray, gold_rows: np.ndarray, cardinality: int,
                       seed: int = 0) -> GoldSample:
    """Whether the gold rows' mix of majority-vote classes is that of all rows: rows a
    reviewer picked by class (20 reviews of one label) pass :func:`check_gold_sample`,
    whose strata do not look at which class the votes name, but not this. A random sample
    that misses a rare class passes it, as its votes name classes like everyone's. Same
    test and thresholds as :func:`check_gold_sample`."""
    k = cardinality

    def describe(stratum: int) -> str:
        return ("items with tied votes" if stratum == k else "items with no vote"
                if stratum == k + 1 else f"items whose votes name class {stratum}")

    return _exact_test(majority_strata(L, k), k + 2, gold_rows, seed, MIN_DISTANCE, describe)


def _exact_test(strata: np.ndarray, n_strata: int, gold_rows: np.ndarray, seed: int,
                min_distance: float, describe: Any) -> GoldSample:
    """The gold rows' distance from all rows over ``strata`` (total variation), and its
    p-value among :data:`DRAWS` random samples of the same size (multivariate
    hypergeometric)."""
    counts = np.bincount(strata, minlength=n_strata)
    shares = counts / counts.sum()
    gold = np.bincount(strata[gold_rows], minlength=n_strata)
    n_gold = int(gold.sum())

    def distance(sample: np.ndarray) -> np.ndarray:
        return 0.5 * np.abs(sample / n_gold - shares).sum(axis=-1)

    observed = float(distance(gold))
    draws = np.random.default_rng(seed).multivariate_hypergeometric(counts, n_gold,
                                                                    size=DRAWS)
    at_least = int((distance(draws) >= observed - 1e-12).sum())
    p_value = (1 + at_least) / (DRAWS + 1)
    return GoldSample(representative=p_value >= P_MIN or observed < min_distance,
                      p_value=round(p_value, 4),
                      distance=round(observed, 4),
                      most_over=describe(int(np.argmax(gold / n_gold - shares))))


def class_strata(L: np.ndarray, cardinality: int) -> np.ndarray:
    """Stratum per row: its :func:`vote_strata` stratum split by the class most of its votes
    name (:func:`majority_strata`); rows with no vote are stratum 0, as there.

    The review queue picks items by their votes, and among items with one vote (or with
    two that disagree) the queue's are often all voted one class -- a weak LF's votes, say:
    their mix tells of items with votes like theirs, not of every item with that many votes
    (UCI YouTube, 152 queue items: 91% spam among the reviewed one-vote items against 52% of
    all one-vote items). Strata of whole vote patterns would follow the queue's choice more
    closely, but leave most patterns without a gold row, and the estimate then rests on
    the label model's own mean there (measured worse on queue heads of two-vote conflicts).
    """
    votes = vote_strata(L, cardinality)
    return np.where(votes == 0, 0,
                    votes + N_STRATA * (majority_strata(L, cardinality) + 1)).astype(np.int64)


def post_stratified_balance(strata: np.ndarray, probs: np.ndarray, gold_strata: np.ndarray,
                            y_gold: np.ndarray, cardinality: int, *,
                            prior_rows: float = 10.0) -> np.ndarray:
    """The class balance of all items, from gold rows that are not a random sample of them.

    ``strata`` and ``probs`` are the strata (:func:`vote_strata` or :func:`class_strata`)
    and a label model's probabilities (without gold) of the population (all items or a
    random sample of them); ``gold_strata`` and ``y_gold`` those of the gold rows. Within
    each stratum the gold rows' class mix is taken as that stratum's, with a prior worth
    ``prior_rows`` gold rows at the mean of ``probs`` over the stratum's items; the strata
    are then weighed by their share of the population. A stratum no gold row falls in gets
    the label model's mean; one with hundreds of gold rows, their mix. Gold rows in a
    stratum the population lacks count for nothing.

    Items no LF voted on get the label model's class balance as their probabilities, so
    that stratum's mean is the balance being estimated: it is solved for in closed form
    (the balance ``b`` with ``b = rest + w0 * (c0 + prior_rows * b) / (n0 + prior_rows)``),
    not left to the caller's refits, which would approach it slowly.
    """
    strata, gold_strata = np.asarray(strata, np.int64), np.asarray(gold_strata, np.int64)
    n_strata = int(max(strata.max(initial=0), gold_strata.max(initial=0))) + 1
    size = np.bincount(strata, minlength=n_strata).astype(np.float64)
    share = size / len(strata)
    counts = np.zeros((n_strata, cardinality))
    np.add.at(counts, (gold_strata, np.asarray(y_gold, np.int64)), 1.0)
    model_sum = np.stack([np.bincount(strata, weights=probs[:, c], minlength=n_strata)
                          for c in range(cardinality)], axis=1)
    voted = np.flatnonzero(size > 0)
    voted = voted[voted != 0]  # stratum 0 (no votes) is solved for below
    model_mean = model_sum[voted] / size[voted, None]
    mix = ((counts[voted] + prior_rows * model_mean)
           / (counts[voted].sum(axis=1, keepdims=True) + prior_rows))
    rest = (share[voted, None] * mix).sum(axis=0)
    w0, c0 = float(share[0]), counts[0]
    scale = c0.sum() + prior_rows
    balance = (rest + w0 * c0 / scale) / (1.0 - w0 * prior_rows / scale)
    return balance / balance.sum()

