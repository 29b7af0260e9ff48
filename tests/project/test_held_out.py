"""Held-out gold: the gold items that measure a run (a gold label, no review of their own;
a copy that took a reviewed item's label is held out). The run's accuracy, its confusion
table, the report and the training set count the same items."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.project import run_project
from labelwright.project.held_out import held_out_items, held_out_rows
from labelwright.report.data import load_run
from labelwright.review.training_set import training_frame
from review_csv import review_items

LABELS = ("billing", "technical")
# c1, c2 and c9 share a text; c1 is reviewed, so c2 and c9 take its label as copies.
# c4 and c5 draw no vote (no label), c8 is reviewed without gold.
ROWS = [
    {"id": "c1", "text": "refund the crash", "gold": "billing"},
    {"id": "c2", "text": "refund  the crash ", "gold": "billing"},
    {"id": "c3", "text": "Refund the crash", "gold": "technical"},
    {"id": "c4", "text": "no votes here", "gold": "billing"},
    {"id": "c5", "text": "no votes here", "gold": ""},
    {"id": "c6", "text": "refund please", "gold": "billing"},
    {"id": "c7", "text": "crash again", "gold": ""},
    {"id": "c8", "text": "something else", "gold": ""},
    {"id": "c9", "text": "refund the crash", "gold": "technical"},
    {"id": "c10", "text": "crash on refund", "gold": "technical"},
]


def test_the_run_the_report_and_the_training_set_hold_out_the_same_gold_items(make_project):
    root = make_project(labels=LABELS, rows=ROWS)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical", "c8": "billing"}, run_id=first.run_id)
    result = run_project(root, report=False)
    frame = result.labels.set_index("id")
    assert frame.loc["c1", "label_source"] == "review"
    assert (frame.loc[["c2", "c9"], "label_source"] == "copy").all()

    gold = {r["id"]: r["gold"] for r in ROWS if r["gold"]}
    expected = sorted(set(gold) - {"c1"})  # the copies c2 and c9 held out, c1 not
    truth = pd.Categorical([gold[i] for i in expected], categories=list(LABELS))
    given = pd.Categorical(frame.loc[expected, "model_label"].astype(object)
                           .fillna("(none)"), categories=[*LABELS, "(none)"])
    by_hand = pd.crosstab(truth, given, dropna=False).to_numpy()

    assert result.evaluation["n_gold"] == len(expected)
    assert result.evaluation["reviewed_left_out"] == 1
    assert result.confusion.to_numpy().tolist() == by_hand.tolist()
    assert load_run(result.run_dir).confusion.to_numpy().tolist() == by_hand.tolist()
    right = (frame.loc[expected, "model_label"] == pd.Series(gold)[expected]).fillna(False)
    assert result.evaluation["label_model"]["accuracy"] == right.mean()
    kept = training_frame(result.labels, ids=result.dataset.ids, texts=result.dataset.texts,
                          gold=result.dataset.gold, labels=LABELS, with_gold=True)
    assert sorted(kept.loc[kept["label_source"] == "gold", "id"]) == expected


def test_a_gold_item_is_held_out_unless_reviewed():
    has_gold = np.array([True, True, False, False])
    reviewed = np.array([True, False, True, False])
    assert held_out_items(has_gold, reviewed).tolist() == [False, True, False, False]


def test_a_labels_file_from_before_model_labels_leaves_copies_out_too():
    """Without ``model_label`` the label a copy holds is its reviewed item's, not the label
    model's: it cannot measure the model."""
    frame = pd.DataFrame({"gold": ["a", "a", "b", None],
                          "label_source": ["review", "copy", "model", "model"]})
    assert held_out_rows(frame).tolist() == [False, False, True, False]
    frame["model_label"], frame["model_confidence"] = ["a"] * 4, [0.9] * 4
    assert held_out_rows(frame).tolist() == [False, True, True, False]
    assert not held_out_rows(frame.drop(columns="gold")).any()
