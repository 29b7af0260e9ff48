"""Stream a dataset file larger than memory through the LFs, chunk by chunk.

CSV is read with ``pyarrow.csv.open_csv``, Parquet with ``ParquetFile.iter_batches``,
JSONL line by line; the label matrix is written as it comes with a ``ParquetWriter``.
Memory is bounded by the chunk size times the chunks in flight (two per worker).

With the ``dask`` engine the workers read the file themselves: this process plans
partitions (:mod:`labelwright.apply.partitions`) and receives only votes, failures, term
hits and what a whole read would warn of (counts and first rows of empty and long texts,
of columns' text and numbers, of ids that look alike), so it sends no text. The label
matrix is the same, byte for byte.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.apply.chunks import HIT_DTYPE, Chunk
from labelwright.apply.dask_engine import DaskEngine
from labelwright.apply.file_blocks import MANY_FILES
from labelwright.apply.lf_failures import LFFailures, merge_failures
from labelwright.apply.partitions import (
    PartitionResult,
    file_spec,
    plan_partitions,
    run_partition,
)
from labelwright.apply.stream_parts import apply_parts, many_parts
from labelwright.apply.stream_reads import FileRead, open_file_read
from labelwright.apply.written_ids import check_unique_ids, ids_at
from labelwright.data.bad_rows import (
    ARGUMENT_SETTING,
    OnlyBadRows,
    SkippedRow,
    file_rows,
    skipped_warning,
)
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.compressed import plain_file
from labelwright.data.formats import check_one_file
from labelwright.data.ids import id_hashes
from labelwright.data.parquet_footers import check_footers
from labelwright.data.part_files import parts_base
from labelwright.data.row_copies import check_duplicate_rows
from labelwright.data.text_notes import TextNotes
from labelwright.errors import DataError, NoRows, RowError
from labelwright.lfs.item import shadowed_warning
from labelwright.lfs.number_comparisons import streamed_number_comparisons
from labelwright.runs.store import atomic_write
from labelwright.warning_kinds import kinded

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier
    from labelwright.apply.core import ChunkRunner


@dataclass
class StreamResult:
    path: Path  # the label matrix written
    rows: int
    failures: dict[str, LFFailures]
    term_hits: pd.DataFrame
    seconds: float
    #: the hits per phrase (a term or one of its synonyms), as glossary_phrase_hits.csv
    phrase_hits: pd.DataFrame = field(default_factory=pd.DataFrame)
    lf_counts: dict[str, int] = field(default_factory=dict)  # LF -> items it voted on
    #: items kept with an empty text (empty, only spaces or missing), counted over the file
    empty_texts: int = 0
    #: what a project's dataset read whole, and a run applying the LFs to it, say of the
    #: same file: its empty or missing texts and its texts longer than ``LONG_TEXT`` (how
    #: many, the first rows and ids), columns holding numbers in some rows and text in
    #: others, LFs comparing a column that holds text with a number, ids that look like
    #: others, columns an LF cannot read as ``item.<name>``, the bad rows skipped; each
    #: knows its kind, as a run's (:mod:`labelwright.warning_kinds`)
    warnings: list[str] = field(default_factory=list)
    #: items whose text is longer than :data:`~labelwright.data.text_notes.LONG_TEXT`
    long_texts: int = 0
    #: the rows ``bad_rows="skip"`` left out, in file order (not in the label matrix)
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    #: the addresses of the Dask workers that read partitions and applied the LFs, sorted,
    #: as a run's ``ApplyResult.workers_seen``; None on another engine, or when the
    #: workers could not be asked
    workers_seen: list[str] | None = None
    #: the empty and long texts counted over the file (``warnings`` says them), for a
    #: stream of many files to say them once (:mod:`labelwright.apply.stream_parts`)
    text_notes: TextNotes = field(default_factory=TextNotes)
    #: the fields' text and numbers counted over the file, for a stream of many files to
    #: say a column typed otherwise in some parts (:mod:`labelwright.apply.stream_parts`)
    column_notes: ColumnNotes = field(default_factory=ColumnNotes)


def apply_file(
    applier: Applier,
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: Path,
    *,
    fmt: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    hidden_columns: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
    quoting: str = "auto",
    columns: Sequence[str] | None = None,
    delimiter: str | None = None,
    bad_rows: str = "error",
    duplicate_rows: str = "error",
) -> StreamResult:
    """Apply ``applier``'s LFs to the file at ``path`` in chunks; write the label matrix to ``out``.

    ``path`` may name a dataset in many files, a folder of parts, a wildcard or a list of
    files, as ``[data] path`` does: each part is streamed in turn, in name order (a list:
    as given), and the matrix holds their rows one after another
    (:mod:`labelwright.apply.stream_parts`); ids must be unique across the parts, and
    messages name the part and its row.

    Neither the vote cache nor the Doc cache is used: a stream is read once, and a file
    larger than memory would leave gigabytes of parsed Docs on disk. Ids must be unique, as in a
    project's dataset: a 64-bit hash of each id is kept (8 bytes a row), and a hash seen
    twice is looked up in the written matrix to name the id and its rows. An item without
    an id is an error naming its row; a file without rows is an error. An item whose text
    is empty or missing is kept, with an empty text, and said in the result's ``warnings``
    as a project's dataset says it (how many, the first rows and ids); so is a text longer
    than ``LONG_TEXT``, a column holding numbers in some rows and text in others, an LF
    comparing a column that holds text with a number, ids that look like others and
    columns an LF cannot read as ``item.<name>``, each counted over the whole file from
    what each chunk kept of it (counts and first rows). With the ``dask``
    engine every worker reads its own partitions of ``path``, so the file must be on
    storage all workers can read. ``quoting``, ``columns`` and ``delimiter``: as
    ``[data]``'s, for a CSV or TSV file. ``out`` may not be ``path``, nor a file of the
    applier's project that a review export may not overwrite either (its dataset, config,
    review ledger, LF and glossary folders, cache, a run's files): a :class:`RunError`
    names the file and what it is, before any LF runs. ``bad_rows="skip"`` leaves out the
    rows a project's dataset read so leaves out (:mod:`~labelwright.data.bad_rows`), lists
    them in the result's ``skipped_rows`` and says so in its ``warnings``; not on the
    ``dask`` engine, whose workers read the file. ``progress``: called once per chunk as
    its votes are written, with that chunk's row count alone (``progress(n)``, their sum
    the rows streamed), and no total: a file is counted as it is read (a Parquet file's
    rows are in its footer, ``pq.ParquetFile(path).metadata.num_rows``, for a bar);
    ``run_project``'s ``progress(step, advance, total)`` is another callback.
    ``duplicate_rows``: ``"error"`` only; ``"skip"``, as ``[data] duplicate_rows`` takes
    it, is an error before any LF runs: a stream keeps a hash of each id, no rows to
    compare, and has written a row's votes before its copy is read.
    """
    _refuse_skipped_copies(path, duplicate_rows)
    started = time.perf_counter()
    out = Path(out)
    many = many_parts(path, out, fmt)
    if many is not None:  # each part streamed in turn, one matrix
        parts, source, data = many
        return apply_parts(applier, parts, out, source, _apply_part, base=parts_base(data),
                           fmt=fmt, id_column=id_column,
                           text_column=text_column, hidden_columns=hidden_columns,
                           progress=progress, quoting=quoting, columns=columns,
                           delimiter=delimiter, bad_rows=bad_rows)
    one = cast("str | os.PathLike[str]", path)  # a list of files is many
    result, _ = _apply_one_file(applier, Path(one), out, started, fmt=fmt,
                                id_column=id_column, text_column=text_column,
                                hidden_columns=hidden_columns, progress=progress,
                                quoting=quoting, columns=columns, delimiter=delimiter,
                                bad_rows=bad_rows)
    return result


def _refuse_skipped_copies(path: object, duplicate_rows: str) -> None:
    """A :class:`DataError` for a ``duplicate_rows`` that is none, and for ``"skip"``, before
    any LF runs: a stream keeps a hash of each id, no rows to compare."""
    check_duplicate_rows(duplicate_rows)
    if duplicate_rows == "skip":
        raise DataError(f"{path}: duplicate_rows='skip' cannot be streamed: apply_file keeps "
                        "a hash of each id, not the rows, so it cannot tell a copy of a row "
                        "from two items of one id; read the file whole (labelwright run, "
                        "run_project) with [data] duplicate_rows = \"skip\", or drop the "
                        "copies first")


def _apply_one_file(applier: Applier, path: Path, out: Path, started: float, *,
                    fmt: str | None, id_column: str, text_column: str,
                    hidden_columns: tuple[str, ...], progress: Callable[[int], None] | None,
                    quoting: str, columns: Sequence[str] | None, delimiter: str | None,
                    bad_rows: str) -> tuple[StreamResult, np.ndarray]:
    """:func:`apply_file` on one file: its checks before any LF runs, the label matrix
    written whole or not at all, and what the stream found of the file; with the hash of
    each id written, in the matrix's order, for a stream of many files to check the ids
    across its parts (:func:`_apply_part`)."""
    from labelwright.review.targets import check_matrix_target

    check_one_file(path, MANY_FILES)
    check_matrix_target(out, path, applier.root)  # before any LF runs
    check_footers([path], fmt, [("id", id_column), ("text", text_column)])
    applier.check_lf_state("before the LFs were applied")
    names, schema = _matrix_schema(applier)
    read = open_file_read(applier, path, fmt=fmt, id_column=id_column,
                          text_column=text_column, hidden_columns=hidden_columns,
                          quoting=quoting, columns=columns, delimiter=delimiter,
                          bad_rows=bad_rows)
    runner = _stream_runner(applier)
    tally = _Tally(counts=np.zeros(len(names), dtype=np.int64))

    def write(partial: Path) -> None:
        """The label matrix written to ``partial`` as the votes come, then checked."""
        _write_votes(applier, runner, read, schema, partial, tally, progress)
        _check_written(applier, read, partial, tally)

    out.parent.mkdir(parents=True, exist_ok=True)
    # renamed into place when whole: a failure half way (a bad row, a crash) must not leave
    # a readable matrix that holds only the rows before it
    try:
        atomic_write(out, write)
    except RowError as first:  # every other bad row too, as a whole read says them
        if read.skipped is not None:
            raise
        from labelwright.apply.stream_problems import dask_row_error, stream_problems

        if applier.engine == "dask":  # the workers' first bad row, with the way out of it
            raise dask_row_error(first) from None

        raise stream_problems(path, first, kind=read.kind, chunk_size=applier.chunk_size,
                              quoting=quoting, columns=columns, delimiter=delimiter,
                              id_column=id_column, row_lines=read.row_lines) from None
    return _stream_result(applier, read, tally, out, names, started), tally.hashes()


def _apply_part(applier: Applier, part: Path, out: Path,
                **options: Any) -> tuple[StreamResult, np.ndarray]:
    """One file of a dataset in many files streamed into ``out``
    (:func:`~labelwright.apply.stream_parts.apply_parts` calls it with :func:`apply_file`'s
    options), with the hash of each id it wrote: the parts' ids are checked across them
    from the hashes their streams kept, not read back."""
    return _apply_one_file(applier, part, out, time.perf_counter(), **options)


def _matrix_schema(applier: Applier) -> tuple[list[str], pa.Schema]:
    """The LFs' names and the label matrix's Parquet schema: the id, a column of votes per
    LF, and the labels in its metadata."""
    names = [lf.name for lf in applier.lfs]
    dtype = pa.from_numpy_dtype(applier.runner.dtype)
    schema = pa.schema([pa.field("id", pa.string())] + [pa.field(n, dtype) for n in names],
                       metadata={b"labelwright.labels": json.dumps(list(applier.labels)).encode()})
    return names, schema


def _stream_runner(applier: Applier) -> ChunkRunner:
    """``applier``'s chunk runner as a stream uses it: without the Doc cache (a stream is
    read once), and matching every chunk when there are glossaries."""
    runner = copy.copy(applier.runner)
    runner.doc_cache = None
    if runner.has_matcher:  # every chunk matched: each glossary's hits are counted,
        runner.reads_parse = [True] * len(runner.lfs)  # whether an LF reads them or not
    return runner


@dataclass
class _Tally:
    """What the votes written add up to over the file."""

    counts: np.ndarray  # per LF, the items it voted on
    failures: dict[str, LFFailures] = field(default_factory=dict)
    hit_parts: list[np.ndarray] = field(default_factory=list)  # rows counted over the file
    notes: TextNotes = field(default_factory=TextNotes)  # the empty and long texts
    rows: int = 0
    hash_parts: list[np.ndarray] = field(default_factory=list)  # 8 bytes a row
    workers_seen: list[str] | None = None
    lookalikes: list[str] = field(default_factory=list)  # what a whole read says of ids

    def add(self, result: PartitionResult) -> None:
        """Count a chunk's (or a partition's) votes, failures, hits, texts and ids."""
        self.counts += (result.votes >= 0).sum(axis=0)
        merge_failures(self.failures, result.failures)
        if len(result.hits):
            hits = result.hits.copy()
            hits["row"] += result.start
            self.hit_parts.append(hits)
        self.notes.merge(result.text_notes)
        self.hash_parts.append(id_hashes(result.ids))
        self.rows += len(result.ids)

    def hashes(self) -> np.ndarray:
        """The hash of each id written (:func:`~labelwright.data.ids.id_hashes`),
        in the matrix's order, joined once."""
        if len(self.hash_parts) != 1:
            self.hash_parts = [np.concatenate(self.hash_parts)]
        return self.hash_parts[0]


