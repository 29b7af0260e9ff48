"""RunResult.confusion and per_label: the label model on held-out gold, per label, as the
report counts it, checked against counts made by hand."""

from __future__ import annotations

import numpy as np

from labelwright.project import run_project

# mentions_refund votes billing, crashes (crash / error) votes technical; account: no LF
ROWS = [
    {"id": "r1", "text": "Refund me please", "gold": "billing"},            # billing: right
    {"id": "r2", "text": "The app crashes", "gold": "technical"},          # technical: right
    {"id": "r3", "text": "Error on the invoice page", "gold": "billing"},  # technical: wrong
    {"id": "r4", "text": "I forgot my password", "gold": "account"},       # no label: missed
    {"id": "r5", "text": "Refund to my account", "gold": "account"},       # billing: wrong
    {"id": "r6", "text": "It crashes again", "gold": "technical"},         # technical: right
    {"id": "r7", "text": "Hello there", "gold": ""},                       # no gold
]
LABELS = ("billing", "technical", "account")


def test_per_label_scores_and_confusion_match_a_count_by_hand(make_project):
    result = run_project(make_project(labels=LABELS, rows=ROWS), report=False)
    confusion = result.confusion
    assert list(confusion.index) == list(LABELS)
    assert list(confusion.columns) == [*LABELS, "(none)"]
    assert confusion.to_numpy().tolist() == [[1, 1, 0, 0],   # gold billing: r1, r3
                                             [0, 2, 0, 0],   # gold technical: r2, r6
                                             [1, 0, 0, 1]]   # gold account: r5, r4
    scores = result.per_label.set_index("label")
    assert scores[["support", "predicted", "correct"]].to_numpy().tolist() == [
        [2, 2, 1], [2, 3, 2], [2, 0, 0]]
    assert np.allclose(scores.loc["billing", ["precision", "recall", "f1"]], [1 / 2] * 3)
    assert np.allclose(scores.loc["technical", ["precision", "recall", "f1"]],
                       [2 / 3, 1.0, 2 * 2 / (2 + 3)])
    assert np.isnan(scores.loc["account", "precision"])
    assert scores.loc["account", ["recall", "f1"]].tolist() == [0.0, 0.0]
    # the diagonal over the total is the run's accuracy
    assert np.trace(confusion.to_numpy()) / confusion.to_numpy().sum() == \
        result.evaluation["label_model"]["accuracy"] == 3 / 6


def test_without_gold_there_is_no_table(make_project):
    rows = [{k: v for k, v in row.items() if k != "gold"} for row in ROWS]
    result = run_project(make_project(labels=LABELS, rows=rows, gold=None), report=False)
    assert result.confusion is None and result.per_label is None
