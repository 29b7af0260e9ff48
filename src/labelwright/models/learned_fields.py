"""What each learned field of a saved label model may hold, and the one check every model's
document goes through on load (:func:`check_learned_fields`), before any number is used:
a field of the wrong kind, shape or range is a ValueError naming the field, never a model
that predicts nonsense or warns from numpy later.

A model class lists its fields in ``learned_fields`` (name -> :class:`Field`); shapes are
written in ``m`` (LFs) and ``k`` (classes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: how far a distribution's sum may be from 1 (saved numbers are float64 sums of floats)
SUM_TOLERANCE = 1e-6

#: what each kind of field holds, in words (the error says it)
KINDS = {
    "distribution": "shares in [0, 1] summing to 1 along the last axis",
    "probability": "probabilities in [0, 1]",
    "number": "finite numbers",
    "positive": "finite numbers > 0",
    "bool": "booleans (true/false)",
    "whole": "a whole number >= 0",
    "text": "a string",
    "object": "a JSON object",
    "list": "a JSON list",
}


@dataclass(frozen=True)
class Field:
    """One learned field: its ``kind`` (a key of :data:`KINDS`), its ``shape`` for an array
    (each axis ``"m"``, ``"k"``, ``"k+1"`` or ``"m*k"``, e.g. ``("m", "k", "k+1")``; None:
    a plain JSON value, not an array), whether it may be null (``nullable``) and whether the
    array may have no rows at all (``may_be_empty``: a fit that fell back to another rule)."""

    kind: str
    shape: tuple[str, ...] | None = None
    nullable: bool = False
    may_be_empty: bool = False


def _bad(name: str, what: str, got: str) -> ValueError:
    if len(got) > 80:
        got = got[:77] + "..."
    return ValueError(f"label model document: learned field {name} must hold {what}, got {got}")


def _at(name: str, values: np.ndarray, bad: np.ndarray) -> str:
    """The first entry of ``values`` where ``bad`` holds, as ``5.0 at confusion_[0][1][2]``."""
    where = np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), bad.shape)
    index = "".join(f"[{int(i)}]" for i in where)
    return f"{float(values[where])!r} at {name}{index}"


def _check_array(name: str, field: Field, value: Any, m: int, k: int) -> None:
    assert field.shape is not None
    sizes = {"m": m, "k": k, "k+1": k + 1, "m*k": m * k}
    shape = tuple(sizes[axis] for axis in field.shape)
    shown = " x ".join(map(str, shape))
    if not isinstance(value, np.ndarray):
        raise ValueError(f"label model document: learned field {name} must be an array "
                         f"({{\"dtype\", \"shape\", \"data\"}}) of shape {shown}, got "
                         f"{type(value).__name__}")
    if field.may_be_empty and value.ndim == len(shape) and value.shape[:1] == (0,):
        shape = (0, *shape[1:])
    if value.shape != shape:
        raise ValueError(f"label model document: learned field {name} must have shape "
                         f"{shown} ({' x '.join(field.shape)} for {m} LFs and {k} classes), "
                         f"got {' x '.join(map(str, value.shape)) or 'a single value'}")
    what = KINDS[field.kind]
    if field.kind == "bool":
        if value.dtype != bool:
            raise _bad(name, what, f"dtype {value.dtype}")
        return
    if value.dtype.kind not in "fiu":
        raise _bad(name, what, f"dtype {value.dtype}")
    values = value.astype(np.float64)
    checks = [~np.isfinite(values)]
    if field.kind in ("distribution", "probability"):
        checks.append((values < 0) | (values > 1))
    if field.kind == "positive":
        checks.append(values <= 0)
    for bad in checks:
        if bad.any():
            raise _bad(name, what, _at(name, values, bad))
    if field.kind == "distribution" and values.size:
        sums = values.sum(axis=-1)
        off = np.abs(sums - 1.0) > SUM_TOLERANCE
        if off.any():
            raise _bad(name, what, _at(name, sums, off).replace(" at ", " as the sum of ", 1))


def _check_plain(name: str, field: Field, value: Any) -> None:
    what = KINDS[field.kind]
    if field.kind == "bool":
        ok = isinstance(value, bool | np.bool_)
    elif field.kind == "whole":
        ok = isinstance(value, int | np.integer) and not isinstance(value, bool) \
            and bool(value >= 0)
    elif field.kind in ("number", "positive"):
        ok = isinstance(value, int | float | np.number) and not isinstance(value, bool) \
            and bool(np.isfinite(value)) and (field.kind != "positive" or bool(value > 0))
    elif field.kind == "text":
        ok = isinstance(value, str)
    elif field.kind == "object":
        ok = isinstance(value, dict)
    elif field.kind == "list":
        ok = isinstance(value, list)
    else:
        raise AssertionError(f"unknown kind {field.kind!r} of learned field {name}")
    if not ok:
        raise _bad(name, what + (" (or null)" if field.nullable else ""), repr(value))


def check_learned_fields(model: Any, fields: Mapping[str, Field]) -> None:
    """Check every field of ``fields`` that ``model`` has (a document may lack one that a
    newer version added: the model fills it in) against its :class:`Field`. ``model``
    holds ``n_lfs_`` (checked before) and ``cardinality``."""
    m, k = int(model.n_lfs_), int(model.cardinality)
    for name, field in fields.items():
        if not hasattr(model, name):
            continue
        value = getattr(model, name)
        if value is None and field.nullable:
            continue
        if field.shape is not None:
            _check_array(name, field, value, m, k)
        else:
            _check_plain(name, field, value)
