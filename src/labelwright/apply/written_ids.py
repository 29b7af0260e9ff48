"""The ids of a label matrix a stream has written: the ids met more than once, found from
their hashes and read back from the file only where a hash repeats, and the ids at given
positions, read a row group at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from labelwright.data.bad_rows import file_rows
from labelwright.data.ids import check_unique


def check_unique_ids(matrix: Path, hashes: np.ndarray, path: Path, id_column: str,
                      row_lines: Callable[[list[int]], dict[int, int]] | None,
                      left_out: Sequence[int] = ()) -> None:
    """A :class:`DataError` naming the ids the stream met more than once, with their rows
    (and lines, in JSONL, CSV and TSV), as a project's dataset says them, found from the
    ids' hashes and, for a repeated hash, the ids written to ``matrix``. ``left_out``: the
    0-based file rows skipped, which the rows named count."""
    values, counts = np.unique(hashes, return_counts=True)
    repeated = values[counts > 1]
    if not repeated.size:
        return
    rows = np.flatnonzero(np.isin(hashes, repeated))
    check_unique(ids_at(matrix, rows.tolist()), str(path), id_column, row_lines,
                 rows=file_rows(rows, left_out).tolist())


def ids_at(matrix: Path, positions: list[int]) -> list[str]:
    """The ids at ``positions`` of the label matrix written to ``matrix``, read a row group
    at a time (only those holding one)."""
    source = pq.ParquetFile(matrix)
    wanted = np.asarray(positions, dtype=np.int64)
    found: dict[int, str] = {}
    first = 0
    for group in range(source.metadata.num_row_groups):
        n = source.metadata.row_group(group).num_rows
        inside = wanted[(wanted >= first) & (wanted < first + n)].tolist()
        if inside:
            ids = source.read_row_group(group, columns=["id"]).column("id").to_pylist()
            found.update((at, ids[at - first]) for at in inside)
        first += n
    return [found[at] for at in positions]
