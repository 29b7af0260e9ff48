"""What ``runs verify --inputs`` spends naming the items moved from one data part to
another (:func:`labelwright.runs.item_moves.moved_items`), beside what it spends already
hashing the same items' texts (:func:`labelwright.runs.item_texts.text_hashes`).

Synthetic: ``--items`` ids in ``--parts`` parts, the run's parts named as a manifest names
them (relative to the project) and now's as a read names them (absolute); ``--moved``
items placed in the next part. Median of ``--repeats`` CPU-bound timings in this process:

    python benchmarks/item_moves_scale.py --items 1000000 --parts 10 --moved 0 1000
"""

from __future__ import annotations

import argparse
from pathlib import Path

from timing import median_seconds


def main() -> None:
    import numpy as np
    import pandas as pd

    from labelwright.runs.item_moves import moved_items
    from labelwright.runs.item_texts import text_hashes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--moved", type=int, nargs="+", default=[0, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, size = args.items, -(-args.items // args.parts)
    root = Path("/bench/project")
    run_parts = [f"data/parts/part-{k // size:05d}.parquet" for k in range(n)]
    manifest = {"data": {"rows": n, "parts": [
        {"path": f"data/parts/part-{k:05d}.parquet", "rows": min(size, n - k * size)}
        for k in range(args.parts)]}}
    texts = [f"item {k} text of a support ticket" for k in range(n)]
    hashing = median_seconds(lambda: text_hashes(texts), args.repeats)[0]
    print(f"{n:,} items in {args.parts} parts; median of {args.repeats}")
    print("| moved | moved_items (s) | text_hashes (s) | items named |\n"
          "| ---: | ---: | ---: | ---: |")
    for moved in args.moved:
        now_parts = [str(root / p) for p in run_parts]
        for k in range(moved):  # every (n // moved)-th item into the next part
            at = k * (n // moved)
            now_parts[at] = str(root / f"data/parts/part-{(at // size + 1) % args.parts:05d}"
                                       ".parquet")
        both = pd.DataFrame({"id": [f"i{k}" for k in range(n)], "position": np.arange(n),
                             "part": now_parts, "row": np.arange(n) % size + 1})
        def name_moves(both: pd.DataFrame = both) -> int:
            return len(moved_items(root / "runs" / "none", manifest, both, run_parts, root))
        seconds = median_seconds(name_moves, args.repeats)[0]
        print(f"| {moved:,} | {seconds:.2f} | {hashing:.2f} | {name_moves():,} |")


if __name__ == "__main__":
    main()
