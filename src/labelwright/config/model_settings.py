"""The label model's hyperparameters as settings of ``[label_model]``: which keys are
hyperparameters (:func:`model_params`, refusing those labelwright sets itself), and that
each has the type of the model's default for it (:func:`check_param_types`, and
:func:`check_param_types_of` for a ``module:Class`` model once it is imported), so a wrong
one fails at its config line rather than as a TypeError in the middle of a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from labelwright.config.schema import LabelModelConfig
from labelwright.config.settings import typed
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import SettingError


def model_params(model: Mapping[str, Any]) -> dict[str, Any]:
    """The label model's hyperparameters: the keys of ``[label_model]`` (the table ``model``)
    beside its own settings, and those of its ``params`` table, which win; none of them one
    labelwright passes the model itself."""
    params = {k: v for k, v in model.items()
              if k not in ("name", "tie_break", "params", "class_balance")}
    params.update(typed(model.get("params", {}), dict, ("label_model", "params")))
    for key, source in _SET_BY_LABELWRIGHT.items():
        if key in params:
            raise SettingError(f"[label_model] {key} is not a setting: labelwright "
                               f"sets it from {source}", _model_key(key, model))
    return params


#: label model arguments labelwright passes itself, and where it takes each from
_SET_BY_LABELWRIGHT = {"cardinality": "the number of [project] labels",
                       "random_state": "[project] seed",
                       "tie_break": "[label_model] tie_break (not in params)"}


def _model_key(setting: str, model: Mapping[str, Any]) -> KeyPath:
    """Where a hyperparameter of ``[label_model]`` (the table ``model``) is written: in its
    params sub-table, which wins over a key of the same name, or beside name."""
    params = model.get("params")
    inside = isinstance(params, dict) and setting in params
    return ("label_model", "params", setting) if inside else ("label_model", setting)


def check_param_types(spec: LabelModelConfig, model: Mapping[str, Any]) -> None:
    """Each hyperparameter must have the type of the model's default for it (a float
    default also takes an int; a None default takes anything), so a wrong one fails here
    rather than as a TypeError in the middle of a run. Unknown names and models are left
    to :func:`labelwright.models.configured.make_label_model`, which lists the valid ones,
    and so is a ``module:Class`` model, which it imports and checks with
    :func:`check_param_types_of`."""
    if not spec.params:
        return
    from labelwright import models  # not at the top: it imports scikit-learn

    try:
        made = models.get_model(spec.name)
    except (models.UnknownModelError, TypeError):
        return
    check_param_types_of(made, spec, lambda key: _model_key(key, model))


def check_param_types_of(made: Any, spec: LabelModelConfig,
                         key_of: Callable[[str], KeyPath]) -> None:
    """:func:`check_param_types` for the model ``made`` (unfitted, with its defaults):
    a :class:`SettingError` at ``key_of(setting)`` for the first setting of ``spec`` whose
    type is not its default's."""
    defaults, mixed = made.get_params(), getattr(made, "param_kinds", {})
    kinds: dict[type, type | tuple[type, ...]] = {bool: bool, int: int, float: (int, float),
                                                  str: str}
    for key, value in spec.params.items():
        kind = mixed.get(key) or kinds.get(type(defaults.get(key)))
        if kind is not None and key not in ("cardinality", "random_state", "tie_break"):
            typed(value, kind, key_of(key),
                  f"[label_model] {key} (a setting of the {spec.name!r} model)")
