"""Expected calibration error, reliability bins and temperature scaling."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import TemperatureScaler, ece, expected_calibration_error, reliability_bins
from labelwright.models.metrics import log_loss


def test_ece_hand_computed():
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.45, 0.55]])
    y = np.array([0, 1, 1, 0])
    # bins (width 0.1) by top prob: 0.9 -> bin 9 (right), 0.8 -> bin 8 (wrong),
    # 0.7 -> bin 7 (right), 0.55 -> bin 5 (wrong)
    expected = (abs(1 - 0.9) + abs(0 - 0.8) + abs(1 - 0.7) + abs(0 - 0.55)) / 4
    assert expected_calibration_error(probs, y, n_bins=10) == pytest.approx(expected)
    assert ece is expected_calibration_error


def test_reliability_bins():
    probs = np.array([[1.0, 0.0], [0.6, 0.4], [0.65, 0.35]])
    bins = reliability_bins(probs, np.array([0, 0, 1]), n_bins=2)
    assert [b.count for b in bins] == [0, 3]
    assert bins[1].confidence == pytest.approx(0.75)
    assert bins[1].accuracy == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="probs must be"):
        reliability_bins(probs, np.array([0, 1]))


def test_temperature_scaling_fixes_overconfidence():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    right = rng.random(5000) < 0.7  # 70% right, but claims 99%
    pred = np.where(right, y, 1 - y)
    probs = np.where(pred[:, None] == np.arange(2), 0.99, 0.01)
    scaler = TemperatureScaler().fit(probs, y)
    fixed = scaler.transform(probs)
    assert scaler.temperature_ > 1
    assert ece(fixed, y) < 0.02 < ece(probs, y)
    assert log_loss(y, fixed) < log_loss(y, probs)
    np.testing.assert_array_equal(fixed.argmax(axis=1), probs.argmax(axis=1))
