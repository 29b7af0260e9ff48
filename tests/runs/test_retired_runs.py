"""Runs and retired review decisions: a run records the retirements it honoured, runs made
before a retirement still verify (and recompute) as they were, ``explain`` says which
decisions were retired, ``runs diff`` counts them, and an edited record is found."""

from __future__ import annotations

import json
import sqlite3

import pytest

import labelwright
from csv_rows import rewrite_rows
from labelwright.end_model.train import train_run
from labelwright.project import run_project
from labelwright.review import retire_decisions
from labelwright.review.decisions import ledger
from labelwright.review.decisions.retirements import read_retirements
from retired_runs import retired_project
from review_csv import review_items


@pytest.fixture
def retired(make_project):
    return retired_project(make_project)


def _said(root, item):
    (record,) = [r for r in read_retirements(ledger.ledger_path(root)) if r.item_id == item]
    return f"retired {record.at[:10]} by lead: {record.reason}"


def test_runs_before_and_after_a_retirement_verify(retired):
    root, before, after = retired
    checks = labelwright.verify_runs(root, every=True)
    assert [c.ok for c in checks] == [True, True, True], [c.problems for c in checks]
    (check,) = labelwright.verify_runs(root, before.run_id, recompute=True)
    # refit on the reviews the run read: t6's retirement came after it
    assert check.ok and check.recomputed is not None and check.recomputed.refit, check
    (check,) = labelwright.verify_runs(root, after.run_id, recompute=True)
    assert check.ok and check.recomputed is not None and check.recomputed.refit, check


def test_an_edited_retirement_record_is_found(retired, cli):
    root, before, after = retired
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        conn.execute("DROP TRIGGER retirements_no_update")
        conn.execute("UPDATE retirements SET reason = 'other' WHERE item_id = 't6'")
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1, out
    assert (f"{root / 'reviews.sqlite'}: the first 2 retirement records, which the run "
            "honoured, are not the ones it honoured") in out
    assert f"{before.run_id}: ok" in out  # it honoured none
    code, out = cli("explain", "t6", "-p", str(root), "--run", after.run_id)
    assert ("the first 2 retirement records, which the run honoured, are not the ones it "
            "honoured (edited or replaced since; the ledger only ever appends): the review "
            f"decisions below are the ledger's now, not necessarily those run {after.run_id} "
            "read") in out, out


def test_explain_shows_a_retired_decision(retired, cli):
    root, before, after = retired
    code, out = cli("explain", "t6", "-p", str(root), "--run", after.run_id)
    assert code == 0, out
    assert "Review: technical by ana" in out
    assert f"({_said(root, 't6')}: not used)" in out
    assert "source: review" not in out
    code, out = cli("explain", "t6", "-p", str(root), "--run", before.run_id)
    assert code == 0, out
    assert f"({_said(root, 't6')}, after this run)" in out and "source: review" in out


