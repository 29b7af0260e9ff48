"""What the session globals in an LF's vote cache key cost a run.

Makes ``--lfs`` LFs as a notebook cell does (``__main__`` globals, a file Python cannot read
back), each reading a compiled regex of its own, a shared word set and a session helper
function that reads the set, and times per run (the applier computes the keys once per
apply): the globals' digests alone (``session_globals``), and every LF's whole cache key
with them and without them (``reads=NOT_SESSION``, the key before). Again with the shared
set ``--big`` words long: a global's digest reads its whole value on every run.

    python benchmarks/session_globals_key.py --lfs 50 --big 100000
"""

from __future__ import annotations

import argparse

from timing import median_seconds

from labelwright import ABSTAIN, labeling_function
from labelwright.apply.cache_keys import lf_cache_key
from labelwright.lfs.session_globals import NOT_SESSION, Digester, session_globals

CELL = '''
import re

def has_word(text):
    return any(word in WORDS for word in text.lower().split())

@labeling_function(name="lf_{i}")
def lf_{i}(item):
    if PATTERN_{i}.search(item.text) and has_word(item.text):
        return "spam"
    return ABSTAIN
'''


def make_lfs(n: int, words: int) -> list:
    namespace = {"__name__": "__main__", "labeling_function": labeling_function,
                 "ABSTAIN": ABSTAIN, "WORDS": {f"word{k}" for k in range(words)}}
    lfs = []
    for i in range(n):
        namespace[f"PATTERN_{i}"] = __import__("re").compile(rf"\b(free|win{i})\b", 2)
        exec(compile(CELL.format(i=i), f"<ipython-input-{i}-bench>", "exec"), namespace)
        lfs.append(namespace[f"lf_{i}"])
    return lfs


def median_ms(work, repeats: int) -> float:
    return 1000 * median_seconds(work, repeats)[0]


def measure(n: int, words: int, repeats: int) -> tuple[float, float, float]:
    lfs = make_lfs(n, words)
    labels = ("ham", "spam")

    def digests() -> list:  # as the applier does: one digester for the run's LFs
        digester = Digester()
        return [session_globals(lf, digester=digester) for lf in lfs]

    def keys(with_globals: bool) -> None:
        reads = digests() if with_globals else [NOT_SESSION] * len(lfs)
        for lf, read in zip(lfs, reads):
            lf_cache_key(lf, labels, (), "", reads=read)

    digests()  # the first call disassembles each code object once (memoised)
    return (median_ms(digests, repeats), median_ms(lambda: keys(False), repeats),
            median_ms(lambda: keys(True), repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lfs", type=int, default=50)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    print("| LFs | shared word set | globals' digests (ms) | keys before (ms) | "
          "keys with globals (ms) |")
    print("|---|---|---|---|---|")
    for words in (args.words, args.big):
        digests, before, after = measure(args.lfs, words, args.repeats)
        print(f"| {args.lfs} | {words:,} words | {digests:.1f} | {before:.1f} | {after:.1f} |")


if __name__ == "__main__":
    main()
