"""Class balance without gold: uniform prior vs an estimate, for the ``default`` label model.

On four sets (WRENCH youtube; WRENCH sms with the rules' own valid/test votes, see
``sms_votes.py``; the UCI SMS and YouTube sets of ``uci_wrench.py``), ``default`` is fit on
train without gold with (a) its uniform class prior and (b) the share of majority-vote
labels among the covered train items as ``class_balance``. Test accuracy and spam F1 are
reported on all test items (the WRENCH protocol: items no LF voted on are ties, broken by the
``random`` hash) and on covered test items only (the items a labelwright run labels), next
to majority vote and Snorkel's LabelModel on the covered items.

    python benchmarks/class_balance.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from sms_votes import SMS, check, write_repaired
from uci_data import write_sets

from labelwright.bench.wrench import WrenchDataset, load_wrench
from labelwright.models import get_model
from labelwright.models.metrics import accuracy, binary_f1

WRENCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wrench"


def datasets(tmp: Path) -> list[WrenchDataset]:
    _, recomputed = check(SMS)
    folders = [WRENCH / "youtube", write_repaired(SMS, recomputed, tmp), *write_sets(tmp)]
    return [load_wrench(folder) for folder in folders]


def scores(y: np.ndarray, pred: np.ndarray) -> str:
    return f"{100 * accuracy(y, pred):6.2f} / {100 * binary_f1(y, pred):6.2f}"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="labelwright-balance-") as tmp:
        print("accuracy / spam F1 on test; 'est' = class_balance from the majority-vote share")
        for ds in datasets(Path(tmp)):
            L, test, y = ds.train.L, ds.test.L, ds.test.y
            covered = (test >= 0).any(axis=1)
            share = get_model("majority", 2).fit(L).predict_proba(L)[(L >= 0).any(axis=1)]
            estimate = share.mean(axis=0)
            uniform = get_model("default", 2, tie_break="random").fit(L)
            given = get_model("default", 2, tie_break="random").fit(L, class_balance=estimate)
            truth = np.bincount(ds.train.y, minlength=2) / len(ds.train.y)
            print(f"{ds.name}: true train balance {np.round(truth, 3)}, "
                  f"estimate {np.round(estimate, 3)}")
            print(f"  all test items:     uniform {scores(y, uniform.predict(test))}   "
                  f"est {scores(y, given.predict(test))}")
            yc, tc = y[covered], test[covered]
            others = {name: get_model(name, 2, tie_break="random").fit(L).predict(tc)
                      for name in ("majority", "snorkel")}
            print(f"  covered ({covered.sum():4d}):      uniform {scores(yc, uniform.predict(tc))}"
                  f"   est {scores(yc, given.predict(tc))}   majority "
                  f"{scores(yc, others['majority'])}   snorkel {scores(yc, others['snorkel'])}")


if __name__ == "__main__":
    main()
