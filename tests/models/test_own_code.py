"""A label model's own methods get read-only views of the caller's arrays (a custom model
that wrote abstains over in its label matrix had changed the caller's data silently: the
bench's next models, a run's saved label matrix), what its fit learned is checked, and what
goes wrong in its code is said as its own."""

from __future__ import annotations

import re

import numpy as np
import pytest

from labelwright.models import LabelModel
from labelwright.models.base import NotFittedError
from labelwright.models.model_output import ModelContractError
from labelwright.models.own_code import failed_in

L = np.array([[0, -1, 1], [1, 1, -1], [-1, 0, 0], [1, -1, 1]])
Y_DEV = np.array([0, -1, 1, -1])


class Scribbles(LabelModel):
    """Writes into what it is given where ``self.writes`` says: ``L`` or ``y_dev`` in
    ``_fit``, ``L`` in ``_predict_proba``."""

    name = "scribbles"
    writes = ""

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)
        if self.writes == "fit L":
            L[L == -1] = 0
        if self.writes == "fit y_dev":
            y_dev[:] = 0

    def _predict_proba(self, L):
        if self.writes == "predict L":
            L[:] = 1
        return np.ones((len(L), self.cardinality))


def scribbling(writes: str) -> Scribbles:
    model = Scribbles(2)
    model.writes = writes
    return model


@pytest.mark.parametrize("writes", ["fit L", "fit y_dev"])
def test_a_model_writing_into_its_fit_inputs_is_refused_and_the_caller_keeps_them(writes):
    votes, gold = L.copy(), Y_DEV.copy()
    with pytest.raises(ModelContractError,
                       match=r"^label model 'scribbles' \([\w.]*Scribbles\): _fit wrote into "
                             r"an array it was given \(assignment destination is read-only, "
                             r"at .*test_own_code.py line \d+\).*L = L.copy\(\)"):
        scribbling(writes).fit(votes, y_dev=gold)
    assert (votes == L).all()
    assert (gold == Y_DEV).all()


def test_a_model_writing_into_its_predict_input_is_refused_and_the_caller_keeps_it():
    model = scribbling("").fit(L)
    model.writes = "predict L"
    votes = L.copy()
    with pytest.raises(ModelContractError, match=r"_predict_proba wrote into an array"):
        model.predict_proba(votes)
    assert (votes == L).all()


def test_the_caller_s_arrays_stay_writeable_and_uncopied():
    """The model sees a view of the caller's memory (no copy of a large matrix), and the
    caller's own array is still writeable after the fit."""
    seen = {}

    class Keeps(Scribbles):
        def _fit(self, L, y_dev, class_balance, rng):
            super()._fit(L, y_dev, class_balance, rng)
            seen["L"], seen["y"] = L, y_dev

    votes, gold = L.copy(), Y_DEV.copy()
    Keeps(2).fit(votes, y_dev=gold)
    assert np.shares_memory(seen["L"], votes) and np.shares_memory(seen["y"], gold)
    assert not seen["L"].flags.writeable and not seen["y"].flags.writeable
    assert votes.flags.writeable and gold.flags.writeable


class Learns(LabelModel):
    """Sets ``class_balance_`` to ``self.balance`` (none at all when it is "unset")."""

    name = "learns"
    balance: object = None

    def _fit(self, L, y_dev, class_balance, rng):
        if not isinstance(self.balance, str):
            self.class_balance_ = self.balance

    def _predict_proba(self, L):
        return np.ones((len(L), self.cardinality))


@pytest.mark.parametrize(("balance", "message"), [
    ("unset", r"_fit set no class_balance_; every label model learns the class prior: set "
              r"self.class_balance_ to 2 shares summing to 1"),
    (np.array([0.7, 0.7, 0.7]), r"after _fit, learned field class_balance_ must have shape 2 "
                                r"\(k for 3 LFs and 2 classes\), got 3"),
    (np.array([0.9, 0.9]), r"after _fit, learned field class_balance_ must hold shares in "
                           r"\[0, 1\] summing to 1 .*got 1.8 as the sum"),
    (np.array([-1.0, 2.0]), r"after _fit, .*got -1.0 at class_balance_\[0\]"),
    ([0.5, 0.5], r"after _fit, learned field class_balance_ is a list; it must be a numpy array"),
])
def test_a_fit_that_learns_no_usable_class_balance_is_refused_naming_the_model(balance,
                                                                               message):
    """A fit without class_balance_ had been refused later as "fit with 0 classes ... fit
    it again", and a balance of the wrong length or sum was saved and refused on load."""
    model = Learns(2)
    model.balance = balance
    with pytest.raises(ModelContractError,
                       match=r"^label model 'learns' \([\w.]*Learns\): " + message):
        model.fit(L)
    with pytest.raises(NotFittedError):  # not left half-fitted
        model.predict_proba(L)


class Fails(Scribbles):
    name = "fails"

    def _fit(self, L, y_dev, class_balance, rng):
        super()._fit(L, y_dev, class_balance, rng)
        return np.zeros(3)[L.max() + 10]


def test_an_exception_in_a_model_s_own_fit_keeps_its_type_and_says_whose_it_is():
    with pytest.raises(IndexError) as caught:
        Fails(2).fit(L)
    said = failed_in(caught.value)
    assert said is not None
    assert re.fullmatch(r"label model 'fails' \([\w.]*Fails\) failed in _fit, at "
                        r".*test_own_code.py line \d+: IndexError: index 11 is out of bounds "
                        r"for axis 0 with size 3", said), said
    assert failed_in(IndexError("not a model's")) is None


def test_a_built_in_model_s_errors_are_not_marked_as_a_model_s_own():
    from labelwright.models import get_model

    with pytest.raises(ValueError) as caught:
        get_model("majority", 2).fit(L, class_balance=[0.3, 0.3])
    assert failed_in(caught.value) is None
