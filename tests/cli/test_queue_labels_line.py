"""`run` says which labels the items to review have: a queue of 1,130 uncovered items and
a few of one label did not show that a label was missing from it."""

from __future__ import annotations

import numpy as np

from labelwright.cli.run_summary import queue_labels_line


def test_every_label_in_the_runs_order_then_those_without_one():
    label = np.array([0, 0, 2, -1, -1, 1, 0])
    status = np.array(["review", "review", "review", "review", "review", "accepted",
                       "reviewed"], dtype=object)
    assert queue_labels_line(label, status, ["Psy", "Katy Perry", "Shakira – Waka Waka"]) == (
        "to review by suggested label: Psy 2, Katy Perry 0, Shakira – Waka Waka 1, (none) 2; "
        "`review export --spread` takes them in turns over the labels (the end model's "
        "label for those without one)")


def test_without_unlabelled_items_no_spread_hint_and_nothing_without_a_queue():
    status = np.array(["review", "accepted"], dtype=object)
    assert queue_labels_line(np.array([1, 0]), status, ["a", "b"]) == (
        "to review by suggested label: a 0, b 1")
    assert queue_labels_line(np.array([1, 0]), np.array(["accepted"] * 2, dtype=object),
                             ["a", "b"]) is None


def test_a_queue_without_suggested_labels_says_none_alone_as_an_export_does():
    status = np.array(["review"] * 3, dtype=object)
    assert queue_labels_line(np.array([-1, -1, -1]), status, ["a", "b"]) == (
        "to review by suggested label: (none) 3; `review export --spread` takes them in "
        "turns over the labels (the end model's label for those without one)")
