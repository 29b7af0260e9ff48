"""Per-LF seconds (``apply.lf_seconds``): what timing the LF calls costs, and how close the
seconds are to an LF's real cost when it is slow on a few items only.

``--rows`` generated keyword items, 10 one-line ``in`` LFs (the fastest kind, where a
clock read weighs most) and ``slow_on_some``, which sleeps ``--sleep-ms`` on the items
holding the word "rare" (1 in ``--rare-every``, at seeded random rows) and so costs
about ``rare items x sleep`` seconds. ``Applier(...).apply`` in one process (local engine,
no cache), ``--repeats`` times; prints the median CPU seconds of an apply without the slow
LF, and the seconds ``lf_seconds`` gives the slow LF against its sleeps. Run it with
``PYTHONPATH`` on two checkouts, in alternating processes, to compare them.

    python benchmarks/lf_timing.py --rows 1000000 --repeats 3
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import date

import numpy as np
import pandas as pd

from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame
from labelwright.lfs.core import labeling_function

LABELS = ("ham", "spam")
WORDS = ["free", "win", "call", "now", "prize", "meeting", "lunch", "thanks", "report",
         "invoice", "song", "video", "check", "channel", "later", "home"]
KEYWORDS = ["free", "win", "call", "prize", "channel", "check", "meeting", "lunch",
            "report", "invoice"]


def texts(rows: int, rare_every: int, seed: int = 0) -> tuple[list[str], int]:
    """``rows`` texts of 8 random words, "rare" added to about one in ``rare_every``;
    the texts and how many hold it."""
    rng = np.random.default_rng(seed)
    words = np.asarray(WORDS)[rng.integers(0, len(WORDS), (rows, 8))]
    rare = rng.random(rows) < 1 / rare_every
    out = [" ".join(row) + (" rare" if r else "") for row, r in zip(words.tolist(), rare)]
    return out, int(rare.sum())


def keyword_lf(word: str, label: int):
    def lf(item):
        return label if word in item.text else -1
    lf.__name__ = f"has_{word}"
    return labeling_function(name=lf.__name__)(lf)


def slow_lf(seconds: float):
    def slow_on_some(item):
        if "rare" in item.text:
            time.sleep(seconds)
        return -1
    return labeling_function(name="slow_on_some")(slow_on_some)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rare-every", type=int, default=2_000)
    parser.add_argument("--sleep-ms", type=float, default=5.0)
    args = parser.parse_args()
    items, rare = texts(args.rows, args.rare_every)
    data = dataset_from_frame(pd.DataFrame({"id": [f"i{i}" for i in range(args.rows)],
                                            "text": items}),
                              id_column="id", text_column="text", labels=LABELS)
    fast = [keyword_lf(w, i % 2) for i, w in enumerate(KEYWORDS)]
    cpu = []
    for _ in range(args.repeats):
        applier = Applier(fast, LABELS, engine="local", chunk_size=10_000)
        began = time.process_time()
        applier.apply(data)
        cpu.append(time.process_time() - began)
    applier = Applier([*fast, slow_lf(args.sleep_ms / 1000)], LABELS, engine="local",
                      chunk_size=10_000)
    result = applier.apply(data)
    slept = rare * args.sleep_ms / 1000
    told = result.lf_seconds.get("slow_on_some", float("nan"))
    keyword_told = sum(v for k, v in result.lf_seconds.items() if k != "slow_on_some")
    print(f"{platform.node()} {date.today()} rows={args.rows:,} repeats={args.repeats}")
    print("| what | value |\n|---|---|")
    print(f"| apply, 10 keyword LFs, CPU s (median; all) | {statistics.median(cpu):.3f} "
          f"({', '.join(f'{c:.3f}' for c in cpu)}) |")
    print(f"| slow_on_some: items slept on, seconds slept | {rare:,}, {slept:.2f} |")
    print(f"| slow_on_some: lf_seconds | {told:.2f} |")
    print(f"| 10 keyword LFs: lf_seconds summed | {keyword_told:.3f} |")


if __name__ == "__main__":
    main()
