"""Which fitted attributes a saved label model holds, beyond those its class lists.

A built-in model lists every learned attribute in ``learned_fields`` (a contract test
checks that its fit sets no other), and its document holds those and no more. A model
registered from outside labelwright follows the estimator contract -- learned attributes
end in ``_`` -- but need not list them: it had been saved with ``n_lfs_`` and
``class_balance_`` only, without a word, and loading it failed inside its own
``_predict_proba`` (``AttributeError: acc_``). Such a model's document holds every
attribute its fit set whose name ends in ``_``; one that JSON cannot hold as it is is
refused at ``save``, naming it and what to store instead.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from labelwright.models.document import FORMAT, check_document, encode
from labelwright.models.model_output import ModelContractError, who

#: attributes a project's run sets on a model (not its fit), which a document leaves out
#: unless the class lists them (``auto`` saves its ``gold_sample_``)
RUN_ATTRIBUTES = ("class_balance_note_", "gold_sample_", "fit_cache_")

#: what a saved attribute may hold, in words (the error says it)
SAVABLE = ("numpy arrays of numbers or booleans, numbers, booleans, strings, None, lists and "
           "dicts (string keys) of those, or a fitted label model")


def lists_all(cls: type) -> bool:
    """Whether ``cls`` lists every learned attribute it saves: labelwright's own models do;
    a class defined elsewhere (a user's, or a user's subclass of a built-in one) may not."""
    return cls.__module__.split(".")[0] == "labelwright"


def is_learned_name(cls: type, name: str) -> bool:
    """A name a fitted attribute may have: ends in ``_``, is an identifier not starting
    with ``_``, and names no method or property of the class (a class-level default value,
    ``threshold_ = 0.5``, may be one: the fit's value is saved)."""
    if not (name.isidentifier() and name.endswith("_") and not name.startswith("_")):
        return False
    found = inspect.getattr_static(cls, name, None)
    return not (callable(found) or isinstance(found, property | classmethod | staticmethod))


def unlisted(model: Any) -> list[str]:
    """The fitted attributes of ``model`` beyond ``n_lfs_`` and its class's
    ``learned_attributes`` that its document holds: none for a class that lists all
    (:func:`lists_all`), else every instance attribute :func:`is_learned_name` accepts,
    bar :data:`RUN_ATTRIBUTES`, sorted."""
    cls = type(model)
    if lists_all(cls):
        return []
    listed = {"n_lfs_", *cls.learned_attributes}
    return sorted(name for name in vars(model)
                  if name not in listed and name not in RUN_ATTRIBUTES
                  and is_learned_name(cls, name))


def saved_value(model: Any, name: str, value: Any) -> Any:
    """``value`` as a document holds it: an array as ``{"dtype", "shape", "data"}``, a fitted
    label model as its own document; a :class:`ModelContractError` naming the attribute
    when JSON cannot hold it as it is (read back, it would be another thing)."""
    from labelwright.models.base import LabelModel  # base imports it (via saved_model)

    if isinstance(value, LabelModel):
        return value.to_dict()
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biuf":
        raise _unsavable(model, name, f"a numpy array of dtype {value.dtype}")
    problem = _plain_problem(value)
    if problem is not None:
        raise _unsavable(model, name, problem)
    return encode(value) if isinstance(value, np.ndarray | np.generic) else _plain(value)


def loaded_value(value: Any, where: str) -> Any:
    """A saved attribute's value as loaded: a nested label model document becomes the
    fitted model (the array form is :func:`~labelwright.models.document.decode`'s)."""
    if isinstance(value, dict) and value.get("format") == FORMAT:
        from labelwright.models.registry import model_from_dict  # registry imports base

        check_document(value, where)
        return model_from_dict(value, where)
    return value


def _plain_problem(value: Any, depth: int = 0) -> str | None:
    """What in ``value`` JSON cannot hold as it is, in words; None when it can."""
    if value is None or isinstance(value, bool | int | float | str | np.bool_ | np.integer
                                   | np.floating):
        return None
    if isinstance(value, np.ndarray) and depth == 0:
        return None
    if isinstance(value, np.ndarray):
        return "a numpy array inside a list or dict (store one array, or lists of numbers)"
    if isinstance(value, list | tuple):
        return next((p for p in (_plain_problem(v, depth + 1) for v in value) if p), None)
    if isinstance(value, dict):
        keys = [k for k in value if not isinstance(k, str)]
        if keys:
            return f"a dict with a {type(keys[0]).__name__} key {keys[0]!r} (JSON keys are strings)"
        return next((p for p in (_plain_problem(v, depth + 1) for v in value.values()) if p),
                    None)
    return f"a {type(value).__module__}.{type(value).__qualname__}"


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers (checked by :func:`_plain_problem`)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _unsavable(model: Any, name: str, what: str) -> ModelContractError:
    return ModelContractError(
        f"{who(model)}: not saved: fitted attribute {name} holds {what}; a saved model holds "
        f"{SAVABLE}: store it as one of those in _fit, or name it without the trailing _ "
        "if it is no learned state (then _predict_proba must not need it)")
