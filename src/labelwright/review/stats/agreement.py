"""Agreement between reviewers, and quality measured against reviewed labels.

Ratings are held as a table: one row per item, one column per rater, a label index
per cell and -1 where the rater did not review the item.

* ``cohen_kappa_pairs`` — Cohen's kappa for every pair of raters, on the items both
  reviewed, with a 95% bootstrap interval, and
  their observed agreement;
* ``fleiss_kappa`` — Fleiss' kappa over the items with the most common number of
  ratings (Fleiss' kappa assumes the same number of ratings per item);
* ``krippendorff_alpha`` — Krippendorff's alpha for nominal data, which allows any
  number of ratings per item (items with one rating are not pairable and drop out);
* ``fleiss_interval`` / ``alpha_interval`` — their 95% bootstrap intervals over items
  (:mod:`~labelwright.review.stats.bootstrap`; per label:
  :mod:`~labelwright.review.stats.label_agreement`);
* ``consensus_agreement`` — how often each rater chose the items' majority label, with a
  Wilson score interval;
* ``lf_accuracy`` / ``audit_accuracy`` — accuracy against reviewed labels, with a
  Wilson score interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from labelwright.review.stats import bootstrap, formulas


@dataclass
class Ratings:
    table: np.ndarray  # (n_items, n_raters) label index, -1 = not rated
    item_ids: list[str]
    raters: list[str]
    labels: tuple[str, ...]


def rating_table(by_item: dict[str, dict[str, str]], labels: Sequence[str]) -> Ratings:
    """``{item_id: {rater: label}}`` -> a :class:`Ratings` table (unknown labels left out)."""
    index = {label: k for k, label in enumerate(labels)}
    raters = sorted({r for votes in by_item.values() for r in votes})
    items = sorted(by_item)
    table = np.full((len(items), len(raters)), -1, dtype=np.int64)
    column = {r: j for j, r in enumerate(raters)}
    for i, item in enumerate(items):
        for rater, label in by_item[item].items():
            if label in index:
                table[i, column[rater]] = index[label]
    return Ratings(table, items, raters, tuple(labels))


def without_raters(ratings: Ratings, left_out: Collection[str]) -> Ratings:
    """``ratings`` without the columns of the raters in ``left_out`` (every item kept).

    ``review stats`` leaves out the adjudicators: their decisions settle disagreements, so
    counted as ratings they would add agreement exactly where the raters had none."""
    keep = [j for j, rater in enumerate(ratings.raters) if rater not in left_out]
    return Ratings(ratings.table[:, keep], ratings.item_ids,
                   [ratings.raters[j] for j in keep], ratings.labels)


PAIR_COLUMNS = ["rater_a", "rater_b", "items", "agreed", "agreement", "kappa", "one_label",
                "ci_low", "ci_high"]


def cohen_kappa_pairs(ratings: Ratings, *, seed: int | None = 0) -> pd.DataFrame:
    """One row per rater pair: ``rater_a, rater_b, items, agreed, agreement, kappa,
    one_label, ci_low, ci_high``. ``agreed``: the items both rated that they gave one
    label, ``agreement`` that share (the observed agreement, NaN on no item). ``kappa`` is
    NaN below two items, and where either rater used one label on all the items both rated
    (``one_label``). Both on one label, chance agreement is 1 and kappa 0/0, undefined;
    one of them on one label, chance agreement equals the observed one whatever the other
    did, so kappa is 0 by construction: a pair agreeing on 9 of 10 showed 0.000 with an
    interval of 0.000-0.000, as if they agreed by chance alone. Either way no item tested
    whether that rater tells the labels apart; Fleiss' kappa and Krippendorff's alpha are
    undefined where all used one label. ``ci_low``, ``ci_high``: kappa's 95% interval, a
    bootstrap over the items both rated, seeded by ``seed`` (None: no interval, NaNs)."""
    rows = []
    n_labels = len(ratings.labels)
    for a, b in combinations(range(len(ratings.raters)), 2):
        both = (ratings.table[:, a] >= 0) & (ratings.table[:, b] >= 0)
        n = int(both.sum())
        ya, yb = ratings.table[both, a], ratings.table[both, b]
        agreed = int((ya == yb).sum())
        kappa, one_label, span = float("nan"), False, (float("nan"), float("nan"))
        if n >= 2:
            one_label = len(np.unique(ya)) == 1 or len(np.unique(yb)) == 1
            if not one_label:
                kappa = formulas.cohen(ya, yb, n_labels)
            if not one_label and seed is not None:
                span = bootstrap.cohen_kappa_interval(ya, yb, n_labels, seed)
        rows.append({"rater_a": ratings.raters[a], "rater_b": ratings.raters[b], "items": n,
                     "agreed": agreed, "agreement": agreed / n if n else float("nan"),
                     "kappa": kappa, "one_label": one_label, "ci_low": span[0],
                     "ci_high": span[1]})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def items_decided(ratings: Ratings) -> dict[str, int]:
    """Per rater (every one, adjudicators too), how many items they decided: the items
    behind each figure of theirs, which a team splitting the work compares."""
    return {rater: int((ratings.table[:, j] >= 0).sum())
            for j, rater in enumerate(ratings.raters)}


def category_counts(ratings: Ratings) -> np.ndarray:
    """(n_items, n_labels): how many raters chose each label for each item."""
    counts = np.zeros((len(ratings.item_ids), len(ratings.labels)), dtype=np.int64)
    for k in range(len(ratings.labels)):
        counts[:, k] = (ratings.table == k).sum(axis=1)
    return counts


def fleiss_ratings(counts: np.ndarray) -> int:
    """The number of ratings per item Fleiss' kappa is computed at: the most common among
    the items with two or more (0 when there is none). Fleiss' kappa takes one number of
    ratings for every item; the items with another are left out of it (Krippendorff's
    alpha counts them)."""
    per_item = counts.sum(axis=1)
    rated = per_item[per_item >= 2]
    return int(Counter(rated.tolist()).most_common(1)[0][0]) if rated.size else 0


def fleiss_kappa(counts: np.ndarray) -> tuple[float, int]:
    """Fleiss' kappa of an (items, labels) count table; returns ``(kappa, items used)``.

    Only items with the most common number of ratings (at least two) are used
    (:func:`fleiss_ratings`).
    """
    m = fleiss_ratings(counts)
    if m == 0:
        return float("nan"), 0
    used = counts[counts.sum(axis=1) == m]
    if used.shape[0] < 2:
        return float("nan"), int(used.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):  # one label used by all: undefined
        kappa = formulas.fleiss(used)
    return kappa, int(used.shape[0])


def fleiss_interval(counts: np.ndarray, *, seed: int) -> tuple[float, float]:
    """The 95% bootstrap interval of :func:`fleiss_kappa`, over the items it uses."""
    m = fleiss_ratings(counts)
    used = counts[counts.sum(axis=1) == m] if m else counts[:0]
    return bootstrap.interval(bootstrap.fleiss_figure, used, seed)


def alpha_interval(counts: np.ndarray, *, seed: int) -> tuple[float, float]:
    """The 95% bootstrap interval of :func:`krippendorff_alpha`, over the items with two
    or more ratings."""
    pairable = counts[counts.sum(axis=1) >= 2]
    return bootstrap.interval(bootstrap.alpha_figure, pairable, seed)


def krippendorff_alpha(counts: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) from an (items, labels) count table.

    Built from the coincidence matrix: each item with ``m >= 2`` ratings adds
    ``n_c * n_k / (m - 1)`` to the cell (c, k) for c != k, and ``n_c (n_c - 1) / (m - 1)``
    on the diagonal; alpha = 1 - (n - 1) * D_o / D_e over the off-diagonal cells.
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if counts.size == 0:
        return float("nan")
    coincidence = np.einsum("uc,uk->ck", counts / (m - 1)[:, None], counts)
    coincidence -= np.diag((counts / (m - 1)[:, None]).sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    observed = coincidence.sum() - np.trace(coincidence)
    expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1 - observed / expected)


CONSENSUS_COLUMNS = ["rater", "items", "agreed", "agreement", "ci_low", "ci_high"]


def consensus_agreement(ratings: Ratings) -> pd.DataFrame:
    """Per rater: on the items they rated where the *other* raters have a clear majority,
    how often the rater chose it (``agreement``, ``agreed`` of them) and on how many such
    items (``items``), with its 95% Wilson interval (``ci_low``, ``ci_high``: on the few
    items two raters share, 90% is anything from about 60% to 98%).

    The rater's own vote is left out of the majority it is compared with: counted in, with
    two raters every 1-1 split dropped out and every remaining item agreed, so the figure
    was 1.0 whatever the raters did. With two raters it is their pairwise agreement."""
    counts = category_counts(ratings)
    rows = []
    for j, rater in enumerate(ratings.raters):
        own = ratings.table[:, j]
        others = counts.copy()
        rated = np.flatnonzero(own >= 0)
        others[rated, own[rated]] -= 1
        top = np.sort(others, axis=1)[:, ::-1]
        clear = (others.sum(axis=1) >= 1) & (
            (top[:, 0] > top[:, 1]) if counts.shape[1] > 1 else True)
        mine = clear & (own >= 0)
        n = int(mine.sum())
        majority = others.argmax(axis=1)
        agreed = int((own[mine] == majority[mine]).sum())
        low, high = wilson_interval(agreed, n)
        rows.append({"rater": rater, "items": n, "agreed": agreed,
                     "agreement": agreed / n if n else float("nan"), "ci_low": low,
                     "ci_high": high})
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS)


def wilson_interval(successes: int, n: int, *, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion (NaNs when ``n`` is 0)."""
    if n == 0:
        return float("nan"), float("nan")
    return _at_the_ends(*formulas.wilson(successes, n, alpha), successes, n)


