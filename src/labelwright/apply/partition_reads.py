"""Reading a partition's rows on a Dask worker (:func:`read_partition`), as a local run
reads them, after checking that the worker sees the file the client planned: its size, and
the sha256 of the partition's bytes (CSV, JSONL) or of the file's footer (Parquet).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from labelwright.apply.worker_checks import worker_name
from labelwright.caches import FileState, file_state
from labelwright.data.csv_records import csv_error, csv_options, frame_names
from labelwright.data.jsonl_format import json_row, jsonl_frame
from labelwright.data.parquet_format import arrow_frame
from labelwright.errors import DataError

if TYPE_CHECKING:
    from labelwright.apply.partitions import Partition


def read_partition(part: Partition) -> tuple[pd.DataFrame, list[int] | None]:
    """The partition's rows, read as a local run reads them, and JSONL line numbers."""
    spec = part.file
    try:
        size = os.path.getsize(spec.path)
    except OSError as exc:
        raise DataError(f"{spec.shown}: cannot be read where the partition runs "
                        f"({exc.strerror}); the dask engine needs the dataset file on "
                        "storage that every worker can read") from None
    if size != spec.size:
        raise DataError(f"{spec.shown}: a worker sees {size:,} bytes where {spec.size:,} were "
                        "planned; the file changed during the run, or the worker reads "
                        "another file at that path")
    if spec.kind == "parquet":
        if spec.footer_sha256 and footer_sha256(spec.path) != spec.footer_sha256:
            raise other_bytes(part, "another footer (schema, row groups, column "
                                    "statistics)")
        return _read_parquet_rows(part), None
    with open(spec.path, "rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.stop - part.start)
    if part.sha256 and hashlib.sha256(data).hexdigest() != part.sha256:
        raise other_bytes(part, f"other bytes {part.start:,}-{part.stop:,}")
    if spec.kind == "jsonl":
        rows, lines = [], []
        for k, line in enumerate(io.BytesIO(data)):
            row = json_row(line, spec.shown, part.first_line + k)
            if row is not None:
                rows.append(row)
                lines.append(part.first_line + k)
        frame = jsonl_frame(rows, spec.keys)
    else:
        frame, lines = _read_csv_bytes(part, data), None
    if len(frame) != part.rows:
        raise DataError(f"{spec.shown}: rows {part.first_row + 1}-{part.first_row + part.rows} "
                        f"(bytes {part.start}-{part.stop}): planned {part.rows} items, read "
                        f"{len(frame)}; did the file change during the run?")
    return frame, lines


def other_bytes(part: Partition, what: str) -> DataError:
    """The error of a worker whose copy of the file has the planned size but reads ``what``
    (other bytes of ``part``) than the client read when it planned the partitions."""
    spec = part.file
    return DataError(f"{spec.shown}: {worker_name()} reads {what} than the client "
                     f"planned (for items {part.first_row + 1}-{part.first_row + part.rows}; "
                     "the file has the same size): the worker reads another copy of the file "
                     "at that path, or the file changed during the run; the dask engine needs "
                     "the same file at the same path on every worker")


def _read_csv_bytes(part: Partition, data: bytes) -> pd.DataFrame:
    spec = part.file
    parse, convert = csv_options(spec.header, spec.dialect)
    read = pacsv.ReadOptions(column_names=list(spec.header), use_threads=False,
                             block_size=max(1 << 22, len(data) + 1))
    try:
        table = pacsv.read_csv(pa.BufferReader(data), read_options=read, parse_options=parse,
                               convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise csv_error(exc, io.BytesIO(data), path=spec.shown, start=0, stop=None,
                        first_row=part.first_row, first_line=part.first_line,
                        header=spec.header, dialect=spec.dialect) from None
    frame = table.to_pandas()
    frame.columns = frame_names(spec.header)
    return frame


def _read_parquet_rows(part: Partition) -> pd.DataFrame:
    source = pq.ParquetFile(part.file.path)
    meta = source.metadata
    groups: list[int] = []
    skip = first = 0
    end = part.first_row + part.rows
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        if first + n > part.first_row and first < end:
            if not groups:
                skip = part.first_row - first
            groups.append(g)
        first += n
    batches: list[pa.RecordBatch] = []
    read = 0
    try:
        for batch in source.iter_batches(batch_size=65_536, row_groups=groups,
                                         use_threads=False):
            batches.append(batch)
            read += batch.num_rows
            if read >= skip + part.rows:
                break
    except (OSError, pa.ArrowException) as exc:  # a page corrupt on disk: pyarrow's own
        # error named no file (what a local stream says of it, with the rows asked)
        raise DataError(f"{part.file.shown}: cannot read as Parquet (rows "
                        f"{part.first_row + 1:,}-{end:,}): {exc}") from None
    table = pa.Table.from_batches(batches)
    return arrow_frame(table.slice(skip, part.rows))


def footer_sha256(path: str) -> str:
    """The sha256 of a Parquet file's footer (its metadata and the 8 bytes after it), read
    once per process while the file's :data:`~labelwright.caches.FileState` stays (a worker
    checks it for each of its partitions)."""
    return _footer_sha256(path, file_state(os.stat(path)))


@functools.lru_cache(maxsize=64)
def _footer_sha256(path: str, state: FileState) -> str:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size < 8:
            return ""
        handle.seek(size - 8)
        length = int.from_bytes(handle.read(4), "little")
        handle.seek(max(0, size - 8 - length))
        return hashlib.sha256(handle.read()).hexdigest()
