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


def test_sixty_labels_name_a_few_of_the_most_and_a_few_of_those_with_none():
    """Every label was said, 0 too: a project of 60 labels printed a line of 60 counts.
    Past 10 labels the line names a few of those with items, the most first, and a few
    of those with none, as other long lists are cut (counts.some_of)."""
    labels = [f"l{k}" for k in range(60)]
    # l0..l47 have items (l7 the most, then l3), l48..l59 none; 4 items without a label
    label = np.array([7] * 9 + [3] * 8 + list(range(48)) + [-1] * 4)
    status = np.array(["review"] * len(label), dtype=object)
    line = queue_labels_line(label, status, labels)
    assert line == (
        "to review by suggested label: l7 10, l3 9, l0 1, l1 1, l2 1 and 43 more labels "
        "(the most first); 0 of 12 labels: l48, l49, l50, l51, l52 and 7 more; (none) 4; "
        "`review export --spread` takes them in turns over the labels (the end model's "
        "label for those without one)")
    # every label with items: no list of those with none
    every = np.arange(60)
    assert queue_labels_line(every, np.array(["review"] * 60, dtype=object), labels) == (
        "to review by suggested label: l0 1, l1 1, l2 1, l3 1, l4 1 and 55 more labels "
        "(the most first)")
    # ten labels are still said each, in the run's order
    assert queue_labels_line(np.arange(10), np.array(["review"] * 10, dtype=object),
                             labels[:10]).count(" 1") == 10


def test_labels_queued_by_the_audit_alone_are_named():
    """The line counted 284 billing items to review, and `review export --spread
    --budget 250` exported none: they were all audit items, which the queue puts after
    its doubts, and --spread takes turns within each tier."""
    label = np.array([0, 0, 1, 2, 2, 1, -1])
    status = np.array(["review"] * 6 + ["accepted"], dtype=object)
    reasons = [("conflict",), ("low_confidence",), ("audit",), ("audit",), ("audit",),
               ("conflict", "low_confidence"), ()]
    line = queue_labels_line(label, status, ["a", "b", "c"], reasons)
    assert line == (
        "to review by suggested label: a 2, b 2, c 2; c: queued by the audit alone (2 "
        "items), which the queue puts last: `review export --spread` takes turns within "
        "each tier, so a budget short of the audit exports none of them; `--label c` or "
        "`--reason audit` does")
    # without the reasons (or when the audit is the whole queue) the line is as before
    assert queue_labels_line(label, status, ["a", "b", "c"]) == (
        "to review by suggested label: a 2, b 2, c 2")
    audit = [("audit",)] * 7
    assert queue_labels_line(label, status, ["a", "b", "c"], audit) == (
        "to review by suggested label: a 2, b 2, c 2")


def test_copies_left_out_of_the_queue_are_said_beside_each_labels_count():
    """The line counted every item to review, copies of one text too ("factura 817"),
    while review.jsonl held one item per text (473 factura records): a label's count says
    how many the queue holds where they differ, and the line says why."""
    label = np.array([0, 0, 0, 1, -1, -1, -1, 0])
    status = np.array(["review"] * 7 + ["accepted"], dtype=object)
    order = np.array([4, 0, 3])  # items 1, 2 copies of 0; 5, 6 of 4
    assert queue_labels_line(label, status, ["factura", "soporte"], order=order) == (
        "to review by suggested label: factura 3 (1 in the queue), soporte 1, (none) 3 (1 "
        "in the queue); the queue (review.jsonl, `review export`) holds one item per text "
        "(copies: below); `review export --spread` takes them in turns over the labels (the "
        "end model's label for those without one)")
    # a queue of every item to review (no copies, or [review] copies = "all") as before
    every = np.flatnonzero(status == "review")
    assert queue_labels_line(label, status, ["factura", "soporte"], order=every) == (
        queue_labels_line(label, status, ["factura", "soporte"]))


def test_many_labels_say_what_the_queue_holds_beside_those_shown():
    labels = [f"l{k}" for k in range(12)]
    label = np.array([0] * 5 + list(range(1, 12)))
    status = np.array(["review"] * len(label), dtype=object)
    order = np.arange(4, len(label))  # l0's first four items are copies left out
    line = queue_labels_line(label, status, labels, order=order)
    assert line.startswith("to review by suggested label: l0 5 (1 in the queue), l1 1, "), line
    assert line.count("in the queue") == 1, line
