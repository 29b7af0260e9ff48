"""Scores of predictions against gold: accuracy, F1, log loss, average precision."""

from __future__ import annotations

import numpy as np


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of items predicted right; an abstained prediction (-1) counts as wrong."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean(y_true == y_pred)) if len(y_true) else 0.0


def f1_per_class(y_true: np.ndarray, y_pred: np.ndarray, cardinality: int) -> np.ndarray:
    """F1 of each class (0 where the class is neither predicted nor present)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    out = np.zeros(cardinality)
    for c in range(cardinality):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        denom = 2 * tp + fp + fn
        out[c] = 2 * tp / denom if denom else 0.0
    return out


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, cardinality: int) -> float:
    """Unweighted mean of the F1 scores of the classes present in ``y_true`` or predicted,
    as scikit-learn's ``f1_score(average="macro")`` (and so WRENCH) takes it: a class
    neither present nor predicted has no F1 to count. An abstain (-1) is no class but a
    miss for its item's class, where scikit-learn would average in -1 as a class of F1 0."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    seen = np.zeros(cardinality, dtype=bool)
    for y in (y_true, y_pred):
        y = y[(y >= 0) & (y < cardinality)]
        seen[y.astype(np.int64)] = True
    if not seen.any():
        return 0.0
    return float(f1_per_class(y_true, y_pred, cardinality)[seen].mean())


def binary_f1(y_true: np.ndarray, y_pred: np.ndarray, positive: int = 1) -> float:
    """F1 of the ``positive`` class."""
    return float(f1_per_class(y_true, y_pred, max(positive + 1, 2))[positive])


def log_loss(y_true: np.ndarray, probs: np.ndarray, eps: float = 1e-12) -> float:
    """Mean negative log-probability of the gold class."""
    p = np.clip(probs[np.arange(len(y_true)), y_true], eps, 1.0)
    return float(-np.log(p).mean())


def average_precision(y_true: np.ndarray, score: np.ndarray) -> float:
    """Average precision of ranking the positives (``y_true`` 1) by ``score``, highest
    first: the precision at each distinct score, weighted by the recall it adds (tied
    scores enter together), as scikit-learn's ``average_precision_score`` takes it, without
    its argument checks, which cost ~4 ms a call: the review ranking's weight check calls it
    ~2,000 times. 0 when there is no positive."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=np.float64)
    order = np.argsort(-score, kind="mergesort")
    hits = np.cumsum(y_true[order] > 0)
    if not len(hits) or not hits[-1]:
        return 0.0
    ends = np.r_[np.flatnonzero(np.diff(score[order])), len(order) - 1]  # last of each tie
    tp = hits[ends]
    precision = tp / (ends + 1)
    recall_added = np.diff(np.r_[0, tp]) / tp[-1]
    return float(np.sum(recall_added * precision))


SCORERS = ("macro_f1", "accuracy", "f1", "log_loss")


def check_scoring(name: str, cardinality: int) -> None:
    """Refuse a ``scoring`` that is no :data:`SCORERS` name, or ``"f1"`` (class 1's) with
    other than 2 classes, naming the valid ones (``auto`` checks its setting by it before
    any fit scores)."""
    if name not in SCORERS:
        raise ValueError(f"unknown scoring {name!r}; valid: {', '.join(SCORERS)}")
    if name == "f1" and cardinality != 2:
        others = [scorer for scorer in SCORERS if scorer != "f1"]
        raise ValueError(f"scoring 'f1' (F1 of class 1) needs 2 classes, got "
                         f"{cardinality}; valid with {cardinality}: {', '.join(others)}")


def score(name: str, y_true: np.ndarray, probs: np.ndarray, y_pred: np.ndarray,
          cardinality: int) -> float:
    """Higher-is-better score by name (log loss is negated; "f1" is class 1's, binary only)."""
    if name == "macro_f1":
        return macro_f1(y_true, y_pred, cardinality)
    if name == "accuracy":
        return accuracy(y_true, y_pred)
    if name == "f1":
        if cardinality != 2:
            raise ValueError(f"scoring 'f1' (F1 of class 1) needs 2 classes, got {cardinality}")
        return binary_f1(y_true, y_pred)
    if name == "log_loss":
        return -log_loss(y_true, probs)
    raise ValueError(f"unknown scoring {name!r}; valid: {', '.join(SCORERS)}")
