"""A frame of a dataset file's rows as a :class:`~labelwright.apply.chunks.Chunk` of items
(:func:`chunk_from_frame`), and what a whole read warns of in its columns
(:func:`column_notes`): the same for a local stream's blocks and a Dask worker's partition
(:func:`~labelwright.apply.partitions.run_partition`), so both build the same items and
name a bad row alike.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd

from labelwright.apply.chunks import Chunk
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.gold import is_missing
from labelwright.data.ids import id_cells, id_value, no_id_reason
from labelwright.data.missing_columns import missing_column
from labelwright.data.parquet_format import KEY_TWICE, SHOWN
from labelwright.data.text_cells import text_value
from labelwright.data.text_checks import check_unique_columns
from labelwright.errors import RowError


def _id(value: Any, where: str, column: str) -> str | None:
    """An item id as text (see :func:`~labelwright.data.ids.id_value`); None when missing
    or blank."""
    if is_missing(value):
        return None
    text = id_value(value, where, column)
    return text if text.strip() else None


def chunk_from_frame(frame: pd.DataFrame, *, path: str, start: int, id_column: str,
                     text_column: str, hidden: tuple[str, ...],
                     lines: list[int] | None = None, rows: list[int] | None = None) -> Chunk:
    """The items of ``frame`` (file rows from ``start``, 0-based; or ``rows``, the file
    row of each, when rows before them were skipped) as a chunk.

    Raises :class:`DataError` naming the file row (and JSONL line, given ``lines``) of
    an item without an id, or the columns present when the id or text column is missing.
    """
    check_unique_columns(frame.columns, path)  # as the whole-file readers say it
    for role, column in (("id", id_column), ("text", text_column)):
        if column not in frame.columns:
            raise missing_column(path, role, column, [str(name) for name in frame.columns])
    def where(i: int) -> str:
        row = start + i if rows is None else rows[i]
        return f"{f'{path}:{lines[i]}' if lines is not None else path}: row {row + 1}"

    ids = []
    for i, value in enumerate(id_cells(frame[id_column])):
        item_id = _id(value, where(i), id_column)
        if item_id is None:  # a row error: a stream says the file's others with it
            reason = no_id_reason(id_column)
            raise RowError(f"{where(i)} has {reason}", reason)
        ids.append(item_id)
    texts = [text_value(v, f"{where(i)} (id {ids[i]!r})", text_column, path)
             for i, v in enumerate(frame[text_column].tolist())]
    skip = set(hidden)
    extra = [c for c in frame.columns if str(c) not in skip]
    return Chunk(start=start, ids=ids, texts=texts,
                 fields={str(c): frame[c].tolist() for c in extra} or None,
                 keep_matches=False, data_columns=(id_column, text_column), file_rows=rows)


def column_notes(frame: pd.DataFrame, chunk: Chunk, hidden: Sequence[str],
                 heads: Collection[str] = ()) -> ColumnNotes:
    """The :class:`ColumnNotes` of ``chunk``'s fields, read from ``frame`` (its rows) as
    their values are, with the first text values of those named in ``heads``, and of its
    ids and texts (as items have them) when ``heads`` names their columns."""
    skip = set(hidden)
    columns: list[tuple[str, pd.Series | list]] = [
        (str(c), frame[c]) for c in frame.columns if str(c) not in skip]
    columns += [(name, values) for name, values in zip(chunk.data_columns,
                                                       (chunk.ids, chunk.texts))
                if name in heads]
    notes = ColumnNotes.of(columns, chunk.start, chunk.file_rows, heads)
    # a Parquet map giving a key twice (arrow_frame's record): its rows, named as a whole
    # read names them; a Parquet chunk's rows are its items (no row is left out)
    for name, rows in frame.attrs.get(KEY_TWICE, {}).items():
        named = [(chunk.start + k, f"row {chunk.file_row(k) + 1} (id {chunk.ids[k]!r})")
                 for k in rows[:SHOWN]]
        notes.key_twice[str(name)] = (len(rows), named)
    return notes
