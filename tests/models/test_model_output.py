"""What a label model's _predict_proba returns is checked, and a wrong return names the
model: a registered model outside labelwright returning (n, 2) for four classes had been
accepted, and a run crashed ranking the review queue."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.errors import LabelwrightError
from labelwright.models import LabelModel, get_model
from labelwright.models.model_output import ModelContractError

L = np.array([[0, 1, -1], [2, 2, 3], [-1, -1, -1], [3, 0, 0]])


class Returns(LabelModel):
    """A model whose _predict_proba returns ``self.out`` (set after fit)."""

    name = "returns"

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)

    def _predict_proba(self, L):
        return self.out


def returning(out: object) -> Returns:
    model = Returns(4).fit(L)
    model.out = out
    return model


def scores_with(row: int, col: int, value: float, fill: float = 0.25) -> np.ndarray:
    out = np.full((4, 4), fill)
    out[row, col] = value
    return out


@pytest.mark.parametrize(("out", "message"), [
    (np.full((4, 2), 0.5), r"returned shape \(4, 2\) for 4 items and 4 classes; it must "
                           r"return \(4, 4\)"),
    (np.full((3, 4), 0.25), r"returned shape \(3, 4\) for 4 items"),
    (np.full(4, 0.25), r"returned shape \(4,\)"),
    (scores_with(2, 2, np.nan), r"returned nan at row 2, column 2; probabilities must be "
                                r"finite numbers >= 0"),
    (scores_with(1, 3, np.inf), r"returned inf at row 1, column 3"),
    (scores_with(2, 1, -0.1), r"returned -0.1 at row 2, column 1; probabilities must be "
                              r"finite numbers >= 0"),
    (np.where(np.arange(4)[:, None] == 3, 0.0, np.full((4, 4), 0.25)),
     r"returned a row of zeros at row 3"),
    ([["a"] * 4] * 4, r"returned a list, not a numpy array; it must return a numpy "
                      r"array of shape \(4, 4\)"),
    ([[0.25] * 4] * 4, r"returned a list, not a numpy array"),
    (np.full((4, 4), "0.25"), r"returned an array of dtype <U4, not numbers"),
    (np.ones((4, 4), dtype=bool), r"returned an array of dtype bool, not numbers"),
])
def test_a_wrong_return_of_predict_proba_names_the_model(out, message):
    model = returning(out)
    with pytest.raises(ModelContractError,
                       match=r"^label model 'returns' \([\w.]*Returns\): _predict_proba "
                             + message):
        model.predict_proba(L)
    with pytest.raises(ModelContractError):  # predict goes through predict_proba
        model.predict(L)


def test_the_error_is_a_labelwright_error_and_a_value_error():
    """The CLI prints labelwright's errors without a traceback; callers catching ValueError
    (a wrong input) keep catching it."""
    assert issubclass(ModelContractError, LabelwrightError)
    assert issubclass(ModelContractError, ValueError)


def test_unnormalised_scores_are_divided_by_their_row_sums():
    """Scores >= 0 are a model's to return (the voting models return exponentiated log-odds);
    each row is divided by its sum."""
    model = returning(np.array([[1, 1, 1, 1], [2, 0, 0, 2], [0, 0, 0, 5], [1, 2, 3, 4]]))
    probs = model.predict_proba(L)
    assert probs.dtype == np.float64
    np.testing.assert_allclose(probs[1], [0.5, 0, 0, 0.5])
    np.testing.assert_allclose(probs[3], [0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", ["majority", "weighted_majority", "triplet", "dawid_skene",
                                  "snorkel", "auto"])
def test_every_built_in_model_passes_the_check(name):
    rng = np.random.default_rng(0)
    votes = rng.integers(-1, 4, size=(200, 5))
    probs = get_model(name, 4).fit(votes).predict_proba(votes)
    assert probs.shape == (200, 4) and np.all(probs >= 0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_the_array_a_model_returns_is_not_divided_in_place():
    """Rows were divided by their sums in the array ``_predict_proba`` returned: a model
    returning scores it keeps (here ``self.out``) had them rescaled by each predict_proba,
    and one returning a read-only array (np.broadcast_to) failed with numpy's "output
    array is read-only"."""
    kept = np.array([[1.0, 1.0, 1.0, 1.0], [2.0, 0.0, 0.0, 2.0], [1.0, 2.0, 3.0, 4.0],
                     [4.0, 0.0, 0.0, 0.0]])
    model = returning(kept)
    first = model.predict_proba(L)
    np.testing.assert_array_equal(kept[2], [1.0, 2.0, 3.0, 4.0])
    assert not np.shares_memory(first, kept)
    np.testing.assert_allclose(model.predict_proba(L), first)
    fixed = returning(np.broadcast_to(np.array([1.0, 1.0, 2.0, 4.0]), (4, 4)))
    np.testing.assert_allclose(fixed.predict_proba(L)[0], [0.125, 0.125, 0.25, 0.5])
