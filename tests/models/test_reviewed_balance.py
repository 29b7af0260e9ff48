"""The class balance reviewed labels give a model a project names, as they give ``auto``'s."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_gold_sample import spam_like

from labelwright.config import load_config
from labelwright.models import AutoLabelModel
from labelwright.models.configured import fit_label_model
from labelwright.models.gold_use import balance_note, reviewed_class_balance

NAMED = ["snorkel", "dawid_skene", "triplet", "weighted_majority", "majority"]


def queue_head(n: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Label matrix, truth, and reviewed labels on the head of a queue: items whose votes
    disagree, 43% spam where all items are 15%."""
    L, y, head = spam_like()
    y_dev = np.full(len(y), -1)
    y_dev[head[:n]] = y[head[:n]]
    return L, y, y_dev


@pytest.fixture
def project(make_project):
    def named(model: str, extra: str = "") -> object:
        root = make_project(model=model, labels=("ham", "spam"),
                            root=make_project().parent / model, extra=extra)
        return load_config(root)

    return named


@pytest.mark.parametrize("model", NAMED)
def test_a_named_model_takes_autos_balance_from_queue_reviews_not_their_mix(project, model):
    L, y, y_dev = queue_head()
    gold = y_dev[y_dev >= 0]
    raw = (np.bincount(gold, minlength=2) + 1) / (len(gold) + 2)
    auto = AutoLabelModel(2, tie_break="first").fit(L, y_dev=y_dev, reviewed=True)
    fitted = fit_label_model(project(model), L, y_dev=y_dev)
    assert fitted.name == model
    np.testing.assert_allclose(fitted.class_balance_, auto.class_balance_)
    truth = y.mean()
    assert abs(fitted.class_balance_[1] - truth) < abs(raw[1] - truth)
    assert fitted.gold_sample_["representative"] is False
    assert fitted.class_balance_note_.startswith(
        "from 150 reviewed labels, post-stratified by vote pattern: queue reviews are not a "
        "random sample (distance ")


def with_model(config, **changes):
    return replace(config, label_model=replace(config.label_model, **changes))


def test_a_given_balance_and_a_learned_one_are_left_alone(project):
    L, _, y_dev = queue_head()
    kept = fit_label_model(with_model(project("snorkel"), class_balance=(0.3, 0.7)), L,
                           y_dev=y_dev)
    np.testing.assert_allclose(kept.class_balance_, [0.3, 0.7])
    assert kept.class_balance_note_ is None
    # EM learns this one from every item, the reviewed ones as known labels
    learned = fit_label_model(with_model(project("dawid_skene"),
                                         params={"learn_class_balance": True}), L, y_dev=y_dev)
    assert learned.learn_class_balance and learned.class_balance_note_ is None


def test_reviews_that_pass_for_a_random_sample_give_their_own_mix():
    L, y, _ = spam_like()
    rows = np.random.default_rng(0).choice(len(y), 150, replace=False)
    y_dev = np.full(len(y), -1)
    y_dev[rows] = y[rows]
    balance, record = reviewed_class_balance(L, y_dev, 2)
    assert balance is None and record["representative"]  # the model's own rule: the mix
    assert balance_note(record, 150) == ("the mix of 150 reviewed labels, which pass for a "
                                         "random sample of the items")
    assert reviewed_class_balance(L, np.full(len(y), -1), 2) == (None, None)
    assert balance_note(None, 0) is None
