"""A whole run folder deleted leaves a trace: ``runs verify`` names the runs the review
decisions a run read were exported from (and that its manifest names) whose folders are
gone, ``explain`` says so of a decision from such a run, and ``runs diff`` names what
differs in the reviews when the counts it prints are the same."""

from __future__ import annotations

import shutil

import labelwright
from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.lines import input_changes
from labelwright.runs.explain.item import explain_item
from labelwright.scaffold import init_project
from ledger_rows import decide as _decide


def _project(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    _decide(root, "r02", "positive", "ana", first.run_id)
    _decide(root, "r03", "negative", "ana", first.run_id)
    second = run_project(root, report=False)
    shutil.rmtree(first.run_dir)
    return root, first, second


def test_verify_names_the_run_the_decisions_read_were_exported_from_when_it_is_gone(
        tmp_path, cli):
    """runs verify --all exited 0 with the first run's folder deleted."""
    root, first, second = _project(tmp_path)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1, out
    assert (f"{second.run_id}: 2 problem(s) manifest.json: previous_run names run "
            f"{first.run_id}, the run before this one, but its folder is gone") in out, out
    assert (f"{root / 'reviews.sqlite'}: 2 decisions of the 2 "
            f"the run used were exported from run {first.run_id}, whose folder "
            f"{root / 'runs' / first.run_id} is gone" in out)
    (check,) = labelwright.verify_runs(root)
    assert [f.file for f in check.problems] == ["manifest.json", str(root / "reviews.sqlite")]
    assert {f.run_id for f in check.problems} == {first.run_id}


def test_a_gone_run_whose_decisions_were_retired_is_no_problem(tmp_path):
    """Rows deleted on request: their decisions retired, the run they were exported from
    deleted too; a later run that used none of them failed verify, naming that run."""
    from labelwright.review.decisions.retire import retire_decisions

    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    _decide(root, "r02", "positive", "ana", first.run_id)
    retire_decisions(root, reviewer="lead", reason="personal data removed", items=["r02"])
    second = run_project(root, report=False)
    shutil.rmtree(first.run_dir)
    (check,) = labelwright.verify_runs(root, second.run_id)
    # the folder deleted by hand is the chain's gap, not the ledger's: no decision it used
    assert [(p.file, p.run_id) for p in check.problems] == [("manifest.json", first.run_id)]
    _decide(root, "r03", "negative", "ana", first.run_id)  # one it uses: still a problem
    third = run_project(root, report=False)
    (check,) = labelwright.verify_runs(root, third.run_id)
    assert [p.message for p in check.problems] == [
        f"1 decision of the 1 the run used was exported from run {first.run_id}, whose "
        f"folder {root / 'runs' / first.run_id} is gone"]


def test_explain_says_the_run_a_decision_came_from_is_gone(tmp_path, cli):
    root, first, second = _project(tmp_path)
    e = explain_item(root, "r02", second.run_id)
    (decision,) = e.decisions
    assert decision["run_gone"]
    assert decision["source"].endswith(f"the review queue of run {first.run_id} (that run's "
                                       "folder is gone)")
    code, out = cli("explain", "r02", "-p", str(root))
    assert code == 0 and "(that run's folder is gone)" in out


def test_runs_diff_names_what_differs_in_reviews_whose_counts_are_the_same(tmp_path):
    """'reviews: 110 decisions, 77 items with a reviewed label -> 110 decisions, 77 items
    with a reviewed label' was printed as a change when a run's random sample record vanished."""
    from test_run_diff import fake_run

    common = {"decisions": 110, "items_with_gold": 77, "ledger_sha256": "l1"}
    sample = {"run_id": "20261204-101446-314705", "drawn": 40, "reviewed": 40, "skipped": 0}
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0, reviews={
        **common, "items_from_random_sample": 40, "random_samples": [sample]})
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, reviews={
        **common, "items_from_random_sample": 0, "random_samples": []})
    lines = [line for line in input_changes(diff_runs(a, b)) if line.startswith("reviews")]
    assert lines == ["reviews: 110 decisions, 77 items with a reviewed label in both; changed: "
                     "items_from_random_sample 40 -> 0; random samples: run "
                     "20261204-101446-314705 (40 drawn, 40 reviewed) -> (none)"]
