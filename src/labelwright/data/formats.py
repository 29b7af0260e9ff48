"""A dataset file read into a DataFrame, whatever its format (CSV, TSV, JSONL, Parquet).

Each format's reader does the checks that need the file itself, so its errors name the
file and the line (CSV, JSONL) or the row (Parquet): :mod:`~labelwright.data.csv_format`
(a row with more or fewer fields than the header, a quoted value read otherwise than it
was written), :mod:`~labelwright.data.jsonl_format` (a JSON key given twice, half a
surrogate pair), :mod:`~labelwright.data.parquet_format`, and for all of them
:mod:`~labelwright.data.text_checks` (bytes that are not UTF-8, repeated column names).
:mod:`labelwright.data.dataset` then checks ids, texts and gold labels.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from labelwright.config import DATA_FORMATS, DATA_MANY_FILES, DATA_SUFFIXES
from labelwright.config.data_override import not_one_file
from labelwright.config.schema import COMPRESSED_SUFFIXES, data_suffix
from labelwright.data.compressed import named_as, plain_file
from labelwright.data.csv_errors import csv_row_lines
from labelwright.data.csv_format import DELIMITERS, CsvDialect, csv_dialect
from labelwright.data.csv_frames import read_csv
from labelwright.data.jsonl_format import jsonl_row_lines, read_jsonl
from labelwright.data.packed_files import check_not_packed
from labelwright.data.parquet_format import read_parquet
from labelwright.errors import DataError

if TYPE_CHECKING:
    from labelwright.data.bad_rows import SkippedRow

FORMATS = DATA_FORMATS


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format of the dataset file at ``path``: ``fmt`` ([data] format) or its suffix's
    (the one before a compression's: ``.jsonl`` of ``day2.jsonl.gz``). A workbook, or a
    file compressed otherwise than labelwright reads through, is an error saying so,
    whatever its name."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise DataError(f"{path}: unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
        check_not_packed(path, fmt)
        return fmt
    check_not_packed(path, DATA_SUFFIXES.get(data_suffix(path)))
    try:
        return DATA_SUFFIXES[data_suffix(path)]
    except KeyError:
        raise DataError(
            f"{path}: cannot tell the format from the suffix {data_suffix(path)!r}; "
            f"use one of {', '.join(sorted(DATA_SUFFIXES))} (compressed or not: "
            f"{', '.join(COMPRESSED_SUFFIXES)}) or set [data] format"
        ) from None


def check_one_file(path: Path, many: str = DATA_MANY_FILES) -> None:
    """A :class:`DataError` when ``path`` is no file: not there, or a folder (the parts a
    Spark or Dask job writes, in a folder named ``*.parquet`` or not), or a name with a
    wildcard that is no file of that name. ``many``: what to do with a dataset in many
    files."""
    problem = not_one_file(path, many)
    if problem is not None:
        what, what_to_do = problem
        raise DataError(f"{path}: {what}" + (f"; {what_to_do}" if what_to_do else ""))


def row_lines_reader(path: Path | str, kind: str, dialect: CsvDialect
                     ) -> Callable[[list[int]], dict[int, int]] | None:
    """``rows -> {row: line}`` for a file of format ``kind`` (:func:`jsonl_row_lines`,
    :func:`csv_row_lines`), for an error about a row; None for Parquet, which has no
    lines. A compressed file's lines are those of its decompressed text."""
    if kind == "jsonl":
        return functools.partial(jsonl_row_lines, plain_file(Path(path)))
    if kind in DELIMITERS:
        return functools.partial(csv_row_lines, plain_file(Path(path)), dialect)
    return None


def read_frame(path: str | os.PathLike[str], fmt: str | None = None, *, quoting: str = "auto",
               columns: Sequence[str] | None = None,
               delimiter: str | None = None,
               skipped: list[SkippedRow] | None = None,
               copies: Path | None = None) -> pd.DataFrame:
    """Read a dataset file into a DataFrame, with errors that name the file and line.
    ``quoting``, ``columns`` and ``delimiter`` are ``[data]``'s, for a CSV or TSV file (see
    :class:`CsvDialect`). ``skipped``: a list to add the file's bad rows to (see
    :mod:`~labelwright.data.bad_rows`), which are then left out; None: a bad row is an
    error. A Parquet file has no bad rows: its rows are values, never text to split.
    ``copies``: where a compressed file's decompressed copy goes (a project's
    ``DataConfig.copies``; see :mod:`~labelwright.data.compressed`)."""
    path = Path(path)
    check_one_file(path)
    kind = detect_format(path, fmt)
    dialect = csv_dialect(path, kind, quoting, columns, delimiter)
    plain = plain_file(path, copies)  # a compressed file's decompressed copy
    with named_as(plain, path):
        if kind in DELIMITERS:
            frame = read_csv(plain, dialect, skipped)
            # the delimiter it was read with, for a hint on an Excel "sep=;" line read as
            # header
            frame.attrs["delimiter"] = dialect.delimiter
            return frame
        if kind == "jsonl":
            return read_jsonl(plain, skipped)
        return read_parquet(plain)