def test_explain_shows_every_retirement_record_of_a_decision(retired, cli):
    """Retired, un-retired, retired again: explain showed only the last record, hiding
    that the decision had been brought back in between."""
    root, _, _ = retired
    retire_decisions(root, items=["t6"], undo=True, reviewer="lead", reason="ana was right")
    retire_decisions(root, items=["t6"], reviewer="bo", reason="misread after all")
    code, out = cli("explain", "t6", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert "retirements: retired " in said and "by lead: misread the guidelines; un-retired " \
        in said and "by lead: ana was right; retired " in said and "by bo: misread after all" \
        in said, said


def test_verify_says_the_retirements_it_checked(retired, cli):
    """The ok line said the ledger decisions were unchanged, and nothing of the retirement
    records it had checked too."""
    root, before, after = retired
    code, out = cli("runs", "verify", after.run_id, "-p", str(root))
    said = " ".join(out.split())
    assert code == 0 and "the 2 ledger decisions it read and the 2 retirement records it " \
        "honoured are unchanged" in said, said
    code, out = cli("runs", "verify", before.run_id, "-p", str(root))
    assert code == 0 and "retirement record" not in out, out


def test_runs_diff_says_the_runs_differ_by_retirements(retired, cli):
    root, before, after = retired
    code, out = cli("runs", "diff", before.run_id, after.run_id, "-p", str(root))
    assert code == 0, out
    assert "reviews: 2 decisions, 1 item with a reviewed label -> 2 decisions, 0 items with " \
           "a reviewed label, 2 retired (review retire)" in out
    code, out = cli("runs", "show", after.run_id, "-p", str(root))
    assert code == 0 and "review ledger: 2 decisions, 0 items with a reviewed label, 2 " \
                         "retired (review retire), sha256" in out, out
    code, out = cli("runs", "show", before.run_id, "-p", str(root))
    assert code == 0 and "retired" not in out, out


def test_train_records_and_checks_the_retirements_it_honoured(retired):
    root, before, after = retired
    train_run(root, after.run_id)
    doc = json.loads((after.run_dir / "end_model.json").read_text(encoding="utf-8"))
    assert doc["training"]["ledger_retirements"] == 2
    assert doc["training"]["ledger_decisions_retired"] == 2
    (check,) = labelwright.verify_runs(root, after.run_id)
    assert check.ok, check.problems
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        conn.execute("DROP TRIGGER retirements_no_delete")
        conn.execute("DELETE FROM retirements WHERE item_id = 'gone1'")
    (check,) = labelwright.verify_runs(root, after.run_id)
    assert any("holds 1 retirement records, fewer than the 2 train honoured" in str(p)
               for p in check.problems), check.problems


def test_train_of_a_run_made_before_a_retirement_says_so(retired, cli):
    root, before, after = retired
    code, out = cli("train", "--run", before.run_id, "-p", str(root))
    assert code == 0, out
    # t6's; gone1's was retired too, but the run did not use it (its item was deleted
    # from the data before the run), so its labels lose nothing with it
    assert (f"1 review decision the run used was retired (review retire) after run "
            f"{before.run_id}; the end model leaves it out") in out
    code, out = cli("train", "--run", after.run_id, "-p", str(root))
    assert code == 0 and "retire" not in out, out


def test_train_after_an_undo_says_the_decision_is_back(retired, cli):
    """An un-retire after the run brings a decision back: the end model uses it, the run
    did not; the decisions retired as of the run and now are compared, not counted."""
    root, before, after = retired
    retire_decisions(root, items=["t6"], undo=True, reviewer="lead", reason="by mistake")
    code, out = cli("train", "--run", after.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"1 review decision the run left out was un-retired (review retire --undo) "
            f"after run {after.run_id}; the end model uses it") in out
    assert "the run used" not in out
    code, out = cli("train", "--run", before.run_id, "-p", str(root))
    # t6's is back as the run had it; gone1's, still retired, the run did not use
    assert code == 0 and "retire" not in out, out


def test_export_of_a_run_made_before_a_retirement_says_so(retired, cli, tmp_path):
    """The training set of a run has the labels of the decisions the run used; one retired
    since is still in it, and export said nothing (train did)."""
    root, before, after = retired
    out = tmp_path / "before.jsonl"
    code, said = cli("export", before.run_id, "--out", str(out), "-p", str(root))
    assert code == 0, said
    assert ("1 review decision the run used was retired (review retire) after it; this "
            "training set has their labels: `labelwright run`, then export again") in said
    provenance = json.loads(out.with_name(out.name + ".provenance.json").read_text("utf-8"))
    assert provenance["review_ledger"]["retired_since_run"] == 1  # t6's (gone1's: unused)
    assert provenance["review_ledger"]["unretired_since_run"] == 0
    retire_decisions(root, items=["t6"], undo=True, reviewer="lead", reason="by mistake")
    code, said = cli("export", after.run_id, "--out", str(tmp_path / "after.jsonl"),
                     "-p", str(root))
    assert code == 0, said
    assert ("1 review decision the run left out was un-retired (review retire --undo) after "
            "it; this training set does not have them") in said
    assert "the run used" not in said


def test_a_decision_the_run_did_not_use_retired_after_it_is_not_said(make_project, cli,
                                                                      tmp_path):
    """An item deleted from the data, a run that has it no more (its review unused), then
    the review retired (``--missing``): the run's labels lose nothing, so export, train and
    the provenance count no decision 'the run used' retired since."""
    root = make_project(gold=None)
    first = run_project(root, report=False)
    review_items(root, {"t6": "technical", "t5": "billing"}, run_id=first.run_id)
    rewrite_rows(root / "data" / "items.csv",
                 lambda row: {**row, "id": "gone5"} if row["id"] == "t5" else row)
    run = run_project(root, report=False)
    retire_decisions(root, missing=True, reviewer="lead", reason="row deleted")
    out = tmp_path / "t.csv"
    code, said = cli("export", run.run_id, "--format", "csv", "--out", str(out),
                     "-p", str(root))
    assert code == 0 and "retire" not in said, said
    provenance = json.loads(out.with_name(out.name + ".provenance.json").read_text("utf-8"))
    assert provenance["review_ledger"]["retired_since_run"] == 0
    code, said = cli("train", "--run", run.run_id, "-p", str(root))
    assert code == 0 and "retire" not in said, said
    retire_decisions(root, items=["t6"], reviewer="lead", reason="misread")
    code, said = cli("export", run.run_id, "--format", "csv", "--out", str(out), "-p",
                     str(root))
    assert "1 review decision the run used was retired (review retire) after it" in said


def test_a_deleted_ledger_is_named_once(retired):
    root, before, after = retired
    (root / "reviews.sqlite").unlink()
    (check,) = labelwright.verify_runs(root, after.run_id)
    assert [str(p) for p in check.problems] == [
        f"{root / 'reviews.sqlite'}: missing; the run read 2 decisions from it (deleted or "
        "moved since)"]


def test_a_retirement_count_of_another_type_is_a_problem(retired):
    """A count written as a string is not read as "honoured none": the manifest's shape
    names it, and so does the check of train's model."""
    from labelwright.errors import RunError
    from labelwright.runs.manifest import MANIFEST, read_manifest

    root, before, after = retired
    train_run(root, after.run_id)
    model = after.run_dir / "end_model.json"
    doc = json.loads(model.read_text(encoding="utf-8"))
    doc["training"]["ledger_retirements"] = "2"
    model.write_text(json.dumps(doc), encoding="utf-8")
    (check,) = labelwright.verify_runs(root, after.run_id)
    assert ("end_model.json: training.ledger_retirements is '2', where train records a "
            "whole number") in " ".join(map(str, check.problems)), check.problems
    path = after.run_dir / MANIFEST
    for key, value in (("retirements", "2"), ("retirements_sha256", 5),
                       ("decisions_retired", True)):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["reviews"] = {**manifest["reviews"], "retirements": 2,
                               "retirements_sha256": "0" * 64, "decisions_retired": 2,
                               key: value}
        path.write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(RunError, match=f"reviews.{key} is "):
            read_manifest(after.run_dir)
