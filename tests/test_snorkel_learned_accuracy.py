"""The ``snorkel`` label model's learned LF accuracies reach the run's LF table, and with
them the "label model misreads" check."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

LFS = '''
from labelwright import ABSTAIN, labeling_function


def voter(word, label, name):
    @labeling_function(name=name)
    def lf(item):
        return label if word in item.text.split() else ABSTAIN
    return lf


# three LFs on one word: they always agree, and snorkel reads that agreement as accuracy
copies = [voter("promo", "spam", f"promo_{i}") for i in (1, 2, 3)]
says_thanks = voter("thanks", "ham", "says_thanks")
says_winner = voter("winner", "spam", "says_winner")
'''


def rows(n: int = 600, seed: int = 0) -> list[dict[str, str]]:
    """Half spam. "promo" is on 40% of the items and means spam 65% of the time;
    "thanks" is on half the ham, "winner" on a third of the spam, never wrong."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.5
    promo = (rng.random(n) < 0.4) & np.where(rng.random(n) < 0.65, y, ~y)
    thanks = ~y & (rng.random(n) < 0.5)
    winner = y & (rng.random(n) < 0.33)
    out = []
    for i in range(n):
        words = [f"item{i}"] + [w for w, on in (("promo", promo[i]), ("thanks", thanks[i]),
                                                ("winner", winner[i])) if on]
        out.append({"id": f"t{i}", "text": " ".join(words), "gold": "spam" if y[i] else "ham"})
    return out


def test_snorkels_learned_accuracies_are_in_the_lf_table_and_its_misreads_named(
        make_project, cli, monkeypatch):
    root = make_project(model="snorkel", labels=("ham", "spam"), rows=rows(),
                        lfs={"words": LFS})
    monkeypatch.chdir(root)
    code, out = cli("run", "--no-report")
    assert code == 0
    assert "learned acc." in out
    assert "the label model misreads" in out and "'promo_1'" in out
    latest = (root / "runs" / "LATEST").read_text().strip()
    table = pd.read_csv(root / "runs" / latest / "lf_summary.csv").set_index("lf")
    assert table.loc["promo_1", "learned_accuracy"] > 0.95  # gold: about 65%
    assert table.loc["promo_1", "emp_accuracy"] < 0.75
    learned = json.loads((root / "runs" / latest / "manifest.json").read_text())[
        "label_model"]["lf_accuracies"]
    assert set(learned) == {"promo_1", "promo_2", "promo_3", "says_thanks", "says_winner"}
    assert learned["promo_1"] > 0.95
