"""The hash of a pandas DataFrame's content: what a run given a DataFrame records as its
data's ``sha256``, and what a Dataset made from a frame is told apart by.

It can be computed again without labelwright (README, "Hash recipes"): SHA-256 over UTF-8
lines, the first the JSON list of the column names (as text), then one per row, in order
(the index left out), the JSON list of the row's values as ``itertuples`` gives them. A
value JSON has no form for is written as its ``tolist()`` when it has one (numpy scalars
and arrays: exact values, never ``str()``'s rounded ones), else as its ``str()``
(timestamps, ``pd.NA``). Strings and numbers differ (``"5"`` is not ``5``), floats keep
every digit, and a missing float is ``NaN``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

#: rows encoded per update of the digest: one call per row would be slower
_CHUNK = 10_000


def _json_default(value: Any) -> Any:
    """What a value JSON has no form for is written as."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def frame_sha256(frame: pd.DataFrame) -> str:
    """The sha256 of ``frame``'s column names and rows (see the module's docstring)."""
    digest = hashlib.sha256()
    digest.update((_ENCODE([str(c) for c in frame.columns]) + "\n").encode())
    lines: list[str] = []
    for row in frame.itertuples(index=False, name=None):
        lines.append(_ENCODE(list(row)))
        if len(lines) == _CHUNK:
            digest.update(("\n".join(lines) + "\n").encode())
            lines = []
    if lines:
        digest.update(("\n".join(lines) + "\n").encode())
    return digest.hexdigest()
