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

from labelwright.report import render_report
from labelwright.report.calibration import class_calibration, overconfident
from labelwright.report.data import class_reliability_table, load_run
from labelwright.review.agreement import wilson_interval


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
    assert (f"b 100 92.0% 74.0% ({100 * low:.1f}%–{100 * high:.1f}%) yes: 18.0 points "
            "below") in shown
    assert class_calibration(table.iloc[[0, 2]]).count("points below") == 0


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
