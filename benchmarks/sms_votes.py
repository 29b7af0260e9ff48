"""Do the WRENCH sms weak labels belong to their texts? And the bench on votes that do.

The sms folder's ``readme.txt`` lists its 73 labeling rules (``ham``/``spam``, a regular
expression, an example) in the column order of ``weak_labels``. This script applies those
rules to each split's texts and compares the result with the stored weak labels:

* ``rows identical``: share of items whose stored vote row equals the recomputed one;
* ``cells agree``: among the (item, rule) cells where the stored or the recomputed vote is
  not an abstain, the share where both agree;
* the test labels of items with a stored / recomputed spam vote;
* ``best offset``: whether the stored rows are the rules' rows of other items at one fixed
  row offset (a shifted file): the most stored rows (with >= 2 votes) any offset matches.

With ``--bench``, it also writes a copy of the folder whose valid and test weak labels are
the recomputed ones (train is left as stored) to a temporary folder outside the repository,
named ``sms_rules``, and runs ``labelwright bench wrench`` on it. Those numbers are *not*
comparable with WRENCH's published ones (which use the stored votes); they show what the
label models and rankings do when test votes come from the same rules as train votes.

    python benchmarks/sms_votes.py                 # the check only (seconds)
    python benchmarks/sms_votes.py --bench --json  # plus the bench on recomputed votes
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SMS = REPO.parent / "shared" / "data" / "wrench" / "sms"
CLASSES = {"ham": 0, "spam": 1}


def read_rules(readme: Path) -> list[tuple[int, re.Pattern[str]]]:
    """``(class, compiled regex)`` per rule line (``ham|spam <TAB> regex <TAB> example``)."""
    rules = []
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
        label, _, rest = line.partition("\t")
        if label in CLASSES and rest:
            try:
                rules.append((CLASSES[label], re.compile(rest.split("\t")[0])))
            except re.error as err:
                raise SystemExit(f"{readme}:{number}: bad regular expression: {err}") from None
    return rules


def recompute(texts: list[str], rules: list[tuple[int, re.Pattern[str]]]) -> np.ndarray:
    """The label matrix the rules give on ``texts`` (-1 = abstain)."""
    L = np.full((len(texts), len(rules)), -1, dtype=np.int64)
    for i, text in enumerate(texts):
        for j, (label, pattern) in enumerate(rules):
            if pattern.search(text):
                L[i, j] = label
    return L


def check(folder: Path) -> tuple[dict[str, dict[str, float]], dict[str, np.ndarray]]:
    from labelwright.bench.wrench import load_wrench

    ds = load_wrench(folder)
    rules = read_rules(folder / "readme.txt")
    stats: dict[str, dict[str, float]] = {}
    recomputed: dict[str, np.ndarray] = {}
    for name in ("train", "valid", "test"):
        split = getattr(ds, name)
        if split is None:
            continue
        if split.L.shape[1] != len(rules):
            raise SystemExit(f"{folder}: {len(rules)} rules in readme.txt but "
                             f"{split.L.shape[1]} weak labels per item in {name}.json")
        R = recompute(split.texts, rules)
        recomputed[name] = R
        fired = (R >= 0) | (split.L >= 0)
        stored_spam = (split.L == 1).any(axis=1)
        rule_spam = (R == 1).any(axis=1)
        stats[name] = {
            "items": len(split.ids),
            "rows_identical": round(100 * float((R == split.L).all(axis=1).mean()), 1),
            "cells_agree": round(100 * float(((R == split.L) & fired).sum() / fired.sum()), 1),
            "stored_spam_vote_spam": int((stored_spam & (split.y == 1)).sum()),
            "stored_spam_vote_ham": int((stored_spam & (split.y == 0)).sum()),
            "rule_spam_vote_spam": int((rule_spam & (split.y == 1)).sum()),
            "rule_spam_vote_ham": int((rule_spam & (split.y == 0)).sum()),
            "best_offset_rows": best_offset(split.L, R),
        }
    return stats, recomputed


def best_offset(stored: np.ndarray, rules: np.ndarray) -> int:
    """Among stored rows with >= 2 votes, the most that match the rules' row of one and the
    same other item at a fixed offset (a shifted split would match nearly all of them)."""
    offsets: dict[int, int] = {}
    for i in np.flatnonzero((stored >= 0).sum(axis=1) >= 2):
        for j in np.flatnonzero((rules == stored[i]).all(axis=1)):
            offsets[int(j - i)] = offsets.get(int(j - i), 0) + 1
    return max(offsets.values(), default=0)


def write_repaired(folder: Path, recomputed: dict[str, np.ndarray], out: Path) -> Path:
    """Copy ``folder`` to ``out/sms_rules`` with valid/test weak labels recomputed."""
    target = out / "sms_rules"
    shutil.copytree(folder, target)
    for name in ("valid", "test"):
        path = target / f"{name}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for item, row in zip(doc.values(), recomputed[name].tolist()):
            item["weak_labels"] = row
        path.write_text(json.dumps(doc), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=SMS)
    parser.add_argument("--bench", action="store_true",
                        help="run labelwright bench wrench on a copy with recomputed votes")
    parser.add_argument("--json", action="store_true", help="bench output as JSON lines")
    parser.add_argument("-m", "--model", action="append", default=[],
                        help="bench model (repeatable; default: the bench's own list)")
    args = parser.parse_args()
    stats, recomputed = check(args.folder)
    print(f"{'split':6} {'items':>5} {'rows identical %':>17} {'cells agree %':>14} "
          f"{'stored spam votes (spam/ham)':>29} {'rule spam votes (spam/ham)':>27} "
          f"{'best offset':>11}")
    for name, s in stats.items():
        print(f"{name:6} {s['items']:5} {s['rows_identical']:17} {s['cells_agree']:14} "
              f"{s['stored_spam_vote_spam']:>18} / {s['stored_spam_vote_ham']:<8} "
              f"{s['rule_spam_vote_spam']:>16} / {s['rule_spam_vote_ham']:<8} "
              f"{s['best_offset_rows']:>11}")
    print("best offset: most stored rows (with >= 2 votes) matching the rules' rows at one "
          "fixed row offset")
    if not args.bench:
        return
    with tempfile.TemporaryDirectory(prefix="labelwright-sms-") as tmp:
        target = write_repaired(args.folder, recomputed, Path(tmp))
        cmd = [sys.executable, "-m", "labelwright", "bench", "wrench", str(target)]
        cmd += ["--json"] if args.json else []
        for name in args.model:
            cmd += ["-m", name]
        sys.stdout.flush()
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
