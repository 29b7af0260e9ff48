"""auto: picks model and settings by CV on gold rows, calibrates, falls back to default."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import DEFAULT_MODEL, AutoLabelModel, get_model
from labelwright.models.synthetic import make_label_matrix

CANDIDATES = [["majority", {}], ["dawid_skene", {"abstain": "ignore"}]]


def adversarial_data(n=3000, seed=0):
    # three good LFs and three that are wrong 70% of the time: majority vote is misled,
    # a model with per-LF accuracies fit with gold is not
    acc = np.array([0.8, 0.8, 0.8, 0.3, 0.3, 0.3])
    L, y = make_label_matrix(n, acc, coverage=0.9, random_state=seed)
    y_dev = np.where(np.arange(n) % 10 == 0, y, -1)
    return L, y, y_dev


def test_picks_by_cross_validated_gold_score():
    L, y, y_dev = adversarial_data()
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] == "dawid_skene"
    assert model.chosen_["params"] == {"abstain": "ignore"}
    assert len(model.cv_scores_) == 2
    best = max(model.cv_scores_, key=lambda r: r["score"])
    assert best["model"] == model.chosen_["model"] and len(best["fold_scores"]) == 5
    majority = get_model("majority", 2).fit(L)
    assert (model.predict(L) == y).mean() > (majority.predict(L) == y).mean() + 0.05


def test_calibration_and_decision_weights_are_learned():
    L, y, y_dev = adversarial_data(seed=1)
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert model.temperature_ > 0 and model.temperature_ != 1.0
    assert model.decision_weights_.shape == (2,)
    uncalibrated = AutoLabelModel(2, candidates=CANDIDATES, calibrate=False,
                                  tune_decision=False).fit(L, y_dev=y_dev)
    assert uncalibrated.temperature_ == 1.0
    np.testing.assert_array_equal(uncalibrated.decision_weights_, [1.0, 1.0])


def test_without_gold_falls_back_to_default():
    L, y, _ = adversarial_data()
    model = AutoLabelModel(2).fit(L)
    assert model.chosen_["model"] == DEFAULT_MODEL
    assert "gold rows" in model.chosen_["reason"] and model.cv_scores_ == []
    default = get_model("default", 2).fit(L)
    np.testing.assert_allclose(model.predict_proba(L), default.predict_proba(L), rtol=1e-12)


def test_unknown_scoring():
    L, _, y_dev = adversarial_data()
    with pytest.raises(ValueError, match="unknown scoring 'auc'"):
        AutoLabelModel(2, scoring="auc").fit(L, y_dev=y_dev)
