"""auto fits candidates whose fits are the same at a balance once, and records each."""

import numpy as np

from labelwright.models.auto import AutoLabelModel
from labelwright.models.candidate_choice import same_fit_params
from labelwright.models.registry import get_model
from labelwright.models.synthetic import make_label_matrix

LEARNS = [["dawid_skene", {"learn_class_balance": True, "prior_strength": 10.0}],
          ["dawid_skene", {"learn_class_balance": False, "prior_strength": 10.0}]]


def _fit_counting(monkeypatch, class_balance):
    L, y = make_label_matrix(600, np.array([0.6, 0.7, 0.8, 0.75]), coverage=0.5,
                             random_state=3)
    y_dev = np.full(len(y), -1)
    y_dev[:120] = y[:120]
    made = []
    make = AutoLabelModel._make

    def counting(self, name, params):
        made.append((name, dict(params)))
        return make(self, name, params)

    monkeypatch.setattr(AutoLabelModel, "_make", counting)
    model = get_model("auto", cardinality=2, random_state=0, candidates=LEARNS)
    model.fit(L, y_dev=y_dev, class_balance=class_balance)
    return model, made


def test_a_given_balance_is_never_learned_so_the_two_are_fit_once(monkeypatch):
    model, made = _fit_counting(monkeypatch, np.array([0.6, 0.4]))
    assert made and all(params["learn_class_balance"] is True for _, params in made)
    records = [r for r in model.cv_scores_ if r["params"]["learn_class_balance"] is False]
    twins = [r for r in model.cv_scores_ if r["params"]["learn_class_balance"] is True]
    assert records and [r["fold_scores"] for r in records] == [r["fold_scores"] for r in twins]


def test_without_a_balance_both_are_fit(monkeypatch):
    _, made = _fit_counting(monkeypatch, None)
    assert {m[1]["learn_class_balance"] for m in made} >= {True, False}


def test_only_a_given_balance_drops_the_setting():
    ds = {"learn_class_balance": True, "prior_strength": 10.0}
    other = {**ds, "learn_class_balance": False}
    balance = np.array([0.5, 0.5])
    assert same_fit_params("dawid_skene", ds, balance) == same_fit_params(
        "dawid_skene", other, balance)
    assert same_fit_params("dawid_skene", ds, None) != same_fit_params(
        "dawid_skene", other, None)
    assert same_fit_params("snorkel", {"lr": 0.1}, balance) != same_fit_params(
        "snorkel", {"lr": 0.2}, balance)
