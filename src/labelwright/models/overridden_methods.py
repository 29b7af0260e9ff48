"""A label model of the user's own that overrides ``fit`` or ``predict_proba`` (not only
``_fit`` and ``_predict_proba``), held to what those methods promise where they are called:
``fit`` returns the model itself, ``predict_proba`` a numpy array of probabilities, one row
per item summing to 1, one column per class.

A ``fit`` that ended without ``return self`` returned None, and ``model.fit(L)
.predict_proba(L)`` (as labelwright's folds and candidate scores call it) failed with
"'NoneType' object has no attribute 'predict_proba'", far from the model; a
``predict_proba`` returning a list, or rows not summing to 1, was passed on unchecked (the
run's ranking and tie-breaking read it as probabilities). Each is now a
:class:`~labelwright.models.model_output.ModelContractError` naming the model, its class
and the method. :meth:`~labelwright.models.base.LabelModel.__init_subclass__` wraps them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from labelwright.models.model_output import ModelContractError, returned_probabilities, who

#: the methods a subclass of the user's own is held to, by name
CHECKED = ("fit", "predict_proba")


def checked_override(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` (a class's own ``fit`` or ``predict_proba``), its return checked."""
    if getattr(method, "_return_checked", False):
        return method
    check = _fit_returned if name == "fit" else _proba_returned
    matrix = _first_parameter(method)

    @functools.wraps(method)
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        return check(self, result, args[0] if args else kwargs.get(matrix))

    checked._return_checked = True  # type: ignore[attr-defined]
    return checked


def _first_parameter(method: Callable[..., Any]) -> str:
    """The name of ``method``'s parameter after ``self`` (the label matrix, ``L`` in
    labelwright's models; a call may pass it by the override's own name for it)."""
    try:
        names = list(inspect.signature(method).parameters)
    except (TypeError, ValueError):
        return "L"
    return names[1] if len(names) > 1 else "L"


def _fit_returned(model: Any, result: Any, L: Any) -> Any:
    if result is not model:
        what = "None" if result is None else f"a {type(result).__name__}"
        raise ModelContractError(
            f"{who(model)}: fit returned {what}, not the model itself; end fit with "
            "'return self' (every label model's fit does, so that model.fit(L)"
            ".predict_proba(L) works)")
    return result


def _proba_returned(model: Any, result: Any, L: Any) -> np.ndarray:
    return returned_probabilities(model, result, _rows(L))


def _rows(L: Any) -> int:
    """The number of rows of label matrix ``L`` (an array, a
    :class:`~labelwright.matrix.LabelMatrix` or a list of rows)."""
    return int(np.shape(L)[0])
