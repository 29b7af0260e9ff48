"""Reading a generated CSV or TSV dataset: whole (``read_frame``) and streamed (``iter_frames``).

Writes ``--rows`` items (15-word texts; every tenth quoted, holding a comma and a ``""``
quote) as CSV, and the same items as TSV with the quotes as text, to a temporary folder,
then reads each ``--repeat`` times per path and prints the median wall time. The TSV rows
show what ``[data] quoting`` costs: ``auto`` reads CSV quoting and checks each quoted value,
``none`` reads every line as a record. Rows a version of labelwright cannot read (no
``quoting`` before it existed) are left out, so the CSV rows compare two checkouts:

    python benchmarks/csv_read.py --rows 200000
    PYTHONPATH=/path/to/other/src python benchmarks/csv_read.py --rows 200000
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from timing import median_seconds

WORDS = ("refund invoice crash login password billing charge error page feature export the "
         "a to of").split()


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    """The CSV file and the TSV file of ``rows`` generated items."""
    rng = random.Random(0)
    csv_path, tsv_path = folder / "items.csv", folder / "items.tsv"
    with open(csv_path, "w", encoding="utf-8", newline="") as csv_file, \
            open(tsv_path, "w", encoding="utf-8", newline="") as tsv_file:
        csv_file.write("id,text,gold\n")
        tsv_file.write("id\ttext\tgold\n")
        for i in range(rows):
            text = " ".join(rng.choice(WORDS) for _ in range(15))
            gold = rng.choice(["billing", "bug", ""])
            if i % 10 == 0:
                quoted = text.replace("a", 'say ""a""', 1) + ", more"
                csv_file.write(f't{i},"{quoted}",{gold}\n')
                tsv_file.write(f't{i}\t"{text}" he said\t{gold}\n')  # a quote that is text
            else:
                csv_file.write(f"t{i},{text},{gold}\n")
                tsv_file.write(f"t{i}\t{text}\t{gold}\n")
    return csv_path, tsv_path


def read_seconds(read: Callable[[], int], repeat: int, rows: int) -> float | None:
    """The median wall time of ``read``; None where this version cannot read so."""
    try:
        seconds, n = median_seconds(read, repeat)
    except TypeError:  # a setting this version does not have
        return None
    assert n == rows, (n, rows)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import labelwright
    from labelwright.apply.file_blocks import iter_frames
    from labelwright.data.formats import read_frame

    def whole(path: Path, **settings: object) -> Callable[[], int]:
        return lambda: len(read_frame(path, **settings))

    def streamed(path: Path, **settings: object) -> Callable[[], int]:
        return lambda: sum(len(f) for f in iter_frames(path, chunk_size=10_000, **settings))

    with tempfile.TemporaryDirectory() as folder:
        csv_path, tsv_path = write_files(Path(folder), args.rows)
        cases = [("csv", "(default)", whole(csv_path), streamed(csv_path)),
                 ("tsv", "none", whole(tsv_path, quoting="none"),
                  streamed(tsv_path, quoting="none"))]
        print(f"labelwright from {Path(labelwright.__file__).parent}; {args.rows:,} rows, "
              f"median of {args.repeat}")
        print("| file | quoting | whole (s) | streamed (s) |\n| --- | --- | ---: | ---: |")
        for kind, quoting, read_whole, read_streamed in cases:
            times = [read_seconds(read, args.repeat, args.rows)
                     for read in (read_whole, read_streamed)]
            if None not in times:
                print(f"| {kind} | {quoting} | {times[0]:.3f} | {times[1]:.3f} |")


if __name__ == "__main__":
    main()
