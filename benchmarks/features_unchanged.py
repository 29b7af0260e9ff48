"""Whether the end model reads the benchmark sets as another labelwright does: its word and
character-gram vocabularies, its TF-IDF matrix and the review ranking's word term counts,
fit on every text of WRENCH youtube and sms, UCI SMS and YouTube and the bundled example,
compared exactly with those of the labelwright whose ``src`` folder ``--base`` names.

    git archive <commit> src | tar -x -C /tmp/base
    python benchmarks/features_unchanged.py --base /tmp/base/src [--data ../shared/data]

Prints, per set, its texts, how many hold a letter the end model reads one at a time
(:data:`~labelwright.end_model.features.UNSPACED`), and what differs. The raw data stays in
``../shared/data``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def texts(data: Path) -> dict[str, list[str]]:
    sets = {}
    for name in ("youtube", "sms"):
        found: list[str] = []
        for split in ("train", "valid", "test"):
            doc = json.loads((data / "wrench" / name / f"{split}.json").read_text("utf-8"))
            found += [row["data"]["text"] for row in doc.values()]
        sets[f"wrench {name}"] = found
    sms = data / "raw" / "sms_spam_collection_uci" / "SMSSpamCollection"
    sets["uci sms"] = [line.rstrip("\n").partition("\t")[2]  # as uci_data.py reads it
                       for line in sms.open(encoding="utf-8")]
    files = sorted(glob.glob(str(data / "raw" / "youtube_spam_uci" / "Youtube0*.csv")))
    sets["uci youtube"] = pd.concat([pd.read_csv(f) for f in files],
                                    ignore_index=True)["CONTENT"].astype(str).tolist()
    sets["example tickets"] = pd.read_csv(REPO / "data" / "tickets.csv")["text"].astype(
        str).tolist()
    return sets


def features(sets: dict[str, list[str]]) -> dict[str, dict]:
    """This labelwright's features of each set (whichever ``labelwright`` imports)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from labelwright.end_model import features as F
    from labelwright.end_model.model import EndModel

    out = {}
    for name, found in sets.items():
        model = EndModel(["a", "b"], features="words+chars")
        X = model.fit_features(found)
        counts = CountVectorizer(ngram_range=(1, 2), token_pattern=F.TOKEN_PATTERN,
                                 dtype=np.float32)
        C = counts.fit_transform(F.reader(F.READS)(found))
        out[name] = {"words": model.vocabulary_, "chars": (model.chars_ or {}).get("vocabulary"),
                     "matrix": X, "count terms": dict(counts.vocabulary_), "counts": C}
    return out


def same(a, b) -> bool:
    if hasattr(a, "nnz"):
        return a.shape == b.shape and a.dtype == b.dtype and (a != b).nnz == 0
    return a == b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the other labelwright's src folder")
    parser.add_argument("--data", type=Path, default=DATA,
                        help=f"the shared data folder (default {DATA})")
    parser.add_argument("--dump", help=argparse.SUPPRESS)  # the run under --base
    args = parser.parse_args()
    sets = texts(args.data)
    if args.dump:
        with open(args.dump, "wb") as handle:
            pickle.dump(features(sets), handle)
        return
    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "base.pkl")
        subprocess.run([sys.executable, __file__, "--base", args.base, "--data",
                        str(args.data), "--dump", dump],
                       check=True, env={**os.environ, "PYTHONPATH": args.base})
        with open(dump, "rb") as handle:
            base = pickle.load(handle)
    sys.path.insert(0, str(REPO / "src"))
    from labelwright.end_model.features import UNSPACED

    now = features(sets)
    letter = re.compile(f"[{UNSPACED}]")
    for name, found in sets.items():
        holding = sum(bool(letter.search(t.lower())) for t in found)
        differ = [key for key in now[name] if not same(now[name][key], base[name][key])]
        print(f"{name}: {len(found):,} texts, {holding} with a letter read one at a time, "
              f"{len(now[name]['words']):,} words, "
              f"{len(now[name]['chars'] or {}):,} character grams; "
              + (f"differ: {', '.join(differ)}" if differ else "all the same"))
        for key in ("words", "count terms"):
            if key in differ:
                gone = sorted(set(base[name][key]) - set(now[name][key]))
                new = sorted(set(now[name][key]) - set(base[name][key]))
                print(f"  {key}: only in base {gone[:10]}, only now {new[:10]}")


if __name__ == "__main__":
    main()
