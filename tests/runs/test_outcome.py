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
    assert not any("raised" in w for w in ok.warnings)
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