def _write_votes(applier: Applier, runner: ChunkRunner, read: FileRead, schema: pa.Schema,
                 partial: Path, tally: _Tally, progress: Callable[[int], None] | None) -> None:
    """Apply the LFs on ``applier``'s engine and write their votes to ``partial`` as they
    come, one row group per chunk, whatever the engine; ``tally`` counts them and
    ``progress`` hears each chunk's rows."""
    size = applier.chunk_size
    # a Parquet footer says how many chunks come, so a pool starts no idle workers;
    # CSV and JSONL chunks are not counted in advance
    n_chunks = (-(-pq.ParquetFile(read.path).metadata.num_rows // size)
                if read.kind == "parquet" else None)
    with applier.start_engine(runner, n_chunks) as engine, \
            pq.ParquetWriter(partial, schema) as writer:
        for result in _engine_results(engine, read, size):
            n = len(result.ids)
            for lo in range(0, n, size):  # one row group per chunk, whatever the engine
                arrays = [pa.array(result.ids[lo:lo + size], type=pa.string())]
                arrays += [pa.array(result.votes[lo:lo + size, j])
                           for j in range(len(tally.counts))]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            tally.add(result)
            read.merge(result)
            if progress is not None:
                progress(n)
        tally.workers_seen = engine.workers_seen()  # before the engine drops the LFs


def _engine_results(engine: Any, read: FileRead, size: int) -> Iterator[PartitionResult]:
    """The chunks' results as they come: on the Dask engine, each partition the workers
    read of the file themselves; on another, each chunk read here."""
    if isinstance(engine, DaskEngine):
        spec = file_spec(os.path.abspath(plain_file(read.path)), str(read.path), read.kind,
                         id_column=read.id_column,
                         text_column=read.text_column, hidden=read.hidden,
                         quoting=read.quoting, columns=read.columns,
                         delimiter=read.delimiter, heads=read.heads)
        # planned whole before any task, as a local run scans the file first: a
        # quoted value the dialect refuses is the error, not a bad row before it
        # that a worker reads while the planner is still short of the quote
        return engine.map_tasks(run_partition, list(plan_partitions(spec, size)))
    return _local_results(read.chunks(), engine)


def _check_written(applier: Applier, read: FileRead, partial: Path, tally: _Tally) -> None:
    """Once every vote is written to ``partial``: an error for a file without rows, and
    for an id met twice (:func:`~labelwright.apply.written_ids.check_unique_ids`); the ids
    that look like others noted; and the LF folder checked unchanged while the LFs ran."""
    path, id_column = read.path, read.id_column
    left_out = read.left_out()
    if tally.rows == 0:
        if left_out:
            raise OnlyBadRows(str(path), left_out)
        raise NoRows(f"{path}: the dataset has no rows")
    hashes = tally.hashes()
    skipped_at = [r.row - 1 for r in left_out]
    check_unique_ids(partial, hashes, path, id_column, read.row_lines, skipped_at)
    tally.lookalikes.extend(read.ids_read.warnings(
        str(path), id_column, hashes, lambda at: ids_at(partial, at),
        lambda at: file_rows(at, skipped_at)))
    # workers import the LF folder again: the votes must come from the code loaded
    applier.check_lf_state("while the LFs were applied")


def _stream_result(applier: Applier, read: FileRead, tally: _Tally, out: Path,
                   names: list[str], started: float) -> StreamResult:
    """The stream's result: the matrix written to ``out``, the counts, the glossaries' hit
    tables, and the warnings a project's run gives of the same file, each of its kind."""
    path, id_column, text_column = read.path, read.id_column, read.text_column
    columns_read, notes = read.columns_read, tally.notes
    hits = np.concatenate(tally.hit_parts) if tally.hit_parts else np.zeros(0, HIT_DTYPE)
    # columns an LF cannot read as item.<name> (a column "doc"), as a project's run says
    shadowed = shadowed_warning(str(path), (id_column, text_column),
                                [name for name in columns_read.columns
                                 if name not in (id_column, text_column)])
    term_hits, phrase_hits = applier.hit_tables(hits)
    left_out = sorted(read.left_out(), key=lambda r: r.row)
    # the setting named as the caller gave it: an argument, not [data]
    said = [skipped_warning(str(path), left_out, "the result's skipped_rows",
                            ARGUMENT_SETTING)] if left_out else []
    return StreamResult(path=out, rows=tally.rows,
                        failures={n: tally.failures[n] for n in names if n in tally.failures},
                        term_hits=term_hits, phrase_hits=phrase_hits,
                        seconds=time.perf_counter() - started,
                        lf_counts=dict(zip(names, tally.counts.tolist())),
                        empty_texts=notes.empty, long_texts=notes.long,
                        # each with the kind a project's run gives it (warning_kinds)
                        warnings=[*kinded("data", [
                                      *tally.lookalikes, *said,
                                      *notes.warnings(str(path), text_column),
                                      *columns_read.warnings(str(path),
                                                             skip=(id_column, text_column)),
                                      shadowed]),
                                  *kinded("lf_code", map(str, streamed_number_comparisons(
                                      applier.lfs, columns_read, (id_column, text_column))))],
                        skipped_rows=left_out, workers_seen=tally.workers_seen,
                        text_notes=notes, column_notes=columns_read)


def _local_results(chunks: Iterator[Chunk], engine: Any) -> Iterator[PartitionResult]:
    """Each chunk's result with its ids and its empty and long texts, as a partition's
    comes back.

    Only the ids and the (bounded) :class:`TextNotes` of the chunks in flight are kept, not
    their texts: those are counted before a chunk is sent off.
    """
    from collections import deque

    waiting: deque[tuple[list[str], TextNotes]] = deque()

    def feed() -> Iterator[Chunk]:
        for chunk in chunks:
            waiting.append((chunk.ids, TextNotes.of(chunk.texts, chunk.ids, chunk.start,
                                                    chunk.file_rows)))
            yield chunk

    for result in engine.map(feed()):
        ids, notes = waiting.popleft()
        yield PartitionResult(result.start, ids, result.votes, result.failures, result.hits,
                              notes)

