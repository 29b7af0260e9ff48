"""LFs that vote a single class, under ``dawid_skene``'s ``abstain="ignore"``.

With abstains ignored, an LF's confusion row is P(vote v | y, the LF voted). An LF that only
ever votes class ``c`` votes ``c`` whenever it votes, whatever the class: fit on the data,
that probability goes to 1 for every class the LF's items may belong to, and its votes
stop meaning anything. Gold rows cannot help, since they too only show it voting ``c``.
Left to EM, such LFs ended near-uninformative (P(c | y) 0.975 for every other class
against 0.993 for ``c`` on a 16-label project), and any class balance that is not uniform
(the gold rows', from 20 of them) then put almost every item in the largest class.

So their rows are held, not fit: an LF right ``acc`` of the time with its errors spread
evenly, ``acc`` being its accuracy on the gold rows it votes on, shrunk toward
``prior_accuracy`` by ``prior_strength`` votes (``prior_accuracy`` itself without gold),
and the evidence scaled so that a lone vote for ``c`` gives class ``c`` a posterior of
``acc`` under the class balance (a vote for a rare class means as much as one for a
common class).
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


def one_sided(L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indices of the LFs that vote exactly one class in ``L``, the class each votes).

    ``L`` holds -1 (abstain) and class indices, as ``check_label_matrix`` leaves it. An LF
    votes one class when its largest vote equals its smallest vote once abstains are left
    out; read as unsigned, -1 is the largest value of its type, so the unsigned minimum
    skips the abstains. Two reductions over ``L``, however many classes (a scan per class took
    several times as long at 16 classes).
    """
    largest, smallest = _vote_range(L)
    lfs = np.flatnonzero((largest >= 0) & (smallest == largest))
    return lfs, largest[lfs].astype(np.intp)


def several_sided(L: np.ndarray) -> np.ndarray:
    """Indices of the LFs that vote two classes or more in ``L`` (the same two reductions
    as :func:`one_sided`): classifier- or crowd-like LFs, whose votes alone tell the class
    balance (see :func:`~labelwright.models.class_prior.identifying_lfs`)."""
    largest, smallest = _vote_range(L)
    return np.flatnonzero((largest >= 0) & (smallest != largest))


def _vote_range(L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per LF, (its largest vote, -1 if none; its smallest vote, abstains left out: read
    as unsigned, -1 is the largest value of its type)."""
    largest = L.max(axis=0)
    unsigned = L.view(L.dtype.str.replace("i", "u")) if L.dtype.kind == "i" else L
    return largest, unsigned.min(axis=0)


def shrunk_accuracy(right: np.ndarray, reviews: np.ndarray, prior_accuracy: float,
                    prior_strength: float) -> np.ndarray:
    """``right`` of ``reviews`` gold votes, shrunk toward ``prior_accuracy`` by
    ``prior_strength`` votes: ``(right + prior_strength * prior_accuracy) / (reviews +
    prior_strength)``, and ``prior_accuracy`` where both counts are 0 (nothing to read).
    One rule for a one-sided LF under ``abstain="ignore"`` (:func:`gold_accuracy`) and a
    held vote (:func:`~labelwright.models.held_votes.held_accuracy`)."""
    right, reviews = np.asarray(right, dtype=float), np.asarray(reviews, dtype=float)
    weight = reviews + prior_strength
    return np.divide(right + prior_strength * prior_accuracy, weight,
                     out=np.full(np.shape(weight), float(prior_accuracy)), where=weight > 0)


def gold_accuracy(L: np.ndarray, y_dev: np.ndarray | None, lfs: np.ndarray,
                  classes: np.ndarray, prior_accuracy: float,
                  prior_strength: float) -> np.ndarray:
    """Per LF of ``lfs`` (voting ``classes``), its share of right votes on the gold rows,
    shrunk toward ``prior_accuracy`` by ``prior_strength`` votes (:func:`shrunk_accuracy`)."""
    right = np.zeros(len(lfs))
    votes = np.zeros(len(lfs))
    if y_dev is not None and len(lfs):
        gold = y_dev >= 0
        on_gold = L[gold][:, lfs] == classes[None, :]
        votes = on_gold.sum(axis=0).astype(float)
        right = (on_gold & (y_dev[gold][:, None] == classes[None, :])).sum(axis=0)
    return shrunk_accuracy(right, votes, prior_accuracy, prior_strength)


def held_confusion(acc: np.ndarray, classes: np.ndarray, balance: np.ndarray,
                   k: int) -> np.ndarray:
    """(len(acc), k, k+1) confusion rows (column 0, abstain, is 0): symmetric, with a
    vote for ``c`` worth the likelihood ratio r = acc (1 - p_c) / ((1 - acc) p_c) over
    any other class (p = ``balance``), so a lone vote gives ``c`` a posterior of ``acc``."""
    eps = 1e-6
    acc = np.clip(acc, eps, 1 - eps)
    p = np.clip(balance[classes], eps, 1 - eps)
    ratio = acc * (1 - p) / ((1 - acc) * p)
    right = ratio / (ratio + k - 1)
    out = np.empty((len(acc), k, k + 1))
    out[:, :, 0] = 0.0
    out[:, :, 1:] = ((1 - right) / (k - 1))[:, None, None]
    out[:, np.arange(k), np.arange(k) + 1] = right[:, None]
    return out


def warn_without_gold(n_one_sided: int, n_lfs: int) -> None:
    """Say that, without gold, ``prior_accuracy`` alone weighs the one-sided LFs' votes."""
    if n_one_sided:
        log.warning("abstain='ignore' without reviewed labels: %d of %d LFs vote a single "
                    "class, and this model cannot learn their accuracies from the votes "
                    "(every vote of theirs counts as right prior_accuracy of the time); "
                    "abstain='fit_only' (the default model's) or 'informative' learns "
                    "them, and reviewed labels give each its accuracy on them",
                    n_one_sided, n_lfs)
