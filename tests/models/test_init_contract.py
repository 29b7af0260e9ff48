"""get_model checks the __init__ of a label model of the user's own: a setting not stored
had been an AttributeError from get_params, a skipped super().__init__ the same, a raising
__init__ a bare traceback, and an __init__ that changed a setting (doubled it) went unseen
while every clone doubled it again."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import LabelModel, get_model
from labelwright.models.model_output import ModelContractError
from labelwright.models.registry import _REGISTRY, register


class Stores(LabelModel):
    name = "stores"

    def __init__(self, cardinality=2, *, random_state=0, tie_break="random", alpha=1.0):
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.alpha = alpha

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)

    def _predict_proba(self, L):
        return np.ones((len(L), self.cardinality))


class Doubles(Stores):
    def __init__(self, cardinality=2, *, random_state=0, tie_break="random", alpha=1.0):
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break,
                         alpha=alpha * 2)


class Forgets(Stores):
    def __init__(self, cardinality=2, *, random_state=0, tie_break="random", beta=1.0):
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)


class NoSuper(Stores):
    def __init__(self, cardinality=2, *, random_state=0, tie_break="random"):
        self.k = cardinality


class Raises(Stores):
    def __init__(self, cardinality=2, *, random_state=0, tie_break="random", alpha=1.0):
        raise RuntimeError("boom in init")


@pytest.fixture
def registered():
    names = []

    def add(cls):
        names.append(f"init_contract_{cls.__name__.lower()}")
        register(names[-1], cls)
        return names[-1]

    yield add
    for name in names:
        _REGISTRY.pop(name, None)


@pytest.mark.parametrize(("cls", "message"), [
    (Doubles, r"__init__ changed setting alpha from 1.0 to 2.0; store each setting as given"),
    (Forgets, r"__init__ did not store 'beta': store each setting under its own name "
              r"\(self.beta = beta\)"),
    (NoSuper, r"__init__ did not store 'cardinality', 'random_state', 'tie_break': call "
              r"super\(\).__init__\(cardinality, random_state=random_state, "
              r"tie_break=tie_break\)"),
    (Raises, r"__init__ raised RuntimeError: boom in init; __init__ only stores"),
])
def test_a_broken_init_is_an_error_naming_the_class(registered, cls, message):
    name = registered(cls)
    with pytest.raises(ModelContractError,
                       match=rf"^label model '{name}' \([\w.]*{cls.__name__}\): {message}"):
        get_model(name, 2)


def test_a_setting_changed_from_the_one_given_is_caught_too(registered):
    class ClipsAlpha(Stores):
        def __init__(self, cardinality=2, *, random_state=0, tie_break="random", alpha=1.0):
            super().__init__(cardinality, random_state=random_state, tie_break=tie_break,
                             alpha=min(alpha, 5.0))

    name = registered(ClipsAlpha)
    assert get_model(name, 2, alpha=3.0).alpha == 3.0
    with pytest.raises(ModelContractError, match="changed setting alpha from 9.0 to 5.0"):
        get_model(name, 2, alpha=9.0)


def test_a_model_that_keeps_the_contract_is_made_as_before(registered):
    name = registered(Stores)
    model = get_model(name, 3, alpha=np.array([0.5, 0.7]))
    assert model.cardinality == 3 and (model.alpha == [0.5, 0.7]).all()


@pytest.mark.parametrize(("cls", "missing"), [(Forgets, "'beta'"),
                                              (NoSuper, "'cardinality', 'random_state'")])
def test_a_model_made_directly_says_the_same_at_fit(cls, missing):
    """Made without get_model (cls(2)), fit had failed with an AttributeError from
    check_params or get_params."""
    with pytest.raises(ModelContractError, match=rf"\({cls.__module__}.{cls.__name__}\): "
                                                 rf"__init__ did not store {missing}"):
        cls(2).fit(np.array([[0, 1], [1, -1]]))
