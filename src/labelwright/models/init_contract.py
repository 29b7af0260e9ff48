"""A label model of the user's own made by :func:`~labelwright.models.registry.get_model`,
and its ``__init__`` checked against the contract every model follows: it takes its
settings as keywords, stores each unchanged under its own name (``get_params`` reads them
back, scikit-learn's ``clone`` and a saved model rebuild the model from them) and calls
``super().__init__``.

An ``__init__`` that broke it failed far from the cause: an AttributeError from
``get_params`` for a setting not stored, or one doubled in ``__init__`` that every
``clone`` doubled again. Here it is an error naming the class and what to change. A
built-in model is labelwright's own and is not checked on every make.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from labelwright.models.base import LabelModel
from labelwright.models.model_output import ModelContractError
from labelwright.models.own_code import check_settings_stored, own_class


def made(factory: Callable[..., Any], name: str, cardinality: int, params: dict[str, Any]
         ) -> Any:
    """``factory(cardinality, **params)``; for a class of the user's own, an exception of
    its ``__init__`` or a setting it did not store as given is a
    :class:`ModelContractError` naming the class (``name``: its registered name)."""
    if not (isinstance(factory, type) and issubclass(factory, LabelModel)
            and own_class(factory)):
        return factory(cardinality, **params)
    try:
        model = factory(cardinality, **params)
    except TypeError:  # a wrong keyword: the caller names the valid ones
        raise
    except Exception as exc:
        raise ModelContractError(f"{_whose(factory, name)}: __init__ raised "
                                 f"{type(exc).__name__}: {exc}; __init__ only stores the "
                                 "settings it is given (work belongs in _fit)") from exc
    _check_stored(model, factory, name, {"cardinality": cardinality, **params})
    return model


def _whose(cls: type, name: str) -> str:
    return f"label model {name!r} ({cls.__module__}.{cls.__qualname__})"


def _check_stored(model: Any, cls: type, name: str, given: dict[str, Any]) -> None:
    """Every ``__init__`` keyword stored under its own name, as given (or as its default)."""
    check_settings_stored(model, _whose(cls, name))
    expected = {**_defaults(cls), **given}
    for key, value in model.get_params().items():
        if key in expected and not _same(value, expected[key]):
            raise ModelContractError(
                f"{_whose(cls, name)}: __init__ changed setting {key} from "
                f"{expected[key]!r} to {value!r}; store each setting as given (get_params, "
                "clone and a saved model rebuild the model from it) and derive values from "
                "it in _fit")


def _defaults(cls: type) -> dict[str, Any]:
    sig = inspect.signature(cls.__init__)  # type: ignore[misc]
    return {key: p.default for key, p in sig.parameters.items()
            if key != "self" and p.default is not inspect.Parameter.empty}


def _same(a: Any, b: Any) -> bool:
    """Whether a stored setting is the one given: equal, or the same object (a value
    whose ``==`` is no truth value, an array, compares by its items)."""
    if a is b:
        return True
    try:
        return bool(np.array_equal(a, b)) if isinstance(a, np.ndarray) or isinstance(
            b, np.ndarray) else bool(a == b)
    except (TypeError, ValueError):
        return False
