"""Calibration per predicted label: a user's round had every accepted item at 0.919, spam
right 99% of the time and psy 74%; the report's reliability diagram and ECE, over all
labels, did not show it."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from report_runs import LABELS, make_run

from labelwright.models.vote_calibration import VOTE_PATTERNS, calibration_by_votes, vote_patterns
from labelwright.report import render_report
from labelwright.report.calibration import (
    class_calibration,
    overconfident,
    underconfident,
    vote_calibration,
)
from labelwright.report.data import class_reliability_table, load_run, with_review_cost
from labelwright.review.stats.agreement import wilson_interval


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_each_label_has_its_items_confidence_and_accuracy_and_the_overconfident_are_flagged():
    # a: 100 items at 0.92, right 99; b: 100 at 0.92, right 74; c: 10 at 0.9, right 8
    label = pd.Series(["a"] * 100 + ["b"] * 100 + ["c"] * 10)
    confidence = np.array([0.92] * 200 + [0.9] * 10)
    correct = np.array([True] * 99 + [False] + [True] * 74 + [False] * 26
                       + [True] * 8 + [False] * 2)
    table = class_reliability_table(label, confidence, correct, ("a", "b", "c", "d"))
    assert table["label"].tolist() == ["a", "b", "c"]  # d: given to no item
    assert table["items"].tolist() == [100, 100, 10]
    assert table["correct"].tolist() == [99, 74, 8]
    assert table["confidence"].tolist() == pytest.approx([0.92, 0.92, 0.9])
    # b's interval (64.6%-81.6%) lies below 92%; c's (49%-94%) spans 90%
    assert wilson_interval(74, 100)[1] < 0.92 < wilson_interval(8, 10)[1]
    assert overconfident(table) == ["b"]
    shown = _text(class_calibration(table))
    assert "Right less often than their confidence says" in shown
    assert ": b (1 of 3 labels)" in shown
    low, high = wilson_interval(74, 100)
    assert (f"b 100 92.0% 74.0% ({100 * low:.1f}%–{100 * high:.1f}%) over-confident: 18.0 "
            "points below") in shown
    assert class_calibration(table.iloc[[0, 2]]).count("points below") == 0
    assert "none is flagged either way" in _text(class_calibration(table.iloc[[2]]))


def test_the_report_shows_each_label_given_on_held_out_gold(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=400)
    data = load_run(run_dir)
    frame = pd.read_parquet(run_dir / "labels.parquet")
    judged = frame[frame["gold"].notna() & frame["label"].notna()]
    table = data.class_reliability
    assert table is not None
    for r in table.itertuples():
        mine = judged[judged["label"] == r.label]
        assert r.items == len(mine)
        assert r.correct == int((mine["gold"] == mine["label"]).sum())
        assert r.confidence == pytest.approx(mine["confidence"].mean())
    assert set(table["label"]) == set(judged["label"]) and set(table["label"]) <= set(LABELS)
    assert table["items"].sum() == data.reliability["items"].sum()
    page = _text(render_report(run_dir))
    assert "Calibration per predicted label" in page
    first = table.iloc[0]
    assert f"{first.label} {first['items']} {100 * first.confidence:.1f}%" in page


def test_no_per_label_calibration_without_gold(tmp_path):
    run_dir = make_run(tmp_path / "runs", "r1", gold=False)
    assert load_run(run_dir).class_reliability is None
    assert "Calibration per predicted label" not in render_report(run_dir)


def _address_change_table():
    """A label at 66.5% confidence right on all its 20 gold items (its interval 83.9%-100%),
    beside one calibrated label; every one of its 77 items went to review."""
    label = pd.Series(["address_change"] * 20 + ["card_lost"] * 40)
    confidence = np.array([0.665] * 20 + [0.9] * 40)
    correct = np.array([True] * 20 + [True] * 36 + [False] * 4)
    table = class_reliability_table(label, confidence, correct, ("card_lost", "address_change"))
    frame = pd.DataFrame({
        "reasons": ["low_confidence"] * 40 + ["conflict;low_confidence"] * 37
                   + ["conflict"] * 20 + [""] * 20,
        "label_source": ["model"] * 117})
    given = pd.Series(["address_change"] * 77 + ["card_lost"] * 40)
    # the gold items: the first 20 address_change items and the 40 card_lost ones
    judged = np.array([True] * 20 + [False] * 57 + [True] * 40)
    return with_review_cost(table, frame, given, judged, correct)


def test_an_underconfident_label_is_flagged_with_the_review_it_costs():
    """address_change, at 66.5% confidence and right on all its gold items, sent all its 77
    items to review; the report flagged only over-confident labels, so it said nothing."""
    table = _address_change_table()
    assert table.set_index("label")["low_confidence"].to_dict() == {
        "card_lost": 0, "address_change": 77}
    assert table.set_index("label")["gold_low_confidence_right"].to_dict() == {
        "card_lost": 0, "address_change": 20}
    assert underconfident(table) == ["address_change"] and overconfident(table) == []
    shown = _text(class_calibration(table))
    assert "Right more often than their confidence says" in shown
    assert ": address_change (1 of 2 labels)" in shown
    assert "send items to review whose labels the gold says are right" in shown
    assert ("confirming them (77 items labeled address_change in review for low confidence, "
            "20 of its 20 gold items sent there are right).") in shown
    low, high = wilson_interval(20, 20)
    assert (f"address_change 20 66.5% 100.0% ({100 * low:.1f}%–{100 * high:.1f}%) "
            "under-confident: 33.5 points above") in shown
    assert "card_lost 40 90.0% 90.0%" in shown and shown.count("-confident:") == 1


def _by_hand(row):
    """A row's vote pattern, counted the slow way (the test's own reading of the words)."""
    counts = {}
    for vote in row:
        if vote >= 0:
            counts[vote] = counts.get(vote, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked:
        return "no_vote"
    if sum(ranked) == 1:
        return "one_vote"
    if len(ranked) == 1:
        return "agree"
    return "split" if ranked[0] == ranked[1] else "conflict"


def test_vote_patterns_tell_agreeing_votes_from_a_split():
    votes = np.array([[0, 0, -1], [0, 1, -1], [0, 1, 1], [-1, -1, 2], [-1, -1, -1],
                      [2, 2, 2], [1, 0, 2]], dtype=np.int8)
    assert vote_patterns(votes, 3).tolist() == [
        "agree", "split", "conflict", "one_vote", "no_vote", "agree", "split"]
    rng = np.random.default_rng(3)
    many = rng.integers(-1, 4, size=(500, 5)).astype(np.int8)
    assert vote_patterns(many, 4).tolist() == [_by_hand(row) for row in many]
    assert set(vote_patterns(many, 4)) <= set(VOTE_PATTERNS)


def test_an_overconfident_split_is_flagged_though_the_whole_is_calibrated():
    """On the gold items whose top two labels had as many votes, mean confidence was 0.926
    and 58% were right, while the report's one ECE over all items was 2.4%."""
    patterns = np.array(["agree"] * 400 + ["split"] * 50 + ["one_vote"] * 150)
    confidence = np.array([0.95] * 400 + [0.926] * 50 + [0.8] * 150)
    correct = np.array([True] * 384 + [False] * 16 + [True] * 29 + [False] * 21
                       + [True] * 121 + [False] * 29)
    groups = calibration_by_votes(patterns, confidence, correct)
    assert {p: g["gap"] for p, g in groups.items()} == {
        "agree": None, "split": "over", "one_vote": None}
    assert (groups["split"]["ci_low"], groups["split"]["ci_high"]) == wilson_interval(29, 50)
    shown = _text(vote_calibration(groups))
    assert "Calibration per vote pattern" in shown
    assert ("Right less often than their confidence says: votes split, top labels tied "
            "(92.6% confident, 58.0% right)") in shown
    low, high = wilson_interval(29, 50)
    assert (f"votes split, top labels tied 50 92.6% 58.0% ({100 * low:.1f}%–{100 * high:.1f}%) "
            "over-confident: 34.6 points below") in shown
    assert "votes agree 400 95.0% 96.0%" in shown
    assert shown.count("over-confident") == 1
    calibrated = {p: groups[p] for p in ("agree", "one_vote")}
    assert "No vote pattern's accuracy lies below" in _text(vote_calibration(calibrated))
    assert vote_calibration(None) == "" and vote_calibration({}) == ""


