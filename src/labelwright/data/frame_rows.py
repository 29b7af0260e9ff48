"""The rows of a frame read into items, step by step, for
:func:`~labelwright.data.dataset.dataset_from_frame`: the rows kept (those without an id
left out under ``bad_rows = "skip"``), their ids (copies left out under ``duplicate_rows =
"skip"``), texts, gold labels and other columns, with the warnings each step gives.

A :class:`FrameRead` carries what the steps share: where each row kept is in the file (an
error names a row as the file numbers it, with its line), and the problems found so far.
A step that finds a problem in the rows adds it there and the read goes on, so that one
error at the end (:meth:`FrameRead.raise_problems`) says every kind found
(:mod:`~labelwright.data.read_problems`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from labelwright.config.data_override import FRAME_SOURCE
from labelwright.data.bad_rows import (
    OnlyBadRows,
    SkippedRow,
    drop_rows_without_id,
    file_rows,
    kept_file_rows,
    skipped_warning,
)
from labelwright.data.column_kinds import ColumnNotes
from labelwright.data.gold import parse_gold
from labelwright.data.ids import (
    check_unique,
    column_ids,
    id_cells,
    id_value,
    no_id_reason,
    same_rows,
    without_ids,
)
from labelwright.data.lookalike_ids import lookalike_warnings
from labelwright.data.parquet_format import key_twice_warnings
from labelwright.data.read_problems import UnreadRows, one_error, skip_hint
from labelwright.data.row_copies import copies_warning, drop_copies
from labelwright.data.text_cells import column_texts
from labelwright.data.text_notes import TextNotes
from labelwright.data.unread_gold import unread_gold_warnings
from labelwright.errors import DataError, IdsRead, NoRows

T = TypeVar("T")

#: where a read's warnings send the reader for the rows it left out: every command that
#: reads the dataset says them (``check`` and ``analyze`` too, which write no run), and the
#: one file that lists each is the run's
LISTED_IN = "the skipped_rows.jsonl `labelwright run` writes in its run folder"


@dataclass
class FrameRead:
    """One frame's read as it goes: ``source`` (the file, or the frame's name), its rows'
    lines (``row_lines``, :func:`~labelwright.data.formats.row_lines_reader`; None: not
    known), each kept row's 0-based row in the file (``in_file``; None: row ``k`` is the
    file's row ``k``), which the steps update as they leave rows out, and the problems
    found so far. ``ids``: each kept row's id once the ids are read (None where it is of
    the wrong type), and ``all_read``: whether the file reader read every row; the error
    of the problems carries them (:class:`~labelwright.errors.IdsRead`)."""

    source: str
    row_lines: Callable[[list[int]], dict[int, int]] | None = None
    in_file: np.ndarray | None = None
    problems: list[DataError] = field(default_factory=list)
    ids: Sequence[str | None] | None = None
    all_read: bool = True
    #: what the rows without an id end with: the setting that leaves them out
    #: (:func:`~labelwright.data.read_problems.skip_hint`), or "" when the error says it
    #: already (after the rows that cannot be read) or says a header read wrong
    #: (``RowError.whole_file``), whose rows skipping would only hide
    no_id_hint: str = ""

    def file_row(self, position: int) -> int:
        """The 0-based row in the file of the kept row at ``position``."""
        return position if self.in_file is None else int(self.in_file[position])

    def lines_of(self, rows: list[int]) -> dict[int, int]:
        """``{row: line}`` of the file ``rows`` ({} when not known); for an error only, as
        it reads the file again."""
        return self.row_lines(rows) if self.row_lines is not None else {}

    def wheres(self, positions: list[int]) -> list[str]:
        """``source:line: row N`` of the kept rows at ``positions``, as the file has
        them (the file read again once for all of them)."""
        rows = [self.file_row(k) for k in positions]
        lines = self.lines_of(rows) if rows else {}
        source = self.source
        return [f"{source if lines.get(r) is None else f'{source}:{lines[r]}'}: row {r + 1}"
                for r in rows]

    def where(self, position: int) -> str:
        """``source:line: row N`` of the kept row at ``position``."""
        return self.wheres([position])[0]

    def checked(self, check: Callable[[], T], otherwise: Callable[[], T]) -> T:
        """``check()``; when it raises a :class:`DataError`, it is added to the problems
        and ``otherwise()`` stands in, so the read goes on to find the other kinds of
        problem (all said in one error at its end)."""
        try:
            return check()
        except DataError as exc:
            self.problems.append(exc)
            return otherwise()

    def raise_problems(self) -> None:
        """The one error saying every problem found, if any was."""
        if self.problems:
            error = one_error(self.problems, self.source)
            if self.ids is not None:
                known = [(self.file_row(k), i) for k, i in enumerate(self.ids) if i is not None]
                error.ids_read = IdsRead(tuple(i for _, i in known), tuple(r for r, _ in known),
                                         self.all_read and len(known) == len(self.ids))
            raise error


def rows_kept(frame: pd.DataFrame, id_column: str, read: FrameRead, *, bad_rows: str,
              skipped_rows: Sequence[SkippedRow], unread: UnreadRows | None, hints: str
              ) -> tuple[pd.DataFrame, list[SkippedRow]]:
    """``frame`` without its rows that have no id under ``bad_rows = "skip"``, and those
    rows with the ones the file reader left out (``skipped_rows``); ``read`` learns where
    each kept row is in the file, and the problem of the rows that could not be read
    (``unread``, the setting that leaves them out said as ``hints`` asks). A frame with no
    row left is an error: the problems found, else the rows left out, else that there are
    no rows."""
    source = read.source
    skipped = list(skipped_rows)
    if bad_rows == "skip":
        read_rows = [r.row - 1 for r in skipped]
        frame, without_id = drop_rows_without_id(
            frame, id_column, rows=lambda at: file_rows(at, read_rows), lines=read.row_lines,
            reason=no_id_reason(id_column))
        skipped += without_id
    if unread is not None:
        read.problems.append(unread.error(source, hints))
        read.all_read = False
    elif bad_rows == "error":  # rows without an id are bad rows "skip" leaves out too
        read.no_id_hint = skip_hint(hints)
    read.in_file = kept_file_rows(len(frame), [*skipped, *(unread.rows if unread else ())])
    if len(frame) == 0:
        read.raise_problems()
        if skipped:  # (a frame's only bad rows are rows without an id)
            raise OnlyBadRows(source, skipped, "mend the file" if source != FRAME_SOURCE else
                              f"give the frame's rows their ids in column {id_column!r}")
        raise NoRows(f"{source}: the dataset has no rows")
    return frame, skipped


def frame_ids(frame: pd.DataFrame, id_column: str, read: FrameRead, *, duplicate_rows: str
              ) -> tuple[pd.DataFrame, list[str], list[SkippedRow]]:
    """``frame`` without its rows missing an id (a problem, said with the others) and,
    under ``duplicate_rows = "skip"``, the copies of an earlier row; its ids, as text; and
    the copies left out. An id of the wrong type, or one given to two rows, is a problem."""
    source = read.source
    raw_ids = frame[id_column]
    missing = raw_ids.isna() | (raw_ids.astype(str).str.strip() == "")
    if missing.any():
        read.problems.append(without_ids(np.flatnonzero(missing.to_numpy()).tolist(),
                                         read.where, read.file_row, read.lines_of, source,
                                         id_column, read.no_id_hint))
        # the other rows are checked for every other kind of problem all the same
        kept = ~missing.to_numpy()
        read.in_file = (np.arange(len(frame)) if read.in_file is None else read.in_file)[kept]
        frame = frame[kept].reset_index(drop=True)
        raw_ids = frame[id_column]
    typed = True

    def as_written() -> list[str]:  # an id of the wrong type: the others checked all the same
        nonlocal typed
        typed = False
        return [str(value) for value in raw_ids.tolist()]

    ids = read.checked(lambda: column_ids(raw_ids, source, id_column, read.where, read.wheres),
                       as_written)
    copies: list[SkippedRow] = []
    if duplicate_rows == "skip" and len(set(ids)) < len(ids):
        frame, ids, read.in_file, copies = drop_copies(frame, ids, read.in_file, read.lines_of)
    if len(set(ids)) < len(ids):  # which rows: only then is each id's first row kept
        in_file = read.in_file
        read.checked(lambda: check_unique(
            ids, source, id_column, read.lines_of,
            rows=None if in_file is None else in_file.tolist(), same_rows=same_rows(frame)),
            lambda: None)
    # the list itself, not a copy: it is read only if the read fails
    read.ids = ids if typed else _ids_of_type(frame[id_column], id_column)
    return frame, ids, copies


def _ids_of_type(column: pd.Series, id_column: str) -> list[str | None]:
    """Each id of ``column`` as text, None for one of the wrong type (only for an error,
    which names those)."""
    out: list[str | None] = []
    for value in id_cells(column):
        try:
            out.append(id_value(value, "", id_column))
        except DataError:
            out.append(None)
    return out


def id_warnings(ids: list[str], id_column: str, read: FrameRead,
                skipped: Sequence[SkippedRow], copies: Sequence[SkippedRow]) -> list[str]:
    """The warnings of the ids read: ids that look alike, and the rows left out (bad rows,
    copies of an earlier row)."""
    warnings = lookalike_warnings(ids, read.source, id_column,
                                  lambda k: read.file_row(k) + 1)
    if skipped:
        warnings.append(skipped_warning(read.source, skipped, LISTED_IN))
    if copies:
        warnings.append(copies_warning(read.source, copies, LISTED_IN))
    return warnings


def frame_texts(frame: pd.DataFrame, ids: list[str], text_column: str, read: FrameRead
                ) -> tuple[list[str], list[str]]:
    """The items' texts (a cell that is no text is a problem, and every text "" then),
    and the warnings of the texts (empty or missing ones, kept)."""
    texts = read.checked(lambda: column_texts(frame[text_column], ids, read.source,
                                              text_column, read.where, read.wheres),
                         lambda: [""] * len(ids))
    return texts, TextNotes.of(texts, ids, rows=read.in_file).warnings(read.source,
                                                                       text_column)


def frame_gold(frame: pd.DataFrame, labels: tuple[str, ...], ids: list[str],
               gold_column: str | None, read: FrameRead, *,
               gold_values: Mapping[Any, str] | Sequence[tuple[Any, str]], hints: str
               ) -> tuple[np.ndarray, list[str]]:
    """Each item's gold label as its index in ``labels`` (-1: none; all -1 without a gold
    column, or when the column has a problem, a label not known among them), read through
    ``gold_values``, and the warnings of the gold labels (without a gold column: a column
    that looks like one)."""
    gold = np.full(len(frame), -1, dtype=np.int64)
    if gold_column is None:
        return gold, unread_gold_warnings(frame, labels, read.source)
    return read.checked(lambda: parse_gold(
        frame[gold_column], labels, ids, read.source, gold_column, read.lines_of,
        rows=read.in_file, stands_for={str(k).strip(): v for k, v in dict(gold_values).items()},
        python=hints != "config"),
        lambda: (gold, []))


def frame_fields(frame: pd.DataFrame, ids: list[str], read: FrameRead, *,
                 data_columns: Sequence[str | None]) -> tuple[pd.DataFrame, list[str]]:
    """The items' fields, the columns of ``frame`` but the ``data_columns`` (id, text
    and gold), and their warnings: a column holding numbers in some rows and text in
    others, and what the file's reader found at the rows kept (a map's key twice)."""
    hidden = {column for column in data_columns if column}
    fields = frame[[c for c in frame.columns if str(c) not in hidden]]
    warnings = ColumnNotes.of(fields.items(), rows=read.in_file).warnings(read.source)
    warnings.extend(key_twice_warnings(
        frame, read.source, lambda k: f"row {read.file_row(k) + 1} (id {ids[k]!r})"))
    return fields, warnings
