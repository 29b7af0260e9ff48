"""A manifest's figures against the values derived for them: ``runs verify`` derives each
figure again (from the run's files, :mod:`~labelwright.runs.verify.manifest_claims`; from a
refit, ``--recompute``) as a dotted field path to ``(value, source)``, and
:func:`claim_differences` names each field whose manifest value is not the one derived,
floats to :data:`TOLERANCE`, a dict by the keys in which it differs."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

#: figures further apart than this differ (the same computation gives the same bits; this
#: forgives a float written and read back through JSON)
TOLERANCE = 1e-9


def claim_differences(manifest: dict[str, Any], derived: dict[str, Any]) -> list[str]:
    """``<field>: the manifest says X, <source> gives Y`` for each field of ``derived`` (a
    dotted field path, e.g. ``evaluation.label_model.accuracy``, to ``(value, source)``)
    whose manifest value is not the one derived; a field the manifest lacks is "missing"."""
    differ = {path: (claimed, value, source) for path, (value, source) in derived.items()
              if not _same(claimed := _field(manifest, path), value)}
    lines: dict[str, str] = {}  # by field: a key of a dict named once
    for path, (claimed, value, source) in differ.items():
        if any(other.startswith(f"{path}.") for other in differ):
            continue  # label_model.chosen.model named: not label_model.chosen whole too
        for field, (said_value, value_there) in _differing_keys(path, claimed, value):
            said = ("has no such field" if said_value is _MISSING
                    else f"says {_text(said_value)}")
            given = "has none" if value_there is _MISSING else f"gives {_text(value_there)}"
            lines.setdefault(field, f"{field}: the manifest {said}, {source} {given}")
    return list(lines.values())


def _differing_keys(path: str, claimed: Any, value: Any) -> list[tuple[str, tuple[Any, Any]]]:
    """``[(dotted field, (the manifest's, the file's))]``: the keys in which two dicts
    differ, each named (dicts in dicts too), rather than both dicts whole (a label model's
    settings, a ~1 KB choice record, printed twice for one edited number); the field itself
    when either is not a dict."""
    if not isinstance(claimed, dict) or not isinstance(value, dict):
        return [(path, (claimed, value))]
    out = []
    for key in sorted(set(claimed) | set(value), key=str):
        a, b = claimed.get(key, _MISSING), value.get(key, _MISSING)
        if a is _MISSING or b is _MISSING or not _same(a, b):
            out += _differing_keys(f"{path}.{key}", a, b)
    return out


def claim_groups(derived: dict[str, Any]) -> list[str]:
    """The manifest's sections ``derived`` checks, as the ``ok`` line names them."""
    groups = {"coverage": "coverage", "evaluation": "evaluation",
              "triage": "triage counts", "label_model": "label model",
              "data": "rows", "labeled": "rows",  # rows, gold rows and rows with a label
              "labeling_functions": "LFs", "calibration": "calibration"}
    named = [name for key, name in groups.items()
             if any(path == key or path.startswith(f"{key}.") for path in derived)]
    return list(dict.fromkeys(named))


def made_claims(manifest: dict[str, Any], derived: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``derived`` the manifest makes a claim on (older runs recorded fewer:
    a field they lack is not compared)."""
    return {path: pair for path, pair in derived.items()
            if _field(manifest, path) is not _MISSING}


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING: Any = _Missing()


def _field(record: Any, path: str) -> Any:
    """The value at the dotted ``path`` of the manifest ``record`` (``labeling_functions``:
    its LFs' names, sorted), :data:`_MISSING` when it has none."""
    if path == "labeling_functions":
        lfs = record.get("labeling_functions") if isinstance(record, dict) else None
        return sorted(str(lf.get("name")) for lf in lfs if isinstance(lf, dict)) \
            if isinstance(lfs, list) else _MISSING
    for key in path.split("."):
        if not isinstance(record, dict) or key not in record:
            return _MISSING
        record = record[key]
    return record


def _same(a: Any, b: Any) -> bool:
    """Equal, floats to :data:`TOLERANCE` (``None`` and NaN alike), lists and dicts member
    by member; an int and a bool are not one."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, int | float | np.integer | np.floating) \
            and isinstance(b, int | float | np.integer | np.floating):
        fa, fb = float(a), float(b)
        return (math.isnan(fa) and math.isnan(fb)) or abs(fa - fb) <= TOLERANCE
    if isinstance(a, float) and math.isnan(a) and b is None \
            or isinstance(b, float) and math.isnan(b) and a is None:
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return repr(value)
