"""An LF that read a JSON object's keys as attributes, said as such: ``item.meta.customer``
where ``meta`` holds ``{"customer": {...}}`` raises ``AttributeError: 'dict' object has no
attribute 'customer'``; a field is an attribute of the item, but the object it holds is a
dict, whose keys are read with brackets. Worked out from the kept traceback's line that
raised and the value of the field on the first item the LF raised on."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from labelwright.lfs.empty_fields import code_lines, field_code, field_read

#: the error of an attribute read on a dict
_DICT_ATTRIBUTE = re.compile(r"^AttributeError: 'dict' object has no attribute '(\w+)'")


def _keys_read(line: str, field: str, value: dict[str, Any]) -> list[str] | None:
    """The keys ``line`` reads as attributes after ``field`` (``.customer.tier`` of
    ``item.meta.customer.tier``), as far as ``value`` (the field's object) holds them and
    at least the first; None when the line reads none so."""
    match = re.search(field_read(field) + r"((?:\.\w+)+)", line)
    if match is None:
        return None
    keys: list[str] = []
    held: Any = value
    for name in match.group(1).lstrip(".").split("."):
        if not isinstance(held, dict) or name not in held:
            break
        keys.append(name)
        held = held[name]
    return keys or None


def nested_field_hint(error: str, traceback: str, first: Mapping[str, Any] | None) -> str:
    """"item.meta holds a JSON object (a dict), whose keys are read with brackets: write
    ``item.meta["customer"]["tier"]``" when ``error`` is of an attribute read on a dict and
    the line that raised reads, as attributes, keys that a field of ``first`` (the first
    item the LF raised on: field -> value) holds; "" otherwise."""
    attribute = _DICT_ATTRIBUTE.match(error)
    lines = code_lines(traceback)
    if attribute is None or not lines or not first:
        return ""
    for name, value in first.items():
        if not isinstance(value, dict):
            continue
        keys = _keys_read(lines[-1], str(name), value)
        if keys is None or keys[0] != attribute[1]:
            continue
        written = field_code(str(name)) + "".join(f'["{key}"]' for key in keys)
        dotted = field_code(str(name)) + "".join(f".{key}" for key in keys)
        return (f"{field_code(str(name))} holds a JSON object (a dict), whose keys are read "
                f"with brackets, not as attributes: write `{written}` for `{dotted}` (or "
                f"`.get(\"{keys[0]}\")` where a key may be missing)")
    return ""


def nested_field_rows_hint(error: str, traceback: str, fields: pd.DataFrame | None,
                           rows: np.ndarray | Sequence[int] | None) -> str:
    """:func:`nested_field_hint` for an LF that raised on the ``rows`` of ``fields`` (the
    data's columns besides id and text), the first first."""
    if fields is None or rows is None or len(rows) == 0 or fields.empty:
        return ""
    first = int(rows[0])
    return nested_field_hint(error, traceback, {str(name): fields.iat[first, k]
                                                for k, name in enumerate(fields.columns)})


def nested_on_item(error: str, traceback: str, fields: Mapping[str, Any] | None) -> str:
    """For an LF that raised ``error`` on one item (``--fail-fast``): "; item.meta holds a
    JSON object ..." when it read the keys of an object of ``fields`` as attributes; ""
    otherwise."""
    said = nested_field_hint(error, traceback, fields)
    return f"; {said}" if said else ""
