"""`review import` without --reviewer: a tool's export that names the rater of every
decision needs no importer's name; one whose decisions do not all name theirs is refused
with the file, the rows and the option to pass."""

from __future__ import annotations

import json
import re

import pytest
import typer
from test_import import TEXT_OF, argilla_flat, decisions, filled_csv, ls_export, write_jsonl
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.file import ReviewError, import_file


def _cli(*args):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    return CliRunner().invoke(app, ["review", *map(str, args)])


def test_a_label_studio_export_naming_every_rater_imports_without_a_reviewer(
        reviewed_project, tmp_path):
    """Two Label Studio annotators' work in one export: --reviewer was required though it
    only recorded who imported, and each decision's rater came from the file."""
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(reviewed_project.run_id, {
        "t6": [(1, "billing"), ({"id": 2, "email": "bob@x"}, "technical")]})))
    result = _cli("import", path, "--project", reviewed_project.root)
    assert result.exit_code == 0, result.output
    rows = decisions(reviewed_project.root)
    assert {(d.item_id, d.label, d.rater) for d in rows} == {
        ("t6", "billing", "label-studio:1"), ("t6", "technical", "label-studio:bob@x")}
    # nobody is recorded as having imported them for someone else
    assert {d.reviewer for d in rows} == {""}
    assert "--reviewer" not in " ".join(result.output.split()).split("recorded under")[-1]
    # imported again: nothing added, and the message names nobody as the importer
    again = _cli("import", path, "--project", reviewed_project.root)
    assert again.exit_code == 0, again.output
    assert "already imported" in again.output and "nothing added" in again.output
    assert len(decisions(reviewed_project.root)) == 2


def test_an_importer_given_is_still_recorded(reviewed_project, tmp_path):
    path = write_jsonl(tmp_path / "argilla.jsonl", [
        argilla_flat("t6", reviewed_project.run_id, [("billing", "u-1", "submitted")])])
    import_file(reviewed_project.root, path, reviewer="carol")
    (d,) = decisions(reviewed_project.root)
    assert d.reviewer == "carol"


def test_the_same_file_under_a_name_after_none_is_already_imported(reviewed_project,
                                                                   tmp_path):
    """Its decision names its rater (argilla:u-1): under carol it files the same rater's
    decision, not a second rater's, as the refusal said; the ledger holds it already."""
    path = write_jsonl(tmp_path / "argilla.jsonl", [
        argilla_flat("t6", reviewed_project.run_id, [("billing", "u-1", "submitted")])])
    import_file(reviewed_project.root, path)
    again = import_file(reviewed_project.root, path, reviewer="carol")
    assert again.already_imported and again.imported_as == "" and again.added == 0
    assert [d.reviewer for d in decisions(reviewed_project.root)] == [""]


def test_decisions_that_name_no_rater_need_a_reviewer(reviewed_project, tmp_path, cli):
    """A review CSV names no rater: without --reviewer its decisions would be nobody's."""
    path = filled_csv(tmp_path / "done.csv", [("t6", reviewed_project.run_id, "billing"),
                                              ("t5", reviewed_project.run_id, "technical")])
    with pytest.raises(ReviewError) as caught:
        import_file(reviewed_project.root, path)
    message = str(caught.value)
    assert str(path) in message and "2 decision(s) name no rater" in message
    assert "--reviewer NAME" in message and "line 2" in message
    assert decisions(reviewed_project.root) == []
    code, out = cli("review", "import", str(path), "--project", str(reviewed_project.root))
    assert code != 0 and "2 decision(s) name no rater" in out


def test_a_file_where_some_decisions_name_no_rater_is_refused(reviewed_project, tmp_path):
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "billing")],
                                                "t5": [(None, "technical")]})
    tasks[1]["annotations"][0].pop("completed_by")
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError, match=r"1 decision\(s\) name no rater \(task 2"):
        import_file(reviewed_project.root, path)
    assert decisions(reviewed_project.root) == []


def test_the_decisions_table_counts_no_importer_as_nobody_elses(reviewed_project, tmp_path,
                                                               cli):
    """`review decisions` said "2 imported by someone other than their rater" of decisions
    imported without --reviewer, whose importer is empty."""
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(reviewed_project.run_id, {
        "t6": [(1, "billing"), (2, "technical")]})))
    import_file(reviewed_project.root, path)
    out_file = tmp_path / "decisions.csv"
    code, out = cli("review", "decisions", "--project", str(reviewed_project.root),
                    "--out", str(out_file))
    assert code == 0, out
    assert "wrote 2 decisions" in out and "imported by someone other" not in out


