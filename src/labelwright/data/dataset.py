"""A text dataset (CSV, JSONL, Parquet or a pandas DataFrame) as items.

An *item* is one row: an id, a text, and the row's other columns as fields.
Reading checks what later steps rely on: the id and text columns exist, ids are
present, unique, and strings or numbers, texts are strings, gold labels (when the
project has a gold column) are known labels. Texts that are empty or missing are kept
(they become items no LF votes on) and reported as warnings, never dropped. A read that
finds problems says them all in one error, one kind a line
(:mod:`labelwright.data.read_problems`), not only the first. Under
``[data] bad_rows = "skip"`` a row whose problem is its own (a malformed record, no id) is
left out, listed in ``Dataset.skipped_rows`` and said in a warning
(:mod:`labelwright.data.bad_rows`). :func:`dataset_from_frame` reads a frame in steps: its
arguments and columns checked (:mod:`labelwright.data.frame_arguments`), then its rows read
into ids, texts, gold labels and fields (:mod:`labelwright.data.frame_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import DataConfig
from labelwright.config.data_override import FRAME_SOURCE
from labelwright.data.bad_rows import SkippedRow
from labelwright.data.csv_format import csv_dialect
from labelwright.data.data_hash import dataset_sha256
from labelwright.data.formats import FORMATS, detect_format, read_frame, row_lines_reader
from labelwright.data.frame_arguments import checked_arguments, named_columns
from labelwright.data.frame_hash import frame_sha256
from labelwright.data.frame_rows import (
    FrameRead,
    frame_fields,
    frame_gold,
    frame_ids,
    frame_texts,
    id_warnings,
    rows_kept,
)
from labelwright.data.ids import duplicate_id, id_cells, id_value
from labelwright.data.part_files import DataPart, part_row_place
from labelwright.data.read_problems import UnreadRows
from labelwright.data.required import require_dataset as require_dataset
from labelwright.errors import DataError, RowError
from labelwright.short_repr import ShortRepr

__all__ = ["FORMATS", "Dataset", "dataset_from_frame", "detect_format", "duplicate_id",
           "file_dataset", "frame_sha256", "id_cells", "id_value", "read_dataset",
           "read_file_frame", "read_frame", "require_dataset"]

@dataclass(repr=False)
class Dataset(ShortRepr):
    """Items held column-wise: ids and texts as lists, other columns as a DataFrame."""

    ids: list[str]
    texts: list[str]
    fields: pd.DataFrame
    gold: np.ndarray  # class index per item, -1 where no gold label
    source: str
    sha256: str
    warnings: list[str] = field(default_factory=list)
    #: the columns the ids and texts come from, under whose names LFs read them too
    #: (:func:`labelwright.lfs.item.named_columns`)
    data_columns: tuple[str, str] = ("id", "text")
    #: the labels the gold column was read with, in order (gold ``i`` is ``gold_labels[i]``);
    #: None when there was no gold column, or the Dataset was made without saying
    gold_labels: tuple[str, ...] | None = None
    #: the rows left out under ``[data] bad_rows = "skip"``, in file order (see
    #: :mod:`labelwright.data.bad_rows`); a run writes them to ``skipped_rows.jsonl``
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    #: each item's 0-based row in the file, skipped rows counted; None when nothing was
    #: skipped (item ``i`` is then row ``i``). Messages name rows by it (:meth:`file_row`)
    file_rows: np.ndarray | None = None
    #: the columns read, as the file or frame orders them (id, text and gold among them)
    columns: tuple[str, ...] = ()
    #: a dataset in many files: each file, its hash and its items, in reading order (the
    #: items of the first part first); ``file_rows`` then number rows in each item's own
    #: file (:meth:`where`). Empty: one file, or a DataFrame
    parts: tuple[DataPart, ...] = ()
    #: the folder the parts are named within (:func:`~labelwright.data.part_files.parts_base`:
    #: the folder given, a wildcard's folder, a list's common folder); "" for one file
    parts_base: str = ""

    def __len__(self) -> int:
        return len(self.ids)

    def file_row(self, position: int) -> int:
        """The 0-based row in the file of the item at ``position``."""
        return position if self.file_rows is None else int(self.file_rows[position])

    def file_of(self, position: int) -> str:
        """The file holding the item at ``position``: its part's, for a dataset in many
        files, placed by the parts' row counts; else :attr:`source`. So too for a subset of
        one made with ``dataclasses.replace``, which those counts no longer place when it
        holds fewer items; one that reorders every item keeps the count and must pass
        ``parts=()``, or its items are said to be in the parts of their new positions."""
        ends = np.cumsum([part.rows for part in self.parts])
        if not self.parts or int(ends[-1]) != len(self):
            return self.source
        return str(self.parts[int(np.searchsorted(ends, position, side="right"))].path)

    def part_place(self, position: int) -> str:
        """``part: row N`` of the item at ``position`` of a dataset in many files, the part
        named within :attr:`parts_base` as the read's own messages name it (a name alone
        left two parts of a ``**`` wildcard, ``2025/01.csv`` and ``2026/01.csv``, alike;
        the path whole is :meth:`where`'s)."""
        return part_row_place(self.file_of(position), self.parts_base,
                              self.file_row(position))

    def where(self, position: int) -> str:
        """``file: row N`` of the item at ``position``, in its own file (its part's, for
        a dataset in many files)."""
        return f"{self.file_of(position)}: row {self.file_row(position) + 1}"

    @property
    def gold_column(self) -> str | None:
        """The column the gold labels were read from (of :attr:`columns`, neither the id
        nor the text column nor a field), None when there was none or it is not known."""
        if self.gold_labels is None:
            return None
        held = [c for c in self.columns
                if c not in self.data_columns and c not in self.fields.columns]
        return held[0] if len(held) == 1 else None

    @property
    def n_gold(self) -> int:
        return int((self.gold >= 0).sum())

    def summary(self) -> dict[str, object]:
        return {"source": self.source, "items": len(self), "gold": self.n_gold,
                "columns": list(self.fields.columns), "warnings": len(self.warnings)}


