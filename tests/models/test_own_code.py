"""A label model's own methods get read-only views of the caller's arrays: a custom model
that wrote abstains over in its label matrix had changed the caller's data silently (the
bench's next models, a run's saved label matrix), and the error names the model."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import LabelModel
from labelwright.models.model_output import ModelContractError

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
