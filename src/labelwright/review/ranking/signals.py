"""The review ranking's signals (:mod:`~labelwright.review.ranking.rank`), each in ``[0, 1]``
with 1 = "more likely wrong": the label model's doubt, the votes' conflicts, the end
model's disagreement and cleanlab's label quality (the optional extra).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np

from labelwright.errors import ConfigError
from labelwright.lfs.stats import vote_counts

#: the ranking's logger (what users configure to hear of it), for all its modules
log = logging.getLogger("labelwright.review.ranking")

SIGNALS = ("uncertainty", "small_margin", "entropy", "no_vote", "conflict",
           "end_model_disagrees", "cleanlab")
CLEANLAB_HINT = "pip install 'labelwright[cleanlab]'"


def uncertainty_signals(probs: np.ndarray) -> dict[str, np.ndarray]:
    """``uncertainty``, ``small_margin`` and ``entropy`` of probabilistic labels (n x k)."""
    probs = np.clip(np.asarray(probs, dtype=np.float64), 0.0, 1.0)
    k = probs.shape[1]
    top2 = np.sort(probs, axis=1)[:, -2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.where(probs > 0, probs * np.log(probs), 0.0).sum(axis=1) / np.log(k)
    return {
        "uncertainty": np.clip((1 - top2[:, 1]) * k / (k - 1), 0, 1),
        "small_margin": np.clip(1 - (top2[:, 1] - top2[:, 0]), 0, 1),
        "entropy": np.clip(ent, 0, 1),
    }


def vote_signals(votes: np.ndarray, n_labels: int) -> dict[str, np.ndarray]:
    """``no_vote`` and ``conflict`` from the label matrix (n x LFs, -1 = abstain)."""
    counts = vote_counts(np.asarray(votes), n_labels)
    n_votes = counts.sum(axis=1)
    conflict = np.where(n_votes > 0, 1 - counts.max(axis=1) / np.maximum(n_votes, 1), 0.0)
    return {"no_vote": (n_votes == 0).astype(np.float64), "conflict": conflict.astype(float)}


def _labels(probs: np.ndarray, label: np.ndarray | None, end_proba: np.ndarray) -> np.ndarray:
    """The label whose correctness each item is scored on: ``label``, or the argmax of
    ``probs`` when omitted; where ``label`` is -1 (the item got none: no LF voted, or a tie
    left unbroken), the end model's own most likely class, so the label's signals say how
    sure the text classifier is of any class (not of a tie-break's coin flip)."""
    if label is None:
        return np.asarray(probs).argmax(axis=1)
    label = _per_item(label, len(probs), "label")
    return np.where(label >= 0, label, np.asarray(end_proba).argmax(axis=1))


def _per_item(values: np.ndarray, n: int, name: str, dtype: type = np.int64) -> np.ndarray:
    """``values`` as an array of ``dtype``; :class:`ValueError` naming the argument unless
    it holds one entry per item."""
    values = np.asarray(values, dtype=dtype)
    if values.shape != (n,):
        raise ValueError(f"{name} must have one entry per item ({n}), got shape "
                         f"{values.shape}")
    return values


def disagreement(probs: np.ndarray, end_proba: np.ndarray, *,
                 label: np.ndarray | None = None) -> np.ndarray:
    """``1 -`` the end model's probability of the label model's label (default: argmax;
    -1, no label: the end model's most likely class)."""
    label = _labels(probs, label, end_proba)
    return 1.0 - np.asarray(end_proba)[np.arange(len(label)), label]


def cleanlab_available() -> bool:
    """Whether the optional cleanlab package can be imported."""
    try:
        import cleanlab.rank  # noqa: F401
    except ImportError:
        return False
    return True


def wants_cleanlab(cleanlab: bool | None, n: int) -> bool:
    """Whether a ranking of ``n`` items computes the cleanlab signal: ``cleanlab`` as
    :func:`~labelwright.review.ranking.rank.rank_queue` takes it, ``None`` meaning when installed
    (logging the install hint when not)."""
    if cleanlab is None and n:
        cleanlab = cleanlab_available()
        if not cleanlab:
            log.info("cleanlab is not installed: the review ranking has no 'cleanlab' "
                     "signal (%s)", CLEANLAB_HINT)
    return bool(cleanlab) and n > 0


def cleanlab_signal(end_proba: np.ndarray, label: np.ndarray) -> np.ndarray:
    """``1 -`` cleanlab's label quality of ``label`` given out-of-fold ``end_proba`` (n x k):
    self-confidence with per-class thresholds subtracted (``adjust_pred_probs``).

    Raises :class:`~labelwright.errors.ConfigError` with the install hint when cleanlab is
    not installed.
    """
    get_label_quality_scores = _from_cleanlab("rank", "get_label_quality_scores")
    end_proba = np.asarray(end_proba, dtype=np.float64)
    quality = get_label_quality_scores(np.asarray(label, dtype=np.int64), end_proba,
                                       method="self_confidence", adjust_pred_probs=True)
    return np.clip(1.0 - np.asarray(quality, dtype=np.float64), 0.0, 1.0)


def cleanlab_issues(end_proba: np.ndarray, label: np.ndarray) -> np.ndarray:
    """The items cleanlab flags as label issues given out-of-fold ``end_proba`` (n x k):
    ``cleanlab.filter.find_label_issues`` with its defaults (confident learning, pruned by
    noise rate). An item labelled ``i`` counts towards class ``j`` when its probability of
    ``j`` reaches ``j``'s threshold (the end model's average probability of ``j`` on items
    labelled ``j``); for each pair of classes cleanlab estimates from those counts how many
    labels are wrong and flags that many, largest margin of ``j`` over ``i`` first, never an
    item whose most likely class is its label. A verdict relative to the data, unlike a cut
    on :func:`cleanlab_signal`'s value. Fewer than 2 classes among the labels: nothing is
    flagged (cleanlab refuses them; no item can reach an absent class's threshold).

    Raises :class:`~labelwright.errors.ConfigError` with the install hint when cleanlab is
    not installed.
    """
    find_label_issues = _from_cleanlab("filter", "find_label_issues")
    label = np.asarray(label, dtype=np.int64)
    if np.unique(label).size < 2:
        return np.zeros(len(label), dtype=bool)
    with warnings.catch_warnings():
        # it keeps at least one item per class unflagged, and says so for small classes
        warnings.filterwarnings("ignore", "May not flag all label issues", UserWarning)
        # n_jobs=1: no process pool forked from a program that may run threads
        issues = find_label_issues(label, np.asarray(end_proba, dtype=np.float64), n_jobs=1)
    return np.asarray(issues, dtype=bool)


def _from_cleanlab(module: str, name: str) -> Any:
    """``cleanlab.<module>.<name>``; a :class:`ConfigError` with the install hint when
    cleanlab is not installed."""
    try:
        return getattr(__import__(f"cleanlab.{module}", fromlist=[name]), name)
    except ImportError:
        raise ConfigError(f"the cleanlab signal needs the cleanlab package: "
                          f"{CLEANLAB_HINT}") from None


def item_signals(probs: np.ndarray, votes: np.ndarray, end_proba: np.ndarray,
                 scored: np.ndarray, label: np.ndarray, *, cleanlab: bool | None
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every signal of each item's ``label`` (:data:`SIGNALS`; ``cleanlab`` as
    :func:`wants_cleanlab` decides), and the items cleanlab flags as label issues ({}
    without it). A row the end model did not score (``scored`` false) has no verdict of
    its: 0 for the end model's signals."""
    n, k = probs.shape
    # a placeholder row's 1 - 1/k is no verdict of the end model's: the signal is absent
    signals = {**uncertainty_signals(probs), **vote_signals(votes, k),
               "end_model_disagrees": np.where(
                   scored, disagreement(probs, end_proba, label=label), 0.0)}
    flags: dict[str, np.ndarray] = {}
    if wants_cleanlab(cleanlab, n):
        # on the scored rows only: placeholders would also shift cleanlab's class thresholds
        signals["cleanlab"], flags["cleanlab"] = np.zeros(n), np.zeros(n, dtype=bool)
        if scored.any():
            signals["cleanlab"][scored] = cleanlab_signal(end_proba[scored], label[scored])
            flags["cleanlab"][scored] = cleanlab_issues(end_proba[scored], label[scored])
    return signals, flags
