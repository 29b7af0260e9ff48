"""The item's fields a review export shows beside its text (``[review] show_fields``): a
reviewer deciding a customer message from its body alone missed its subject and channel,
which the run's records hold (``fields``) but only the JSONL showed. Each export writes a
field under :func:`field_key` (``field_subject``): its own CSV column, a Label Studio task
field shown in a header, a Prodigy ``meta`` entry, a doccano record key and an Argilla text
field; the prefix keeps it apart from the export's own columns, which the import reads."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from labelwright.errors import ReviewError
from labelwright.spelling import did_you_mean

#: what each shown field's key starts with in every export
FIELD_PREFIX = "field_"


def field_key(name: str) -> str:
    """The key of the field ``name`` in an export: ``field_`` and the name, each character
    but an ASCII letter, digit or ``_`` as ``_`` (``meta.customer.tier``:
    ``field_meta_customer_tier``), as Label Studio reads ``$name`` in a header only so. A
    name with no ASCII letter or digit (``主题``) is spelled by its characters' code points
    (``field_u4e3b_u9898``): as underscores alone, ``主题`` and ``渠道`` would share one key."""
    ascii_key = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if re.search(r"[A-Za-z0-9]", ascii_key) is None:
        return FIELD_PREFIX + "_".join(f"u{ord(char):04x}" for char in name)
    return FIELD_PREFIX + ascii_key


def check_field_keys(names: Sequence[str]) -> None:
    """A :class:`ReviewError` for two names of ``[review] show_fields`` with one key
    (``meta.tier`` and ``meta_tier``: ``field_meta_tier``): an export has one column per
    key, so the sheet's rows would hold one value fewer than its header and the import
    would refuse each of them."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(field_key(name), name)
        if other != name:
            raise ReviewError(
                f"[review] show_fields: {other!r} and {name!r} would both be exported as "
                f"{field_key(name)!r} (each character but an ASCII letter, digit or _ is "
                "written as _); show one of them")


def _value(fields: dict[str, Any], name: str) -> tuple[bool, Any]:
    """Whether the item's ``fields`` hold ``name`` and its value: a column, or a key nested
    in one's JSON object by a dotted path (``meta.customer.tier``)."""
    if name in fields:
        return True, fields[name]
    head, _, rest = name.partition(".")
    held: Any = fields.get(head)
    for key in rest.split(".") if rest and head in fields else ():
        if not isinstance(held, dict) or key not in held:
            return False, None
        held = held[key]
    return bool(rest) and head in fields, held


def check_show_fields(names: Sequence[str], records: Sequence[dict[str, Any]]) -> None:
    """A :class:`ReviewError` for a name of ``[review] show_fields`` that no record's
    fields hold (nor a key of one's JSON object), with the fields they hold, or for two
    names with one key (:func:`check_field_keys`). Nothing more to check without records:
    an empty export shows nothing."""
    check_field_keys(names)
    if not names or not records:
        return
    available = sorted({str(k) for r in records for k in r.get("fields", {})})
    missing = [name for name in names
               if not any(_value(r.get("fields", {}), name)[0] for r in records)]
    if missing:
        raise ReviewError(
            f"[review] show_fields: no field {missing[0]!r} in the run's items; "
            f"{did_you_mean(missing[0], available)}available: {', '.join(available) or '(none)'} "
            "(the data's columns besides the id and text; a key nested in a JSON object as "
            "column.key)")


def shown_values(record: dict[str, Any], names: Sequence[str]) -> dict[str, str]:
    """``{field_key(name): value as text}`` of ``record``'s fields ``names`` (an empty or
    missing one as "", an object as JSON), in that order."""
    fields = record.get("fields", {})
    shown = {}
    for name in names:
        value = _value(fields, name)[1]
        shown[field_key(name)] = ("" if value is None else json.dumps(value, ensure_ascii=False)
                                  if isinstance(value, dict | list) else str(value))
    return shown
