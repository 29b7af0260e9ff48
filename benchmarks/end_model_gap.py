"""Why the end model trains better on Snorkel's labels on WRENCH sms: label quality vs result.

For WRENCH youtube and sms (train votes, no gold): the covered train items' labels from
``default``, Snorkel's LabelModel, majority vote and the true labels -- accuracy of the hard
labels, Brier score, mean P(class 1) -- and the test / valid accuracy of the end model
trained on them (valid and test *texts* and labels are sound on sms; only their votes are
not, see ``sms_votes.py``). Then the train vote patterns covering the most items, with the
share of class 1 among them and the mean P(class 1) each label model gives them.

    python benchmarks/end_model_gap.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from labelwright.bench.wrench import load_wrench
from labelwright.end_model.model import EndModel
from labelwright.models import get_model

WRENCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wrench"


def main() -> None:
    for name in ("sms", "youtube"):
        ds = load_wrench(WRENCH / name)
        train = ds.train
        covered = (train.L >= 0).any(axis=1)
        texts = [t for t, c in zip(train.texts, covered) if c]
        y = train.y[covered]
        labels = {model: get_model(model, 2, random_state=0).fit(train.L)
                  .predict_proba(train.L)[covered] for model in ("default", "snorkel",
                                                                  "majority")}
        labels["true labels"] = np.eye(2)[y]
        print(f"{name}: {covered.sum()} covered train items, class-1 share {y.mean():.3f}")
        print(f"  {'labels from':12} {'hard acc':>8} {'Brier':>6} {'P(1)':>6} "
              f"{'end valid':>9} {'end test':>8}")
        for model, P in labels.items():
            end = EndModel(("0", "1")).fit(texts, P)
            valid, test = (100 * float((end.predict(s.texts) == s.y).mean())
                           for s in (ds.valid, ds.test))
            brier = float(((P - np.eye(2)[y]) ** 2).sum(axis=1).mean())
            print(f"  {model:12} {100 * (P.argmax(1) == y).mean():8.2f} {brier:6.3f} "
                  f"{P[:, 1].mean():6.3f} {valid:9.1f} {test:8.1f}")
        L = train.L[covered]
        keys = [tuple((j, int(v)) for j, v in enumerate(row) if v >= 0) for row in L]
        print("  largest vote patterns ((LF, vote), ...): items, class-1 share, mean P(1) "
              "default / snorkel")
        for key, count in Counter(keys).most_common(3):
            rows = np.array([k == key for k in keys])
            print(f"    {key}: {count}, {y[rows].mean():.2f}, "
                  f"{labels['default'][rows, 1].mean():.2f} / "
                  f"{labels['snorkel'][rows, 1].mean():.2f}")


if __name__ == "__main__":
    main()
