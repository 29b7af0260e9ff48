"""The label each reviewed item had before review (labelwright.review.feedback.shown_labels)."""

from __future__ import annotations

import json

import numpy as np

from labelwright.review.decisions import ledger
from labelwright.review.feedback.shown_labels import NO_LABEL, NOT_KNOWN, shown_labels


def decision(item_id: str, run_id: str, label: str = "spam") -> ledger.Decision:
    return ledger.Decision(item_id, label, "ana", "", "now", "now", "f.csv", "sha",
                           f"row {item_id}", run_id, "csv", "queue")


def write_queue(runs_dir, run_id: str, records: list[dict]) -> None:
    folder = runs_dir / run_id
    folder.mkdir(parents=True)
    with open(folder / "review.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")


def record(item_id: str, label: str | None, spam: float) -> dict:
    return {"id": item_id, "suggested_label": label,
            "probabilities": {"ham": 1 - spam, "spam": spam}}


def test_each_reviewed_item_gets_the_label_its_first_run_exported(tmp_path):
    runs = tmp_path / "runs"
    write_queue(runs, "r1", [record("a", "ham", 0.4), record("b", None, 0.5),
                             record("c", "junk", 0.9)])
    write_queue(runs, "r2", [record("a", "spam", 0.7), record("d", "spam", 0.6)])
    # "a" was first reviewed from r1, then again from r2: r1 showed the label before review
    decisions = [decision("a", "r1"), decision("b", "r1"), decision("c", "r1"),
                 decision("a", "r2"), decision("d", "r2"), decision("e", "gone")]
    ids = ["a", "b", "c", "d", "e", "f"]
    reviewed = np.array([True, True, True, True, True, False])
    shown = shown_labels(decisions, ids, ["ham", "spam"], runs, reviewed)
    assert shown.label.tolist() == [0, NO_LABEL, NOT_KNOWN, 1, NOT_KNOWN, NOT_KNOWN]
    assert shown.probs[0].tolist() == [0.6, 0.4] and shown.probs[3].tolist() == [0.4, 0.6]
    assert np.isnan(shown.probs[[2, 4, 5]]).all()
    assert shown.known.tolist() == [True, True, False, True, False, False]


def test_a_label_renamed_since_is_read_as_the_current_one(tmp_path):
    runs = tmp_path / "runs"
    write_queue(runs, "r1", [{"id": "a", "suggested_label": "junk",
                              "probabilities": {"ham": 0.2, "junk": 0.8}}])
    shown = shown_labels([decision("a", "r1")], ["a"], ["ham", "spam"], runs,
                         np.array([True]), renamed={"junk": "spam"})
    assert shown.label.tolist() == [1] and shown.probs[0].tolist() == [0.2, 0.8]


def test_a_label_set_changed_since_the_run_still_gives_the_label_before_review(tmp_path):
    """A label added since the run had probability 0 there; a label removed since leaves the
    others' probabilities scaled to sum to 1; the suggestion of a removed label is not
    known."""
    runs = tmp_path / "runs"
    write_queue(runs, "r1", [record("a", "spam", 0.7), record("b", "ham", 0.4),
                             record("c", "spam", 0.8)])
    decisions = [decision("a", "r1"), decision("b", "r1"), decision("c", "r1")]
    reviewed = np.array([True, True, True])
    added = shown_labels(decisions, ["a", "b", "c"], ["ham", "spam", "promo"], runs, reviewed)
    assert added.label.tolist() == [1, 0, 1]
    assert np.allclose(added.probs[0], [0.3, 0.7, 0.0])
    write_queue(runs, "r2", [{"id": "d", "suggested_label": "ham",
                              "probabilities": {"ham": 0.6, "spam": 0.2, "promo": 0.2}},
                             {"id": "e", "suggested_label": "promo",
                              "probabilities": {"ham": 0.1, "spam": 0.1, "promo": 0.8}}])
    removed = shown_labels([decision("d", "r2"), decision("e", "r2")], ["d", "e"],
                           ["ham", "spam"], runs, np.array([True, True]))
    assert removed.label.tolist() == [0, NOT_KNOWN]
    assert np.allclose(removed.probs[0], [0.75, 0.25])


def test_a_probability_that_is_not_a_number_leaves_the_label_not_known(tmp_path):
    runs = tmp_path / "runs"
    write_queue(runs, "r1", [{"id": "a", "suggested_label": "ham",
                              "probabilities": {"ham": "high", "spam": 0.1}}])
    shown = shown_labels([decision("a", "r1")], ["a"], ["ham", "spam"], runs,
                         np.array([True]))
    assert shown.label.tolist() == [NOT_KNOWN]


def test_the_vote_signals_are_those_of_the_votes_the_run_exported(tmp_path):
    """An LF written since to fix an item would make its conflict now look like what marked
    the wrong label: the vote signals are read from the record's votes, NaN without them."""
    runs = tmp_path / "runs"
    write_queue(runs, "r1", [{**record("a", "spam", 0.7), "votes": {"lf1": "spam",
                                                                  "lf2": "spam"}},
                             {**record("b", "ham", 0.4), "votes": {"lf1": "spam",
                                                                 "lf2": "ham",
                                                                 "lf3": "ham",
                                                                 "lf4": "ham"}},
                             {**record("c", None, 0.5), "votes": {}},
                             record("d", "spam", 0.6)])
    shown = shown_labels([decision(i, "r1") for i in "abcd"], list("abcd"), ["ham", "spam"],
                         runs, np.ones(4, dtype=bool))
    assert shown.votes["conflict"][:3].tolist() == [0.0, 0.25, 0.0]
    assert shown.votes["no_vote"][:3].tolist() == [0.0, 0.0, 1.0]
    assert np.isnan(shown.votes["conflict"][3]) and np.isnan(shown.votes["no_vote"][3])
