"""``run`` says when its audit is too small to give an accuracy figure: an audit of 4 (2
per label, init's default for two labels until 2026-12-07) on 1,953 items measured nothing
however many of its items were reviewed."""

from __future__ import annotations

import pytest

from labelwright.cli.audit_lines import small_audit_line
from labelwright.review.stats.run_accuracy import FEW_REVIEWS
from labelwright.scaffold import init_project


def test_a_small_audit_of_many_accepted_items_is_said_with_the_setting():
    line = small_audit_line({"audit_size": 4, "counts": {"accepted": 814}})
    assert line is not None
    assert line.startswith("its audit of 4 of the 814 accepted items can give no accuracy")
    assert f"[triage] audit_size = {FEW_REVIEWS} or more" in line
    assert "random_sample = N" in line


@pytest.mark.parametrize("triage", [
    {"audit_size": 0, "counts": {"accepted": 814}},  # no audit, by choice
    {"audit_size": FEW_REVIEWS, "counts": {"accepted": 814}},
    {"audit_size": 4, "counts": {"accepted": 3}},  # it holds every accepted item
    {"audit_size": 4},  # a run that recorded no counts
])
def test_no_line_when_the_audit_is_off_big_enough_or_all_there_is(triage):
    assert small_audit_line(triage) is None


def test_init_writes_an_audit_review_stats_can_read(tmp_path):
    init_project(tmp_path / "p", labels=["ham", "spam"], example=False)
    text = (tmp_path / "p" / "labelwright.toml").read_text()
    assert f"audit_size = {FEW_REVIEWS} " in text
    assert small_audit_line({"audit_size": FEW_REVIEWS, "counts": {"accepted": 1953}}) is None
