"""Votes a label model holds at an accuracy of its own instead of reading them from the data,
and which of them nothing but the prior reads.

``dawid_skene``'s ``monotone`` rule holds a vote that its fit reads as evidence against the
class it votes for (an LF whose votes fall where EM puts another class; often one that no
other LF votes beside, which EM has nothing to read from), and a vote the M-step's
constraint held down (:mod:`~labelwright.models.monotone`): that vote is read as the vote of
an LF right ``prior_accuracy`` of the time. Held at the prior alone, the reviewed labels of
its items did not move it unless they showed the vote falling on another class's reviewed
items more often than on its own class's
(:func:`~labelwright.models.monotone.gold_shows_against`), which reviews that are all
against it cannot show (its class has none): 12 such reviews left a lone vote at 0.70
(``tests/models/test_held_votes.py``). So a held vote is read at
:func:`held_accuracy`: the prior, shrunk toward the share of the vote's reviewed items that
are of its class, each review counting as one of the prior's ``prior_strength`` pseudo-votes
(the rule ``one_sided`` uses under ``abstain="ignore"``).

Reviews of the queue are not a random sample of a vote's items: the queue picks items where
LFs disagree or the model is unsure, where the vote is wrong more often than elsewhere. The
held accuracy is therefore never taken below chance (one in the number of classes): the
reviews may take a held vote's weight away, leaving its items to the class balance and the
other votes, but do not turn it into evidence for other classes. That is still the
``monotone`` rule's to decide, from a vote's reviewed items spread over the classes
(:func:`~labelwright.models.monotone.gold_shows_against`).

A held vote with fewer reviews than the prior's pseudo-votes is *unread* (:func:`unread_votes`):
the model's confidence in an item that only such votes speak for is its assumption about
the LF, ``prior_accuracy`` weighed by the class balance of the vote's label (with an even
balance and the default prior of 0.7, the default triage threshold itself). Triage sends
those items to review with the reason ``unread``, unless the balance alone reaches the
threshold (:func:`~labelwright.triage.reasons.sure_by_balance`): a held vote is read at no less than
chance, so the assumption cannot take such an item below it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.models.one_sided import shrunk_accuracy


def held_accuracy(L: np.ndarray, y_dev: np.ndarray | None, k: int, prior_accuracy: float,
                  prior_strength: float) -> tuple[np.ndarray, np.ndarray]:
    """Per (LF ``j``, vote ``v``), two (m, k) arrays: the accuracy a held vote is read at,
    ``(right + prior_strength * prior_accuracy) / (reviews + prior_strength)`` and never
    below chance (``1 / k``, or ``prior_accuracy`` if that is lower), where ``reviews`` are
    the gold rows of ``y_dev`` on which LF ``j`` voted ``v`` and ``right`` those of class
    ``v``; and ``reviews`` itself (``prior_accuracy`` and 0 without gold)."""
    m = L.shape[1]
    right = np.zeros((m, k))
    reviews = np.zeros((m, k), dtype=np.int64)
    if y_dev is not None and (y_dev >= 0).any():
        gold = y_dev >= 0
        Lg, yg = L[gold], y_dev[gold]
        for v in range(k):
            cast = Lg == v
            reviews[:, v] = cast.sum(axis=0)
            right[:, v] = cast[yg == v].sum(axis=0)
    shrunk = shrunk_accuracy(right, reviews, prior_accuracy, prior_strength)
    return np.maximum(shrunk, min(1.0 / k, prior_accuracy)), reviews


def held_evidence(accuracy: np.ndarray) -> np.ndarray:
    """(m*k, k) log P(vote v | y) of held votes read at ``accuracy`` (m, k): row ``j*k + v``
    is an LF right ``accuracy[j, v]`` of the time, its errors spread evenly."""
    m, k = accuracy.shape
    acc = np.clip(accuracy, 1e-12, 1.0).reshape(m * k, 1)
    wrong = np.clip((1.0 - accuracy) / max(k - 1, 1), 1e-12, 1.0).reshape(m * k, 1)
    own = np.tile(np.eye(k, dtype=bool), (m, 1))
    return np.where(own, np.log(acc), np.log(wrong))


def unread_votes(model: Any) -> np.ndarray | None:
    """(m, k) bool: the (LF, vote) pairs ``model`` (``auto``: the model it chose) holds and
    that fewer reviews read than the prior's pseudo-votes (``prior_strength``; at least
    one review): the model's reading of them is its assumption. None for a model that holds
    no vote (``majority``, ``snorkel``, ...)."""
    fitted = getattr(model, "model_", model)
    held = getattr(fitted, "prior_votes_", None)
    reviews = getattr(fitted, "held_reviews_", None)
    if held is None or reviews is None:
        return None
    return held & (reviews < max(float(fitted.prior_strength), 1.0))
