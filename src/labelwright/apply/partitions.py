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

A worker reads its partition's rows with :mod:`~labelwright.apply.partition_reads` and
makes them a chunk with :mod:`~labelwright.apply.frame_chunks`, as a local stream does.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pyarrow.parquet as pq

from labelwright.apply.core import ChunkRunner
from labelwright.apply.frame_chunks import chunk_from_frame as chunk_from_frame  # here before
from labelwright.apply.frame_chunks import column_notes as column_notes
from labelwright.apply.lf_failures import LFFailures
from labelwright.apply.partition_reads import footer_sha256 as footer_sha256
from labelwright.apply.partition_reads import other_bytes as other_bytes
from labelwright.apply.partition_reads import read_partition as read_partition
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.csv_format import DELIMITERS, CsvDialect, csv_dialect
from labelwright.data.csv_records import csv_header
from labelwright.data.csv_scanner import CsvScanner
from labelwright.data.jsonl_format import jsonl_rows
from labelwright.data.lookalike_ids import IdNotes
from labelwright.data.quote_errors import BadQuote, quote_error
from labelwright.data.text_notes import TextNotes


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


# -- planning (on the client) --------------------------------------------------------------

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


# -- running a partition (on a worker) -----------------------------------------------------

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