def exact_interval(successes: float, n: float, *, alpha: float = 0.05) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval for a proportion (NaNs when ``n`` is 0): wider
    than :func:`wilson_interval` on a few trials, and it holds the true share at least
    ``1 - alpha`` of the time at every ``n``; Wilson's holds it less often on one or two
    trials near 0 or 1 (one wrong vote of an LF right 90% of the time: a 10% chance its
    interval leaves 90% out), where a check that warns on every share outside it would
    warn on noise."""
    if n == 0:
        return float("nan"), float("nan")
    return _at_the_ends(*formulas.clopper_pearson(successes, n, alpha), successes, n)


def _at_the_ends(low: float, high: float, successes: float, n: float) -> tuple[float, float]:
    """The interval with its end set to exactly 0 at 0 successes and 1 at ``n`` of ``n``:
    the formulas reach these only up to rounding (87 of 87 gave 0.9999999999999999), and
    the shares print would show that end as ``>99.9%`` beside a share of ``100.0%``."""
    if successes <= 0:
        low = 0.0
    if successes >= n:
        high = 1.0
    return low, high


def lf_accuracy(votes: np.ndarray, lf_names: Sequence[str], gold: np.ndarray) -> pd.DataFrame:
    """Per LF, over the reviewed items it voted on: ``reviewed, correct, accuracy, ci_low,
    ci_high`` (the empirical accuracy against reviewed labels, with a 95% Wilson interval)."""
    rows = []
    reviewed = gold >= 0
    for j, name in enumerate(lf_names):
        voted = reviewed & (votes[:, j] >= 0)
        n = int(voted.sum())
        correct = int((votes[voted, j] == gold[voted]).sum())
        low, high = wilson_interval(correct, n)
        rows.append({"lf": name, "reviewed": n, "correct": correct,
                     "accuracy": correct / n if n else float("nan"), "ci_low": low,
                     "ci_high": high})
    return pd.DataFrame(rows, columns=["lf", "reviewed", "correct", "accuracy", "ci_low",
                                       "ci_high"])


@dataclass
class AuditAccuracy:
    """How often an accepted label was right, estimated from the reviewed audit sample."""

    reviewed: int
    correct: int
    ci_low: float
    ci_high: float
    #: the accuracy weighted by label, where the audit was not shared in proportion to the
    #: labels' accepted items (:mod:`labelwright.review.stats.audit_estimate`); None: unweighted
    weighted: float | None = None

    @property
    def accuracy(self) -> float:
        if self.weighted is not None:
            return self.weighted
        return self.correct / self.reviewed if self.reviewed else float("nan")


def audit_accuracy(predicted: np.ndarray, gold: np.ndarray, audited: np.ndarray) -> AuditAccuracy:
    """Accuracy of the model's label on audited items that have a reviewed label.

    The audit sample is stratified by predicted label, so the estimate is for accepted
    labels as a whole only when strata are sampled in proportion: triage does that by
    default (largest remainders), except that every label gets at least one item, which
    over-represents labels with few accepted items a little when ``audit_size`` is small.
    An audit shared alike per label is weighted back by label instead
    (:func:`labelwright.review.stats.audit_estimate.stratified_accuracy`).
    """
    judged = audited & (gold >= 0)
    n = int(judged.sum())
    correct = int((predicted[judged] == gold[judged]).sum())
    low, high = wilson_interval(correct, n)
    return AuditAccuracy(reviewed=n, correct=correct, ci_low=low, ci_high=high)
