"""An item's fields as the LFs get them: a row of the chunk's columns, the id and text under
the data's names (:func:`field_rows`), a missing value as None (:func:`missing_as_none`,
which ``explain`` shows fields through too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from labelwright.apply.chunks import Chunk
from labelwright.lfs.empty_fields import is_missing
from labelwright.lfs.item import named_columns


def field_rows(chunk: Chunk) -> list[dict[str, Any]] | None:
    """Each item's fields (None: none): the id and text columns under the data's names
    (:func:`~labelwright.lfs.item.named_columns`; the same string objects as item.id and
    item.text, no copies), then the row's other columns."""
    columns: dict[str, Sequence[Any]] = {
        name: chunk.ids if own == "id" else chunk.texts
        for name, own in named_columns(chunk.data_columns)}
    columns.update(chunk.fields or {})
    if not columns:
        return None
    names = list(columns)
    return [dict(zip(names, values))
            for values in zip(*(missing_as_none_all(column) for column in columns.values()))]


def missing_as_none_all(column: Sequence[Any]) -> Sequence[Any]:
    """:func:`missing_as_none` of every value of ``column``; the column itself when no
    value is missing, found by one vectorised test (pandas' ``isna`` finds every value
    :func:`~labelwright.lfs.empty_fields.is_missing` does), not a call per value: on
    200,000 items of six columns the calls cost more than a simple LF."""
    if not len(column) or not pd.Series(column, dtype=object).isna().any():
        return column
    return [missing_as_none(value) for value in column]


def missing_as_none(value: Any) -> Any:
    """A missing field value as LFs see it: None, whatever the reader made of it (NaN from
    a CSV gap or a JSON null in a number column, pandas' NA or NaT). NaN is truthy, so
    ``if item.note:`` had fired on every item with no note. ``explain`` shows fields through
    it too, so that it shows what the LFs saw."""
    return None if is_missing(value) else value