def test_the_report_shows_calibration_per_vote_pattern_on_held_out_gold(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=400)
    data = load_run(run_dir)
    frame = pd.read_parquet(run_dir / "labels.parquet")
    votes = pd.read_parquet(run_dir / "label_matrix.parquet")
    judged = frame["gold"].notna() & frame["label"].notna()
    groups = data.vote_calibration
    assert groups is not None
    assert sum(g["items"] for g in groups.values()) == data.reliability["items"].sum()
    lf_columns = [c for c in votes.columns if c.startswith("lf_")]
    assert lf_columns  # the matrix's LF columns, read without the library
    patterns = [_by_hand(row) for row in votes[lf_columns].to_numpy()]
    frame["pattern"] = patterns
    mine = frame[judged]
    for pattern, g in groups.items():
        rows = mine[mine["pattern"] == pattern]
        assert g["items"] == len(rows)
        assert g["correct"] == int((rows["gold"] == rows["label"]).sum())
        assert g["confidence"] == pytest.approx(rows["confidence"].mean())
    assert list(groups) == [p for p in VOTE_PATTERNS if p in set(mine["pattern"])]
    page = _text(render_report(run_dir))
    assert "Calibration per vote pattern" in page
    assert load_run(make_run(tmp_path / "r2", "r1", gold=False)).vote_calibration is None


def test_load_run_compares_the_labels_with_the_gold_once(tmp_path, monkeypatch):
    """load_run compared every held-out gold item's label with its gold label, then the
    calibration per label compared them all again."""
    import labelwright.project.label_calibration as label_calibration
    import labelwright.report.data as report_data

    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=200)
    calls = []
    original = label_calibration.judged_gold

    def counting(frame):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(frame)

    monkeypatch.setattr(label_calibration, "judged_gold", counting)
    monkeypatch.setattr(report_data, "judged_gold", counting)
    data = load_run(run_dir)
    assert len(calls) == 1
    assert data.class_reliability is not None and len(data.class_reliability)
