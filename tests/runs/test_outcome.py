"""How a run ended, from Python: ``strict=True`` raises the error ``labelwright run
--strict`` reports, and a failed run's reason is among the result's warnings."""

from __future__ import annotations

import pytest

from labelwright.errors import LabelwrightError, LFFailure, RunFailed
from labelwright.project import run_project
from labelwright.runs.manifest import read_manifest

FRAGILE = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def fragile(item):
    return "billing" if item.text.index("refund") >= 0 else ABSTAIN


@labeling_function()
def broken(item):
    return item.nosuchfield.lower()
'''


def test_strict_raises_the_error_the_cli_reports_with_the_run_written(make_project):
    """W63: run_project had no strict=, so a run the CLI fails returned normally."""
    root = make_project(lfs={"tickets": FRAGILE.split("\n\n\n@labeling_function()\ndef broken")[0]})
    ok = run_project(root, report=False)
    assert ok.outcome["status"] == "ok"
    # it raised on 5 of the 6 items: a warning, not a failure, without strict=True
    (mostly,) = [w for w in ok.warnings if "raised" in w]
    assert mostly.startswith("LF 'fragile' raised on 5 of 6 items: it fails on 83%")
    with pytest.raises(RunFailed) as caught:
        run_project(root, report=False, strict=True)
    assert isinstance(caught.value, LFFailure) and isinstance(caught.value, LabelwrightError)
    failed = caught.value.result
    assert str(caught.value).startswith("strict=True: 1 LF raised ('fragile'); run "
                                        f"{failed.run_id} is written all the same")
    assert read_manifest(failed.run_dir)["outcome"]["status"] == "failed"
    assert (root / "runs" / "LATEST").read_text().strip() == ok.run_id


def test_an_lf_raising_on_every_item_is_a_warning_without_strict(make_project):
    """The "raised on every item" message went only to logging."""
    root = make_project(lfs={"tickets": FRAGILE})
    result = run_project(root, report=False)
    assert result.outcome == {"status": "failed", "strict": False,
                              "failed_because": "lf_raised_on_every_item",
                              "failed_lfs": ["broken"]}
    (said,) = [w for w in result.warnings if "raised on every item" in w]
    assert said.startswith("1 LF raised on every item, so its votes are all abstains: "
                           f"'broken'; run {result.run_id} is written all the same")
    assert said in read_manifest(result.run_dir)["run_warnings"]  # the report leads with it
    assert not (root / "runs" / "LATEST").exists()
    with pytest.raises(RunFailed, match="raised on every item"):
        run_project(root, report=False, strict=True)


def test_the_run_after_a_failed_one_is_compared_with_the_run_before_it(make_project, cli):
    """A failed run was still "the previous run": the next run's since line, its check for
    a fall in accuracy and `runs diff` compared with the run whose LF raised everywhere."""
    from labelwright.report.html import changes_section
    from labelwright.runs.diff.lines import since_line

    root = make_project()
    lf_file = root / "labeling_functions" / "tickets.py"
    good_lfs = lf_file.read_text()
    good = run_project(root)
    lf_file.write_text(good_lfs + "\n\n@labeling_function()\ndef broken(item):\n"
                       "    return item.nosuchfield.lower()\n")
    failed = run_project(root)
    assert failed.outcome["status"] == "failed"
    lf_file.write_text(good_lfs)
    fixed = run_project(root)
    assert fixed.changes is not None and fixed.changes.run_a == good.run_id
    assert fixed.changes.failed_between == [failed.run_id]
    assert since_line(fixed.changes).startswith(
        f"since run {good.run_id} (failed run {failed.run_id} not compared): 0 labels flipped")
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0, out
    assert f"{good.run_id} -> {fixed.run_id} (failed run {failed.run_id} not compared)" in out
    assert f"(failed run {failed.run_id} not compared).</p>" in changes_section(fixed.changes)


def test_the_latest_run_says_which_newer_failed_runs_it_passed_over(make_project, cli):
    """UX41: a user whose last run failed got `runs show`, `report`, ... of an older run
    without a word; and the first run to succeed after failed ones read as "the first run"
    in its report, with nothing said on the command line."""
    import warnings

    from labelwright.errors import FailedRunsPassedOver
    from labelwright.runs.run_folders import resolve_run

    root = make_project()
    lf_file = root / "labeling_functions" / "tickets.py"
    good_lfs = lf_file.read_text()
    lf_file.write_text(good_lfs + "\n\n@labeling_function()\ndef broken(item):\n"
                       "    return item.nosuchfield.lower()\n")
    first_failed = run_project(root)
    lf_file.write_text(good_lfs)
    good = run_project(root)
    earlier = f"1 earlier run failed ({first_failed.run_id}), and none is compared"
    assert good.changes is None
    assert any(w.endswith(earlier + " (a failed run is not handed on)") for w in good.warnings)
    report = (good.run_dir / "report.html").read_text()
    assert "first run" not in report and earlier in report
    code, out = cli("runs", "diff", "-p", str(root))
    assert code != 0 and f"before {good.run_id} to compare it with ({earlier}" in out, out

    lf_file.write_text(good_lfs + "\n\n@labeling_function()\ndef broken(item):\n"
                       "    return item.nosuchfield.lower()\n")
    failed = run_project(root)
    said = (f"warning: taking run {good.run_id} for the latest run: the newer run "
            f"{failed.run_id} failed: 1 LF raised on every item, so its votes are all "
            "abstains: 'broken'; name a failed run to read it")
    for command in (["runs", "show"], ["report"]):
        code, out = cli(*command, "-p", str(root))
        assert code == 0, out
        assert out.count(said) == 1, out  # said once
    code, out = cli("runs", "show", good.run_id, "-p", str(root))
    assert code == 0 and "newer run" not in out  # a run named is the one asked for
    with pytest.warns(FailedRunsPassedOver) as caught:
        assert resolve_run(root / "runs") == good.run_dir
    assert str(caught[0].message) == said.removeprefix("warning: ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve_run(root / "runs", good.run_id)  # named: nothing passed over
