"""run names a rare label's F1 with its gold items and a 95% interval, whatever its rank:
the weakest-labels line named three labels, and a 2% label's F1 never showed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from labelwright.project import run_project
from labelwright.project.label_f1 import RARE_SHARE, rare_labels
from labelwright.project.label_scores import f1_bounds, gold_confusion, per_label_scores

LABELS = ("billing", "technical", "account")


def _scores(gold: list[str], given: list[str | None]) -> pd.DataFrame:
    confusion = gold_confusion(pd.Series(given, dtype=object), pd.Series(gold),
                               LABELS, np.ones(len(gold), dtype=bool))
    assert confusion is not None
    return per_label_scores(confusion, LABELS)


def test_a_label_under_the_share_is_named_with_its_f1_and_interval():
    gold = ["billing"] * 40 + ["technical"] * 40 + ["account"] * 3
    given = ["billing"] * 38 + ["technical"] * 2 + ["technical"] * 40 + ["account", "account",
                                                                        None]
    scores = _scores(gold, given)
    line = rare_labels(scores)
    assert line is not None
    assert line.startswith(f"rare labels (under {RARE_SHARE:.0%} of the held-out gold): ")
    assert "billing" not in line and "technical" not in line  # 40 of 83 each: not rare
    f1 = f1_score(gold, [g or "" for g in given], labels=["account"], average="macro")
    low, high = f1_bounds(2, 3, 2)
    assert low < f1 < high
    assert (f"account F1 {f1:.2f} (95% interval {low:.2f}–{high:.2f}; 3 gold (3.6%), "
            "2 given)") in line


def test_with_no_rare_label_the_rarest_is_named():
    gold = ["billing"] * 30 + ["technical"] * 20 + ["account"] * 10
    scores = _scores(gold, list(gold))
    line = rare_labels(scores)
    assert line is not None and line.startswith("rarest label: account F1 1.00 (")
    assert "10 gold (16.7%), 10 given" in line
    assert rare_labels(scores.assign(support=0)) is None  # no gold: nothing to say


def test_the_interval_narrows_with_more_items():
    few, many = f1_bounds(8, 10, 10), f1_bounds(800, 1000, 1000)
    assert few is not None and many is not None
    assert few[0] < many[0] < 0.8 < many[1] < few[1]
    assert f1_bounds(0, 0, 0) is None


ROWS = [
    *({"id": f"b{k}", "text": f"my invoice {k} is wrong", "gold": "billing"} for k in range(12)),
    *({"id": f"t{k}", "text": f"the app crashes {k}", "gold": "technical"} for k in range(12)),
    {"id": "a0", "text": "reset my password please", "gold": "account"},
]
LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def invoice(item):
    return "billing" if "invoice" in item.text else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def password(item):
    return "account" if "password" in item.text else ABSTAIN
'''


def test_run_prints_the_rare_label_line(make_project, cli):
    root = make_project(labels=LABELS, rows=ROWS, lfs={"tickets": LFS})
    run = run_project(root, report=False)
    per_label = run.per_label
    assert per_label is not None
    # the same held-out items and F1 the run's own evaluation scores
    assert per_label["f1"].fillna(0).tolist() == pytest.approx(
        run.evaluation["label_model"]["f1_by_label"])
    line = rare_labels(per_label)
    assert line is not None and "account F1 " in line and "1 gold (4.0%)" in line
    code, out = cli("run", "--project", str(root), "--no-report")
    assert code == 0, out
    assert f"label model's {line}" in out


def test_a_label_without_gold_items_is_said_to_be_unmeasured():
    """A 12-label project's rare-labels line named four labels and left out the one with no
    held-out gold item, which the model gave to 3 items (all wrong): it read as measured."""
    gold = ["billing"] * 40 + ["technical"] * 2
    given = ["billing"] * 37 + ["account"] * 3 + ["technical"] * 2
    line = rare_labels(_scores(gold, given))
    assert line is not None and "technical F1 1.00" in line
    assert line.endswith("; account: no gold items, not measured (3 given)")
    never = rare_labels(_scores(gold, ["billing"] * 40 + ["technical"] * 2))
    assert never is not None and never.endswith("; account: no gold items, not measured "
                                                "(0 given)")
