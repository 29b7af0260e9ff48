"""A label model's own methods (``_fit``, ``_predict_proba``) called on read-only views of
what the caller gave, what goes wrong inside them said of the model, and what ``_fit``
learned checked before the model is used.

:meth:`~labelwright.models.base.LabelModel.fit` checks the label matrix and ``y_dev`` but
keeps the caller's arrays (no copy of a large matrix): a model that wrote into them had
changed the caller's data silently (a project's saved label matrix lost its abstains, and
every model the bench fit after it saw the changed votes). A read-only view costs nothing,
and numpy's "assignment destination is read-only" becomes an error naming the model and
the method to fix.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.models.learned_fields import check_learned_fields
from labelwright.models.model_output import ModelContractError, who

#: the folders of labelwright's and numpy's code: a frame in neither is the model's own
_LIBRARIES = (str(Path(__file__).parents[1]), str(Path(np.__file__).parent))

#: what numpy says of a write into an array whose ``writeable`` flag is off
_READ_ONLY = "read-only"


def read_only(arr: np.ndarray) -> np.ndarray:
    """A view of ``arr`` that cannot be written into (the same memory, no copy)."""
    view = arr.view()
    view.flags.writeable = False
    return view


#: the attribute set on an exception raised inside the ``_fit`` or ``_predict_proba`` of a
#: label model defined outside labelwright: ``label model 'x' (module.Class) failed in
#: _fit, at /project/my_models.py line 14``; the CLI says it in front of the exception
#: (:func:`failed_in`), which keeps its own type for a caller in Python
FAILED_IN = "labelwright_failed_in"


@contextmanager
def model_method(model: Any, method: str) -> Iterator[None]:
    """Run a call of ``model``'s ``method`` (``"_fit"``) inside: a write into one of its
    read-only inputs is a :class:`ModelContractError` naming the model and the method; any
    other exception of a model of the user's own is marked as its (:data:`FAILED_IN`)."""
    try:
        yield
    except ValueError as exc:
        if _READ_ONLY not in str(exc) or isinstance(exc, ModelContractError):
            _mark(exc, model, method)
            raise
        raise ModelContractError(
            f"{who(model)}: {method} wrote into an array it was given ({exc}"
            f"{_raised_at(exc)}); the label matrix and y_dev are the caller's and given "
            "read-only: copy one before changing it (L = L.copy())") from None
    except Exception as exc:
        _mark(exc, model, method)
        raise


def own_class(cls: type) -> bool:
    """Whether class ``cls`` is defined outside labelwright (a user's, a test's)."""
    return not cls.__module__.startswith("labelwright.")


def _mark(exc: BaseException, model: Any, method: str) -> None:
    """Set :data:`FAILED_IN` on ``exc`` when ``model`` is of the user's own (a built-in
    model's errors are labelwright's to word) and no deeper model set it (``auto``'s
    candidates are models inside a model)."""
    if isinstance(exc, ModelContractError) or hasattr(exc, FAILED_IN) \
            or not own_class(type(model)):
        return
    try:
        setattr(exc, FAILED_IN, f"{who(model)} failed in {method}{_raised_at(exc)}")
    except AttributeError:  # an exception class with __slots__ takes no attribute
        pass


def failed_in(exc: BaseException) -> str | None:
    """``label model 'x' (module.Class) failed in _fit, at FILE line N: IndexError: ...``
    when ``exc`` (or an exception it was raised from or while handling) came from a label
    model's own method (:data:`FAILED_IN`); else None."""
    seen: BaseException | None = exc
    while seen is not None:
        where = getattr(seen, FAILED_IN, None)
        if where:
            return f"{where}: {type(seen).__name__}: {seen}"
        seen = seen.__cause__ or seen.__context__
    return None


def _raised_at(exc: BaseException) -> str:
    """``, at /project/my_models.py line 14``: the last frame of the traceback outside
    labelwright and numpy, where the model's own code raised; empty when none is found."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not frame.filename.startswith(_LIBRARIES):
            return f", at {frame.filename} line {frame.lineno}"
    return ""


def check_fitted_fields(model: Any) -> None:
    """What ``model``'s ``_fit`` learned, checked as :func:`~labelwright.models.saved_model`
    checks a saved model on load: ``class_balance_`` (every model's) set, one share per
    class summing to 1, and for a model of the user's own every field it lists in
    ``learned_fields``. A fit that set none had been refused later as "fit with 0
    classes", and a balance of the wrong length or sum was saved and then refused by
    ``load_model``; now the fit is a :class:`ModelContractError` naming the model."""
    k = model.cardinality
    if not hasattr(model, "class_balance_"):
        raise ModelContractError(
            f"{who(model)}: _fit set no class_balance_; every label model learns the class "
            f"prior: set self.class_balance_ to {k} shares summing to 1, one per class in "
            "label order (the class_balance argument, when it is not None)")
    fields = (type(model).learned_fields if own_class(type(model))
              else {"class_balance_": type(model).learned_fields["class_balance_"]})
    for name, field in fields.items():
        value = getattr(model, name, None)
        if field.shape is not None and value is not None \
                and not isinstance(value, np.ndarray):
            raise ModelContractError(
                f"{who(model)}: after _fit, learned field {name} is a "
                f"{type(value).__name__}; it must be a numpy array (np.asarray(...) in "
                "_fit), as saving and loading the model read it")
    try:
        check_learned_fields(model, fields)
    except ValueError as exc:
        said = str(exc).removeprefix("label model document: ")
        raise ModelContractError(f"{who(model)}: after _fit, {said}") from None


#: the settings ``LabelModel.__init__`` stores
_BASE_SETTINGS = ("cardinality", "random_state", "tie_break")


def check_settings_stored(model: Any, whose: str) -> None:
    """Every ``__init__`` keyword of ``model`` stored under its own name (``whose``: the
    model and its class, in words): a :class:`ModelContractError` saying what to change
    (``get_params`` and ``check_params`` had failed with an AttributeError)."""
    missing = [key for key in model._param_names() if not hasattr(model, key)]
    if not missing:
        return
    fix = ("call super().__init__(cardinality, random_state=random_state, "
           "tie_break=tie_break) in __init__" if set(missing) & set(_BASE_SETTINGS) else
           f"store each setting under its own name (self.{missing[0]} = {missing[0]})")
    raise ModelContractError(
        f"{whose}: __init__ did not store {', '.join(map(repr, missing))}: {fix}; "
        "get_params reads every __init__ keyword back from the attribute of its name")