def item_places(dataset: Dataset, ids: Sequence[str]) -> dict[str, str]:
    """``{id: "id (part: row N)"}`` for the ``ids`` of a dataset in many files, the part
    named within the folder (:meth:`Dataset.part_place`; {} for one file, whose ids are
    enough): how the run's and the apply's messages name an item an LF raised on, "raised
    on 1 item (first: p2r1)" having left the reader to search every part for it."""
    if not dataset.parts or not ids:
        return {}
    wanted = set(ids)
    found = {item: k for k, item in enumerate(dataset.ids) if item in wanted}
    return {item: f"{item} ({dataset.part_place(k)})" for item, k in found.items()}


def dataset_from_frame(
    frame: pd.DataFrame,
    *,
    id_column: str,
    text_column: str,
    labels: Sequence[str],
    gold_column: str | None = None,
    gold_values: Mapping[Any, str] | Sequence[tuple[Any, str]] = (),
    source: str = FRAME_SOURCE,
    sha256: str | None = None,
    row_lines: Callable[[list[int]], dict[int, int]] | None = None,
    bad_rows: str = "error",
    skipped_rows: Sequence[SkippedRow] = (),
    duplicate_rows: str = "error",
    unread: UnreadRows | None = None,
    hints: str = "python",
) -> Dataset:
    """Check a DataFrame and turn it into a :class:`Dataset`.

    ``row_lines``: ``{row: line}`` of the rows it is given, in the file ``frame`` was read
    from (:func:`~labelwright.data.formats.row_lines_reader`); an error about a row then
    names its line as well (``items.jsonl:6: row 3 ...``), as a streamed read does: blank
    lines hold no row and a CSV record may span lines, so the row alone does not say where
    it is.

    ``labels`` follow the rules of ``[project] labels`` (a list of two or more distinct
    names, in the project's order: gold label ``i`` is ``labels[i]``); a string, a
    duplicate, labels that differ only in case, or a label that is no string is an error
    naming the problem.

    ``bad_rows``: ``"skip"`` leaves out a row without an id (``"error"``, the default: it
    is an error); each is added to the Dataset's ``skipped_rows`` with the rows the file
    reader left out (``skipped_rows``, numbered as in the file), and a warning says how
    many and the first reasons. Messages about the rows kept number them as the file does,
    the skipped ones counted (the Dataset's ``file_rows``), with their lines.

    ``duplicate_rows``: ``"skip"`` leaves out each row the same in every column as an
    earlier row (:mod:`~labelwright.data.row_copies`), listed with the skipped rows and
    said in a warning; rows of one id that differ stay an error.

    ``gold_values``: what the gold column's values stand for when they are not the
    labels' names, ``[data] gold_values``: ``{0: "ham", 1: "spam"}`` reads Snorkel's
    indices as those labels (a value as written, or its text: ``0`` and ``"0"`` are one),
    ``""`` for no gold label.

    ``hints``: how an unknown gold label's message names the settings that may be wrong:
    ``"python"``, this function's ``labels=`` and ``gold_values=``; ``"config"`` (a
    project's data), ``[project] labels`` and ``[data] gold_values``. The rows that cannot
    be read (``unread``) end with the setting that leaves them out, in the same terms
    (:func:`~labelwright.data.read_problems.skip_hint`).

    ``unread``: under ``bad_rows = "error"``, the rows the file reader could not read
    (``frame`` holds the others). Every problem found in the rows (those, rows without an
    id, ids or texts of the wrong type, repeated ids, unknown gold labels) is said in one
    error, one kind a line (:mod:`~labelwright.data.read_problems`).
    """
    labels = checked_arguments(frame, labels, bad_rows=bad_rows,
                               duplicate_rows=duplicate_rows, hints=hints)
    frame, columns = named_columns(frame, source, unread, id_column=id_column,
                                   text_column=text_column, gold_column=gold_column,
                                   hints=hints)
    read = FrameRead(source, row_lines)
    frame, skipped = rows_kept(frame, id_column, read, bad_rows=bad_rows,
                               skipped_rows=skipped_rows, unread=unread, hints=hints)
    frame, ids, copies = frame_ids(frame, id_column, read, duplicate_rows=duplicate_rows)
    warnings = id_warnings(ids, id_column, read, skipped, copies)
    texts, text_warnings = frame_texts(frame, ids, text_column, read)
    gold, gold_warnings = frame_gold(frame, labels, ids, gold_column, read,
                                     gold_values=gold_values, hints=hints)
    read.raise_problems()
    fields, field_warnings = frame_fields(frame, ids, read,
                                          data_columns=(id_column, text_column, gold_column))
    return Dataset(
        ids=ids,
        texts=texts,
        fields=fields,
        gold=gold,
        source=source,
        sha256=sha256 or frame_sha256(frame),
        warnings=[*warnings, *text_warnings, *gold_warnings, *field_warnings],
        data_columns=(id_column, text_column),
        gold_labels=labels if gold_column is not None else None,
        skipped_rows=sorted(skipped + copies, key=lambda r: r.row),
        file_rows=read.in_file,
        columns=tuple(columns),
    )


