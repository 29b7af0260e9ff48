"""One item of a dataset file, found by its id without reading the file whole.

``labelwright explain`` shows one item's text and fields; reading a file of millions of
rows into a :class:`~labelwright.data.dataset.Dataset` for that took half a minute and
gigabytes. :func:`find_item` reads the file in pieces and stops at the item's row: a CSV
or TSV file in blocks, with pyarrow's CSV reader set up as
:func:`~labelwright.apply.file_blocks.iter_frames` sets it up; a Parquet file one row group at
a time, only the id column read until the group that holds the item; a JSONL file line by
line, to its end (the fields a whole read gives an item are every key of the file, in
the order they first appear).

What it gives is what :func:`~labelwright.data.dataset.read_dataset` gives the item: its
id spelt as the whole read spells it (a JSON or Parquet ``17.0`` is ``"17"``, a CSV
``17.0`` stays text), its text (a missing one ``""``) and its fields, the row's other
columns with the types the whole read gives them (a one-row frame, as
``Dataset.fields.iloc[row:row + 1]``). It does not check the rest of the file: the rows after the
item, repeated ids, gold labels. The caller uses it only on a file known to read whole
without an error, one whose hash is that of a file a run read with the same settings
(:func:`~labelwright.data.data_hash.dataset_sha256`), and reads the file whole otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from labelwright.config import DataConfig
from labelwright.data.compressed import named_as, plain_file
from labelwright.data.csv_format import DELIMITERS, CsvDialect, csv_dialect
from labelwright.data.csv_records import csv_header, csv_options, frame_names
from labelwright.data.formats import detect_format
from labelwright.data.gold import is_missing
from labelwright.data.ids import column_ids, id_value
from labelwright.data.jsonl_format import json_row, jsonl_frame, jsonl_rows
from labelwright.data.parquet_format import arrow_frame
from labelwright.data.text_cells import text_value
from labelwright.errors import DataError, RowError

__all__ = ["FoundItem", "find_item"]

#: bytes of a CSV file the reader parses at a time (a record longer than that is read
#: again with blocks large enough for it)
CSV_BLOCK = 1 << 20


@dataclass(frozen=True)
class FoundItem:
    """An item as a whole read of its file gives it."""

    text: str
    #: its fields: a one-row frame of the row's columns but the id, text and gold ones
    fields: pd.DataFrame


def find_item(config: DataConfig, item_id: str, *,
              fields: Sequence[str] | None = None) -> FoundItem | None:
    """The item ``item_id`` of the file ``config`` (a project's ``[data]``) names, read as
    :func:`~labelwright.data.dataset.read_dataset` reads it; None when no row has that id
    (or the file has no id or text column). A row without an id is passed over, as
    ``bad_rows = "skip"`` leaves it out. Only for a file that reads whole without an error
    (see the module's docstring): what it reads of the file is not checked as a whole read
    checks it.

    ``fields``: the file's field columns, in the order a whole read gives them, when they
    are known (the ones a run recorded of this very file, with the same id, text and gold
    columns): a JSONL file is then read up to the item only. A row holding a key they do not
    name is read on to the end of the file for them."""
    path = Path(config.path)
    kind = detect_format(path, config.format)
    dialect = csv_dialect(path, kind, config.quoting, config.columns, config.delimiter)
    if not item_id.strip():  # no row has it: the reader leaves such rows out or stops
        return None
    plain = plain_file(path, config.copies)  # a compressed file's decompressed copy
    with named_as(plain, path):
        if kind in DELIMITERS:
            found = _csv_item(plain, dialect, config, item_id)
        elif kind == "jsonl":
            found = _jsonl_item(plain, config, item_id, fields)
        else:
            found = _parquet_item(plain, config.id_column, item_id)
    if found is None:
        return None
    # the item's row alone, as a frame of one row
    row = found.set_axis([str(c) for c in found.columns], axis=1)  # as dataset_from_frame
    if config.text_column not in row.columns:
        return None
    text = text_value(row[config.text_column].tolist()[0], str(path), config.text_column,
                      str(path))
    hidden = {config.id_column, config.text_column} | (
        {config.gold_column} if config.gold_column else set())
    return FoundItem(text, row[[c for c in row.columns if c not in hidden]
                               ].reset_index(drop=True))


def _has_id(value: Any) -> bool:
    """Whether a cell holds an id (a row without one is left out, or the file refused)."""
    return not is_missing(value) and str(value).strip() != ""


# --- CSV and TSV ---------------------------------------------------------------------


def _csv_item(path: Path, dialect: CsvDialect, config: DataConfig, item_id: str
              ) -> pd.DataFrame | None:
    """The item's row as a one-row frame, read by pyarrow's CSV reader as
    :mod:`labelwright.apply.stream` reads a file, block by block: every value text, only
    an empty one missing, a record with another number of values than the header left out
    under ``bad_rows = "skip"`` (a whole read leaves it out too). A CSV id is text as
    written, compared as it is."""
    from pyarrow import csv

    with open(path, "rb") as handle:
        header, _, _ = csv_header(handle, str(path), dialect)
    names = frame_names(header)
    if config.id_column not in names:
        return None
    at = names.index(config.id_column)
    parse, convert = csv_options(header, dialect)
    if config.bad_rows == "skip":
        parse.invalid_row_handler = _skip_row
    block = CSV_BLOCK
    while True:
        read_options = csv.ReadOptions(block_size=block, use_threads=False,
                                       column_names=None if dialect.header else header)
        try:
            for batch in csv.open_csv(path, read_options=read_options, parse_options=parse,
                                      convert_options=convert):
                ids = batch.column(at)
                position = pc.index(ids, pa.scalar(item_id, ids.type)).as_py()
                if position >= 0:
                    frame = batch.slice(position, 1).to_pandas()
                    frame.columns = names
                    return frame
            return None
        except pa.ArrowInvalid as exc:
            # a record longer than a block: read again in blocks that hold it
            if "straddl" not in str(exc) or block >= path.stat().st_size:
                raise
            block *= 16


def _skip_row(row: Any) -> str:
    """pyarrow's ``invalid_row_handler``: leave out a row of another number of values."""
    return "skip"


# --- JSONL ---------------------------------------------------------------------------


def _jsonl_item(path: Path, config: DataConfig, item_id: str,
                fields: Sequence[str] | None) -> pd.DataFrame | None:
    """The item's object as a one-row frame with every column of the file, in the order
    a whole read gives them (first appearance): the file is read to its end for them,
    unless ``fields`` names them (see :func:`find_item`). An id is spelt as
    :func:`id_value` spells it (``17.0`` is ``"17"``)."""
    hidden = {config.id_column, config.text_column, config.gold_column}
    if fields is not None:
        found = _jsonl_object(path, config, item_id)
        if found is None:
            return None
        if set(found) <= hidden | set(fields):
            # the columns the run's whole read gave: the rest of the file holds no other
            # key (a whole read's columns are all of type object: one the row lacks too)
            columns = [config.id_column, config.text_column, *fields]
            return jsonl_frame([found], columns).astype(object)
    keys: dict[str, None] = {}
    found = None
    skipped: list[Any] | None = [] if config.bad_rows == "skip" else None
    with open(path, "rb") as handle:
        for _, obj in jsonl_rows(handle, str(path), skipped):
            keys.update(dict.fromkeys(obj))
            if found is None and _is_item(obj, config, path, item_id):
                found = obj
    return None if found is None else jsonl_frame([found], tuple(keys)).astype(object)


def _is_item(obj: dict[str, Any], config: DataConfig, path: Path, item_id: str) -> bool:
    value = obj.get(config.id_column)
    return _has_id(value) and id_value(value, str(path), config.id_column) == item_id


def _jsonl_object(path: Path, config: DataConfig, item_id: str) -> dict[str, Any] | None:
    """The object of the JSONL file whose id is ``item_id``, read up to its line. A line
    without a backslash (no JSON escape) holds a text id only as its UTF-8 bytes, so
    lines without them are passed over unparsed; an id that reads as a number may be
    written in JSON as any number (``1e3`` is ``"1000"``), so then every line is parsed."""
    try:
        float(item_id)
    except ValueError:
        needle: bytes | None = item_id.encode("utf-8")
    else:
        needle = None
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if needle is not None and needle not in line and b"\\" not in line:
                continue
            try:
                obj = json_row(line, str(path), number)
            except RowError:
                if config.bad_rows == "skip":  # a whole read leaves the line out
                    continue
                raise
            if obj is not None and _is_item(obj, config, path, item_id):
                return obj
    return None


# --- Parquet -------------------------------------------------------------------------


def _parquet_item(path: Path, id_column: str, item_id: str
                  ) -> pd.DataFrame | None:
    """The item's row as a one-row frame, made as :func:`arrow_frame` makes one of the
    file; the row groups before the one holding it are read by their id column alone."""
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise DataError(f"{path}: cannot read as Parquet: {exc}") from None
    if id_column not in source.schema_arrow.names:
        return None
    for group in range(source.num_row_groups):
        ids = source.read_row_group(group, columns=[id_column])
        if pa.types.is_string(ids.schema.field(0).type) \
                or pa.types.is_large_string(ids.schema.field(0).type):
            # text ids are compared as they are (a row without one matches no id)
            position = pc.index(ids.column(0), item_id).as_py()
            if position < 0:
                continue
            return _row_frame(source, group, position)
        # numbers (and whatever else) spelt as a whole read spells them
        column = arrow_frame(ids)[id_column]
        present = [_has_id(value) for value in column.tolist()]
        spelt = column_ids(column[present].reset_index(drop=True), str(path), id_column,
                           lambda _: str(path))
        if item_id in spelt:
            position = [k for k, p in enumerate(present) if p][spelt.index(item_id)]
            return _row_frame(source, group, position)
    return None


def _row_frame(source: Any, group: int, position: int) -> pd.DataFrame:
    """Row ``position`` of row group ``group`` as a frame of one row, made as
    :func:`arrow_frame` makes a frame of the file: each column's type is its Arrow
    type's, whatever the other rows hold."""
    return arrow_frame(source.read_row_group(group).slice(position, 1))
