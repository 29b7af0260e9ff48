"""Column values as text that changes whenever a value does, for hashing rows.

Strings stay as they are; other values are prefixed with their kind (``int:3`` is not the
text ``"3"``), missing values are one marker, and arrays, lists and dicts (Parquet lists,
JSON objects) are written out exactly: ``str()`` of an array keeps 8 digits and cuts it
after 1,000 items. Used by the vote cache's row hashes.
"""

from __future__ import annotations

import hashlib
import json
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

MISSING = "\x00NA"


def _kind(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    return type(value).__name__


def value_text(values: pd.Series) -> pd.Series:
    """A column as text for hashing (row hashes, a frame's hash): strings as they are,
    other values prefixed with their kind (``int:3``, ``bool:True``), missing values as one
    marker. Typed columns are prefixed whole (vectorised); a column of Python objects is
    looked at per value only when it holds something besides strings, and arrays, lists and
    dicts by their exact values (:func:`_exact_text`)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # its values, not its codes
        values = values.astype(object)
    missing = values.isna()
    prefix = {"i": "int:", "u": "int:", "f": "float:", "b": "bool:"}.get(values.dtype.kind)
    inferred = pd.api.types.infer_dtype(values, skipna=True) if prefix is None else ""
    # a column of Python values of one kind (JSONL keeps the JSON's own) is prefixed whole
    prefix = prefix or {"integer": "int:", "floating": "float:", "boolean": "bool:"}.get(inferred)
    if prefix is not None:
        text = prefix + values.astype(str)
    elif inferred in ("string", "empty"):
        text = values.astype(str)
    else:
        kinds = values.map(_kind).astype(str)
        tagged = (~missing & (kinds != "str")).to_numpy()
        out = np.empty(len(values), dtype=object)
        out[~tagged] = values[~tagged].astype(str).to_numpy()
        # str() of an array drops digits and items: these are hashed by their exact values
        out[tagged] = (kinds[tagged] + ":" + values[tagged].map(_exact_text)).to_numpy()
        text = pd.Series(out, index=values.index)
    return text.mask(missing, MISSING) if missing.any() else text


def _exact_text(value: object) -> str:
    """A value that is not a string, as text that changes whenever the value does: arrays
    (Parquet lists) by their bytes, containers as JSON with full-precision numbers."""
    if isinstance(value, np.ndarray):
        if value.dtype != object:
            digest = hashlib.sha256(value.dtype.str.encode() + repr(value.shape).encode())
            digest.update(np.ascontiguousarray(value).tobytes())
            return digest.hexdigest()
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, sort_keys=True, default=_exact_text, ensure_ascii=False)
    return repr(value) if isinstance(value, float | np.floating) else str(value)


def _object_array(values: Sequence[object] | pd.Series) -> np.ndarray:
    """``values`` as a 1-d object array (a list or tuple among them stays one value)."""
    if isinstance(values, pd.Series):  # at once (iterating an Arrow-backed one is slow)
        return values.to_numpy(dtype=object)
    return np.fromiter(values, dtype=object, count=len(values))


def _all_str(values: np.ndarray) -> bool:
    """Whether every value of an object array is a ``str`` (no missing value, no number;
    False for no values), checked in C."""
    return bool(pd.api.types.infer_dtype(values, skipna=False) == "string")


def frame_hashes(columns: dict[str, Sequence[object] | pd.Series]) -> np.ndarray:
    """``pd.util.hash_pandas_object(pd.DataFrame(columns), index=False)`` as uint64 (each
    Series with a RangeIndex): the
    same numbers, faster for columns of strings.

    pandas turns a column of strings into an Arrow string array and dictionary-encodes it
    to hash each distinct value once (or factorizes an object column): that pays only
    when values repeat, and items' ids and texts do not. A value's hash is the same either
    way, so columns of ``str`` alone are hashed value by value (``categorize=False``),
    as object arrays; any other column (a missing value, a number) sends the whole frame
    the way pandas takes it."""
    arrays = {name: _object_array(values) for name, values in columns.items()}
    if all(_all_str(array) for array in arrays.values()):
        frame = pd.DataFrame(arrays, dtype=object)
        return pd.util.hash_pandas_object(frame, index=False, categorize=False
                                          ).to_numpy(dtype=np.uint64)
    return pd.util.hash_pandas_object(pd.DataFrame(columns), index=False
                                      ).to_numpy(dtype=np.uint64)


def object_hashes(values: Sequence[object] | pd.Series, hash_key: str) -> np.ndarray:
    """``pd.util.hash_pandas_object(pd.Series(list(values), dtype=object), index=False,
    hash_key=hash_key)`` as uint64: the same numbers, without factorizing ``values``
    first when they are all ``str`` (ids are, and distinct: factorizing saves nothing)."""
    array = _object_array(values)
    return pd.util.hash_pandas_object(pd.Series(array, dtype=object), index=False,
                                      hash_key=hash_key, categorize=not _all_str(array)
                                      ).to_numpy(dtype=np.uint64)
