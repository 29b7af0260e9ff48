"""Measuring calibration: expected calibration error and reliability bins."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import ece, expected_calibration_error, reliability_bins
from labelwright.models.reliability import bin_index


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


def test_a_confidence_on_a_bin_edge_is_in_the_bin_it_opens():
    """0.6, 0.7 and 0.3 fell a bin lower (np.linspace's 0.6 is 0.6000000000000001): bins
    are [lower, upper), and majority-vote probabilities sit on such edges."""
    assert bin_index(np.array([0.0, 0.3, 0.6, 0.7, 0.1 + 0.2, 0.69999, 1.0]), 10).tolist() == \
        [0, 3, 6, 7, 3, 6, 9]
    probs = np.array([[0.6, 0.4], [0.7, 0.3], [0.4, 0.6], [0.3, 0.7]])
    y = np.array([0, 1, 1, 1])
    bins = reliability_bins(probs, y, n_bins=10)
    assert (bins[6].lower, bins[6].count, bins[6].accuracy) == (0.6, 2, 1.0)
    assert (bins[7].lower, bins[7].count, bins[7].accuracy) == (0.7, 2, 0.5)
    # bin 6: |1 - 0.6| x 2/4; bin 7: |0.5 - 0.7| x 2/4
    assert expected_calibration_error(probs, y) == pytest.approx(0.2 + 0.1)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_bins": 0}, "n_bins must be a whole number >= 1"),  # returned 0.0: "perfect"
    ({"n_bins": -1}, "n_bins must be a whole number >= 1"),
    ({"y": np.array([7, 0])}, "y must hold class indexes 0..1"),
])
def test_ece_refuses_bins_and_classes_it_cannot_use(kwargs, message):
    args = {"probs": np.array([[0.99, 0.01], [0.99, 0.01]]), "y": np.array([1, 1])}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        expected_calibration_error(args.pop("probs"), args.pop("y"), **args)


def test_ece_takes_bool_and_whole_float_labels():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])
    expected = expected_calibration_error(probs, np.array([0, 1, 1]))
    assert expected_calibration_error(probs, np.array([False, True, True])) == expected
    assert expected_calibration_error(probs, np.array([0.0, 1.0, 1.0])) == expected
    with pytest.raises(ValueError, match="y must hold class indexes"):
        expected_calibration_error(probs, np.array([0.0, 0.5, 1.0]))


def test_ece_of_the_predictions_scored_not_of_the_argmax():
    """Tied items went to the first class in the ECE whatever the tie-break, so a bench
    line's ECE described other predictions than its accuracy (youtube majority vote: ECE
    12.41 is that of tie-break "first", 77.6% accurate, on the 84.0% line)."""
    probs = np.array([[0.5, 0.5]] * 4 + [[0.9, 0.1]] * 2)
    y = np.array([1, 1, 0, 1, 0, 0])
    assert expected_calibration_error(probs, y) == pytest.approx(
        4 / 6 * abs(0.25 - 0.5) + 2 / 6 * abs(1 - 0.9))
    pred = np.array([1, 1, 0, 0, 0, 0])  # ties broken: 3 of 4 right
    assert expected_calibration_error(probs, y, pred=pred) == pytest.approx(
        4 / 6 * abs(0.75 - 0.5) + 2 / 6 * abs(1 - 0.9))
    # no prediction (tie-break "abstain"): its top probability, and wrong
    bins = reliability_bins(probs, y, pred=np.array([-1, -1, -1, -1, 0, 0]))
    assert (bins[5].count, bins[5].accuracy, bins[9].accuracy) == (4, 0.0, 1.0)
    # a label that is not the argmax (auto's): binned by its own probability
    bins = reliability_bins(probs, y, pred=np.array([1, 1, 0, 1, 1, 0]))
    assert bins[1].count == 1 and bins[1].accuracy == 0.0 and bins[1].confidence == 0.1
    with pytest.raises(ValueError, match="pred must hold"):
        reliability_bins(probs, y, pred=np.array([2, 0, 0, 0, 0, 0]))
