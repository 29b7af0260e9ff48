"""Shapes of JSON values, and what in a value does not have its shape, said as a message
names it (``data.sha256 is a JSON number, where a run writes a string``): the manifest's
fields (:data:`labelwright.runs.manifest.MANIFEST_SHAPE`) are written in them.

A shape is one of :class:`Fields`, :class:`Each`, :class:`Values` and :class:`Maybe`, or a
Python type standing for a JSON one: ``str``, ``int`` (a whole number), ``float`` (any
number), ``bool``, ``dict`` (any object), ``list`` (any list).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fields:
    """A JSON object whose listed keys, where present, have their shapes (other keys are
    free: a newer labelwright may add some); ``required`` keys must be there."""

    shapes: Mapping[str, Any]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Each:
    """A JSON list whose every item has the shape ``item``."""

    item: Any


@dataclass(frozen=True)
class Values:
    """A JSON object whose every value has the shape ``value`` (keys are names)."""

    value: Any


@dataclass(frozen=True)
class Maybe:
    """``null`` or the shape ``shape``."""

    shape: Any


def shape_problem(value: Any, shape: Any, where: str) -> str | None:
    """What in ``value`` (at ``where``, a field path such as ``data.sha256``) does not have
    ``shape``: the first such field, or None."""
    if isinstance(shape, Maybe) and value is None:
        return None
    if not _is(value, shape):
        return f"{where} is {json_kind(value)}, where a run writes {describe(shape)}"
    if isinstance(shape, Maybe):
        shape = shape.shape
    if isinstance(shape, Fields):
        for key in shape.required:
            if key not in value:
                return f"{_field(where, key)} is missing, which a run always records"
        return next((problem for key, inner in shape.shapes.items() if key in value
                     and (problem := shape_problem(value[key], inner, _field(where, key)))),
                    None)
    if isinstance(shape, Each):
        return next((problem for k, item in enumerate(value)
                     if (problem := shape_problem(item, shape.item, f"{where}[{k}]"))), None)
    if isinstance(shape, Values):
        return next((problem for key, item in value.items()
                     if (problem := shape_problem(item, shape.value, f"{where}[{key!r}]"))),
                    None)
    return None


def _is(value: Any, shape: Any) -> bool:
    """Whether ``value`` is of the JSON type ``shape`` names (``true`` is no number)."""
    if isinstance(shape, Maybe):
        return value is None or _is(value, shape.shape)
    if isinstance(shape, Fields | Values):
        return isinstance(value, dict)
    if isinstance(shape, Each):
        return isinstance(value, list)
    if shape in (int, float):
        return isinstance(value, int | float) and not isinstance(value, bool) and (
            shape is float or isinstance(value, int))
    return isinstance(value, shape)


def _field(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


#: what each shape is called in a message
_SHAPE_NAMES = {str: "a string", int: "a whole number", float: "a number",
                bool: "true or false", dict: "an object", list: "a list"}


def describe(shape: Any) -> str:
    """``shape`` in words: ``an object``, ``a string or null``."""
    if isinstance(shape, Maybe):
        return f"{describe(shape.shape)} or null"
    if isinstance(shape, Fields | Values):
        return "an object"
    if isinstance(shape, Each):
        return "a list"
    return _SHAPE_NAMES[shape]


def json_kind(value: Any) -> str:
    """The JSON type of ``value``, as a message says it: ``JSON null``, ``a JSON list``."""
    if value is None:
        return "JSON null"
    if isinstance(value, bool):
        return f"JSON {str(value).lower()}"
    for kind, name in ((dict, "object"), (list, "list"), (str, "string"),
                       (int | float, "number")):
        if isinstance(value, kind):
            return f"a JSON {name}"
    return f"a {type(value).__name__}"  # pragma: no cover - json gives no other types
