"""Stream a dataset in many files (a folder of parts, a wildcard, a list) through the LFs:
one label matrix for them all, rows in the order the parts are read. :func:`many_parts`
tells such a path given to ``apply_file`` from one file, and finds its parts.

Each part is streamed on its own (:func:`~labelwright.apply.stream.apply_file`), so every
engine reads it as it reads one file (a Dask worker its partitions of a part) and every
error and warning names the part and the row in it. The parts' matrices are then written
one after another into ``out`` and the counts added. The ids are checked across parts as
each part is written (:class:`~labelwright.apply.written_ids.PartIds`, the hash of each id
seen, as the part's stream kept it): an id in two parts is the error naming both files and
rows, as a project's read says it, raised once the second of them is written, not after
every part was applied.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from labelwright.apply.lf_failures import LFFailures, merge_failures
from labelwright.apply.written_ids import PartIds
from labelwright.config.schema import DataConfig
from labelwright.counts import counted
from labelwright.data.bad_rows import OnlyBadRows, file_rows
from labelwright.data.parquet_footers import check_footers
from labelwright.data.part_files import is_many, part_files, part_row_place
from labelwright.data.part_reads import (
    PART_OF_BAD_ROWS,
    check_unique_across,
    columns_typed_apart,
    grouped_warnings,
)
from labelwright.data.text_notes import TextNotes
from labelwright.errors import DataError, NoRows
from labelwright.runs.store import atomic_write
from labelwright.warning_kinds import kinded

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier
    from labelwright.apply.stream import StreamResult


def many_parts(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], out: Path,
               fmt: str | None) -> tuple[list[Path], str, DataConfig] | None:
    """The parts of a dataset in many files (a list of files, a folder of parts, a
    wildcard), the dataset as messages name it, and its ``[data]`` settings; None for one
    file. An empty list is an error, and so is an ``out`` inside the folder of parts."""
    if not isinstance(path, (str, os.PathLike)):  # a list of files, as [data] path takes
        given = tuple(Path(p) for p in path)
        if not given:
            raise DataError("apply_file: an empty list of files; name the dataset's files, "
                            "or the folder that holds them")
        many = DataConfig(Path(os.path.commonpath([p.parent for p in given])), format=fmt,
                          parts=given)
        return part_files(many), ", ".join(map(str, given)), many
    if is_many(Path(path)):  # a folder of parts, a wildcard
        if Path(path).is_dir() and Path(path).resolve() in out.resolve().parents:
            raise DataError(f"{out}: inside {path}, whose every file is read as a part: the "
                            "label matrix would be read as one by the next read; write it "
                            "outside that folder")
        many = DataConfig(Path(path), format=fmt)
        parts = part_files(many)
        return (parts, str(path), many) if parts else None
    return None


def apply_parts(applier: Applier, parts: Sequence[Path], out: Path, source: str,
                apply_one: Callable[..., tuple[StreamResult, np.ndarray]], *, base: Path,
                **options: Any) -> StreamResult:
    """Apply ``applier``'s LFs to each of ``parts`` in turn (``apply_one``: ``apply_file``
    on one file, given ``options``, with the hash of each id it wrote) and write one label
    matrix to ``out``; ``source``: the dataset as
    given (a folder, a wildcard), as messages name it; ``base``: the folder its parts are
    named from (:func:`~labelwright.data.part_files.parts_base`), as a run names them."""
    from labelwright.review.targets import check_matrix_target

    for part in parts:  # before any LF runs
        check_matrix_target(out, part, applier.root)
    id_column, text_column = options.get("id_column", "id"), options.get("text_column", "text")
    check_footers(parts, options.get("fmt"), [("id", id_column), ("text", text_column)],
                  source)
    out.parent.mkdir(parents=True, exist_ok=True)
    files = len(parts)  # the empty ones counted, as a run's read counts them
    with tempfile.TemporaryDirectory(prefix=".labelwright-parts-", dir=out.parent) as folder:
        read: list[tuple[Path, StreamResult]] = []
        seen = PartIds()
        for k, part in enumerate(parts):
            applied = _part_applied(apply_one, applier, part,
                                    Path(folder) / f"part-{k:05d}.parquet", options)
            if applied is None:
                continue
            result, hashes = applied
            read.append((part, result))
            # an id in two parts stops the stream once the second is written, not at the end
            if seen.add(hashes):
                _check_unique_across([p for p, _ in read], [r for _, r in read], source,
                                     id_column, files)
        if not read:
            raise DataError(f"{source}: the dataset has no rows ({counted(len(parts), 'file')}, "
                            "none with a row)")
        parts = [part for part, _ in read]
        results = [result for _, result in read]
        atomic_write(out, lambda partial: _concatenated(results, partial))
    return _merged(parts, results, out, source, base, (id_column, text_column))


def _part_applied(apply_one: Callable[..., tuple[StreamResult, np.ndarray]],
                  applier: Applier, part: Path, out: Path,
                  options: dict[str, Any]) -> tuple[StreamResult, np.ndarray] | None:
    """``part`` streamed into ``out``, with the hash of each id written; None for a part
    without a row, which adds none (as a project's read of the parts has it); a part whose
    every row is bad is the error saying what to do with a part."""
    try:
        return apply_one(applier, part, out, **options)
    except NoRows:
        return None
    except OnlyBadRows as exc:
        raise OnlyBadRows(exc.source, exc.skipped, PART_OF_BAD_ROWS) from None


def _concatenated(results: Sequence[StreamResult], partial: Path) -> None:
    """The parts' label matrices one after another into ``partial``, a row group at a
    time (each part's row groups as they were written)."""
    schema = pq.read_schema(results[0].path)
    with pq.ParquetWriter(partial, schema) as writer:
        for result in results:
            source = pq.ParquetFile(result.path)
            for group in range(source.metadata.num_row_groups):
                writer.write_table(source.read_row_group(group))


def _check_unique_across(parts: Sequence[Path], results: Sequence[StreamResult], source: str,
                         id_column: str, files: int) -> None:
    """A :class:`DataError` for ids in more than one part (each part's own repeats were
    its stream's error already), naming both files and each one's row, as a project's read
    says it (:func:`~labelwright.data.part_reads.check_unique_across`); ``files``: how many
    the dataset has, empty ones too."""
    ids = [pq.read_table(r.path, columns=["id"]).column("id").to_pylist() for r in results]

    def where(k: int, position: int) -> str:
        left_out = [r.row - 1 for r in results[k].skipped_rows]
        return f"{parts[k]}: row {int(file_rows(np.array([position]), left_out)[0]) + 1}"

    check_unique_across(ids, where, id_column, files, source)


def _merged(parts: Sequence[Path], results: Sequence[StreamResult], out: Path, source: str,
            base: Path, data_columns: tuple[str, str]) -> StreamResult:
    """One :class:`StreamResult` of the parts': counts added, warnings and skipped rows
    (each naming its part) in part order, the empty and long texts said once for all the
    parts (as a project's read of them says it), glossary hits summed per term and
    phrase."""
    failures: dict[str, LFFailures] = {}
    counts: dict[str, int] = {}
    for result in results:
        merge_failures(failures, result.failures)
        for name, n in result.lf_counts.items():
            counts[name] = counts.get(name, 0) + n
    workers = sorted({w for r in results for w in (r.workers_seen or ())})
    first = results[0]
    return replace(
        first, path=out, rows=sum(r.rows for r in results), failures=failures,
        term_hits=_summed([r.term_hits for r in results]),
        phrase_hits=_summed([r.phrase_hits for r in results]),
        seconds=sum(r.seconds for r in results), lf_counts=counts,
        empty_texts=sum(r.empty_texts for r in results),
        long_texts=sum(r.long_texts for r in results),
        warnings=_text_warnings(parts, results, source, data_columns, base),
        skipped_rows=[replace(row, file=os.fspath(part)) for part, r in zip(parts, results)
                      for row in r.skipped_rows],
        workers_seen=workers if any(r.workers_seen is not None for r in results) else None)


#: a part's index in a merged text note's row: ``index << _PART_SHIFT | row``
_PART_SHIFT = 40


def _text_warnings(parts: Sequence[Path], results: Sequence[StreamResult], source: str,
                   data_columns: tuple[str, str], base: Path) -> list[str]:
    """The parts' warnings, each part's empty and long texts replaced by one warning for
    them all that names the first by part and row, and a warning several parts give said
    once (:func:`~labelwright.data.part_reads.grouped_warnings`), and the columns typed
    otherwise in some parts (``data_columns``: the id and text columns, no fields)."""
    text_column = data_columns[1]
    own = {w for part, r in zip(parts, results)
           for w in r.text_notes.warnings(str(part), text_column)}
    notes = TextNotes()
    for k, result in enumerate(results):
        shifted = copy.deepcopy(result.text_notes)
        shifted.first_long = [(k << _PART_SHIFT | row, i, n) for row, i, n in shifted.first_long]
        shifted.first_empty = [(k << _PART_SHIFT | row, i, n)
                               for row, i, n in shifted.first_empty]
        notes.merge(shifted)

    def named(key: int) -> str:  # the part by its name in the folder, and its row
        return part_row_place(parts[key >> _PART_SHIFT], str(base),
                              key & ((1 << _PART_SHIFT) - 1))

    return (grouped_warnings([(str(part), [w for w in r.warnings if w not in own])
                              for part, r in zip(parts, results)], base)
            + kinded("data", notes.warnings(source, text_column, named)
                     + columns_typed_apart([(str(part), r.column_notes)
                                            for part, r in zip(parts, results)], source, base,
                                           skip=data_columns)))


def _summed(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Per-term (or per-phrase) hit tables of the parts, every term in each in the same
    order, with ``hits`` and ``cancelled`` added up (each item is in one part)."""
    total = tables[0].copy()
    for column in ("hits", "cancelled"):
        if column in total.columns:
            total[column] = sum(t[column].to_numpy() for t in tables)
    return total
