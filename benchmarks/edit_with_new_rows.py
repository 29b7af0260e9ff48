"""An LF edited on a day rows were added: the apply's seconds with a warm vote cache.

20,000 generated texts, 10 LFs (8 regular expressions on the text, 2 reading the Doc), then
250 rows added and one LF edited (a token LF, then a regex LF), each after warming the
vote and Doc caches on the 20,000. Prints the apply's seconds and the distinct numbers of
rows the LFs were computed on.

    PYTHONPATH=src python benchmarks/edit_with_new_rows.py
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd

from labelwright.apply.applier import Applier
from labelwright.config import NLPConfig
from labelwright.data.dataset import dataset_from_frame
from labelwright.lfs.discovery import discover
from labelwright.nlp import load_pipeline

WORDS = ("refund crash login invoice charge error password billing app screen slow payment "
         "account update").split()
N = 20_000
ADDED = 250

KEYWORD_LF = '''
@labeling_function()
def kw_{word}(item):
    return "a" if re.search(r"\\b{word}\\w*\\b.*\\d", item.text) else ABSTAIN
'''
TOKEN_LFS = '''
@labeling_function()
def tok_len(item):
    return "b" if len(item.doc) > 14 else ABSTAIN


@labeling_function()
def tok_lemma(item):
    return "a" if any(t.lemma_ == "crash" for t in item.doc) else ABSTAIN
'''
LFS = ("import re\n\nfrom labelwright import ABSTAIN, labeling_function\n"
       + "".join(KEYWORD_LF.format(word=w) for w in WORDS[:8]) + textwrap.dedent(TOKEN_LFS))
EDITS = {
    "token LF edited": LFS.replace('"crash"', '"error"'),
    "regex LF edited": LFS.replace(r"\bcrash\w*", r"\bcrash(es|ed)?"),
}


def main() -> None:
    rng = random.Random(0)
    rows = [{"id": f"i{i}", "text": " ".join(rng.choice(WORDS) for _ in range(12)) + f" #{i}"}
            for i in range(N + ADDED)]
    root = Path(tempfile.mkdtemp())
    folder = root / "lfs"
    folder.mkdir()
    nlp = load_pipeline(NLPConfig())

    def apply(n: int, source: str) -> tuple[float, set[int]]:
        (folder / "rules.py").write_text(source)
        for name in [m for m in sys.modules if m.endswith("rules")]:
            del sys.modules[name]
        data = dataset_from_frame(pd.DataFrame(rows[:n]), id_column="id", text_column="text",
                                  labels=("a", "b"))
        applier = Applier(discover(folder), ("a", "b"), nlp=nlp, cache_dir=root / "cache",
                          lf_folder=folder)
        start = time.perf_counter()
        result = applier.apply(data)
        return time.perf_counter() - start, set(result.computed.values())

    for what, edited in EDITS.items():
        shutil.rmtree(root / "cache", ignore_errors=True)
        apply(N, LFS)  # the vote and Doc caches warm on the first N rows
        seconds, computed = apply(N + ADDED, edited)
        print(f"{what}: {seconds:.2f} s, LFs computed on {sorted(computed)} rows")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
