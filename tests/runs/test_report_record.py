"""The report's sha256 on record: ``report.html`` was listed as not hashed on every run's
line, so a page edited by hand (labels, figures, reviewers) passed ``runs verify``."""

from __future__ import annotations

import json

import labelwright
from labelwright.file_hashes import file_sha256
from labelwright.project import run_project
from labelwright.runs.report_record import REPORTS_FILE
from rebuilt_reports import runs_whose_report_rebuilds_otherwise


def _manifest(run_dir):
    return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def _lines(root):
    path = root / "runs" / REPORTS_FILE
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] \
        if path.is_file() else []


def test_the_manifest_records_the_report_and_verify_checks_it(make_project, cli):
    root = make_project()
    run = run_project(root)
    report = run.run_dir / "report.html"
    assert _manifest(run.run_dir)["report"] == {"sha256": file_sha256(report)}
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0, out
    assert "its report.html is as the run built it" in out
    assert "not hashed: report.html" not in out
    report.write_text(report.read_text(encoding="utf-8").replace("billing", "technical"),
                      encoding="utf-8")
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert (f"{run.run_id}: 1 problem(s) report.html: changed since the run built it "
            "(sha256 ") in out
    assert ("no line of runs/REPORTS.jsonl (`labelwright report`) or runs/ERASURES.jsonl "
            "(`labelwright erase`) leads from the hash the manifest records to it") in out
    report.unlink()
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "report.html: missing; the run built it (sha256 " in out, out


def test_a_rebuilt_report_is_on_record_and_the_manifest_is_not_rewritten(make_project, cli):
    """`labelwright report` writes the page again: the manifest keeps the run's hash (its
    sha256 is the run's anchor), and runs/REPORTS.jsonl leads from it to the new page."""
    # the run before edited since: its report, built again, cannot compare with it
    root, run, built = runs_whose_report_rebuilds_otherwise(make_project)
    anchor = file_sha256(run.run_dir / "manifest.json")
    code, out = cli("report", run.run_id, "-p", str(root))
    assert code == 0, out
    now = file_sha256(run.run_dir / "report.html")
    assert now != built
    (line,) = _lines(root)
    assert (line["run_id"], line["sha256_before"], line["sha256_after"]) \
        == (run.run_id, built, now)
    assert line["command"] == "labelwright report"
    assert file_sha256(run.run_dir / "manifest.json") == anchor
    code, out = cli("runs", "verify", run.run_id, "--manifest-sha256", anchor,
                    "-p", str(root))
    assert code == 0, out
    assert "its report.html is as `labelwright report` on " in out
    assert "(REPORTS.jsonl line 1) wrote it" in out
    # a line of the record removed: the rebuilt page is no longer vouched for
    (root / "runs" / REPORTS_FILE).write_text("", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert [f.file for f in check.problems] == ["report.html"]


def test_a_run_without_a_report_records_none_and_a_later_one_is_on_record(make_project, cli):
    root = make_project()
    run = run_project(root, report=False)
    assert _manifest(run.run_dir)["report"] is None
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok and check.report == "" and "report.html" not in check.not_hashed
    (run.run_dir / "report.html").write_text("<html>by hand</html>", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert not check.ok
    assert "the run built none (its manifest records none)" in str(check.problems[0])
    (run.run_dir / "report.html").unlink()
    code, out = cli("report", run.run_id, "-p", str(root))
    assert code == 0, out
    (line,) = _lines(root)
    assert line["sha256_before"] is None
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.problems


def test_a_run_from_before_the_record_lists_its_report_as_not_hashed(make_project, cli):
    root = make_project()
    run = run_project(root)
    manifest = _manifest(run.run_dir)
    del manifest["report"]
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (run.run_dir / "report.html").write_text("<html>edited</html>", encoding="utf-8")
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0, out
    assert "not hashed: report.html (built from the manifest after the outputs" in out


def test_a_record_of_rebuilds_that_cannot_be_read_is_said_where_it_matters(make_project):
    """A report as the run built it needs no record; one only a record could vouch for is
    named, with the record that cannot be read."""
    root = make_project()
    run = run_project(root)
    (root / "runs" / REPORTS_FILE).write_text("not a record\n", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.problems
    (run.run_dir / "report.html").write_text("<html>rebuilt?</html>", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    (problem,) = check.problems
    assert problem.file == "report.html"
    assert (f"a record that cannot be read may hold the line: {root / 'runs' / REPORTS_FILE}:1: "
            "not a record of a report built again") in problem.message


def test_a_report_deleted_and_built_again_is_the_runs(make_project, cli):
    """A run's report deleted (by hand, or lost) and written again by `labelwright report`:
    its line leads from no report to the new page, and a report can go missing from any
    state, so the page is the run's, not one "edited or replaced by hand"."""
    # the run before edited since: the page built again differs from the run's
    root, run, built = runs_whose_report_rebuilds_otherwise(make_project)
    (run.run_dir / "report.html").unlink()
    code, out = cli("report", run.run_id, "-p", str(root))
    assert code == 0, out
    (line,) = _lines(root)
    assert line["sha256_before"] is None and line["sha256_after"] != built
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.problems
    assert "(REPORTS.jsonl line 1) wrote it" in check.report
    # a page put there by hand after that is still told
    (run.run_dir / "report.html").write_text("<html>by hand</html>", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert [f.file for f in check.problems] == ["report.html"]


def test_a_report_edited_by_hand_and_built_again_as_verify_advises_is_the_runs(
        make_project, cli):
    """verify's advice for a page edited by hand is `labelwright report RUN`; the page it
    builds comes from files checked first, so it is the run's whatever it replaced: its
    line led from the edited page's hash, which no line reached, and verify kept calling
    the rebuilt page edited by hand."""
    root, run, built = runs_whose_report_rebuilds_otherwise(make_project)
    (run.run_dir / "report.html").write_text("<html>by hand</html>", encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert f"labelwright report {run.run_id}" in check.problems[0].message
    code, out = cli("report", run.run_id, "-p", str(root))
    assert code == 0, out
    (line,) = _lines(root)
    assert line["sha256_before"] != built and line["sha256_after"] != built
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.problems
    assert "(REPORTS.jsonl line 1) wrote it" in check.report


def test_an_erasure_vouches_only_for_a_page_it_rewrote_from_the_runs(tmp_path):
    """An erasure's line leads on from the run's page or a rebuilt one; from a page edited
    by hand it launders nothing."""
    from labelwright.runs.report_record import ReportStep, report_check

    (tmp_path / "report.html").write_text("<html>erased</html>", encoding="utf-8")
    now = file_sha256(tmp_path / "report.html")
    manifest = {"report": {"sha256": "a" * 64}}
    erased = ReportStep("e" * 64, now, "`labelwright erase` (ERASURES.jsonl line 1)")
    assert report_check(tmp_path, manifest, [erased]).problem
    rebuilt = ReportStep("f" * 64, "e" * 64, "`labelwright report` (REPORTS.jsonl line 1)",
                         rebuilt=True)
    found = report_check(tmp_path, manifest, [rebuilt, erased])
    assert not found.problem and "ERASURES.jsonl line 1" in found.how
    assert not report_check(tmp_path, {"report": {"sha256": "e" * 64}}, [erased]).problem