def read_dataset(config: DataConfig, labels: tuple[str, ...]) -> Dataset:
    """Read the dataset a project's ``[data]`` table points to (its bad rows left out and
    listed in ``skipped_rows`` under ``bad_rows = "skip"``): one file, or the files of a
    dataset in many (a folder, a wildcard, a list: :mod:`labelwright.data.part_reads`)."""
    from labelwright.data.part_files import many_files

    if many_files(config):
        from labelwright.data.part_reads import read_parts

        return read_parts(config, labels)
    return file_dataset(config, labels, *read_file_frame(config))


def read_file_frame(config: DataConfig
                    ) -> tuple[pd.DataFrame, list[SkippedRow] | None, UnreadRows | None]:
    """The frame of the one file ``config`` reads, with the bad rows ``bad_rows = "skip"``
    left out (None under "error") and, under "error", the rows that could not be read."""
    skipped: list[SkippedRow] | None = [] if config.bad_rows == "skip" else None

    def read(skipped: list[SkippedRow] | None) -> pd.DataFrame:
        return read_frame(config.path, config.format, quoting=config.quoting,
                          columns=config.columns, delimiter=config.delimiter,
                          skipped=skipped, copies=config.copies)

    unread = None
    try:
        frame = read(skipped)
    except RowError as first:
        # read again as bad_rows = "skip" reads, for every row that cannot be read and the
        # other rows' problems, all said in one error: only a file with a bad row pays it
        rows: list[SkippedRow] = []
        try:
            frame = read(rows)
        except DataError:
            raise first from None
        unread = UnreadRows(first, rows)
    return frame, skipped, unread


def file_dataset(config: DataConfig, labels: tuple[str, ...], frame: pd.DataFrame,
                 skipped: list[SkippedRow] | None, unread: UnreadRows | None,
                 sha256: str | None = None) -> Dataset:
    """The :class:`Dataset` of ``frame``, read from the one file of ``config``
    (:func:`read_file_frame`); ``sha256``: its data hash, when known."""
    kind = detect_format(config.path, config.format)
    return dataset_from_frame(
        frame,
        id_column=config.id_column,
        text_column=config.text_column,
        gold_column=config.gold_column,
        gold_values=config.gold_values,
        labels=labels,
        source=str(config.path),
        sha256=sha256 or dataset_sha256(config),
        row_lines=row_lines_reader(config.path, kind, csv_dialect(
            config.path, kind, config.quoting, config.columns, config.delimiter)),
        bad_rows=config.bad_rows,
        skipped_rows=skipped or (),
        duplicate_rows=config.duplicate_rows,
        unread=unread,
        hints="config",
    )
