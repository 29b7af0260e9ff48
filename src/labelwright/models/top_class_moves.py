"""Whether a calibration may change which class is on top of some gold row.

Log loss pays for moving the top class of items that were right when that softens
confident mistakes elsewhere (a 4-label project's default model under ``class_bias``: 12.5%
of its labels moved, held-out accuracy 0.91 -> 0.83-0.86, while log loss and ECE fell). So
:class:`~labelwright.models.calibration.Calibrator` asks a calibration that moves a top class
for more than a lower log loss, as its ``argmax_moves`` says (:data:`ARGMAX_MOVES`), and
:class:`TopClassGate` answers."""

from __future__ import annotations

import numpy as np

from labelwright.models.calibration_methods import ARGMAX_KEEPING_METHODS
from labelwright.models.decisions import BOOTSTRAP_ROUNDS, BOOTSTRAP_SURE

#: what :class:`~labelwright.models.calibration.Calibrator` asks of a method that moves some
#: gold row's top class: that its top classes be right more often out-of-fold, nothing
#: (never chosen), or only the lower log loss
ARGMAX_MOVES = ("if_more_accurate", "never", "allowed")


class TopClassGate:
    """The rule ``argmax_moves`` (one of :data:`ARGMAX_MOVES`) for one calibrator's fit,
    and what it measured: ``wins`` (method -> the share of bootstrap resamples of the gold
    rows in which the method's out-of-fold top classes were right more often than the
    probabilities' own, for each method it was asked about that moved one)."""

    def __init__(self, argmax_moves: str, random_state: int | None) -> None:
        if argmax_moves not in ARGMAX_MOVES:
            raise ValueError(f"unknown argmax_moves {argmax_moves!r}; valid: "
                             f"{', '.join(ARGMAX_MOVES)}")
        self.argmax_moves = argmax_moves
        self.random_state = random_state
        self.wins: dict[str, float] = {}

    def allows(self, method: str, held_out: np.ndarray, logp: np.ndarray,
               y: np.ndarray) -> bool:
        """Whether ``method`` (its out-of-fold probabilities ``held_out`` of the gold rows
        ``y``; ``logp`` their log-probabilities before it) may be chosen as far as the top
        classes go: a method that moves none, or one whose top classes are right more often
        than the probabilities' own in >= :data:`BOOTSTRAP_SURE` of bootstrap resamples of
        the gold rows."""
        if method in ARGMAX_KEEPING_METHODS or self.argmax_moves == "allowed":
            return True
        moved, own = held_out.argmax(axis=1), logp.argmax(axis=1)
        if np.array_equal(moved, own):
            return True
        if self.argmax_moves == "never":
            return False
        gain = (moved == y).astype(np.int64) - (own == y)
        rng = np.random.default_rng(self.random_state)
        resamples = rng.integers(0, len(y), (BOOTSTRAP_ROUNDS, len(y)))
        self.wins[method] = float((gain[resamples].sum(axis=1) > 0).mean())
        return self.wins[method] >= BOOTSTRAP_SURE
