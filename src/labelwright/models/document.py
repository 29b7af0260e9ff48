"""The JSON document a saved label model is (never a pickle)::

    {"format": "labelwright.label_model", "version": 1, "model": "dawid_skene",
     "params": {...hyperparameters...},
     "learned": {"class_balance_": {"dtype": "float64", "shape": [2], "data": [...]}, ...}}

Arrays are stored with their dtype and shape, ``data`` flat in row-major order (read back
with ``reshape``, so ``data`` nested as the shape reads too); hyperparameters as plain JSON
values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "labelwright.label_model"
FORMAT_VERSION = 1


def encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "data": value.ravel().tolist()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def plain(value: Any) -> Any:
    """A hyperparameter as JSON holds it: numpy numbers as Python numbers, arrays (one
    value per LF) as lists; ``__init__`` takes both forms."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}:
        if value["dtype"] == "bool":  # numpy would read any number or string as a boolean
            given = np.asarray(value["data"], dtype=object).ravel()
            odd = [v for v in given if not isinstance(v, bool)]
            if odd:
                raise ValueError(f"a bool array holds {odd[0]!r}; expected true or false")
        return np.asarray(value["data"], dtype=value["dtype"]).reshape(value["shape"])
    return value


def read_document(path: str | Path) -> dict[str, Any]:
    """Read and check a saved label model document."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a labelwright label model (not JSON: {exc})") from None
    check_document(doc, str(path))
    return doc


def check_document(doc: Any, where: str) -> None:
    """The format and version every saved label model (and a nested one) must carry."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{where}: not a labelwright label model (expected format {FORMAT!r})")
    if doc.get("version") != FORMAT_VERSION:
        raise ValueError(f"{where}: unsupported label model version {doc.get('version')!r}; "
                         f"this labelwright reads version {FORMAT_VERSION}")
