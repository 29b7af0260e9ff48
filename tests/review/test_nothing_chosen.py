"""An answer submitted with nothing chosen (Prodigy's accept with no option selected, a
Label Studio annotation with no choice, an Argilla response without a value, a doccano
record whose label list holds only an empty or null label) is no decision:
counted with the cancelled and ignored rows, each named with its row, not a bad row that
blocks the file."""

from __future__ import annotations

import json

from test_import import TEXT_OF, argilla_flat, decisions, ls_export, prodigy_row, write_jsonl
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.file import import_file


def test_a_prodigy_accept_with_nothing_selected_is_no_decision(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        prodigy_row("t6", run, "accept", []),
        prodigy_row("t5", run, "accept", ["technical"]),
        {k: v for k, v in prodigy_row("t4", run, "accept", []).items() if k != "accept"},
    ])
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert (report.added, report.bad) == (1, 0)
    reason = "accepted with no option selected in Prodigy"
    assert report.skipped == {reason: 2}
    assert dict(report.skipped_ids[reason]) == {"t6 at line 1": 1, "t4 at line 3": 1}
    assert [d.item_id for d in decisions(reviewed_project.root)] == ["t5"]


def test_a_label_studio_annotation_without_a_choice_is_no_decision(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    tasks = ls_export(run, {"t6": [(1, None)], "t5": [(1, "technical")],
                            "t4": [(1, "billing")]})
    tasks[0]["annotations"][0]["was_cancelled"] = False  # submitted, result []
    tasks[2]["annotations"][0]["result"][0]["value"]["choices"] = []
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = CliRunner().invoke(review_app, ["import", str(path), "--reviewer", "alice",
                                             "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert ("2 row(s) not decisions: submitted with no choice in Label Studio (t6 at task 1 "
            "annotation 10, t4 at task 3 annotation 30)") in " ".join(result.output.split())
    # the count of rows that are no decisions sits under the file's line, not above it,
    # where a script's log showed it as a line of the import before
    lines = [line for line in result.output.splitlines() if not line.startswith(" " * 4)]
    head = next(i for i, line in enumerate(lines) if "decision(s) added" in line)
    skipped = next(i for i, line in enumerate(lines) if "not decisions" in line)
    assert lines[head].startswith(str(path)) and head < skipped, result.output
    assert [d.item_id for d in decisions(reviewed_project.root)] == ["t5"]
    # imported again: "already imported; nothing added", without the rows said the first
    # time, which had read as rows skipped now
    again = CliRunner().invoke(review_app, ["import", str(path), "--reviewer", "alice",
                                            "--project", str(reviewed_project.root)])
    assert again.exit_code == 0, again.output
    assert "already imported by alice" in again.output
    assert "not decisions" not in again.output


def test_an_argilla_response_submitted_without_a_value_is_no_decision(reviewed_project,
                                                                         tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "argilla.json"
    path.write_text(json.dumps([
        argilla_flat("t6", run, [(None, "u1", "submitted"), ("billing", "u2", "submitted")]),
    ]), encoding="utf-8")
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert (report.added, report.bad) == (1, 0)
    assert dict(report.skipped_ids["submitted with no label in Argilla"]) == {
        "t6 at record 1 response 1": 1}


def test_a_json_min_record_whose_choice_is_empty_is_no_decision(reviewed_project, tmp_path):
    """JSON-MIN puts the choice under the control's name: an empty one chose nothing (a
    record without the name is another control's, and stays a bad row)."""
    run = reviewed_project.run_id
    data = ls_export(run, {"t6": [], "t5": []})
    path = tmp_path / "min.json"
    path.write_text(json.dumps([
        {**data[0]["data"], "id": 1, "annotation_id": 11, "annotator": "ana@x", "label": [],
         "updated_at": "2026-11-28T10:00:00Z"},
        {**data[1]["data"], "id": 2, "annotation_id": 12, "annotator": "ana@x",
         "label": "technical", "updated_at": "2026-11-28T10:00:00Z"}]), encoding="utf-8")
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert (report.added, report.bad) == (1, 0)
    assert dict(report.skipped_ids["submitted with no choice in Label Studio"]) == {
        "t6 at record 1 (task 1 annotation 11)": 1}


def test_a_doccano_record_with_an_empty_label_is_no_decision(reviewed_project, tmp_path):
    """doccano's ``[""]`` and ``[null]`` chose nothing, as Label Studio's ``choices: [""]``
    does: counted and named, not a bad row that blocks the file."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "doccano.jsonl", [
        {"id": k, "text": TEXT_OF[item], "label": label, "lw_id": item, "lw_run_id": run}
        for k, (item, label) in enumerate([("t6", [""]), ("t5", [None]),
                                           ("t2", ["technical"])], start=1)])
    report = import_file(reviewed_project.root, path, reviewer="carol", fmt="doccano")
    assert (report.added, report.bad) == (1, 0)
    assert dict(report.skipped_ids["an empty label in doccano"]) == {
        "t6 at line 1": 1, "t5 at line 2": 1}
    assert [d.item_id for d in decisions(reviewed_project.root)] == ["t2"]
