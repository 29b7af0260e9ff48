"""End models trained on label models' output, on the UCI SMS Spam Collection with our LFs.

A second measurement of "does an end model trained on labelwright's labels match one trained
on Snorkel's?" next to WRENCH sms (whose LFs and splits are WRENCH's): the 5,574 messages of
``../shared/data/raw/sms_spam_collection_uci`` (never copied into the repository), the 8 LFs
written for ``tests/test_sms_real_data.py``, applied with labelwright's Applier.

For each of ``--splits`` random splits (seeded 0, 1, ...): ``--test`` messages are held out;
each label model is fit on the other messages' votes without gold; the end model
(:class:`labelwright.end_model.EndModel`, default settings) is trained on the covered
training messages with that model's probabilities, and scored on the held-out messages.

    python benchmarks/end_model_sms.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from labelwright.apply import Applier  # noqa: E402
from labelwright.data import dataset_from_frame  # noqa: E402
from labelwright.end_model import EndModel  # noqa: E402
from labelwright.lfs import discover  # noqa: E402
from labelwright.models import get_model  # noqa: E402
from test_sms_real_data import SMS, SMS_LFS  # noqa: E402  (the LFs live with their test)

LABELS = ("ham", "spam")
MODELS = ("default", "snorkel", "majority")


def votes_and_labels() -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows = [line.rstrip("\n").partition("\t") for line in SMS.open(encoding="utf-8")]
    frame = pd.DataFrame({"id": [str(i) for i in range(len(rows))],
                          "text": [text for _, _, text in rows]})
    y = np.array([LABELS.index(label) for label, _, _ in rows])
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sms_lfs.py").write_text(SMS_LFS, encoding="utf-8")
        applier = Applier(discover(Path(tmp)), LABELS)
        data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
        L = applier.apply(data).matrix.votes.astype(np.int64)
    return L, y, list(frame["text"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--test", type=int, default=1100, help="held-out messages per split")
    args = parser.parse_args()
    if not SMS.is_file():
        raise SystemExit(f"{SMS}: not found (the shared data folder sits next to the repo)")
    L, y, texts = votes_and_labels()
    print(f"{len(y)} messages, {L.shape[1]} LFs, coverage {(L >= 0).any(axis=1).mean():.3f}")
    scores: dict[str, list[float]] = {name: [] for name in MODELS}
    for seed in range(args.splits):
        order = np.random.default_rng(seed).permutation(len(y))
        test, train = order[: args.test], order[args.test:]
        covered = train[(L[train] >= 0).any(axis=1)]
        line = []
        for name in MODELS:
            model = get_model(name, 2, random_state=0).fit(L[train])
            end = EndModel(LABELS).fit([texts[i] for i in covered],
                                       model.predict_proba(L[covered]))
            acc = 100 * float((end.predict([texts[i] for i in test]) == y[test]).mean())
            scores[name].append(acc)
            line.append(f"{name} {acc:.2f}")
        print(f"split {seed}: " + ", ".join(line))
    print("median: " + ", ".join(f"{name} {statistics.median(s):.2f}"
                                 for name, s in scores.items()))


if __name__ == "__main__":
    main()
