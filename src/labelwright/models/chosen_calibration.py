"""``auto``'s calibration of the model it chose: fit on that model's out-of-fold
probabilities of the gold rows (:func:`calibrate_chosen`), applied to every item's when
predicting (:func:`calibrated_probabilities`).

The calibration (:class:`~labelwright.models.calibration.Calibrator`: identity,
temperature, a temperature per vote pattern (from the gold rows' votes), class shares for
the items with no vote, temperature + class bias, or coverage-aware, chosen by
cross-validated log loss) makes a probability of 0.9 mean right about 9 times in 10.

It is for the probabilities; predictions stay the chosen model's own
(``decide_on_ = "model"``) unless the calibrated probabilities' argmax beats them in >= 95%
of bootstrap resamples of the gold rows, both out-of-fold (``decide_on_ = "calibrated"``;
:meth:`~labelwright.models.decisions.DecisionRules.calibrated_decisions_win`): a per-class
bias fit for log loss on a few dozen rows per class can move predictions the wrong way.
The probabilities then keep the labels on top too: with the model's own labels, a
calibration with per-class biases is chosen again without them (``identity``,
``temperature`` or ``vote_pattern``, with the confidence map), since triage, the review
queue and ``train`` read the probabilities beside the labels. Decision weights are then
tuned on whichever probabilities decide (the model's own at the calibration's
temperature: a label model's raw probabilities are often too extreme for any weight to
move)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from labelwright.models.calibration import Calibrator
from labelwright.models.calibration_methods import ARGMAX_KEEPING_METHODS, at_temperature
from labelwright.models.decisions import DecisionRules


@dataclass(frozen=True)
class ChosenCalibration:
    """What :func:`calibrate_chosen` keeps: ``calibration`` (:meth:`Calibrator.to_dict`),
    its ``temperature``, ``decide_on`` (``"model"`` or ``"calibrated"``) and ``oof``, the
    out-of-fold probabilities that decide, which decision weights are tuned on."""

    calibration: dict[str, Any]
    temperature: float
    decide_on: str
    oof: np.ndarray


def calibrate_chosen(oof: np.ndarray, y_gold: np.ndarray, rows: np.ndarray,
                     votes: np.ndarray, rules: DecisionRules, *, seed: int,
                     rng: np.random.Generator) -> ChosenCalibration:
    """The calibration of out-of-fold probabilities ``oof`` of the gold rows ``rows`` (their
    labels ``y_gold``, their ``votes``), and which probabilities decide (module
    docstring)."""
    # the decisions are checked below, by scoring: a per-class bias may make them better
    # by macro-F1 and not by accuracy, the Calibrator's own check
    calibrator = Calibrator(random_state=seed, argmax_moves="allowed").fit(
        oof, y_gold, votes=votes)
    if calibrator.cv_probs_ is not None and rules.calibrated_decisions_win(
            calibrator.cv_probs_, oof, y_gold, rows, rng):
        calibrated = calibrator.transform(oof, votes=votes)
        return ChosenCalibration(calibrator.to_dict(), calibrator.temperature_, "calibrated",
                                 calibrated)
    if not calibrator.keeps_argmax:
        # the labels stay the model's own: its probabilities must not say otherwise, so
        # per-class biases the decisions did not trust are not published either (they had
        # put another class on top of 14% of a project's labels, almost all of them right)
        calibrator = Calibrator(random_state=seed, methods=ARGMAX_KEEPING_METHODS
                                ).fit(oof, y_gold, votes=votes)
    at_its_temperature = at_temperature(oof, calibrator.temperature_)
    return ChosenCalibration(calibrator.to_dict(), calibrator.temperature_, "model",
                             at_its_temperature)


def calibrated_probabilities(own: np.ndarray, votes: np.ndarray, calibration: dict[str, Any],
                             *, decide_on: str, temperature: float
                             ) -> tuple[np.ndarray, np.ndarray]:
    """The calibrated probabilities of items the chosen model gives ``own`` on their
    ``votes``, and those the decision weights weigh (the model's own at the calibration's
    ``temperature``, or the calibrated ones when ``decide_on`` says so)."""
    calibrator = Calibrator.from_dict(calibration)
    calibrated = (calibrator.transform(own, votes=votes)
                  if calibrator.learned_anything else own)
    if decide_on == "calibrated":
        return calibrated, calibrated
    return calibrated, at_temperature(own, temperature)
