"""register() refuses what would silently break every later use of a name: a built-in
model's name taken by another class (every run, bench and load_model of 'majority' in the
process used it), and a class that is no LabelModel."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import LabelModel, get_model, register
from labelwright.models.majority import MajorityVote
from labelwright.models.registry import _REGISTRY


class Mine(LabelModel):
    name = "majority"

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)

    def _predict_proba(self, L):
        return np.ones((len(L), self.cardinality))


class NotAModel:
    name = "not_a_model"


def test_a_built_in_name_is_refused_unless_replace_is_asked():
    with pytest.raises(ValueError, match=r"^register\('majority', [\w.]*Mine\): 'majority' is "
                                         r"the built-in label model [\w.]*MajorityVote; "
                                         r"register yours under a name of its own .* or "
                                         r"pass replace=True"):
        register("majority", Mine)
    assert type(get_model("majority")) is MajorityVote
    try:
        register("majority", Mine, replace=True)
        assert type(get_model("majority")) is Mine
    finally:
        register("majority", MajorityVote, replace=True)
    register("majority", MajorityVote)  # the same class again: nothing changes
    assert _REGISTRY["majority"] is MajorityVote


def test_a_class_that_is_no_label_model_is_refused():
    with pytest.raises(TypeError, match=r"register\('not_a_model', [\w.]*NotAModel\): not a "
                                        r"LabelModel subclass"):
        register("not_a_model", NotAModel)
    assert "not_a_model" not in _REGISTRY
