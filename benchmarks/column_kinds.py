"""What looking at every row of a column costs: the number-comparison check (which columns
an LF comparing with a number reads as text, ``text_columns``) and the dataset warning for
a column holding numbers and text (``ColumnNotes.warnings``), per column of ``--rows`` rows.

Columns: whole numbers (int64, and as Python ints in an object column), text (object and
pandas' ``str``), numbers with text in half the rows or in the last row only, and ints with
bools (no text). Best of ``--repeats`` seconds, in milliseconds. Run against an older
``src`` (``PYTHONPATH=/tmp/old/src``) to time its check; it has no dataset warning.

    PYTHONPATH=src python benchmarks/column_kinds.py --rows 1000000
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from labelwright.data.dataset import Dataset
from labelwright.lfs.number_comparisons import text_columns

try:
    from labelwright.data.column_kinds import ColumnNotes
except ImportError:  # a src from before the warning
    ColumnNotes = None


def mixed_type_warnings(fields: pd.DataFrame) -> list[str]:
    """The dataset's warnings of ``fields``' columns, as a read of the dataset finds them."""
    return ColumnNotes.of(fields.items()).warnings("bench")


def columns(rows: int) -> dict[str, pd.Series]:
    ints = [k % 5 for k in range(rows)]
    texts = [str(k % 5) for k in range(rows)]
    return {
        "ints (int64)": pd.Series(np.arange(rows) % 5),
        "ints (object)": pd.Series(ints, dtype=object),
        "text (object)": pd.Series(texts, dtype=object),
        "text (str)": pd.Series(texts),
        "half text": pd.Series(ints[:rows // 2] + texts[rows // 2:], dtype=object),
        "last row text": pd.Series(ints[:-1] + ["4"], dtype=object),
        "ints and bools": pd.Series([k if k % 2 else True for k in ints], dtype=object),
    }


def best_ms(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    ids = [str(k) for k in range(args.rows)]
    print(f"{args.rows:,} rows, best of {args.repeats}, milliseconds per column\n")
    print("| column | dtype | number-comparison check | named | mixed-type warning |")
    print("|---|---|---:|---|---:|")
    for name, column in columns(args.rows).items():
        fields = pd.DataFrame({"c": column})
        dataset = Dataset(ids=ids, texts=ids, fields=fields, gold=np.full(args.rows, -1),
                          source="bench", sha256="")
        check = best_ms(lambda d=dataset: text_columns(d, only={"c"}), args.repeats)
        named = "c" in text_columns(dataset, only={"c"})
        warned = "—"
        if ColumnNotes is not None:
            ms = best_ms(lambda f=fields: mixed_type_warnings(f), args.repeats)
            said = mixed_type_warnings(fields)
            warned = f"{ms:.1f}" + (" (warns)" if said else "")
        print(f"| {name} | {column.dtype} | {check:.1f} | {'yes' if named else 'no'} | "
              f"{warned} |")


if __name__ == "__main__":
    main()
