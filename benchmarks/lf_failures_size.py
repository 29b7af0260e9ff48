"""What keeping every item each LF raised on costs a run (``lf_failures.parquet``).

For 1,000,000 items and one or three LFs raising on a share of them (spread at random, the
worst case for the row numbers' compression), it writes the file as a run does
(:func:`labelwright.runs.lf_failures.write_failed_rows`), then reads back whether each LF
raised on one row, as ``explain`` does (:func:`~labelwright.runs.lf_failures.failed_here`).
Prints the file's size and both times.

    python benchmarks/lf_failures_size.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from labelwright.runs.file_names import LF_FAILURES_FILE
from labelwright.runs.lf_failures import failed_here, write_failed_rows
from labelwright.runs.store import file_sha256

ITEMS = 1_000_000


def measure(lfs: int, share: float, folder: Path) -> tuple[float, float, float]:
    """(MB on disk, seconds to write, seconds for explain's look-up)."""
    rng = np.random.default_rng(0)
    rows = {f"lf_{k}": np.flatnonzero(rng.random(ITEMS) < share) for k in range(lfs)}
    path = folder / LF_FAILURES_FILE
    started = time.perf_counter()
    write_failed_rows(path, rows)
    written = time.perf_counter() - started
    manifest = {"failures": {name: {"rows_in": LF_FAILURES_FILE} for name in rows},
                "outputs": {LF_FAILURES_FILE: file_sha256(path)}}
    started = time.perf_counter()
    failed_here(folder, manifest, ITEMS // 2)
    looked_up = time.perf_counter() - started
    return path.stat().st_size / 1e6, written, looked_up


def main() -> None:
    print(f"{'LFs':>4} {'share raised':>12} {'failures':>10} {'MB':>6} {'write s':>8} "
          f"{'look-up s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        measure(1, 0.001, Path(tmp))  # untimed: pyarrow's first write imports its parts
        for lfs, share in ((1, 0.01), (1, 0.1), (1, 1.0), (3, 0.1), (3, 1.0)):
            mb, written, looked_up = measure(lfs, share, Path(tmp))
            print(f"{lfs:>4} {share:>12.0%} {int(lfs * share * ITEMS):>10,} {mb:>6.2f} "
                  f"{written:>8.2f} {looked_up:>9.2f}")


if __name__ == "__main__":
    main()