def test_a_bad_row_refusal_also_says_the_file_needs_a_reviewer(reviewed_project, tmp_path,
                                                              cli):
    """A doccano file names no rater: with a misspelt label and no --reviewer the refusal
    named only the label, and the import fixed for it was refused again for --reviewer."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "B.jsonl", [
        {"id": 7, "text": TEXT_OF["t6"], "label": ["biling"], "lw_id": "t6", "lw_run_id": run,
         "lw_project": "test"},
        {"id": 8, "text": TEXT_OF["t5"], "label": ["technical"], "lw_id": "t5",
         "lw_run_id": run, "lw_project": "test"}])
    with pytest.raises(ReviewError) as caught:
        import_file(reviewed_project.root, path, fmt="doccano")
    message = str(caught.value)
    assert f"{path}: 1 bad row(s); nothing imported" in message
    assert "line 1: unknown label 'biling' for item 't6'; did you mean 'billing'?" in message
    assert ("and without a reviewer named, 1 decision(s) name no rater (line 2); 1 bad "
            "row(s) name none either (line 1). Pass --reviewer NAME (reviewer=NAME from "
            "Python)") in message
    code, out = cli("review", "import", str(path), "--project", str(reviewed_project.root))
    assert code != 0 and "did you mean 'billing'?" in out and "name no rater" in out
    # with a reviewer named the refusal is the label's alone
    with pytest.raises(ReviewError) as named:
        import_file(reviewed_project.root, path, reviewer="carol")
    assert "name no rater" not in str(named.value)
    assert decisions(reviewed_project.root) == []


def _unnamed_said(message):
    """The part of a refusal that counts the rows naming no rater."""
    found = re.search(r"\d+ decision\(s\) name no rater \([^)]*\)(; \d+ bad row\(s\) name "
                      r"none either \([^)]*\))?", message)
    return found and found.group(0)


def test_a_bad_row_refusal_and_skip_bad_rows_count_the_same_rows_without_a_rater(
        reviewed_project, tmp_path, cli):
    """A CSV naming no rater, one row with a misspelt label: the refusal of the bad row
    said "3 decision(s) name no rater", the bad row among them, while the same file with
    --skip-bad-rows said "2 decision(s)"; both count the decisions (the good rows) and the
    bad rows apart."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "done.csv", [("t6", run, "billing"), ("t5", run, "biling"),
                                              ("t4", run, "technical")])
    with pytest.raises(ReviewError) as refused:
        import_file(reviewed_project.root, path)
    with pytest.raises(ReviewError) as skipping:
        import_file(reviewed_project.root, path, skip_bad_rows=True)
    said = "2 decision(s) name no rater (line 2, line 4); 1 bad row(s) name none either (line 3)"
    assert "1 bad row(s); nothing imported" in str(refused.value)
    assert f"and without a reviewer named, {said}. Pass --reviewer NAME" in str(refused.value)
    assert f"{path}: {said}; nothing imported. Pass --reviewer NAME" in str(skipping.value)
    code, out = cli("review", "import", str(path), "--project", str(reviewed_project.root))
    code_skip, out_skip = cli("review", "import", str(path), "--skip-bad-rows", "--project",
                              str(reviewed_project.root))
    assert code != 0 and code_skip != 0
    assert _unnamed_said(out) == _unnamed_said(out_skip) == said
    assert decisions(reviewed_project.root) == []
    # named, the decisions go in and the bad row alone is skipped
    report = import_file(reviewed_project.root, path, reviewer="carol", skip_bad_rows=True)
    assert report.decisions == 2 and report.bad == 1


def test_skip_bad_rows_imports_when_only_bad_rows_name_no_rater(reviewed_project, tmp_path):
    """The decisions a --skip-bad-rows import files all name their rater: a bad row that
    names none is skipped, not a reason to refuse the file."""
    run = reviewed_project.run_id
    path = tmp_path / "done.csv"
    path.write_text("id,run_id,review_label,reviewer\n"
                    f"t6,{run},billing,ana\nt5,{run},biling,\n", encoding="utf-8")
    with pytest.raises(ReviewError) as refused:
        import_file(reviewed_project.root, path)
    assert "and without a reviewer named, 1 bad row(s) name no rater (line 3)" in str(
        refused.value)
    report = import_file(reviewed_project.root, path, skip_bad_rows=True)
    assert report.decisions == 1 and report.bad == 1
    assert [(d.item_id, d.rater) for d in decisions(reviewed_project.root)] == [("t6", "ana")]
