"""A column of gold labels with no gold column set was never read: the run measured no
accuracy and said nothing. The dataset now warns, naming the column and the setting."""

from __future__ import annotations

import pandas as pd

from labelwright.data.dataset import dataset_from_frame

LABELS = ("ham", "spam")


def read(frame, **kwargs):
    return dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                              **kwargs)


def test_a_column_of_labels_named_like_gold_is_said_to_be_unread():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": "t", "gold": ["spam", None, "ham"]})
    (said,) = read(frame).warnings
    assert said == ("<DataFrame>: column 'gold' holds labels (2 rows) but no gold column is "
                    "set, so they are not read and no accuracy is measured: set [data] "
                    "gold_column = 'gold' (dataset_from_frame's gold_column='gold') to "
                    "measure it on them")
    assert read(frame, gold_column="gold").warnings == []  # read: nothing to say


def test_other_columns_say_nothing():
    frame = pd.DataFrame({"id": ["a", "b"], "text": "t",
                          "label": [0, 1],  # Snorkel's indices: no label names
                          "Gold_Label": [None, None],  # nothing in it
                          "category": ["spam", "ham"],  # not named like gold
                          "y": ["spam", "other"],  # a value that is no label
                          "labels": [["spam"], ["ham", "spam"]]})  # several a row
    assert read(frame).warnings == []


def test_a_gold_column_set_to_another_column_says_nothing_of_this_one():
    frame = pd.DataFrame({"id": ["a", "b"], "text": "t", "label": ["spam", "ham"],
                          "reviewed": ["ham", "ham"]})
    assert read(frame, gold_column="reviewed").warnings == []
