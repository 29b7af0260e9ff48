"""Every item each LF raised on, kept beside a run's label matrix (``lf_failures.parquet``).

A failure is an abstain in the label matrix, and the manifest lists only the first ids an
LF raised on (``failures.<lf>.item_ids``), so ``explain`` could only say "abstain, or
failed: the LF raised on 3,494 items of the run, which lists only some of them". A run
whose LFs raised now keeps one row per (LF, item) they raised on: the LF's name and the
item's row in ``label_matrix.parquet`` (and ``labels.parquet``, in the same order), as
``uint32`` — ids would repeat what the matrix holds. Each failed LF's manifest record
names the file (``rows_in``), so a run without it (older, or no LF raised) is told apart
from one whose file is missing. Size: rows ascending, delta-encoded: an LF raising on
every one of 1,000,000 items takes 0.01 MB, one raising on a random 10% 0.07 MB
(``benchmarks/lf_failures_size.py``, ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.errors import RunError
from labelwright.runs.file_names import LF_FAILURES_FILE


def write_failed_rows(path: Path, failed_rows: Mapping[str, np.ndarray]) -> None:
    """``lf_failures.parquet`` at ``path``: columns ``lf`` (dictionary-encoded) and
    ``row``, LF by LF, rows ascending."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(failed_rows)
    rows = [np.asarray(failed_rows[name], dtype=np.uint32) for name in names]
    codes = np.repeat(np.arange(len(names), dtype=np.int32), [len(r) for r in rows])
    lf = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()),
                                        pa.array(names, type=pa.string()))
    row = pa.array(np.concatenate(rows) if rows else np.zeros(0, np.uint32))
    # rows ascending: delta-encoded, an LF raising on every one of a million items takes
    # some kilobytes, where plain 4-byte numbers took 3.2 MB
    pq.write_table(pa.table({"lf": lf, "row": row}), path, compression="zstd",
                   use_dictionary=["lf"], column_encoding={"row": "DELTA_BINARY_PACKED"})


def failed_here(run_dir: Path, manifest: dict[str, Any], row: int) -> dict[str, bool]:
    """Per LF whose manifest record names ``lf_failures.parquet``, whether it raised on the
    item at ``row`` of the run's matrix; LFs without such a record are left out (an older
    run: not known). A :class:`RunError` when the file is missing, edited since the run
    wrote it, or cannot be read."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from labelwright.runs.store import changed_output

    listed = [str(name) for name, record in (manifest.get("failures") or {}).items()
              if isinstance(record, dict) and record.get("rows_in") == LF_FAILURES_FILE]
    if not listed:
        return {}
    path = run_dir / LF_FAILURES_FILE
    problem = changed_output(run_dir, manifest, LF_FAILURES_FILE)
    if problem is not None:
        raise RunError(str(run_dir / problem))
    try:
        table = pq.read_table(path, columns=["lf", "row"], filters=[("row", "=", row)])
    except Exception as exc:  # pyarrow raises several unrelated types
        raise RunError(f"{path}: cannot read it: {exc}") from None
    raised = {str(name) for name in pc.unique(table["lf"].cast("string")).to_pylist()}
    return {name: name in raised for name in listed}
