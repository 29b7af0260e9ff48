"""What ``PartIds`` alone costs on a dataset of many small parts: makes ``--parts`` parts of
``--rows-per-part`` ids each, hashes each part's ids as its stream does (``id_hashes``, a
cost the stream pays for its own check whether or not there are parts), then adds the
hashes part by part to a ``PartIds`` (as ``apply_file`` does once each part is written),
``--repeats`` times; prints the median seconds of the adds, and of the hashing beside
them. Run it with each version of ``src`` on ``PYTHONPATH`` to compare them:

    OMP_NUM_THREADS=1 python benchmarks/part_ids_runs.py --parts 4000 --rows-per-part 500
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    from labelwright.apply.written_ids import PartIds
    from labelwright.data.ids import id_hashes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=4000)
    parser.add_argument("--rows-per-part", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    parts = [[f"{k}-{j}" for j in range(args.rows_per_part)] for k in range(args.parts)]
    added, hashing = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        hashes = [id_hashes(ids) for ids in parts]
        hashing.append(time.perf_counter() - started)
        seen = PartIds()
        started = time.perf_counter()
        for k, part in enumerate(hashes):
            if seen.add(part):
                raise SystemExit(f"part {k}: an id met before, where none repeats")
        added.append(time.perf_counter() - started)
    print(f"{args.parts} parts x {args.rows_per_part} ids: PartIds.add "
          f"{statistics.median(added):.2f} s (hashing the ids, which each part's stream "
          f"does, {statistics.median(hashing):.2f} s), median of {args.repeats}")


if __name__ == "__main__":
    main()
