"""What ``PartIds`` alone costs on a dataset of many small parts: writes ``--parts``
label-matrix-like Parquet files of ``--rows-per-part`` ids each, then adds them one by one
to a ``PartIds`` (as ``apply_file`` does once each part is written), ``--repeats`` times;
prints the median seconds with and without reading the files. Run it with each version of
``src`` on ``PYTHONPATH`` to compare them:

    OMP_NUM_THREADS=1 python benchmarks/part_ids_runs.py --parts 4000 --rows-per-part 500
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from labelwright.apply.written_ids import PartIds

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=4000)
    parser.add_argument("--rows-per-part", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for k in range(args.parts):
            path = Path(folder) / f"part-{k:05d}.parquet"
            pq.write_table(pa.table({"id": [f"{k}-{j}" for j in range(args.rows_per_part)]}),
                           path)
            paths.append(path)
        added, reads = [], []
        for _ in range(args.repeats):
            started = time.perf_counter()
            for path in paths:
                pq.read_table(path, columns=["id"]).column("id").to_pylist()
            reads.append(time.perf_counter() - started)
            seen = PartIds()
            started = time.perf_counter()
            for path in paths:
                if seen.add(path):
                    raise SystemExit(f"{path}: an id met before, where none repeats")
            added.append(time.perf_counter() - started)
    print(f"{args.parts} parts x {args.rows_per_part} ids: PartIds.add "
          f"{statistics.median(added):.2f} s (reading the ids alone "
          f"{statistics.median(reads):.2f} s), median of {args.repeats}")


if __name__ == "__main__":
    main()
