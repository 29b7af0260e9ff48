"""The record of reports built again (``runs/REPORTS.jsonl``) where its runs go or are
copied: ``runs prune`` left its lines naming runs it removed with nothing to say why, and
``labelwright report`` of a run folder copied elsewhere wrote a REPORTS.jsonl into
whatever folder held the copy."""

from __future__ import annotations

import json
import shutil

import pytest

import labelwright
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.report import rebuild_report, write_report
from labelwright.runs.pruned import PRUNED_FILE, read_pruned
from labelwright.runs.report_record import REPORTS_FILE, ReportNotRecorded, is_runs_folder


def _rebuild(run_dir):
    """``labelwright report`` of a run whose page differs from the one there."""
    (run_dir / "report.html").write_text("<p>an older page</p>", encoding="utf-8")
    rebuild_report(run_dir)


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_prune_keeps_the_report_lines_of_the_runs_it_removes_and_names_them(
        make_project, cli):
    root = make_project()
    runs = [run_project(root) for _ in range(3)]
    for run in (runs[0], runs[1], runs[0], runs[2]):
        _rebuild(run.run_dir)
    record = root / "runs" / REPORTS_FILE
    before = record.read_bytes()
    code, out = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, out
    assert "would keep 3 lines of" in " ".join(out.split()), out
    code, out = cli("runs", "prune", "--keep", "1", "--keep-manifests", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert (f"kept 3 lines of {record} naming 2 runs removed as written (the record of "
            "their reports built again); PRUNED.jsonl names each run's (report_lines)") \
        in said, out
    # never rewritten: a sha256 kept of the record still matches
    assert record.read_bytes() == before
    pruned = read_pruned(root / "runs")
    assert pruned[runs[0].run_id].report_lines == (1, 3)
    assert pruned[runs[1].run_id].report_lines == (2,)
    line = json.loads(_lines(root / "runs" / PRUNED_FILE)[0])
    assert line["run_id"] == runs[0].run_id and line["report_lines"] == [1, 3]
    # the runs left verify, and the lines of the pruned runs are no problem
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert "runs/REPORTS.jsonl lines 1, 3: its report built again, kept as written" in said
    assert f"{runs[2].run_id}: ok (" in said and "its report.html is as the run" in said, out


def test_a_pruned_record_naming_report_lines_it_cannot_is_an_error(tmp_path):
    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    (runs_dir / PRUNED_FILE).write_text(json.dumps({
        "run_id": "20261207-000000-000000", "manifest_sha256": "a" * 64,
        "pruned_at": "2026-12-07T00:00:00+00:00", "command": "x",
        "report_lines": ["one"]}) + "\n", encoding="utf-8")
    with pytest.raises(RunError, match=rf"{PRUNED_FILE}:1: not a record of a pruned run"):
        read_pruned(runs_dir)


def test_prune_stops_before_anything_goes_on_a_record_it_cannot_read(make_project):
    root = make_project()
    runs = [run_project(root, report=False) for _ in range(2)]
    (root / "runs" / REPORTS_FILE).write_text("not json\n", encoding="utf-8")
    with pytest.raises(RunError, match=rf"{REPORTS_FILE}:1: not a record of a report"):
        labelwright.prune_runs(root, 1, caches=False)
    assert runs[0].run_dir.is_dir()


def test_a_copied_run_folder_rebuilt_keeps_no_record_in_a_stray_folder(make_project, cli,
                                                                       tmp_path):
    root = make_project()
    run = run_project(root)
    assert is_runs_folder(run.run_dir.parent)
    elsewhere = tmp_path / "handed-over"
    elsewhere.mkdir()
    copy = elsewhere / run.run_id
    shutil.copytree(run.run_dir, copy)
    (copy / "report.html").write_text("<p>an older page</p>", encoding="utf-8")
    assert not is_runs_folder(elsewhere)
    with pytest.warns(ReportNotRecorded, match=r"no record of its report written again was "
                      r"kept: .*handed-over is no runs folder \(it holds no LATEST\)"):
        rebuild_report(copy)
    assert not (elsewhere / REPORTS_FILE).exists()
    assert not (root / "runs" / REPORTS_FILE).exists()  # nor the project's: not its page
    assert (copy / "report.html").read_bytes() != b"<p>an older page</p>"  # written
    # write_report too (the CLI takes only a run of the project's own runs folder)
    (copy / "report.html").write_text("<p>an older page</p>", encoding="utf-8")
    with pytest.warns(ReportNotRecorded, match="no REPORTS.jsonl was written there"):
        assert write_report(copy) == copy / "report.html"
    assert not (elsewhere / REPORTS_FILE).exists()
    code, out = cli("report", str(copy), "-p", str(root))
    assert code == 1 and "not a run folder of this project's runs folder" in out, out
    # a whole runs folder copied (its marker files with it) keeps its record as before
    whole = tmp_path / "runs-copy"
    shutil.copytree(root / "runs", whole)
    _rebuild(whole / run.run_id)
    assert json.loads(_lines(whole / REPORTS_FILE)[0])["run_id"] == run.run_id


def test_the_projects_runs_folder_keeps_its_record_without_its_marker_files(make_project):
    """A runs folder whose LATEST and lock were deleted is still the project's (its config
    names it): the rebuild is on record there, and no warning says otherwise."""
    import warnings

    root = make_project()
    run = run_project(root)
    for marker in ("LATEST", ".latest.lock"):
        (root / "runs" / marker).unlink(missing_ok=True)
    assert not is_runs_folder(root / "runs")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReportNotRecorded)
        _rebuild(run.run_dir)
    (line,) = _lines(root / "runs" / REPORTS_FILE)
    assert json.loads(line)["run_id"] == run.run_id
