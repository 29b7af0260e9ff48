"""The report's first screen: the reviews a run used, a queue with its denominator, why
"labeled" can exceed "covered by an LF", and a readable time."""

from __future__ import annotations

import json

from report_runs import make_run

from labelwright.report import render_report
from labelwright.report.data import load_run


def _header(run_dir) -> str:
    page = render_report(run_dir)
    return page[page.index("<header>"):page.index("</header>")]


def _edit(run_dir, **fields):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(fields)
    path.write_text(json.dumps(manifest))


def test_the_header_gives_the_queue_a_denominator_and_a_readable_time(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    data = load_run(run_dir)
    header = _header(run_dir)
    assert (f"<b>{data.statuses['review']:,}</b><span>to review, of {data.n_items:,} "
            "items</span>") in header
    assert "finished 2026-11-28 03:00:05 UTC" in header
    assert "random-sample items reviewed" not in header  # no sample drawn


def test_the_header_shows_the_reviews_and_why_labeled_exceeds_covered(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit(run_dir, coverage=0.01, reviews={"random_samples": [
        {"drawn": 100, "reviewed": 61, "run_id": "r1"}, {"drawn": 50, "reviewed": 0}]})
    header = _header(run_dir)
    assert "<b>61 of 150</b><span>random-sample items reviewed</span>" in header
    assert "reviewed labels fill items no LF voted on" in header


def test_no_note_when_labeled_is_not_above_covered(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit(run_dir, coverage=1.0)
    assert "reviewed labels fill" not in _header(run_dir)


def test_the_page_says_what_its_terms_mean(tmp_path):
    """LF, held-out gold, ECE, coverage / overlap / conflict and the agreement statistics
    were used undefined."""
    page = render_report(make_run(tmp_path / "runs", "20261128-030000-000000"))
    terms = page[page.index('<section id="terms">'):]
    for term in ("LF (labeling function)", "held-out gold", "ECE (expected calibration",
                 "coverage", "overlap", "conflict", "Krippendorff&#x27;s alpha, Fleiss"):
        assert f"<dt>{term}" in terms, term
    assert '<a href="#terms">' in page.split("</nav>")[0]
