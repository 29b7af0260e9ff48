"""``learned_accuracies()``: each LF's learned P(its vote is right | it votes), for every
model that learns one."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import AutoLabelModel, get_model
from labelwright.models.synthetic import make_label_matrix
from labelwright.runs.outputs import read_accuracies


def data(k: int = 2, n: int = 2000, seed: int = 0):
    L, y = make_label_matrix(n, np.linspace(0.6, 0.9, 6), cardinality=k, coverage=0.5,
                             random_state=seed)
    return L.astype(np.int64), y


@pytest.mark.parametrize("k", [2, 3])
def test_snorkels_accuracies_come_from_mu_and_the_class_balance(k):
    L, _ = data(k)
    model = get_model("snorkel", k, n_epochs=50)
    model.fit(L, class_balance=np.linspace(1, 2, k) / np.linspace(1, 2, k).sum())
    p, m = model.class_balance_, L.shape[1]
    expected = []
    for j in range(m):
        rows = np.clip(model.mu_[j * k:(j + 1) * k], 1e-12, None)  # (v, y)
        right = sum(p[y] * rows[y, y] for y in range(k))
        voted = sum(p[y] * rows[:, y].sum() for y in range(k))
        expected.append(right / voted)
    np.testing.assert_allclose(model.learned_accuracies(), expected)
    # the model's own reading of each LF on these items: the mean probability it gives the
    # class the LF voted for -- near its learned accuracy on data the model fits well
    read = read_accuracies(L, model.predict_proba(L))
    assert np.abs(model.learned_accuracies() - read).mean() < 0.05


def test_models_that_learn_no_accuracies_say_none_and_auto_says_its_choices():
    L, y = data()
    assert get_model("majority", 2).fit(L).learned_accuracies() is None
    assert get_model("snorkel", 2).fit(L[:, :2]).learned_accuracies() is None  # majority
    for name in ("dawid_skene", "triplet", "weighted_majority"):
        model = get_model(name, 2).fit(L)
        np.testing.assert_array_equal(model.learned_accuracies(), model.accuracies_)
    auto = AutoLabelModel(2).fit(L)
    np.testing.assert_array_equal(auto.learned_accuracies(),
                                  auto.model_.learned_accuracies())
