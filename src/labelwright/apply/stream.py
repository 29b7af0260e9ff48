"""Stream a dataset file larger than memory through the LFs, chunk by chunk.

CSV is read with ``pyarrow.csv.open_csv``, Parquet with ``ParquetFile.iter_batches``,
JSONL line by line; the label matrix is written as it comes with a ``ParquetWriter``.
Memory is bounded by the chunk size times the chunks in flight (two per worker).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.apply.core import HIT_DTYPE, Chunk, LFFailures
from labelwright.apply.engines import make_engine
from labelwright.data import detect_format
from labelwright.errors import DataError

if TYPE_CHECKING:
    from labelwright.apply.applier import Applier


@dataclass
class StreamResult:
    path: Path  # the label matrix written
    rows: int
    failures: dict[str, LFFailures]
    term_hits: pd.DataFrame
    seconds: float
    lf_counts: dict[str, int] = field(default_factory=dict)  # LF -> items it voted on


def iter_frames(path: Path, fmt: str | None = None, *, chunk_size: int = 10_000
                ) -> Iterator[pd.DataFrame]:
    """DataFrames of at most ``chunk_size`` rows, every column read as text (Parquet as is)."""
    kind = detect_format(path, fmt)
    if kind == "parquet":
        source = pq.ParquetFile(path)
        for batch in source.iter_batches(batch_size=chunk_size):
            yield batch.to_pandas()
    elif kind == "csv":
        from pyarrow import csv

        with open(path, encoding="utf-8-sig", newline="") as handle:
            import csv as stdcsv

            header = next(stdcsv.reader([handle.readline()]), [])
        if not header:
            raise DataError(f"{path}: the file is empty; expected a header row")
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.open_csv(
            path,
            read_options=csv.ReadOptions(block_size=1 << 22),
            parse_options=csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=csv.ConvertOptions(column_types={c: pa.string() for c in header},
                                               strings_can_be_null=True),
        )
        pending: list[pd.DataFrame] = []
        size = 0
        for batch in reader:
            frame = batch.to_pandas()
            pending.append(frame)
            size += len(frame)
            while size >= chunk_size:
                whole = pd.concat(pending, ignore_index=True)
                yield whole.iloc[:chunk_size].reset_index(drop=True)
                rest = whole.iloc[chunk_size:].reset_index(drop=True)
                pending, size = [rest], len(rest)
        if size:
            yield pd.concat(pending, ignore_index=True)
    else:
        rows: list[dict[str, Any]] = []
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise DataError(f"{path}:{number}: malformed JSON: {exc}") from None
                if not isinstance(row, dict):
                    raise DataError(f"{path}:{number}: expected a JSON object per line")
                rows.append(row)
                if len(rows) >= chunk_size:
                    yield pd.DataFrame(rows)
                    rows = []
        if rows:
            yield pd.DataFrame(rows)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def _id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def apply_file(
    applier: Applier,
    path: Path,
    out: Path,
    *,
    fmt: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    hidden_columns: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> StreamResult:
    """Apply ``applier``'s LFs to the file at ``path`` in chunks; write the label matrix to ``out``.

    The vote cache is not used (a stream is read once). Ids are not checked for
    uniqueness across chunks (that would keep every id in memory).
    """
    started = time.perf_counter()
    names = [lf.name for lf in applier.lfs]
    dtype = pa.from_numpy_dtype(applier.runner.dtype)
    schema = pa.schema([pa.field("id", pa.string())] + [pa.field(n, dtype) for n in names],
                       metadata={b"labelwright.labels": json.dumps(list(applier.labels)).encode()})
    hidden = {id_column, text_column, *hidden_columns}
    offset = 0

    def chunks() -> Iterator[Chunk]:
        nonlocal offset
        for frame in iter_frames(path, fmt, chunk_size=applier.chunk_size):
            for role, column in (("id", id_column), ("text", text_column)):
                if column not in frame.columns:
                    raise DataError(f"{path}: no {role} column {column!r}; columns present: "
                                    f"{', '.join(map(str, frame.columns))}")
            extra = [c for c in frame.columns if str(c) not in hidden]
            chunk = Chunk(
                start=offset,
                ids=[_id(v) for v in frame[id_column].tolist()],
                texts=[_text(v) for v in frame[text_column].tolist()],
                fields={str(c): frame[c].tolist() for c in extra} or None,
                keep_matches=False,
            )
            offset += len(chunk)
            yield chunk

    failures: dict[str, LFFailures] = {}
    hit_parts: list[np.ndarray] = []
    counts = np.zeros(len(names), dtype=np.int64)
    rows = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with make_engine(applier.engine, applier.runner, root=applier.root,
                     workers=applier.workers, scheduler=applier.scheduler) as engine, \
            pq.ParquetWriter(out, schema) as writer:
        for chunk, result in _paired(chunks(), engine):
            arrays = [pa.array(chunk.ids, type=pa.string())]
            arrays += [pa.array(result.votes[:, j]) for j in range(len(names))]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            counts += (result.votes >= 0).sum(axis=0)
            for name, fail in result.failures.items():
                failures.setdefault(name, LFFailures(name)).merge(fail)
            if len(result.hits):
                hits = result.hits.copy()
                hits["row"] += result.start
                hit_parts.append(hits)
            rows += len(chunk)
            if progress is not None:
                progress(len(chunk))
    hits = np.concatenate(hit_parts) if hit_parts else np.zeros(0, HIT_DTYPE)
    return StreamResult(path=out, rows=rows,
                        failures={n: failures[n] for n in names if n in failures},
                        term_hits=applier.term_hit_table(hits),
                        seconds=time.perf_counter() - started,
                        lf_counts=dict(zip(names, counts.tolist())))


def _paired(chunks: Iterator[Chunk], engine: Any) -> Iterator[tuple[Chunk, Any]]:
    """Each result with its chunk's ids, keeping only the chunks still in flight."""
    from collections import deque

    waiting: deque[Chunk] = deque()

    def feed() -> Iterator[Chunk]:
        for chunk in chunks:
            waiting.append(Chunk(chunk.start, chunk.ids, []))
            yield chunk

    for result in engine.map(feed()):
        yield waiting.popleft(), result
