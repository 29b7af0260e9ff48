"""The report's times: the Summary printed the manifest's raw ISO stamps
(``2026-11-28T03:00:00+00:00``) and said nothing of how long before the previous run was."""

from __future__ import annotations

import json

from report_runs import make_pair, make_run

from labelwright.report import render_report
from labelwright.report.times import readable_time, span_between, span_text
from page_text import unisolated


def _row(run_dir, name: str) -> str:
    page = render_report(run_dir)
    section = unisolated(page.split('<section id="summary">')[1].split("</section>")[0])
    return section.split(f"<dt>{name}</dt><dd>")[1].split("</dd>")[0]


def test_a_stamp_reads_as_date_hour_minute_and_zone():
    assert readable_time("2026-12-07T06:49:37.123+00:00") == "2026-12-07 06:49 UTC"
    # another offset is told in UTC, as the header's time is
    assert readable_time("2026-12-07T08:49:37+02:00") == "2026-12-07 06:49 UTC"
    assert readable_time("2026-12-07T06:49:37", seconds=True) == (
        "2026-12-07 06:49:37 (time zone not recorded)")
    assert readable_time("yesterday") == "yesterday"
    assert readable_time(None) == "?"


def test_a_span_is_said_in_its_two_largest_units():
    assert span_text(45) == "45 s"
    assert span_text(12 * 60 + 5) == "12 min 5 s"
    assert span_text(3 * 3600 + 5 * 60 + 9) == "3 h 5 min"
    assert span_text(2 * 86400 + 4 * 3600) == "2 days 4 h"
    assert span_text(86400 + 30) == "1 day"
    assert span_text(0) == "0 s"
    assert span_between("2026-12-07T06:00:00+00:00", "2026-12-07T06:00:00") is None
    assert span_between("2026-12-07T06:00:00+00:00", "2026-12-07T08:30:00+01:00") == "1 h 30 min"


def test_the_summary_shows_readable_times_and_how_long_before_the_previous_run(tmp_path):
    first, second = make_pair(tmp_path)
    path = second / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["started_at"] = "2026-11-28T04:00:00.123456+00:00"
    manifest["finished_at"] = "2026-11-28T04:02:10+00:00"
    path.write_text(json.dumps(manifest))
    started = _row(second, "started")
    assert ">2026-11-28 04:00 UTC</time>" in started
    assert 'datetime="2026-11-28T04:00:00.123456+00:00"' in started  # kept as recorded
    assert "2026-11-28 04:02 UTC</time>, 2 min 10 s after it started" in _row(second, "finished")
    previous = _row(second, "previous run")
    assert previous.startswith(f"<code>{first.name}</code>, started ")
    assert previous.endswith(": 1 h before this one")


def test_a_previous_run_that_cannot_be_read_is_named_without_a_time(tmp_path):
    first, second = make_pair(tmp_path)
    path = second / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["previous_run"] = {"run_id": first.name, "manifest_sha256": "0" * 64}
    path.write_text(json.dumps(manifest))
    (first / "manifest.json").write_text("{", encoding="utf-8")
    assert _row(second, "previous run") == (
        f"<code>{first.name}</code>: its manifest cannot be read now, so when it started is "
        "not known")


def test_a_first_run_has_no_previous_run_row(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    page = render_report(run_dir)
    assert "<dt>previous run</dt>" not in page
    assert "<dt>started</dt>" in page
