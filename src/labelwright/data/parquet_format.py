"""Parquet files (and Arrow tables): nullable columns kept as pandas' nullable types, an
index with names turned back into columns."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from labelwright.counts import counted, some_of
from labelwright.data.text_checks import check_unique_columns
from labelwright.errors import DataError


class UnreadableParquet(DataError):
    """A file that cannot be read as Parquet (cut short, not Parquet, a page corrupt on
    disk): a part of a dataset in many files so is said with the way out."""


def read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises several unrelated types
        raise UnreadableParquet(f"{path}: cannot read as Parquet: {exc}") from None
    check_unique_columns(names, str(path))
    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise UnreadableParquet(f"{path}: cannot read as Parquet: {exc}") from None
    return arrow_frame(table)


def arrow_frame(data: Any) -> pd.DataFrame:
    """A Parquet table or batch as every Parquet reader here gives it (whole file,
    streamed, Dask partitions): integer and boolean columns keep their type where values
    are missing (pandas would make an int column with a null float, ``1.0``, in some chunks
    and not others), missing values reach LFs as None, and the index is as
    :func:`parquet_frame` says. Lists, structs and maps become Python lists and dicts, as
    JSON arrays and objects do: pandas would make a list of ints holding a null into
    floats in some chunks and not others."""
    frame = data.to_pandas(types_mapper=_nullable_type)
    names = data.schema.names
    key_twice: dict[str, list[int]] = {}
    for i, field in enumerate(data.schema):
        # a name given twice is the error check_unique_columns gives later
        if pa.types.is_nested(field.type) and names.count(field.name) == 1 \
                and field.name in frame.columns:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # a map as a dict (pyarrow gives a list of key-value pairs by default)
                values = data.column(i).to_pylist(maps_as_pydicts="lossy")
            for warning in caught:
                # pyarrow's own warning of a key twice names no column and no row: the
                # rows are found again, to be said with the dataset's other warnings
                if "already encountered" in str(warning.message):
                    key_twice[field.name] = key_twice.get(field.name) or [
                        row for row, value in enumerate(data.column(i).to_pylist())
                        if _holds_key_twice(value)]
                else:
                    warnings.warn_explicit(warning.message, warning.category,
                                           warning.filename, warning.lineno)
            frame[field.name] = pd.Series(values, index=frame.index, dtype=object)
    frame = parquet_frame(frame)
    if key_twice:
        frame.attrs[KEY_TWICE] = key_twice
    return frame


#: the key of a frame's ``attrs`` that :func:`arrow_frame` gives the rows (0-based, of the
#: frame) whose map holds a key more than once, by column (moved to the rows kept when
#: :func:`~labelwright.data.bad_rows.drop_rows_without_id` leaves some out)
KEY_TWICE = "map_key_twice"


def _holds_key_twice(value: Any) -> bool:
    """Whether a value as pyarrow's ``to_pylist`` gives it (a map as a list of key-value
    tuples, a struct as a dict) holds a map that gives a key more than once, at any
    depth."""
    if isinstance(value, dict):
        return any(_holds_key_twice(v) for v in value.values())
    if not isinstance(value, list):
        return False
    if value and all(isinstance(pair, tuple) for pair in value):  # a map: only maps give tuples
        keys = [key for key, _ in value]
        try:
            twice = len(set(keys)) < len(keys)
        except TypeError:  # a key that is a list or struct
            twice = any(key in keys[:at] for at, key in enumerate(keys))
        return twice or any(_holds_key_twice(v) for _, v in value)
    return any(_holds_key_twice(v) for v in value)


def key_twice_warnings(frame: pd.DataFrame, source: str,
                       where: Callable[[int], str]) -> list[str]:
    """A warning for each column of ``frame`` (as :func:`arrow_frame` made it) whose map
    gives a key more than once in some rows: how many rows, and the first, as ``where``
    names the row at a position of the frame."""
    return [key_twice_warning(source, column, len(rows), [where(k) for k in rows[:SHOWN]])
            for column, rows in frame.attrs.get(KEY_TWICE, {}).items() if rows]


#: the rows of a column whose map gives a key twice that a message names (and a streamed
#: read keeps)
SHOWN = 5


def key_twice_warning(source: str, column: str, count: int, named: list[str]) -> str:
    """What a read says of ``column``, whose map gives a key more than once in ``count``
    rows, the first of them (or all) named in ``named`` (``row N (id 'x')``), shown as
    :func:`~labelwright.counts.some_of` shows them."""
    shown = some_of(named, SHOWN, total=count)
    return (f"{source}: column {column!r} holds a map that gives a key more than once in "
            f"{counted(count, 'row')}: {shown}; the item gets the key's last value, as from "
            "a JSON object that names a key twice")


def _nullable_type(arrow_type: Any) -> Any:
    """The pandas type an Arrow integer or boolean column becomes (None: pandas' own)."""
    return _NULLABLE.get(str(arrow_type))


#: Arrow integer and boolean types -> pandas' nullable types of the same width
_NULLABLE = {"bool": pd.BooleanDtype(),
             **{f"{sign}int{bits}": pd.api.types.pandas_dtype(f"{sign.upper()}Int{bits}")
                for sign in ("", "u") for bits in (8, 16, 32, 64)}}


def parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from Parquet with its named index as columns, as every Parquet reader
    here gives it: ``df.set_index("id").to_parquet()`` keeps the ids as a column of the
    file, which pandas puts back as the index (and ``set_index("id", drop=False)`` keeps
    them twice: the column is read once)."""
    if all(name is None for name in frame.index.names):
        return frame
    if isinstance(frame.index, pd.RangeIndex):
        # row numbers pandas keeps as metadata only, not a column of the file: no data
        # (and a streamed batch gets them back or not depending on its size)
        name = frame.index.name
        frame = frame.reset_index(drop=True)
        frame.attrs["row_index"] = name  # for the message if it was meant as the ids
        return frame
    named = [name for name in frame.index.names if name is not None and name not in frame]
    if named:
        frame = frame.reset_index(level=named)
    return frame.reset_index(drop=True)
