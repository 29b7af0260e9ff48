"""The no-vote shares: after a scaling, the items no LF voted on take the class shares of
the gold rows with no vote (:func:`~labelwright.models.pattern_calibration.no_vote_probs`),
and every other item keeps the scaling's probabilities.

A label model gives every item without a vote its class balance; where that is not their
mix, no temperature moves them. :class:`~labelwright.models.calibration.Calibrator` tries
the shares after any scaling but ``coverage`` and ``no_vote_bias`` (which give those items
probabilities of their own), given ``covered`` or ``votes`` and at least ``min_uncovered``
such rows, and keeps them like a method (``min_gain`` once per class share; the
``argmax_moves`` check where they put another class on top of an uncovered gold row).
``no_vote_bias`` gives those items the same shares but also fits eight (two classes)
temperatures, and the gain asked for them hid what the shares alone were worth: on UCI
YouTube (150 gold rows, 14 without a vote, 13 of those ham, the model's class balance 0.51)
it gained 0.044 nats where it needed 0.05, and ``auto``'s test ECE stayed 6.96; after its
temperature the shares gain 0.034 and make it 3.05, with the same labels."""

from __future__ import annotations

import numpy as np

from labelwright.models.calibration_methods import Scaling
from labelwright.models.pattern_calibration import no_vote_probs
from labelwright.models.ties import TIE_TOL


def shares_of(fit: Scaling, logp: np.ndarray, y: np.ndarray, facts: np.ndarray,
              rows: np.ndarray) -> np.ndarray:
    """:func:`no_vote_probs` of the gold ``rows`` no LF voted on, as ``fit`` scales them
    (``facts``: :func:`~labelwright.models.calibration_methods.row_facts` of all gold rows)."""
    rows = rows[facts[rows, 0] > 0]
    return no_vote_probs(fit.transform(logp[rows], facts[rows]), y[rows], logp.shape[1])


def with_no_vote_shares(scaled: np.ndarray, logp: np.ndarray, y: np.ndarray,
                        facts: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
                        fits: list[Scaling]) -> np.ndarray:
    """``scaled`` (the gold rows' out-of-fold probabilities from the scalings ``fits``, one
    per fold) with each held-out row no LF voted on given :func:`no_vote_probs` of the other
    folds' such rows, shrunk toward their scaled probabilities."""
    out = scaled.copy()
    uncovered = facts[:, 0] > 0
    for (tr, te), fit in zip(folds, fits):
        held = te[uncovered[te]]
        if len(held):
            out[held] = shares_of(fit, logp, y, facts, tr)
    return out


def shares_move_top_class(shared: np.ndarray, scaled: np.ndarray,
                          uncovered: np.ndarray) -> bool:
    """Whether the shares (``shared``: the gold rows' probabilities with them) put another
    class on top of some ``uncovered`` gold row than the scaling (``scaled``) did, or one
    class on top where the scaling left a tie."""
    own = scaled[uncovered]
    ranked = np.sort(own, axis=1)
    return not (np.array_equal(shared[uncovered].argmax(axis=1), own.argmax(axis=1))
                and (ranked[:, -1] - ranked[:, -2] > TIE_TOL).all())
