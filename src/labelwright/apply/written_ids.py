"""The ids of a label matrix a stream has written: the ids met more than once, found from
their hashes and read back from the file only where a hash repeats, the ids at given
positions, read a row group at a time, and the ids of a dataset in many files checked
across its parts as each part is written (:class:`PartIds`)."""

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


class PartIds:
    """The 64-bit hash of each id of the parts a stream has written so far (8 bytes a row),
    so each part, once written, is checked against the parts before it: an id in two parts
    stops the stream at the second, not once every part has been applied. The hashes are
    the ones each part's stream kept for its own check
    (:func:`~labelwright.data.ids.id_hashes`), handed over as it ends: no part's ids are
    read back or hashed again.

    The hashes are held as a few sorted runs, each more than twice the size of the next
    (a new part's run merged into the one before it until that holds): each hash is
    merged about log2(parts) times, where one sorted array grown by an insert per part
    copied every hash once a part (4,000 parts of 500 ids: 20 s of copying)."""

    def __init__(self) -> None:
        self._runs: list[np.ndarray] = []

    def add(self, hashes: np.ndarray) -> bool:
        """Note the hashes of the ids of one part; whether one of them was met in an earlier
        part (then the ids themselves are to be compared: two ids may share a hash). A
        part's own repeats are its stream's error, said before."""
        hashes = np.sort(hashes)
        if not hashes.size:
            return False
        clash = any(_meets(run, hashes) for run in self._runs)
        self._runs.append(hashes)
        while len(self._runs) > 1 and self._runs[-2].size <= 2 * self._runs[-1].size:
            newer = self._runs.pop()
            # two sorted runs: the stable sort (a merge sort for integers) merges them
            self._runs[-1] = np.sort(np.concatenate([self._runs[-1], newer]), kind="stable")
        return clash


def _meets(run: np.ndarray, hashes: np.ndarray) -> bool:
    """Whether the sorted ``run`` holds one of the sorted ``hashes``."""
    at = np.minimum(np.searchsorted(run, hashes), run.size - 1)
    return bool((run[at] == hashes).any())

