"""Finding the copies of a 1M-row dataset (``labelwright.copies.find_copies``).

Reads the text column of a CSV (``--csv``, e.g. a generated tickets file) or generates
``--rows`` texts (ASCII, with repeats, some with accents, zero-width characters and line
ends), then times ``find_copies`` ``--repeat`` times and prints the median CPU and wall
seconds, and a digest of the groups and keys, so two checkouts can be compared:

    python benchmarks/copies_scale.py --csv data/tickets.csv
    PYTHONPATH=/path/to/other/src python benchmarks/copies_scale.py --csv data/tickets.csv
"""

from __future__ import annotations

import argparse
import hashlib
import random

import pandas as pd
from timing import median_wall_and_cpu

from labelwright.copies import find_copies

WORDS = ("refund invoice crash login password billing charge error page feature export the "
         "a to of café naïve Cafe\u0301 so\u200bng \u200eok\u200f").split()


def generated(rows: int) -> list[str | None]:
    """``rows`` texts: every fifth one a repeat of an earlier one, a few blank or missing."""
    rng = random.Random(0)
    texts: list[str | None] = []
    for i in range(rows):
        if i % 5 == 4:
            texts.append(texts[rng.randrange(len(texts))])
        elif i % 997 == 0:
            texts.append(rng.choice([None, "", "  \n"]))
        else:
            words = [rng.choice(WORDS[:15] if rng.random() < 0.9 else WORDS)
                     for _ in range(12)]
            texts.append(rng.choice([" ", "  ", "\n", "\t"]).join(words))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", help="a CSV file; its --column is read")
    parser.add_argument("--column", default="text")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.csv:
        texts = pd.read_csv(args.csv, usecols=[args.column], dtype=str,
                            keep_default_na=False, na_values=[""])[args.column].tolist()
    else:
        texts = generated(args.rows)
    (wall, cpu), copies = median_wall_and_cpu(lambda: find_copies(texts), args.repeat)
    digest = hashlib.sha256(copies.group.tobytes() + copies.size.tobytes()
                            + "\0".join(copies.keys).encode()).hexdigest()[:16]
    print(f"{len(texts):,} texts, {len(copies.size):,} groups, "
          f"{copies.items_with_copies:,} items share {copies.texts_with_copies:,} texts")
    print(f"find_copies: CPU {cpu:.2f} s, wall {wall:.2f} s (median of {args.repeat}); "
          f"digest {digest}")


if __name__ == "__main__":
    main()
