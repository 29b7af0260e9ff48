"""What checking ids across parts costs ``apply_file`` on a dataset in many files.

Writes ``--rows`` items (ids ``0`` ... ``n-1``, short texts) as ``--parts`` Parquet parts
in a temp folder, a project with one keyword LF, and streams the folder with
``apply_file`` (local engine) ``--repeats`` times, each in a fresh process: its seconds,
the peak memory of the process (ru_maxrss) and the seconds spent comparing ids across the
parts (with the check made as each part is written, ``PartIds.add``; with the check after
every part, ``_check_unique_across``, whichever the labelwright imported has). Run it once
with each version of ``src`` on ``PYTHONPATH`` to compare them:

    OMP_NUM_THREADS=1 python benchmarks/part_ids_check.py --rows 1000000 --parts 10
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

CONFIG = """[project]
name = "part-ids"
labels = ["ham", "spam"]
seed = 0

[data]
path = "parts"
"""

LFS = """from labelwright import labeling_function


@labeling_function()
def prize(x):
    return 1 if "prize" in x.text else -1
"""


def write_parts(folder: Path, rows: int, parts: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    size = -(-rows // parts)
    for k, start in enumerate(range(0, rows, size)):
        stop = min(rows, start + size)
        pq.write_table(pa.table({"id": [str(i) for i in range(start, stop)],
                                 "text": [("win a prize" if i % 7 == 0 else f"item {i}")
                                          for i in range(start, stop)]}),
                       folder / f"part-{k:05d}.parquet")


def one_run(root: Path) -> dict[str, float]:
    """One apply_file of the parts in this process: seconds, peak MB, seconds checking."""
    from labelwright.apply import Applier, apply_file, stream_parts
    from labelwright.project import load_project

    checking = [0.0]

    def timed(function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                checking[0] += time.perf_counter() - started
        return wrapper

    if hasattr(stream_parts, "PartIds"):
        stream_parts.PartIds.add = timed(stream_parts.PartIds.add)
    stream_parts._check_unique_across = timed(stream_parts._check_unique_across)
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp, root=root)
    started = time.perf_counter()
    result = apply_file(applier, root / "parts", root.parent / "matrix.parquet")
    seconds = time.perf_counter() - started
    assert result.rows > 0
    return {"seconds": seconds, "checking": checking[0],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run is not None:
        print(json.dumps(one_run(args.one_run)))
        return
    folder = Path(tempfile.mkdtemp(prefix="lw-part-ids-"))
    try:
        root = folder / "project"
        (root / "labeling_functions").mkdir(parents=True)
        (root / "labelwright.toml").write_text(CONFIG)
        (root / "labeling_functions" / "prize.py").write_text(LFS)
        write_parts(root / "parts", args.rows, args.parts)
        runs = []
        for _ in range(args.repeats):
            out = subprocess.run([sys.executable, __file__, "--one-run", str(root)],
                                 check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
            print(runs[-1], file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print("| rows | parts | apply_file s | checking ids s | peak MB |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {args.rows:,} | {args.parts} | {median['seconds']:.2f} | "
          f"{median['checking']:.3f} | {median['peak_mb']:.0f} |")
    print(f"\n(medians of {args.repeats}, each in a fresh process; date {date.today()}, "
          f"{platform.machine()}, local engine)")


if __name__ == "__main__":
    main()
