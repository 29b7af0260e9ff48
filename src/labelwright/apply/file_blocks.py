"""A dataset file read in blocks of rows, never whole: CSV with ``pyarrow.csv.open_csv``,
Parquet with ``ParquetFile.iter_batches``, JSONL line by line; bad rows found by the same
scanner a whole read uses, and left out when asked (:func:`iter_frames`), what
:func:`labelwright.apply.apply_file` streams."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.apply.partitions import (
    jsonl_keys,
)
from labelwright.data.bad_rows import (
    SkippedRow,
    csv_bad_records,
)
from labelwright.data.compressed import named_as, plain_file
from labelwright.data.csv_format import DELIMITERS, CsvDialect, csv_dialect
from labelwright.data.csv_records import (
    count_records,
    csv_error,
    csv_header,
    csv_options,
    frame_names,
)
from labelwright.data.formats import check_one_file, detect_format
from labelwright.data.jsonl_format import jsonl_frame, jsonl_rows
from labelwright.data.parquet_format import arrow_frame
from labelwright.errors import DataError


def iter_frames(path: str | os.PathLike[str], fmt: str | None = None, *,
                chunk_size: int = 10_000, quoting: str = "auto",
                columns: Sequence[str] | None = None, delimiter: str | None = None,
                skipped: list[SkippedRow] | None = None) -> Iterator[pd.DataFrame]:
    """DataFrames of at most ``chunk_size`` rows of the dataset file at ``path`` (a ``str``
    or ``os.PathLike``), every column read as text (Parquet as is); ``quoting``,
    ``columns`` and ``delimiter`` as ``[data]``'s, for a CSV or TSV file. ``skipped``: a
    list to add the file's bad rows to (as :func:`~labelwright.data.formats.read_frame`
    takes it), which are then left out."""
    path = Path(path)
    check_one_file(path, MANY_FILES)
    for frame, _ in iter_blocks(path, fmt, chunk_size=chunk_size, quoting=quoting,
                                 columns=columns, delimiter=delimiter, skipped=skipped):
        yield frame


#: what to do with a dataset in many files, for a read of frames
MANY_FILES = ("iter_frames reads one dataset file: read each part with it in turn, or "
              "stream them all with apply_file(applier, folder, out), which takes a folder "
              "or a wildcard (see \"Data in many files\" in the README)")


def iter_blocks(path: Path, fmt: str | None = None, *, chunk_size: int = 10_000,
                 quoting: str = "auto", columns: Sequence[str] | None = None,
                 delimiter: str | None = None, skipped: list[SkippedRow] | None = None
                 ) -> Iterator[tuple[pd.DataFrame, list[int] | None]]:
    """Like :func:`iter_frames`, with the line of each row of a JSONL file."""
    kind = detect_format(path, fmt)
    dialect = csv_dialect(path, kind, quoting, columns, delimiter)
    plain = plain_file(Path(path))  # a compressed file's decompressed copy, which seeks
    with named_as(plain, Path(path)):
        if kind == "parquet":
            yield from _parquet_blocks(plain, Path(path), chunk_size)
        elif kind in DELIMITERS:
            yield from _csv_blocks(plain, dialect, chunk_size, skipped)
        else:
            keys = jsonl_keys(str(plain), str(path), skip=skipped is not None)
            rows: list[dict] = []
            lines: list[int] = []
            with open(plain, "rb") as handle:
                for number, row in jsonl_rows(handle, str(path), skipped):
                    rows.append(row)
                    lines.append(number)
                    if len(rows) >= chunk_size:
                        yield jsonl_frame(rows, keys), lines
                        rows, lines = [], []
            if rows:
                yield jsonl_frame(rows, keys), lines


def _parquet_blocks(plain: Path, path: Path, chunk_size: int
                    ) -> Iterator[tuple[pd.DataFrame, None]]:
    """The Parquet file's rows in blocks; a file that cannot be opened or whose data cannot
    be read (a page corrupt on disk) is a :class:`DataError` naming it and the rows read
    before (pyarrow's own error names no file)."""
    read = 0
    try:
        source = pq.ParquetFile(plain)
        for batch in source.iter_batches(batch_size=chunk_size):
            frame = arrow_frame(batch)
            read += len(frame)
            yield frame, None
    except (OSError, pa.ArrowException) as exc:
        after = f" (after its first {read:,} rows)" if read else ""
        raise DataError(f"{path}: cannot read as Parquet{after}: {exc}") from None


def _csv_blocks(path: Path, dialect: CsvDialect, chunk_size: int,
                skipped: list[SkippedRow] | None = None
                ) -> Iterator[tuple[pd.DataFrame, None]]:
    from pyarrow import csv

    with open(path, "rb") as handle:
        header, body, first_line = csv_header(handle, str(path), dialect)
        # the reader itself reads an unclosed quote to the end of the file, and drops the
        # quotes of a value with text after them, without an error
        records = count_records(handle, str(path), body, first_line, dialect)
        # the records a whole read skips, found by the same scanner before any is read
        bad = [] if skipped is None else csv_bad_records(
            handle, path=str(path), start=body, first_line=first_line, header=header,
            dialect=dialect)
    if skipped is not None:
        skipped.extend(bad)
    if not records:
        return  # a header and no record (the CSV reader refuses a file without a line break)
    parse, convert = csv_options(header, dialect)
    if bad:  # the reader leaves out the rows of another number of values: these
        parse.invalid_row_handler = _skip_row
    pending: list[pd.DataFrame] = []
    size = read = 0
    # a file without a header: its first line is a record, of the columns named
    read_options = csv.ReadOptions(block_size=1 << 22,
                                   column_names=None if dialect.header else header)
    try:
        reader = csv.open_csv(path, read_options=read_options, parse_options=parse,
                              convert_options=convert)
        names = frame_names(header)
        for batch in reader:
            frame = batch.to_pandas()
            frame.columns = names
            pending.append(frame)
            read += len(frame)
            size += len(frame)
            while size >= chunk_size:
                whole = pd.concat(pending, ignore_index=True)
                yield whole.iloc[:chunk_size].reset_index(drop=True), None
                rest = whole.iloc[chunk_size:].reset_index(drop=True)
                pending, size = [rest], len(rest)
    except pa.ArrowInvalid as exc:
        with open(path, "rb") as handle:
            raise csv_error(exc, handle, path=str(path), start=body, stop=None, first_row=0,
                            first_line=first_line, header=header,
                            dialect=dialect) from None
    if size:
        yield pd.concat(pending, ignore_index=True), None
    if read + len(bad) != records:
        raise DataError(f"{path}: read {read} rows where {records} records were found before "
                        "reading; did the file change during the run?")


def _skip_row(row: Any) -> str:
    """pyarrow's ``invalid_row_handler``: leave the row out (it is one of the bad records
    found before reading, which the count of rows read checks)."""
    return "skip"
