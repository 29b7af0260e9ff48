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
    assert line.startswith("its audit of 4 of the 814 accepted items is too small to read as "
                           "the run's accuracy")
    assert "Too few reviews" in line  # where review stats shows its figure
    assert f"[triage] audit_size = {FEW_REVIEWS} or more" in line
    assert "random_sample = N" in line


def test_a_project_drawing_a_random_sample_is_pointed_to_it_not_told_to_draw_one():
    """The line told a project drawing a random sample of 100 to set random_sample."""
    line = small_audit_line({"audit_size": 4, "random_sample": 100,
                             "counts": {"accepted": 814}})
    assert line is not None and "random_sample =" not in line
    assert "review its random sample of 100 (`labelwright review export --sample`)" in line
    few = small_audit_line({"audit_size": 4, "random_sample": 10, "counts": {"accepted": 814}})
    assert few is not None and f"random_sample = {FEW_REVIEWS} or more" in few


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
