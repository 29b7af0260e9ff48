"""A label model of the user's own that overrides fit or predict_proba is held to what
they promise, where they are called: fit returns the model (a fit ending without 'return
self' had returned None, and model.fit(L).predict_proba(L) failed on a NoneType), and
predict_proba a numpy array of probabilities whose rows sum to 1 (a list, or rows summing
to 1.4, had been passed on to ranking and tie-breaking unchecked)."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import LabelModel, get_model
from labelwright.models.folds import held_out_proba
from labelwright.models.model_output import ModelContractError

L = np.array([[0, 1, -1], [1, 1, 0], [-1, -1, -1], [0, 0, 1]])


class Even(LabelModel):
    name = "even"

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)

    def _predict_proba(self, L):
        return np.ones((len(L), self.cardinality))


class FitReturnsNone(Even):
    name = "fit_returns_none"

    def fit(self, L, *, y_dev=None, class_balance=None):
        super().fit(L, y_dev=y_dev, class_balance=class_balance)


class FitReturnsOther(Even):
    name = "fit_returns_other"

    def fit(self, L, *, y_dev=None, class_balance=None):
        return Even(self.cardinality).fit(L)


class FitReturnsSelf(Even):
    name = "fit_returns_self"

    def fit(self, L, *, y_dev=None, class_balance=None):
        self.fit_calls_ = getattr(self, "fit_calls_", 0) + 1
        return super().fit(L, y_dev=y_dev, class_balance=class_balance)


class OwnProba(Even):
    """predict_proba overridden: returns ``self.out``."""

    name = "own_proba"

    def predict_proba(self, L):
        return self.out


def test_a_fit_that_returns_none_names_the_class_and_the_fix():
    with pytest.raises(ModelContractError, match=(
            r"^label model 'fit_returns_none' \([\w.]*FitReturnsNone\): fit returned None, "
            r"not the model itself; end fit with 'return self'")):
        FitReturnsNone(2).fit(L)


def test_a_fit_that_returns_another_object_is_refused():
    with pytest.raises(ModelContractError, match=r"fit returned a Even, not the model"):
        FitReturnsOther(2).fit(L)


def test_a_fit_that_returns_self_is_taken():
    model = FitReturnsSelf(2)
    assert model.fit(L) is model and model.fit_calls_ == 1
    np.testing.assert_allclose(model.predict_proba(L), 0.5)


def test_labelwright_calling_fit_gets_the_error_not_a_none_type_error():
    """The folds of a cross-validated score chain fit and predict_proba."""
    with pytest.raises(ModelContractError, match="fit returned None"):
        held_out_proba(lambda: FitReturnsNone(2), L, np.array([0, 1, -1, 0]),
                       np.array([0, 1]), [(np.array([0]), np.array([1]))])


def fitted_returning(out: object) -> OwnProba:
    model = OwnProba(2).fit(L)
    model.out = out
    return model


@pytest.mark.parametrize(("out", "message"), [
    ([[0.5, 0.5]] * 4, r"returned a list, not a numpy array"),
    (np.full((4, 3), 1 / 3), r"returned shape \(4, 3\) for 4 items and 2 classes"),
    (np.full((4, 2), 0.7), r"returned row 0 summing to 1.4; each row of probabilities must "
                           r"sum to 1"),
    (np.array([[0.5, 0.5], [0.5, 0.5], [np.nan, 1], [1, 0]]), r"returned nan at row 2, "
                                                               r"column 0"),
    (np.array([[0.5, 0.5], [1.5, -0.5], [0, 1], [1, 0]]), r"returned -0.5 at row 1, column 1"),
])
def test_a_predict_proba_of_ones_own_is_checked(out, message):
    model = fitted_returning(out)
    with pytest.raises(ModelContractError, match=(
            r"^label model 'own_proba' \([\w.]*OwnProba\): predict_proba " + message)):
        model.predict_proba(L)
    with pytest.raises(ModelContractError):  # predict reads predict_proba
        model.predict(L)


def test_probabilities_that_sum_to_one_are_returned():
    out = np.array([[0.25, 0.75], [0.6, 0.4], [1.0, 0.0], [0.1, 0.9]])
    np.testing.assert_array_equal(fitted_returning(out).predict_proba(L), out)
    np.testing.assert_array_equal(fitted_returning(out).predict(L), [1, 0, 0, 1])


def test_built_in_models_are_not_wrapped():
    """labelwright's own overrides (auto's fit) are its to keep; only classes defined
    outside labelwright are wrapped."""
    auto = type(get_model("auto", 2))
    assert not getattr(auto.fit, "_return_checked", False)
    assert getattr(FitReturnsSelf.fit, "_return_checked", False)


class VotesByKeyword(Even):
    name = "votes_by_keyword"

    def predict_proba(self, votes):
        return np.full((len(votes), self.cardinality), 1 / self.cardinality)


def test_a_predict_proba_called_by_its_own_keyword_is_checked_as_positionally():
    """The check read the matrix as ``args[0]`` or ``L=``: a call by the method's own
    parameter name (``predict_proba(votes=L)``) failed with "tuple index out of range"."""
    model = VotesByKeyword(2).fit(L)
    np.testing.assert_array_equal(model.predict_proba(votes=L), np.full((4, 2), 0.5))
    np.testing.assert_array_equal(model.predict_proba(L), np.full((4, 2), 0.5))
