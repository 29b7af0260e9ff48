"""Every bad row of a streamed file, said in one error, as a whole read says them.

``apply_file`` meets a file's rows a chunk at a time, and under ``bad_rows = "error"`` the
first row that cannot be read, or has no id, stopped it: a file with a bad row early and
others late took one attempt per row. As a whole read does
(:mod:`~labelwright.data.read_problems`), the file is then read again as ``bad_rows =
"skip"`` reads it, block by block and without applying any LF (only a file with a bad row
pays it), and one :class:`~labelwright.errors.DataError` says every row that cannot be read
and every row without an id, one kind a line, the first :data:`ROWS_SHOWN` of a kind
named, the others counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from labelwright.apply.file_blocks import iter_blocks
from labelwright.data.bad_rows import SkippedRow, block_without_ids
from labelwright.data.ids import is_no_id_reason, without_ids
from labelwright.data.read_problems import ROWS_SHOWN, UnreadRows, one_error, skip_hint
from labelwright.errors import DataError, RowError

__all__ = ["ROWS_SHOWN", "dask_row_error", "stream_problems"]


def stream_problems(path: Path, first: RowError, *, kind: str, chunk_size: int, quoting: str,
                    columns: Sequence[str] | None, delimiter: str | None, id_column: str,
                    row_lines: Callable[[list[int]], dict[int, int]] | None) -> DataError:
    """The error for every bad row of ``path`` (``first``: the error the stream stopped at,
    the first line of its kind), read again in blocks as ``bad_rows = "skip"`` reads it."""
    source = str(path)
    unread: list[SkippedRow] = []
    no_ids: list[SkippedRow] = []
    read = 0
    for frame, lines in iter_blocks(path, kind, chunk_size=chunk_size, quoting=quoting,
                                    columns=columns, delimiter=delimiter, skipped=unread):
        size = len(frame)
        block_without_ids(frame, lines, read, unread, no_ids, id_column, row_lines)
        read += size
    problems: list[DataError] = []
    if unread:  # the kind a whole read meets first, its first row's error as the reader's
        problems.append(UnreadRows(_first_unread(path, first, kind, quoting, columns,
                                                 delimiter), unread).error(source, "python"))
    if no_ids:  # the setting that leaves them out said once: after the rows unread, if any
        hint = "" if unread else skip_hint("python")
        problems.append(_without_ids(no_ids, source, id_column, hint))
    return one_error(problems, source) if problems else first


def _first_unread(path: Path, first: RowError, kind: str, quoting: str,
                  columns: Sequence[str] | None, delimiter: str | None) -> DataError:
    """The error the first row that cannot be read gives alone: ``first`` when the stream
    stopped at it, else (it stopped at a row without an id before it) the reader's, read
    until it."""
    if not is_no_id_reason(first.reason):
        return first
    try:
        for _ in iter_blocks(path, kind, quoting=quoting, columns=columns,
                             delimiter=delimiter):
            pass
    except RowError as exc:
        return exc
    return first  # pragma: no cover - the read above found such a row


def _without_ids(rows: list[SkippedRow], source: str, id_column: str,
                 hint: str) -> DataError:
    """:func:`~labelwright.data.ids.without_ids` of the rows ``rows`` (numbered in the
    file, with their lines), as a whole read names rows without an id."""
    file_row = {k: r.row - 1 for k, r in enumerate(rows)}
    line = {r.row - 1: r.line for r in rows if r.line is not None}

    def where(k: int) -> str:
        at = line.get(file_row[k])
        return f"{source if at is None else f'{source}:{at}'}: row {file_row[k] + 1}"

    return without_ids(list(range(len(rows))), where, file_row.__getitem__,
                       lambda wanted: {r: line[r] for r in wanted if r in line}, source,
                       id_column, hint)


def dask_row_error(first: RowError) -> RowError:
    """The error of the first bad row the Dask workers met (one that cannot be read, or
    has no id), as a local stream says one, ending with the engines whose
    ``bad_rows="skip"`` leaves it out (the dask engine refuses it)."""
    error = UnreadRows(first, []).error("", "dask")
    return error if isinstance(error, RowError) else first
