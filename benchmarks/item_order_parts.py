"""What ``runs diff`` (and so every run, which compares with the previous one) spends
finding the items in another order within their data part
(:func:`labelwright.runs.diff.item_places._reordered`), on a dataset in many parts.

Synthetic: ``--items`` items in ``--parts`` parts of equal size, every item in the part it
was in; in order, then with the last row of each part moved to its top. Median of
``--repeats`` timings in this process:

    python benchmarks/item_order_parts.py --items 1000000 --parts 1 1000
"""

from __future__ import annotations

import argparse

from timing import median_seconds


def main() -> None:
    import numpy as np

    from labelwright.runs.diff.item_places import _reordered

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'parts':>6} {'order':<24} {'seconds':>8} {'out of order':>13}")
    for parts in args.parts:
        size = args.items // parts
        n = size * parts
        names = np.asarray([f"data/parts/p{k:05d}.csv" for k in range(parts)], dtype=object)
        part_b = names[np.repeat(np.arange(parts), size)]
        pos_a, stayed = np.arange(n), np.ones(n, dtype=bool)
        moved = np.arange(n).reshape(parts, size)
        moved = np.concatenate([moved[:, -1:], moved[:, :-1]], axis=1).ravel()
        for label, pos_b in (("in order", np.arange(n)), ("last row of each on top", moved)):
            inputs = (part_b, stayed, pos_a, pos_b)
            out = _reordered(*inputs)
            seconds = median_seconds(lambda given=inputs: _reordered(*given), args.repeats)[0]
            print(f"{parts:>6} {label:<24} {seconds:>8.2f} {int(out.sum()):>13,}")


if __name__ == "__main__":
    main()
