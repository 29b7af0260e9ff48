"""Rows left out of a dataset read with ``[data] bad_rows = "skip"``, and where they were.

A *bad row* breaks a rule of its own, so the rows around it are still read as written: a
CSV or TSV record with another number of values than the header (a
:class:`~labelwright.errors.RowError` of :func:`~labelwright.data.csv_errors.field_count_error`),
a JSONL line that is not JSON, not an object, gives a key twice or holds half a character
(:func:`~labelwright.data.jsonl_format.json_row`), and a row without an id. Problems of the
file (a missing column, bytes that are not UTF-8, a quoted value the dialect refuses, which
moves where every later record starts) and of several rows at once (an id given twice:
which row is the item cannot be told) stay errors, as do values a whole column gets wrong
(an unknown gold label, a text or id of the wrong type).

Each skipped row is a :class:`SkippedRow`; a run writes them to ``skipped_rows.jsonl``.
Rows are numbered as in the file, bad ones included (row 5001 is the file's 5001st record
or non-blank line, as the error of ``bad_rows = "error"`` names it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from labelwright.config import DATA_BAD_ROWS
from labelwright.counts import counted, some_of
from labelwright.data.csv_errors import field_count_error
from labelwright.data.csv_format import CsvDialect
from labelwright.data.csv_scanner import CsvScanner
from labelwright.data.ids import no_id_reason
from labelwright.data.parquet_format import KEY_TWICE
from labelwright.data.quote_errors import BadQuote, quote_error
from labelwright.errors import DataError

#: the file ``labelwright run`` writes its skipped rows to, in the run's folder
SKIPPED_ROWS_FILE = "skipped_rows.jsonl"
#: reasons a warning shows (the file lists every row)
SHOWN = 3


@dataclass(frozen=True)
class SkippedRow:
    """One row left out: ``line`` (1-based, where its record starts; None where the file
    has no lines), ``row`` (1-based, counting every row of the file), ``raw`` (the row's
    text as written, line break dropped; None when it was read into values first, which
    ``values`` then holds) and ``reason`` (the error ``bad_rows = "error"`` gives, without
    where)."""

    line: int | None
    row: int
    raw: str | None
    reason: str
    values: dict[str, Any] | None = None
    #: the file it is a row of, in a dataset in many files (None: the one file read)
    file: str | None = None

    def record(self) -> dict[str, Any]:
        """The row as a line of ``skipped_rows.jsonl`` (``values`` and ``file`` only when
        known)."""
        out = asdict(self)
        for key in ("values", "file"):
            if out[key] is None:
                del out[key]
        return out


def check_bad_rows(value: str) -> str:
    """``value`` if it is one of :data:`DATA_BAD_ROWS`, else a ``ValueError`` naming them."""
    if value not in DATA_BAD_ROWS:
        raise ValueError(f"bad_rows must be one of {', '.join(map(repr, DATA_BAD_ROWS))}, "
                         f"got {value!r}")
    return value


def csv_bad_records(handle: BinaryIO, *, path: str, start: int, first_line: int,
                    header: Sequence[str], dialect: CsvDialect) -> list[SkippedRow]:
    """The records from ``start`` (the first after the header, on line ``first_line``)
    whose number of values is not the header's, each with its line, row and text, found
    by the scanner every CSV reader splits records with, so a whole read and a stream
    skip the same rows. A quoted value the dialect refuses is raised, as when no row is
    skipped: it moves where every later record starts."""
    scanner = CsvScanner(handle, start, dialect)
    records = scanner.records(None, fields=True)
    found: list[SkippedRow] = []
    row = 0
    while True:
        try:
            first, end, values, newlines = next(records)
        except StopIteration:
            return found
        except BadQuote as exc:
            raise quote_error(exc, path, first_line + scanner.newlines, f"row {row + 1}",
                              dialect) from None
        row += 1
        if values == len(header):
            continue
        record = scanner.record_bytes(first, end)
        error = field_count_error("", values, len(header), dialect,
                                  spaces_only=not record.strip(b" \t\r\n"), header=header)
        found.append(SkippedRow(first_line + newlines, row,
                                record.decode("utf-8", errors="replace").rstrip("\r\n"),
                                error.reason))


def file_rows(kept: np.ndarray, skipped: Sequence[int]) -> np.ndarray:
    """The 0-based file row of each ``kept`` position (0-based among the rows kept), given
    the 0-based file rows ``skipped``: the rows kept before a skipped row ``s_i`` number
    ``s_i - i``, so position ``k`` is file row ``k`` plus the skipped rows with
    ``s_i - i <= k``."""
    order = np.sort(np.asarray(skipped, dtype=np.int64))
    before = order - np.arange(len(order))
    return kept + np.searchsorted(before, kept, side="right")


def kept_file_rows(count: int, skipped: Sequence[SkippedRow], start: int = 0
                   ) -> np.ndarray | None:
    """The 0-based file row of the kept rows ``start`` to ``start + count`` (0-based among
    the rows kept), given every row ``skipped`` before the last of them; None when nothing
    was skipped (each kept row is then the file's row of its position). Messages number a
    row by it, so that "row 12" is the file's 12th row, skipped ones counted, as in
    ``skipped_rows.jsonl``."""
    if not skipped:
        return None
    kept = np.arange(start, start + count, dtype=np.int64)
    return file_rows(kept, [r.row - 1 for r in skipped])


def drop_rows_without_id(frame: pd.DataFrame, id_column: str, *,
                         rows: Callable[[np.ndarray], np.ndarray],
                         lines: Callable[[list[int]], dict[int, int]] | None,
                         reason: str) -> tuple[pd.DataFrame, list[SkippedRow]]:
    """``frame`` without its rows whose id is missing or only spaces, and those rows:
    ``rows`` maps frame positions to 0-based file rows, ``lines`` file rows to lines."""
    raw_ids = frame[id_column]
    missing = (raw_ids.isna() | (raw_ids.astype(str).str.strip() == "")).to_numpy()
    if not missing.any():
        return frame, []
    at = np.flatnonzero(missing)
    file_row = rows(at).tolist()
    line_of = lines(file_row) if lines is not None else {}
    skipped = [SkippedRow(line_of.get(row), row + 1, None, reason, row_values(frame, i))
               for i, row in zip(at.tolist(), file_row)]
    return kept_rows(frame, ~missing), skipped


def row_values(frame: pd.DataFrame, position: int) -> dict[str, Any]:
    """The row at ``position`` as a skipped row's ``values``: each column's cell as JSON
    writes it."""
    return {str(k): _plain(v) for k, v in frame.iloc[position].items()}


def kept_rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``frame``'s rows where ``keep`` is true, numbered from 0 again, with what its reader
    found at rows (a map's key twice) moved to the rows kept."""
    kept = frame[keep].reset_index(drop=True)
    if KEY_TWICE in frame.attrs:
        # positions in the frame as read, which pandas keeps through the filter: moved to
        # the rows kept, a row left out no longer named
        position = np.cumsum(keep) - 1
        moved = {column: [int(position[k]) for k in rows if keep[k]]
                 for column, rows in frame.attrs[KEY_TWICE].items()}
        kept.attrs[KEY_TWICE] = {column: rows for column, rows in moved.items() if rows}
    return kept


def block_without_ids(frame: pd.DataFrame, lines: list[int] | None, read: int,
                 skipped: list[SkippedRow], no_ids: list[SkippedRow], id_column: str,
                 row_lines: Callable[[list[int]], dict[int, int]] | None
                 ) -> tuple[pd.DataFrame, list[int] | None]:
    """For a stream: ``frame`` (the reader's rows from ``read``, 0-based among the rows
    it kept, with their JSONL ``lines``) without its rows that have no id, which go to
    ``no_ids``, numbered in the file past the reader's ``skipped`` rows."""
    if id_column not in frame.columns:
        return frame, lines  # the error chunk_from_frame gives, naming the columns
    read_rows = [r.row - 1 for r in skipped]

    def where(at: np.ndarray) -> np.ndarray:
        return file_rows(at + read, read_rows)

    def lines_of(rows: list[int]) -> dict[int, int]:
        if lines is None:
            return row_lines(rows) if row_lines is not None else {}
        line = dict(zip(where(np.arange(len(lines))).tolist(), lines))
        return {row: line[row] for row in rows if row in line}

    kept, dropped = drop_rows_without_id(frame, id_column, rows=where, lines=lines_of,
                                         reason=no_id_reason(id_column))
    if not dropped:
        return frame, lines
    no_ids.extend(dropped)
    if lines is not None:
        gone = {r.line for r in dropped}
        lines = [line for line in lines if line not in gone]
    return kept, lines


def _plain(value: Any) -> Any:
    """A cell as JSON writes it: missing is null, a numpy scalar its Python value."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def skipped_rows_jsonl(skipped: Sequence[SkippedRow]) -> str:
    """``skipped_rows.jsonl``: one :meth:`SkippedRow.record` a line, in file order."""
    # a dataset in many files lists them part by part, in reading order, as given
    ordered = skipped if any(r.file for r in skipped) else sorted(skipped, key=lambda r: r.row)
    return "".join(json.dumps(row.record(), ensure_ascii=False, default=str) + "\n"
                   for row in ordered)


#: the setting that skipped bad rows, as a project's data gives it
CONFIG_SETTING = '[data] bad_rows = "skip"'
#: the same given as an argument (``apply_file(..., bad_rows="skip")``)
ARGUMENT_SETTING = 'bad_rows="skip"'


def skipped_warning(source: str, skipped: Sequence[SkippedRow], listed_in: str,
                    setting: str = CONFIG_SETTING) -> str:
    """What a read says of its skipped rows: how many, the first :data:`SHOWN` by line,
    row and reason, and where the rest are listed; ``setting``: what skipped them, named as
    the caller gave it (:data:`ARGUMENT_SETTING` for a Python argument)."""
    return (f"{source}: {counted(len(skipped), 'bad row')} skipped "
            f"({setting}), not in the labels; each is listed in "
            f"{listed_in}: {_first_reasons(skipped)} (other messages number rows as the "
            "file does, skipped ones counted)")


def _first_reasons(skipped: Sequence[SkippedRow]) -> str:
    """The first :data:`SHOWN` of ``skipped`` in file order, by line, row and reason."""
    ordered = sorted(skipped, key=lambda r: r.row)
    return some_of([(f"line {r.line}, " if r.line is not None else "") + f"row {r.row}: "
                    f"{r.reason}" for r in ordered[:SHOWN]], SHOWN, total=len(ordered),
                   clauses=True)


class OnlyBadRows(DataError):
    """Every row of a file was a bad row, skipped under ``bad_rows = "skip"``: no item is
    left. It is refused, not read as an empty file: a file whose every row is bad was
    written wrong as a whole, which is no row's own problem."""

    def __init__(self, source: str, skipped: Sequence[SkippedRow],
                 fix: str = "mend the file") -> None:
        self.source, self.skipped = source, list(skipped)
        super().__init__(f"{source}: every row is a bad row ({len(skipped)} skipped under "
                         f"[data] bad_rows = \"skip\": {_first_reasons(skipped)}), so no "
                         f"item is left; {fix}")
        self.fix = fix

    def __reduce__(self) -> tuple[type, tuple[str, list[SkippedRow], str]]:
        return type(self), (self.source, self.skipped, self.fix)
