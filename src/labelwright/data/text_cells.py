"""A dataset's text column read as texts: a string as it is, a missing cell as "", any other
value an error naming its row and how to mend it, never stringified."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.config.schema import DATA_SUFFIXES, data_suffix
from labelwright.data.gold import is_missing
from labelwright.data.ids import describe_value
from labelwright.data.missing_columns import nested_keys
from labelwright.data.read_problems import ROWS_SHOWN, more_of_kind
from labelwright.errors import DataError

__all__ = ["column_texts", "text_value"]


def text_value(value: Any, where: str, column: str, source: str | None = None) -> str:
    """A text: a string, or "" when missing; a number, list, bool or bytes is an error at
    ``where``, never stringified. ``source``: the file read (``<DataFrame>`` or None: a
    DataFrame), whose kind says how to mend the value."""
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    kind = None if source is None else _source_kind(source)
    # the example a key of the user's own object, where it has one
    inner = next((str(k) for k in value), "key") if isinstance(value, dict) else ""
    nested = f" ({nested_keys(f'{column}.{inner}')})" if isinstance(value, dict) else ""
    quoted = " (in JSON, in quotes)" if kind == "jsonl" else ""
    decode = ""
    if isinstance(value, bytes | bytearray):  # a DataFrame's or a Parquet binary column
        decode = (f"; decode the column first: df[{column!r}] = "
                  f"df[{column!r}].str.decode('utf-8')")
        if kind == "parquet":
            decode += ", and write the file again (a text column, not binary)"
    raise DataError(f"{where}: the text in column {column!r} is {describe_value(value)}; a text "
                    f"must be a string{quoted} or missing{nested}{decode}")


def _source_kind(source: str) -> str | None:
    """The format of the data file ``source`` names (None: a DataFrame, ``<DataFrame>``)."""
    return DATA_SUFFIXES.get(data_suffix(Path(source)))


def column_texts(column: pd.Series, ids: list[str], source: str, column_name: str,
           where: Callable[[int], str], wheres: Callable[[list[int]], list[str]]
           ) -> list[str]:
    """The texts (:func:`text_value`): a string as it is, with a call only for a cell that
    is not one (a missing text; one of another type is an error naming every such row,
    the first with its line as ``where`` of its position says it, the next ones as
    ``wheres`` says them, :func:`~labelwright.data.read_problems.more_of_kind`). A text
    column holds only strings and missing cells, which are ""."""
    if isinstance(column.dtype, pd.StringDtype):
        return column.fillna("").tolist()
    values = column.tolist()
    if all(type(value) is str for value in values):
        return values
    try:
        return [value if type(value) is str else text_value(value, source, column_name, source)
                for value in values]
    except DataError:
        bad = [row for row, value in enumerate(values)
               if type(value) is not str and not _is_text(value)]
    try:  # as for ids: checked again, naming the row and its line
        text_value(values[bad[0]], f"{where(bad[0])} (id {ids[bad[0]]!r})", column_name,
                   source)
    except DataError as exc:
        shown = bad[1:1 + ROWS_SHOWN]
        raise DataError(more_of_kind(str(exc), [
            f"{at} (id {ids[k]!r}): {describe_value(values[k])}"
            for at, k in zip(wheres(shown), shown)], len(bad) - 1,
            "text that is not a string", "texts that are not strings")) from None
    raise AssertionError("a text refused once is refused again")  # pragma: no cover


def _is_text(value: Any) -> bool:
    """Whether :func:`text_value` takes ``value`` (a string or missing)."""
    return isinstance(value, str) or is_missing(value)
