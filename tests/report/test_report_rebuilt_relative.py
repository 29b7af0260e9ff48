"""``write_report`` and ``rebuild_report`` given the run folder as a relative path (``"."``
from inside it): the rebuild's line went to ``./REPORTS.jsonl`` in the run folder, under
run id "", where ``runs verify`` never looks, so the rebuilt page was called edited by
hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labelwright import run_project, verify_runs
from labelwright.file_hashes import file_sha256
from labelwright.report import rebuild_report, write_report
from labelwright.runs.report_record import REPORTS_FILE
from rebuilt_reports import runs_whose_report_rebuilds_otherwise


@pytest.mark.parametrize("rebuild", [write_report, rebuild_report])
def test_a_report_rebuilt_from_inside_its_run_folder_is_on_record(make_project, monkeypatch,
                                                                  rebuild):
    # the run before edited since: the page built again says so, so it is another page
    root, run, built = runs_whose_report_rebuilds_otherwise(make_project)
    monkeypatch.chdir(run.run_dir)
    rebuild(".")
    assert file_sha256(run.run_dir / "report.html") != built
    assert not (run.run_dir / REPORTS_FILE).exists()
    lines = (root / "runs" / REPORTS_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["run_id"] for line in lines] == [run.run_id]
    check = verify_runs(root, run.run_id)[0]
    assert not [f for f in check.problems if f.file == "report.html"], check.problems
    assert check.report.startswith("its report.html is as `labelwright report` on ")


def test_the_record_itself_takes_a_relative_run_folder_from_where_it_is(make_project,
                                                                       monkeypatch):
    """``record_rebuilt_report`` called with ``"."`` (by code other than the two above)."""
    from labelwright.runs.report_record import record_rebuilt_report

    root = make_project()
    run = run_project(root)
    monkeypatch.chdir(run.run_dir)
    record = record_rebuilt_report(Path("."), "<p>another page</p>")
    assert record is not None and record.resolve() == (root / "runs" / REPORTS_FILE).resolve()
    assert not (run.run_dir / REPORTS_FILE).exists()
    line = json.loads(record.read_text(encoding="utf-8").splitlines()[-1])
    assert line["run_id"] == run.run_id


@pytest.mark.parametrize("where", ["project", "runs"])
def test_a_report_rebuilt_through_a_symbolic_link_is_recorded_under_the_runs_id(
        make_project, where):
    """A symbolic link to the run folder (``current`` in the project, or an alias beside
    the runs) given as the run folder: the project's config vouched for the runs folder
    the link resolves to, but the line went beside the link, under the link's name, in a
    folder ``runs verify`` never reads (a project folder with a ``REPORTS.jsonl``)."""
    from labelwright.runs.report_record import record_rebuilt_report

    root = make_project()
    run = run_project(root)
    link = (root if where == "project" else root / "runs") / "current"
    try:
        link.symlink_to(run.run_dir, target_is_directory=True)
    except OSError as exc:  # a system without symbolic links for this user
        pytest.skip(f"no symbolic link can be made here: {exc}")
    record = record_rebuilt_report(link, "<p>another page</p>")
    assert record is not None and record.resolve() == (root / "runs" / REPORTS_FILE).resolve()
    assert not (root / REPORTS_FILE).exists()
    lines = record.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["run_id"] for line in lines] == [run.run_id]
