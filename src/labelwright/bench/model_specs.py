"""The label models ``labelwright bench wrench -m`` and :func:`~labelwright.bench.run_wrench`
take: what a project's ``[label_model] name`` takes, with the hyperparameters its
``[label_model]`` table would give, written after the name.

* ``dawid_skene``: a registered model (the built-in ones, ``default`` and ``auto``);
* ``my_models:AccuracyVote``: a :class:`~labelwright.models.LabelModel` subclass in
  ``my_models.py`` (or a package) in the current folder or an installed module, found as a
  project finds it (:func:`~labelwright.models.module_models.model_from_module`);
* ``dawid_skene(monotone=false, prior_strength=5)``, or ``dawid_skene:monotone=false``:
  either with hyperparameters, each ``key=value`` with a TOML value (``true``, ``5``,
  ``"text"``, ``[0.7, 0.8]``; ``True``/``False``/``None`` as Python writes them, and a bare
  word is text: ``abstain=informative``). The bench prints ``auto``'s choice in the first
  form, so it can be run again as printed.

A spec that names no model, or a setting the model lacks or cannot use, is a ValueError (an
:class:`~labelwright.models.UnknownModelError` for the name) saying what is valid.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.models.module_models import model_from_module, names_a_module
from labelwright.models.registry import UnknownModelError, get_model

#: ``name(key=value, ...)``
_CALL = re.compile(r"\s*([^()]+?)\s*\((.*)\)\s*", re.DOTALL)
#: Python's spelling of TOML's constants (``None`` is no TOML value: the setting's None)
_PYTHON_WORDS: dict[str, Any] = {"True": True, "False": False, "None": None}


@dataclass(frozen=True)
class ModelSpec:
    """One model to benchmark: its registry name (a ``module:Class`` registered under it),
    the hyperparameters to make it with, and the spec as given (the bench lines' ``model``)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    label: str = ""


def model_spec(text: str, root: Path | None = None) -> ModelSpec:
    """``text`` (see module docstring) read and checked: the model made once with its
    hyperparameters (:meth:`~labelwright.models.LabelModel.check_params`), before any data
    is read. ``root``: where ``module:Class`` modules are looked for first (default: the
    current folder)."""
    name, args = _split(text)
    if names_a_module(name):
        model_from_module(name, Path.cwd() if root is None else root)  # registers it
    params = _params(text, args)
    try:
        get_model(name, **params).check_params()
    except UnknownModelError:
        raise
    except (TypeError, ValueError) as exc:  # TypeError: an unknown setting, valid ones listed
        raise ValueError(f"{text!r}: {exc}") from None
    return ModelSpec(name, params, text)


def _split(text: str) -> tuple[str, str]:
    """The name and the ``key=value`` list of a spec (empty when it has none)."""
    call = _CALL.fullmatch(text)
    if call:
        return call.group(1), call.group(2)
    head, sep, rest = text.partition(":")
    if sep and "=" in rest:  # "dawid_skene:monotone=False": no class name holds "="
        cls, colon, settings = rest.partition(":")
        if colon and cls.strip().isidentifier() and "=" not in cls:
            raise ValueError(f"{text!r}: a module:Class model takes its settings in "
                             f"brackets: '{head.strip()}:{cls.strip()}({settings.strip()})'")
        return head.strip(), rest
    return text.strip(), ""


def _params(text: str, args: str) -> dict[str, Any]:
    """``key=value, ...`` as a dict; a ValueError naming the part that is not one."""
    params: dict[str, Any] = {}
    for part in _top_level(args):
        key, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or not key.isidentifier():
            raise ValueError(f"{text!r}: {part.strip()!r} is not key=value (e.g. "
                             "dawid_skene(monotone=false, prior_strength=5))")
        if key in params:
            raise ValueError(f"{text!r}: {key} is given twice; give it once")
        params[key] = _value(value)
    return params


def _top_level(args: str) -> list[str]:
    """``args`` split at the commas outside brackets and quotes (a list value has some)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(args):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(args[start:i])
            start = i + 1
    parts.append(args[start:])
    return [part for part in parts if part.strip()]


def _value(text: str) -> Any:
    """A TOML value, Python's True/False/None, or else the text itself (a bare word)."""
    if text in _PYTHON_WORDS:
        return _PYTHON_WORDS[text]
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def model_spec_with(spec: ModelSpec, params: Mapping[str, Any]) -> ModelSpec:
    """``spec`` with ``params`` over its own hyperparameters, checked as :func:`model_spec`
    checks them."""
    if not params:
        return spec
    merged = {**spec.params, **params}
    try:
        get_model(spec.name, **merged).check_params()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"params for {spec.label!r}: {exc}") from None
    return ModelSpec(spec.name, merged, spec.label)
