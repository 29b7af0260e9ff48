"""Streaming a Parquet file with ``apply_file``: the local engine against dask workers.

Generates ``--rows`` items (texts of the SMS and YouTube spam collections, as
``apply_throughput.stream_benchmark`` does) as Parquet in a temp folder, writes a
project whose LFs are the keyword/regex LFs of ``apply_throughput`` (then the same plus
its two token LFs, which need the default spaCy pipeline), and streams the file with
the local engine and with the dask engine on a 2-worker LocalCluster. The cluster is
started before the runs (a real cluster outlives a run); ``dask, first run`` includes
the workers' imports and project load, ``dask`` is a second run on warm workers, and
``dask, client reads`` sends every chunk's texts from this process (the engine's
behaviour before workers read their own partitions). Every matrix is checked to be
identical to the local one.

    python benchmarks/stream_engines.py --rows 100000
"""

from __future__ import annotations

import argparse
import inspect
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apply_throughput as at  # noqa: E402

from labelwright.apply import Applier, apply_file  # noqa: E402
from labelwright.apply.engines import make_engine  # noqa: E402
from labelwright.apply.file_blocks import iter_blocks  # noqa: E402
from labelwright.apply.partitions import chunk_from_frame  # noqa: E402
from labelwright.project import load_project  # noqa: E402

CONFIG = """[project]
name = "stream-bench"
labels = ["ham", "spam"]
seed = 0

[data]
path = "items.parquet"
"""


def lf_module(with_doc: bool) -> str:
    """The benchmark's LF bodies as a project module (workers load LFs from the project)."""
    lines = ["import re", "from labelwright import labeling_function", "",
             "HAM, SPAM, ABSTAIN = 0, 1, -1"]
    for name in ("URL", "DIGITS", "PRIZE", "CHAT"):
        pattern = getattr(at, name)
        lines.append(f"{name} = re.compile({pattern.pattern!r}, {int(pattern.flags)})")
    for body in at.BODIES:
        if body.__name__ in at.DOC_BODIES and not with_doc:
            continue
        lines += ["", "", "@labeling_function()", inspect.getsource(body).rstrip()]
    return "\n".join(lines) + "\n"


def write_items(path: Path, rows: int) -> None:
    base, _ = at.load_texts()
    schema = pa.schema([("id", pa.string()), ("text", pa.string())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, 100_000):
            stop = min(rows, start + 100_000)
            writer.write_table(pa.table({"id": [str(i) for i in range(start, stop)],
                                         "text": [base[i % len(base)] for i in range(start, stop)]},
                                        schema=schema))


def client_reads(applier: Applier, source: Path) -> float:
    """The dask engine fed with chunks this process read (texts sent as task arguments)."""
    started = time.perf_counter()
    hidden = ("id", "text")

    def chunks():
        offset = 0
        for frame, lines in iter_blocks(source, "parquet", chunk_size=applier.chunk_size):
            chunk = chunk_from_frame(frame, path=str(source), start=offset, id_column="id",
                                     text_column="text", hidden=hidden, lines=lines)
            offset += len(chunk)
            yield chunk

    with make_engine("dask", applier.runner, root=applier.root,
                     scheduler=applier.scheduler) as engine:
        for _ in engine.map(chunks()):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=10_000)
    args = parser.parse_args()

    from distributed import LocalCluster

    folder = Path(tempfile.mkdtemp(prefix="lw-stream-engines-"))
    lines = ["| LFs | engine | items | seconds | items/s |", "| --- | --- | ---: | ---: | ---: |"]
    try:
        source = folder / "items.parquet"
        write_items(source, args.rows)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster:
            for label, with_doc in (("10 keyword", False), ("10 keyword + 2 token (spaCy)", True)):
                root = folder / ("doc" if with_doc else "keyword")
                (root / "labeling_functions").mkdir(parents=True)
                (root / "labelwright.toml").write_text(CONFIG)
                (root / "labeling_functions" / "spam.py").write_text(lf_module(with_doc))
                project = load_project(root)

                def applier(engine: str, project=project, root=root) -> Applier:
                    return Applier(project.lfs, project.labels, nlp=project.nlp,
                                   engine=engine, root=root, chunk_size=args.chunk_size,
                                   scheduler=cluster.scheduler_address)

                runs = [("local", "local"), ("dask, first run", "dask"), ("dask", "dask")]
                for name, engine in runs:
                    out = folder / f"{root.name}-{name.replace(', ', '-')}.parquet"
                    result = apply_file(applier(engine), source, out)
                    lines.append(f"| {label} | {name} | {result.rows:,} | {result.seconds:.2f} "
                                 f"| {result.rows / result.seconds:,.0f} |")
                    print(lines[-1], file=sys.stderr)
                local = (folder / f"{root.name}-local.parquet").read_bytes()
                for name in ("dask-first run", "dask"):
                    same = (folder / f"{root.name}-{name}.parquet").read_bytes() == local
                    assert same, f"{label}, {name}: the label matrix differs from the local one"
                seconds = client_reads(applier("dask"), source)
                lines.append(f"| {label} | dask, client reads | {args.rows:,} | {seconds:.2f} "
                             f"| {args.rows / seconds:,.0f} |")
                print(lines[-1], file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(lines))
    print(f"\n(date {date.today()}, {platform.machine()}, 2 cores shared; LocalCluster of 2 "
          f"single-threaded workers; chunks of {args.chunk_size:,}; matrices identical)")


if __name__ == "__main__":
    main()
