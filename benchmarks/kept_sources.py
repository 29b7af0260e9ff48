"""What keeping a run's sources (``runs/<id>/sources/``) costs: bytes per run and wall time.

Two projects, each copied into a temporary folder: the bundled example (this checkout's
``labelwright.toml``, ``data/``, ``glossaries/``, ``labeling_functions/``) and one made by
``labelwright init``. After one warm-up run (the vote and Doc caches filled, so every
measured run reads its votes back and the copy is a larger share of it), runs alternate
with the copy and without it (:func:`labelwright.runs.sources.keep_sources` replaced by a
function that copies nothing, which is a run as before runs kept sources); the table gives
the bytes of ``sources/``, of the whole run folder, the median wall time of each arm, and
the median time the copy itself took (the wall times of a loaded machine vary by more).

    python benchmarks/kept_sources.py --repeats 3
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labelwright.project import run_project
from labelwright.runs import outputs
from labelwright.runs.sources import SOURCES
from labelwright.scaffold import init_project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ("labelwright.toml", "data", "glossaries", "labeling_functions")


def example(folder: Path) -> Path:
    for name in EXAMPLE_FILES:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    return folder


def initialised(folder: Path) -> Path:
    init_project(folder)
    return folder


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def no_copy(writer: Any, sources: Any) -> dict[str, Any]:
    return {}


def measure(make: Callable[[Path], Path], repeats: int) -> dict[str, float]:
    keep = outputs.keep_sources
    copying: list[float] = []

    def timed(writer: Any, sources: Any) -> dict[str, Any]:
        began = time.perf_counter()
        try:
            return keep(writer, sources)
        finally:
            copying.append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as tmp:
        root = make(Path(tmp))
        run_project(root, report=False)  # warm-up: the caches
        times: dict[str, list[float]] = {"with": [], "without": []}
        sizes: list[tuple[int, int]] = []
        for _ in range(repeats):
            for arm in ("without", "with"):
                outputs.keep_sources = timed if arm == "with" else no_copy  # type: ignore[assignment]
                try:
                    began = time.perf_counter()
                    result = run_project(root, report=False)
                    times[arm].append(time.perf_counter() - began)
                finally:
                    outputs.keep_sources = keep  # type: ignore[assignment]
                if arm == "with":
                    sizes.append((folder_bytes(result.run_dir / SOURCES),
                                  folder_bytes(result.run_dir)))
    with_s, without_s = statistics.median(times["with"]), statistics.median(times["without"])
    return {"sources_bytes": sizes[-1][0], "run_bytes": sizes[-1][1],
            "without_s": without_s, "with_s": with_s, "ratio": with_s / without_s,
            "copy_ms": 1000 * statistics.median(copying)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')} {platform.node()} {platform.processor() or ''}"
          f" python {platform.python_version()}; medians of {args.repeats}")
    print("| project | sources/ bytes | run folder bytes | run without (s) | run with (s) "
          "| with / without | copying (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, make in (("bundled example", example), ("labelwright init", initialised)):
        m = measure(make, args.repeats)
        print(f"| {name} | {m['sources_bytes']:,} | {m['run_bytes']:,} | {m['without_s']:.2f} "
              f"| {m['with_s']:.2f} | {m['ratio']:.2f} | {m['copy_ms']:.1f} |")


if __name__ == "__main__":
    main()
