"""The item's fields a review export shows beside its text (``[review] show_fields``): a
reviewer deciding a customer message from its body alone missed its subject and channel,
which the run's records hold (``fields``) but only the JSONL showed. Each export writes a
field under its key (``field_subject``: :func:`field_keys`): its own CSV column, a Label
Studio task field shown in a header, a Prodigy ``meta`` entry, a doccano record key and an
Argilla text field; the prefix keeps it apart from the export's own columns, which the import
reads. A run's own ``review.csv`` and ``sample.csv`` show them the same way
(:func:`~labelwright.review.queue.files.write_review_files` writes them with the export's
:func:`~labelwright.review.queue.csv_sheet.write_csv`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
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


def field_keys(names: Sequence[str]) -> dict[str, str]:
    """``{name: key}`` of the names of ``[review] show_fields``, every key its own: two names
    whose :func:`field_key` is one (``prénom`` and ``prènom``: ``field_pr_nom``; ``meta.tier``
    and ``meta_tier``) keep it for the first in the setting's order, and the later ones take
    ``_2``, ``_3``, ... after it (``field_pr_nom_2``), skipping a key another name has of its
    own. They had been refused, and the reviewer shown neither; one key for both would
    leave each sheet row a value short of its header. The keys stay as they are while the
    setting's order does, and :func:`renamed_keys` says which name each one is."""
    return dict(_keys(tuple(names)))


@lru_cache(maxsize=16)
def _keys(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`field_keys` worked out once per setting: an export asks for each record."""
    own = {field_key(name) for name in names}
    keys: dict[str, str] = {}
    for name in names:
        key = base = field_key(name)
        number = 1
        while key in keys.values() or key != base and key in own:
            number += 1
            key = f"{base}_{number}"
        keys[name] = key
    return tuple(keys.items())


def renamed_keys(names: Sequence[str]) -> list[tuple[str, str]]:
    """``[(key, name), ...]`` of the names that share a :func:`field_key` with another one
    (:func:`field_keys`), in the setting's order: what a CSV header, a Prodigy ``meta`` or a
    doccano record cannot say beside the key, said by the export instead; [] when every
    name has a key of its own."""
    bases = [field_key(name) for name in names]
    keys = field_keys(names)
    return [(keys[name], name) for name, base in zip(names, bases) if bases.count(base) > 1]


def keys_apart_said(renamed: Sequence[tuple[str, str]]) -> str:
    """``[review] show_fields with one key apart: field_pr_nom is 'prénom', field_pr_nom_2
    is 'prènom'``: what ``review export``, and a run whose ``review.csv`` and
    ``sample.csv`` show such fields, say once of ``renamed`` (:func:`renamed_keys`)."""
    return ("[review] show_fields with one key apart: "
            + ", ".join(f"{key} is {name!r}" for key, name in renamed))


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
    fields hold (nor a key of one's JSON object), with the fields they hold. Nothing to
    check without records: an empty export shows nothing."""
    if not names or not records:
        return
    available = sorted({str(k) for r in records for k in r.get("fields", {})})
    missing = [name for name in names
               if not any(_value(r.get("fields", {}), name)[0] for r in records)]
    if missing:
        raise ReviewError(_no_field(missing[0], available, "the run's items"))


def _no_field(name: str, available: Sequence[str], where: str) -> str:
    """That ``where`` holds no field ``name``, with a guess and the ``available`` ones."""
    return (f"[review] show_fields: no field {name!r} in {where}; "
            f"{did_you_mean(name, available)}available: {', '.join(available) or '(none)'} "
            "(the data's columns besides the id and text; a key nested in a JSON object as "
            "column.key)")


def unknown_columns_warning(names: Sequence[str], columns: Iterable[Any]) -> str | None:
    """What a run says of the names of ``[review] show_fields`` that are no column of the
    data (``columns``; ``meta.tier`` is one when ``meta`` is), or None: its ``review.csv``
    and ``sample.csv`` show such a field empty, under its key, so that no other key moves
    (:func:`field_keys`); a run is not refused for what a sheet shows after its apply and
    fit, while ``review export`` refuses the name before it writes anything."""
    available = sorted(map(str, columns))
    missing = [name for name in names
               if name not in available and name.partition(".")[0] not in available]
    if not missing:
        return None
    keys = field_keys(names)
    return (_no_field(missing[0], available, "the data") + "; the run's review.csv and "
            f"sample.csv show {', '.join(f'{name!r} ({keys[name]})' for name in missing)} "
            "empty, and `review export` refuses it")


def shown_values(record: dict[str, Any], names: Sequence[str]) -> dict[str, str]:
    """``{key: value as text}`` of ``record``'s fields ``names`` under their
    :func:`field_keys` (an empty or missing one as "", an object as JSON), in that order."""
    fields = record.get("fields", {})
    shown = {}
    for name, key in field_keys(names).items():
        value = _value(fields, name)[1]
        shown[key] = ("" if value is None else json.dumps(value, ensure_ascii=False)
                                  if isinstance(value, dict | list) else str(value))
    return shown
