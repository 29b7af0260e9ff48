"""Partitions of a dataset file that engine workers read themselves.

With the ``dask`` engine, :func:`labelwright.apply.apply_file` does not send items to the
workers: it plans partitions of ``chunk_size`` items -- a byte range of a CSV or JSONL
file that starts and ends at a record start, a row range of a Parquet file -- and each
worker reads its partition, runs its :class:`ChunkRunner` (built once per worker process)
and sends back only the ids, votes, failures, glossary term hits and the counts (with the
first few rows) a whole read warns of: its empty or missing texts, its columns' text and
numbers, its ids with spaces around them or in no NFC form.

Planning reads a CSV or JSONL file once, from start to end, to find where records start
(a quoted CSV value may hold line breaks, so a byte offset alone cannot tell); it sends no
text. A JSONL file is parsed once more on the client for its keys (:func:`jsonl_keys`),
so that every partition has every field of the file. A Parquet file is planned from its
footer. Partitions hold the same items as a local run's chunks and know the file row and
line they start at, so a worker builds the same items and reports a bad row with the same
row and line numbers.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from labelwright.apply.chunks import Chunk
from labelwright.apply.core import ChunkRunner
from labelwright.apply.lf_failures import LFFailures
from labelwright.caches import FileState, file_state
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.csv_format import DELIMITERS, CsvDialect, csv_dialect
from labelwright.data.csv_records import (
    BadQuote,
    CsvScanner,
    csv_error,
    csv_header,
    csv_options,
    frame_names,
    quote_error,
)
from labelwright.data.ids import id_cells, id_value, no_id_reason
from labelwright.data.jsonl_format import json_row, jsonl_frame, jsonl_rows
from labelwright.data.lookalike_ids import IdNotes
from labelwright.data.missing_columns import missing_column
from labelwright.data.parquet_format import KEY_TWICE, SHOWN, arrow_frame
from labelwright.data.text_cells import text_value
from labelwright.data.text_checks import check_unique_columns
from labelwright.data.text_notes import TextNotes
from labelwright.errors import DataError, RowError


@dataclass(frozen=True)
class FileSpec:
    """What every partition of one file shares."""

    path: str  # absolute, as workers open it
    shown: str  # as the user gave it, for messages
    kind: str  # csv | tsv | jsonl | parquet
    size: int  # bytes; a worker checks it sees the same file
    id_column: str
    text_column: str
    hidden: tuple[str, ...]  # columns that are not item fields (id, text, gold, ...)
    header: tuple[str, ...] = ()  # csv, tsv: the header's names, or [data] columns
    dialect: CsvDialect = CsvDialect()  # csv, tsv
    keys: tuple[str, ...] = ()  # jsonl: every key of the file (see jsonl_keys)
    #: parquet: the sha256 of the file's footer (its schema, row groups and their column
    #: statistics), which a worker compares with its copy's before it reads its rows
    footer_sha256: str = ""
    #: the columns whose first text values a partition sends back (those an LF compares
    #: with a number; see :func:`column_notes`)
    heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Partition:
    """``rows`` items of a file from item ``first_row`` (0-based) on.

    CSV and JSONL: the bytes ``start:stop``, starting on line ``first_line``.
    Parquet: rows are counted over the whole file; ``start``/``stop`` are unused.
    """

    file: FileSpec
    first_row: int
    rows: int
    start: int = 0
    stop: int = 0
    first_line: int = 0
    #: CSV and JSONL: the sha256 of the bytes ``start:stop`` as the client planned them; a
    #: worker that reads other bytes there reads another copy of the file ("": unchecked)
    sha256: str = ""


@dataclass
class PartitionResult:
    """What comes back from a partition (or a local chunk): no text, only the outcome."""

    start: int  # the file row of the first item
    ids: list[str]
    votes: np.ndarray
    failures: dict[str, LFFailures]
    hits: np.ndarray  # rows relative to ``start``
    #: its empty and long texts, rows counted over the whole file, so the parts of a
    #: stream merge into its warnings
    text_notes: TextNotes = field(default_factory=TextNotes)
    #: its columns' text and numbers (how many, the first of each), so merged
    column_notes: ColumnNotes = field(default_factory=ColumnNotes)
    #: its ids with spaces around them and ids in no NFC form, so merged
    id_notes: IdNotes = field(default_factory=IdNotes)


# -- reading, shared by local and worker reads ---------------------------------------------

def _id(value: Any, where: str, column: str) -> str | None:
    """An item id as text (see :func:`labelwright.data.dataset.id_value`); None when missing or
    blank."""
    if value is None or value is pd.NA or (isinstance(value, float | np.floating)
                                           and value != value):
        return None
    text = id_value(value, where, column)
    return text if text.strip() else None


def jsonl_keys(path: str, shown: str, *, skip: bool = False) -> tuple[str, ...]:
    """Every top-level key of a JSONL file, in the order a whole-file read gives its
    columns (first appearance). Parses every line: a malformed one is reported here, with
    its line, before any item is labeled (``skip``: it is passed over, as the read that
    follows lists it)."""
    keys: dict[str, None] = {}
    with open(path, "rb") as handle:
        for _, row in jsonl_rows(handle, shown, [] if skip else None):
            keys.update(dict.fromkeys(row))
    return tuple(keys)


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


# -- planning (on the client) --------------------------------------------------------------

def plan_partitions(spec: FileSpec, chunk_size: int) -> Iterator[Partition]:
    """Partitions of ``chunk_size`` items in file order, planned as the file is scanned."""
    if spec.kind == "parquet":
        rows = pq.ParquetFile(spec.path).metadata.num_rows
        for first in range(0, rows, chunk_size):
            yield Partition(spec, first, min(chunk_size, rows - first))
        return
    with open(spec.path, "rb") as handle:
        if spec.kind in DELIMITERS:
            yield from _csv_partitions(spec, handle, chunk_size)
        else:
            yield from _jsonl_partitions(spec, handle, chunk_size)


def file_spec(path: str, shown: str, kind: str, *, id_column: str, text_column: str,
              hidden: tuple[str, ...], quoting: str = "auto",
              columns: Sequence[str] | None = None, delimiter: str | None = None,
              heads: tuple[str, ...] = ()) -> FileSpec:
    """The shared facts of one file (for CSV, its header and dialect), read on the client;
    ``heads``: as :attr:`FileSpec.heads`."""
    header: tuple[str, ...] = ()
    dialect = csv_dialect(shown, kind, quoting, columns, delimiter)
    if kind in DELIMITERS:
        with open(path, "rb") as handle:
            names, _, _ = csv_header(handle, shown, dialect)
        header = tuple(names)
    keys = jsonl_keys(path, shown) if kind == "jsonl" else ()
    return FileSpec(path=path, shown=shown, kind=kind, size=os.path.getsize(path),
                    id_column=id_column, text_column=text_column, hidden=hidden,
                    header=header, dialect=dialect, keys=keys,
                    footer_sha256=footer_sha256(path) if kind == "parquet" else "",
                    heads=heads)


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


class _RangeHashes:
    """The sha256 of consecutive byte ranges of a file, read with a handle of its own (the
    planner's scanner reads ahead of the range it is at)."""

    def __init__(self, path: str) -> None:
        self._handle = open(path, "rb")  # closed by close(), when planning ends
        self._at = 0

    def of(self, start: int, stop: int) -> str:
        if start != self._at:
            self._handle.seek(start)
        digest = hashlib.sha256()
        left = stop - start
        while left > 0:
            block = self._handle.read(min(left, 1 << 22))
            if not block:
                break
            digest.update(block)
            left -= len(block)
        self._at = stop
        return digest.hexdigest()

    def close(self) -> None:
        self._handle.close()


def _csv_partitions(spec: FileSpec, handle: BinaryIO, chunk_size: int) -> Iterator[Partition]:
    hashes = _RangeHashes(spec.path)
    try:
        yield from _csv_ranges(spec, handle, chunk_size, hashes)
    finally:
        hashes.close()


def _csv_ranges(spec: FileSpec, handle: BinaryIO, chunk_size: int, hashes: _RangeHashes
                ) -> Iterator[Partition]:
    _, offset, line = csv_header(handle, spec.shown, spec.dialect)
    scanner = CsvScanner(handle, offset, spec.dialect)
    first_row = 0
    while True:
        start, first_line = scanner.offset, line + scanner.newlines
        try:
            rows = scanner.skip(chunk_size)
        except BadQuote as exc:
            raise quote_error(exc, spec.shown, line + scanner.newlines,
                              f"row {first_row + exc.rows_before + 1}", spec.dialect) from None
        if not rows:
            return
        stop = scanner.offset if rows == chunk_size else spec.size
        yield Partition(spec, first_row, rows, start, stop, first_line,
                        hashes.of(start, stop))
        first_row += rows


def _jsonl_partitions(spec: FileSpec, handle: BinaryIO, chunk_size: int
                      ) -> Iterator[Partition]:
    first_row = rows = offset = start = 0
    first_line = 1
    digest = hashlib.sha256()
    for number, line in enumerate(handle, start=1):
        offset += len(line)
        digest.update(line)
        if number == 1 and line.startswith(codecs.BOM_UTF8):  # as json_row reads it
            line = line[len(codecs.BOM_UTF8):]
        if line[:1] > b" " or line.strip():  # blank lines hold no item, as in a local run
            rows += 1
            if rows == chunk_size:
                yield Partition(spec, first_row, rows, start, offset, first_line,
                                digest.hexdigest())
                first_row += rows
                rows = 0
                start, first_line = offset, number + 1
                digest = hashlib.sha256()
    if rows:
        yield Partition(spec, first_row, rows, start, offset, first_line, digest.hexdigest())


# -- reading and running a partition (on a worker) -----------------------------------------

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
    from labelwright.apply.worker_checks import worker_name

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
    for batch in source.iter_batches(batch_size=65_536, row_groups=groups, use_threads=False):
        batches.append(batch)
        read += batch.num_rows
        if read >= skip + part.rows:
            break
    table = pa.Table.from_batches(batches)
    return arrow_frame(table.slice(skip, part.rows))


def run_partition(runner: ChunkRunner, part: Partition) -> PartitionResult:
    """Read a partition and apply ``runner``: what a worker does for one task."""
    frame, lines = read_partition(part)
    spec = part.file
    chunk = chunk_from_frame(frame, path=spec.shown, start=part.first_row,
                             id_column=spec.id_column, text_column=spec.text_column,
                             hidden=spec.hidden, lines=lines)
    result = runner.run(chunk)
    return PartitionResult(part.first_row, chunk.ids, result.votes, result.failures,
                           result.hits, TextNotes.of(chunk.texts, chunk.ids, part.first_row),
                           column_notes(frame, chunk, spec.hidden, spec.heads),
                           IdNotes.of(chunk.ids, chunk.start, chunk.file_rows))
