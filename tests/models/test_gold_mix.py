"""A class balance taken from gold rows of one class, or far from the votes' mix, is warned
of (and the fit is the same as without the warning)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from labelwright.matrix import LabelMatrix
from labelwright.models import get_model
from labelwright.models.base import fit_warnings_left_to_caller
from labelwright.models.gold_mix import GoldMixWarning, gold_mix_warning


def _three_classes(n: int = 3000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    right = np.where(rng.random((n, 6)) < 0.7, y[:, None], rng.integers(0, 3, (n, 6)))
    return np.where(rng.random((n, 6)) < 0.3, right, -1), y


def _gold(y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    y_dev = np.full(len(y), -1)
    y_dev[rows] = y[rows]
    return y_dev


@pytest.mark.parametrize("name", ["default", "snorkel", "weighted_majority", "majority"])
def test_gold_rows_of_one_class_warn_and_leave_the_fit_as_it_was(name):
    L, y = _three_classes()
    y_dev = _gold(y, np.flatnonzero(y == 0)[:30])
    with pytest.warns(GoldMixWarning) as said:
        warned = get_model(name, cardinality=3, random_state=0).fit(L, y_dev=y_dev)
    text = str(said[0].message)
    assert "30 gold rows (class 0 100%, class 1 0%, class 2 0%)" in text
    assert "class 1, class 2 have no gold row" in text and "class_balance=" in text
    with fit_warnings_left_to_caller():
        quiet = get_model(name, cardinality=3, random_state=0).fit(L, y_dev=y_dev)
    np.testing.assert_array_equal(warned.predict_proba(L), quiet.predict_proba(L))


def test_gold_rows_drawn_at_random_give_no_warning():
    L, y = _three_classes()
    y_dev = _gold(y, np.random.default_rng(1).choice(len(y), 60, replace=False))
    with warnings.catch_warnings():
        warnings.simplefilter("error", GoldMixWarning)
        get_model("default", cardinality=3).fit(L, y_dev=y_dev)


def test_a_balance_given_or_too_few_gold_rows_give_no_warning():
    L, y = _three_classes()
    one_class = np.flatnonzero(y == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GoldMixWarning)
        get_model("default", cardinality=3).fit(L, y_dev=_gold(y, one_class[:30]),
                                                class_balance=[0.3, 0.4, 0.3])
        get_model("default", cardinality=3).fit(L, y_dev=_gold(y, one_class[:19]))


def test_a_mix_far_from_the_votes_warns_with_every_class_present():
    L, y = _three_classes()
    rows = np.concatenate([np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)[:2],
                           np.flatnonzero(y == 2)[:2]])
    balance = (np.bincount(y[rows], minlength=3) + 1) / (len(rows) + 3)
    said = gold_mix_warning(L, _gold(y, rows), balance, ["a", "b", "c"])
    assert said is not None and "no gold row" not in said
    assert "(a 91%, b 5%, c 5%)" in said and "apart (total variation)" in said
    # a balance the fit did not take from the gold rows is none of its business
    assert gold_mix_warning(L, _gold(y, rows), np.full(3, 1 / 3)) is None


def test_the_warning_names_a_label_matrix_s_labels():
    L, y = _three_classes()
    matrix = LabelMatrix(L.astype(np.int8), [f"lf{j}" for j in range(6)],
                         [str(i) for i in range(len(L))], ("ham", "spam", "eggs"))
    with pytest.warns(GoldMixWarning, match="spam, eggs have no gold row"):
        get_model("majority", cardinality=3).fit(matrix,
                                                 y_dev=_gold(y, np.flatnonzero(y == 0)[:25]))
