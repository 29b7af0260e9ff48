"""When a calibration may move a gold row's top class (models/top_class_moves.py)."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models.top_class_moves import ARGMAX_MOVES, TopClassGate


def _rows(n_right: int, n_wrong: int) -> tuple[np.ndarray, np.ndarray]:
    """Log-probabilities of two-class gold rows (class 0 on top of all) and their classes:
    ``n_right`` of class 0, ``n_wrong`` of class 1."""
    logp = np.log(np.tile([0.7, 0.3], (n_right + n_wrong, 1)))
    return logp, np.r_[np.zeros(n_right, int), np.ones(n_wrong, int)]


def test_an_unknown_rule_names_the_valid_ones():
    with pytest.raises(ValueError, match="argmax_moves 'sometimes'; valid: "
                                         + ", ".join(ARGMAX_MOVES)):
        TopClassGate("sometimes", 0)


def test_a_method_that_moves_no_top_class_passes_every_rule():
    logp, y = _rows(20, 20)
    for rule in ARGMAX_MOVES:
        gate = TopClassGate(rule, 0)
        assert gate.allows("class_bias", np.exp(logp) * 0.9 + 0.05, logp, y)
        assert gate.wins == {}


def test_a_move_must_be_right_more_often_unless_allowed():
    logp, y = _rows(30, 20)
    fixes = np.where(y[:, None] == 1, [0.2, 0.8], [0.7, 0.3])  # moves only the wrong rows
    breaks = np.where(y[:, None] == 0, [0.2, 0.8], [0.7, 0.3])  # moves only the right rows
    gate = TopClassGate("if_more_accurate", 0)
    assert gate.allows("class_bias", fixes, logp, y)
    assert not gate.allows("coverage", breaks, logp, y)
    assert gate.wins == {"class_bias": 1.0, "coverage": 0.0}
    assert not TopClassGate("never", 0).allows("class_bias", fixes, logp, y)
    assert TopClassGate("allowed", 0).allows("coverage", breaks, logp, y)
    # a method that keeps the top class is never asked
    assert TopClassGate("never", 0).allows("temperature", breaks, logp, y)
