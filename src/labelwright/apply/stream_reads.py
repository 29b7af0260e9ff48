"""One dataset file as a stream reads it: its format, CSV dialect and bad-row setting
checked before any LF runs, then read a block of rows at a time into chunks, counting on
the way what a whole read would say of its columns and ids.

:func:`~labelwright.apply.stream.apply_file` opens the file with :func:`open_file_read` and
gives :meth:`FileRead.chunks` to the local and processes engines; the Dask engine's workers
read their own partitions of it (:mod:`~labelwright.apply.partitions`) with the same
settings, and their notes are merged here (:meth:`FileRead.merge`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.apply.chunks import Chunk
from labelwright.apply.file_blocks import iter_blocks
from labelwright.apply.frame_chunks import chunk_from_frame, column_notes
from labelwright.config.schema import decompressed_folder
from labelwright.data.bad_rows import SkippedRow, block_without_ids, check_bad_rows, kept_file_rows
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.compressed import plain_file
from labelwright.data.csv_format import csv_dialect
from labelwright.data.formats import detect_format, row_lines_reader
from labelwright.data.lookalike_ids import IdNotes
from labelwright.errors import DataError
from labelwright.lfs.number_comparisons import compared_columns

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier
    from labelwright.apply.partitions import PartitionResult


@dataclass
class FileRead:
    """One file a stream reads: how it is read, and what the read found of it so far."""

    path: Path
    kind: str  # the file's format (:func:`~labelwright.data.formats.detect_format`)
    id_column: str
    text_column: str
    #: the id and text columns and the columns hidden from the LFs, none of them an item field
    hidden: tuple[str, ...]
    #: the columns an LF compares with a number, which keep their first text values to say so
    heads: tuple[str, ...]
    quoting: str
    columns: Sequence[str] | None
    delimiter: str | None
    chunk_size: int
    #: ``rows -> {row: line}`` for messages naming a row's line (None: Parquet)
    row_lines: Callable[[list[int]], dict[int, int]] | None
    #: the bad rows the reader left out under ``bad_rows="skip"`` (None: they are errors)
    skipped: list[SkippedRow] | None
    #: rows without an id, left out after the reader's under ``bad_rows="skip"``
    no_ids: list[SkippedRow] = field(default_factory=list)
    #: the fields' text and numbers, over the whole file
    columns_read: ColumnNotes = field(default_factory=ColumnNotes)
    #: ids with spaces around them, ids in no NFC form
    ids_read: IdNotes = field(default_factory=IdNotes)

    def left_out(self) -> list[SkippedRow]:
        """Every row left out: the reader's bad rows, then the rows without an id."""
        return [*(self.skipped or ()), *self.no_ids]

    def chunks(self) -> Iterator[Chunk]:
        """The file's items, ``chunk_size`` rows at a time, each chunk naming the file rows
        of its items (past every row left out before them); their columns and ids noted as
        they are read."""
        offset = read = 0
        for frame, lines in iter_blocks(self.path, self.kind, chunk_size=self.chunk_size,
                                         quoting=self.quoting, columns=self.columns,
                                         delimiter=self.delimiter, skipped=self.skipped):
            if self.skipped is not None:  # as a whole read: rows without an id are left out
                size = len(frame)
                frame, lines = block_without_ids(frame, lines, read, self.skipped, self.no_ids,
                                                 self.id_column, self.row_lines)
                read += size
            # the file rows of the rows kept, past every row left out before them
            rows = kept_file_rows(len(frame), self.left_out(), offset)
            chunk = chunk_from_frame(frame, path=str(self.path), start=offset,
                                     id_column=self.id_column, text_column=self.text_column,
                                     hidden=self.hidden, lines=lines,
                                     rows=None if rows is None else rows.tolist())
            self.columns_read.merge(column_notes(frame, chunk, self.hidden, self.heads))
            self.ids_read.merge(IdNotes.of(chunk.ids, chunk.start, chunk.file_rows))
            offset += len(chunk)
            yield chunk

    def merge(self, result: PartitionResult) -> None:
        """Add what a partition's read found of its columns and ids (a Dask worker's; a
        local chunk's were noted as it was read, and come back empty)."""
        self.columns_read.merge(result.column_notes)
        self.ids_read.merge(result.id_notes)


def open_file_read(applier: Applier, path: Path, *, fmt: str | None, id_column: str,
                   text_column: str, hidden_columns: tuple[str, ...], quoting: str,
                   columns: Sequence[str] | None, delimiter: str | None,
                   bad_rows: str) -> FileRead:
    """``path`` ready to be read for ``applier``'s LFs: its format found, a compressed file
    decompressed into the project's folder, and a setting the format does not take or a
    ``bad_rows`` that is none (or ``"skip"`` on the ``dask`` engine, whose workers read the
    file) an error, before any LF runs."""
    hidden = tuple(dict.fromkeys((id_column, text_column, *hidden_columns)))
    kind = detect_format(path, fmt)
    # a compressed file decompressed into the project's folder, read so by every step after
    plain_file(path, None if applier.root is None else decompressed_folder(Path(applier.root)))
    # a setting the format does not take is an error before any LF runs
    dialect = csv_dialect(path, kind, quoting, columns, delimiter)
    check_bad_rows(bad_rows)
    skipped: list[SkippedRow] | None = [] if bad_rows == "skip" else None
    if skipped is not None and applier.engine == "dask":
        raise DataError(f"{path}: bad_rows='skip' is not available on the dask engine, whose "
                        "workers read the file; use the local or processes engine")
    row_lines = row_lines_reader(path, kind, dialect)
    # the columns an LF compares with a number keep their first text values, to say so
    compared = compared_columns(applier.lfs)
    heads = tuple(sorted(compared | {name for name, role in zip((id_column, text_column),
                                                                 ("id", "text"))
                                      if {name, role} & compared}))
    return FileRead(path, kind, id_column, text_column, hidden, heads, quoting, columns,
                    delimiter, applier.chunk_size, row_lines, skipped)
