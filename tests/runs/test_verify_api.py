"""``labelwright.runs.verify_runs``: ``runs verify`` as data, for a notebook or a script."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.runs import Finding, verify_runs


def test_an_untouched_run_is_ok_and_an_edited_one_names_each_file(make_project):
    root = make_project()
    result = run_project(root, report=False)
    [check] = verify_runs(root)
    assert check.run_id == result.run_id and check.ok and check.problems == []
    assert check.outputs_hashed == len(json.loads(
        (result.run_dir / "manifest.json").read_text())["outputs"])
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    labels.loc[0, "confidence"] = 0.123
    labels.to_parquet(result.run_dir / "labels.parquet", index=False)
    (result.run_dir / "lf_summary.csv").unlink()
    (result.run_dir / "notes.txt").write_text("mine", encoding="utf-8")
    [check] = verify_runs(root, result.run_id)
    assert not check.ok
    assert [problem.file for problem in check.problems] == ["labels.parquet", "lf_summary.csv"]
    assert check.problems[0].message.startswith("changed since the run wrote it (sha256 ")
    assert check.problems[1] == Finding("lf_summary.csv", "missing")
    assert str(check.problems[1]) == "lf_summary.csv: missing"  # the line the CLI prints
    assert check.not_hashed == ["notes.txt"]


def test_the_cli_prints_the_findings_it_gets(make_project, cli):
    root = make_project()
    result = run_project(root, report=False)
    (result.run_dir / "lf_summary.csv").unlink()
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    manifest["project"]["name"] = "elsewhere"
    manifest["project"]["root"] = "/elsewhere"
    (result.run_dir / "manifest.json").write_text(json.dumps(manifest))
    [check] = verify_runs(root, every=True, inputs=True)
    assert [problem.file for problem in check.problems] == ["lf_summary.csv", "manifest.json"]
    assert check.inputs is None and check.inputs_note.startswith("not compared")
    code, out = cli("runs", "verify", "--all", "--inputs", "-p", str(root))
    assert code == 1
    assert f"{result.run_id}: 2 problem(s) " + " ".join(map(str, check.problems)) in out
    assert "inputs: not compared (the run is another project's)" in out


def test_unreadable_manifests_ledgers_and_inputs_are_findings(make_project):
    root = make_project()
    path = ledger.ledger_path(root)
    ledger.append(path, [ledger.Decision("t1", "billing", "importer", "alice", "", "now",
                                         "f.csv", "s1", "row 1", "r1", "csv")],
                  sha256="s1", reviewer="importer", source_file="f.csv", fmt="csv",
                  imported_at="now")
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    (first.run_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    path.unlink()  # the decisions the second run read are gone
    (root / "data" / "items.csv").write_text(
        (root / "data" / "items.csv").read_text() + "t99,a new row,free,\n", encoding="utf-8")
    checks = verify_runs(root, every=True, inputs=True)
    assert [check.run_id for check in checks] == [first.run_id, second.run_id]
    unreadable, read = checks
    assert not unreadable.readable and unreadable.inputs is None
    [problem] = unreadable.problems
    assert problem.file == str(first.run_dir / "manifest.json")
    assert problem.message.startswith("cannot read the manifest")
    assert read.ledger_decisions == 1
    assert [problem.file for problem in read.problems] == [str(path)]
    assert read.problems[0].message.startswith("missing; the run read 1 decision from it")
    assert read.inputs is not None
    assert [(change.what, change.name) for change in read.inputs.changes] == [
        ("data file", "data/items.csv")]


def test_a_run_and_every_run_or_no_run_at_all_are_errors(make_project):
    root = make_project()
    with pytest.raises(RunError, match="no finished runs"):
        verify_runs(root)
    with pytest.raises(RunError, match="no finished runs to verify"):
        verify_runs(root, every=True)
    with pytest.raises(ValueError, match="give one or the other"):
        verify_runs(root, "2026", every=True)
