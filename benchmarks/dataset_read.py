"""Reading a project's whole dataset (``read_dataset``), as every command but a streamed
apply does: the file into a frame (``read_frame``), then the frame into items
(``dataset_from_frame``: ids, texts, gold labels and the checks on them).

Writes ``benchmarks/run_scale.py``'s project of ``--rows`` items (UCI texts, ids ``r0..``,
the first 2,000 with a gold label) to a temporary folder, or reads the one in
``--project``, then times each step ``--repeat`` times in this process and prints the
medians. Run it with two checkouts on ``PYTHONPATH``, one after the other, to compare:

    python benchmarks/dataset_read.py --rows 1000000
    PYTHONPATH=/path/to/other/src python benchmarks/dataset_read.py --project /tmp/big
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import median_wall_and_cpu


def measure(root: Path, repeat: int) -> None:
    import labelwright
    from labelwright.config import load_config
    from labelwright.data.dataset import dataset_from_frame, read_dataset
    from labelwright.data.formats import read_frame

    config = load_config(root)
    data = config.data
    whole, dataset = median_wall_and_cpu(lambda: read_dataset(data, config.labels),
                                         repeat)
    frame_time, frame = median_wall_and_cpu(
        lambda: read_frame(data.path, data.format, quoting=data.quoting, columns=data.columns),
        repeat)
    items, _ = median_wall_and_cpu(lambda: dataset_from_frame(
        frame, id_column=data.id_column, text_column=data.text_column,
        gold_column=data.gold_column, labels=config.labels, source=str(data.path),
        sha256="-"), repeat)
    print(f"labelwright from {Path(labelwright.__file__).parent}; {len(dataset):,} items, "
          f"median of {repeat}")
    print("| step | wall (s) | CPU (s) |\n| --- | ---: | ---: |")
    for step, (wall, cpu) in (("read_dataset", whole), ("read_frame", frame_time),
                              ("dataset_from_frame", items)):
        print(f"| {step} | {wall:.3f} | {cpu:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--project", type=Path, help="a project run_scale.py wrote")
    args = parser.parse_args()
    if args.project is not None:
        measure(args.project, args.repeat)
        return
    from run_scale import write_project

    with tempfile.TemporaryDirectory() as folder:
        write_project(Path(folder) / "project", args.rows)
        measure(Path(folder) / "project", args.repeat)


if __name__ == "__main__":
    main()
