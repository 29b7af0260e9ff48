"""Importing each tool's export: shapes, validation with file and row, idempotence.

The fixtures follow each tool's documented export shape: Label Studio's JSON export
(tasks with ``annotations``, each with ``result``/``completed_by``/``was_cancelled``),
``prodigy db-out`` (``answer``, ``accept``, ``_annotator_id``, ``_timestamp``), doccano's
JSONL (``label`` list), Argilla 2.x ``records.to_list(flatten=True)``
(``label.responses``, ``label.responses.users``, ``label.responses.status``).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.config import load_config
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import sampled_items
from labelwright.review.imports.file import ReviewError, detect_format, import_file
from labelwright.review.queue.export import read_review
from ticket_data import TICKETS

#: the texts a run of the conftest project exports: the tools' files below carry them
TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def ls_export(run_id, decisions, *, project="test"):
    """Label Studio JSON export: one task per (item, [(annotator, label), ...])."""
    tasks = []
    for k, (item_id, given) in enumerate(decisions.items(), start=1):
        tasks.append({
            "id": k, "data": {"text": TEXT_OF.get(item_id, ""), "lw_id": item_id,
                              "lw_run_id": run_id,
                              "lw_project": project},
            "annotations": [{
                "id": 10 * k + j, "completed_by": who, "was_cancelled": label is None,
                "result": [] if label is None else [{
                    "from_name": "label", "to_name": "text", "type": "choices",
                    "value": {"choices": [label]}}],
                "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z",
            } for j, (who, label) in enumerate(given)],
            "predictions": [],
        })
    return tasks


def prodigy_row(item_id, run_id, answer, accept, annotator="reviews-alice"):
    return {"text": TEXT_OF.get(item_id, ""), "options": [{"id": "billing", "text": "billing"},
                                       {"id": "technical", "text": "technical"}],
            "accept": accept, "answer": answer, "lw_id": item_id, "lw_run_id": run_id,
            "lw_project": "test", "meta": {"id": item_id, "run_id": run_id},
            "_input_hash": 1, "_task_hash": 2, "_timestamp": 1795000000,
            "_annotator_id": annotator, "_session_id": annotator, "_view_id": "choice"}


def unnamed_answer(item_id, run_id, label, stamp):
    """An accepted answer of a Prodigy session started without a name."""
    row = prodigy_row(item_id, run_id, "accept", [label], annotator="2026-11-28_10-17-19")
    row.update(_session_id="2026-11-28_10-17-19", _timestamp=stamp)
    return row


def argilla_flat(item_id, run_id, responses):
    return {"id": item_id, "status": "completed", "_server_id": "0b0f",
            "text": TEXT_OF.get(item_id, ""),
            "lw_run_id": run_id, "lw_project": "test",
            "label.responses": [v for v, _, _ in responses],
            "label.responses.users": [u for _, u, _ in responses],
            "label.responses.status": [s for _, _, s in responses],
            "label.suggestion": "technical", "label.suggestion.score": 1.0,
            "label.suggestion.agent": f"labelwright {run_id}"}


def filled_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "rank", "text", "suggested_label", "review_label"])
        for item_id, run_id, label in rows:
            writer.writerow([item_id, run_id, 1, TEXT_OF.get(item_id, ""), "", label])
    return path


def decisions(root):
    return ledger.read_decisions(ledger.ledger_path(root))


def test_label_studio_export(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(run, {
        "t6": [(1, "billing"), ({"id": 2, "email": "bob@x"}, "technical")],
        "t5": [(1, None)],  # cancelled: skipped, not a decision
    })))
    assert detect_format(path) == "label-studio"
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.added == 2 and report.skipped
    rows = decisions(reviewed_project.root)
    assert {(d.item_id, d.label, d.rater) for d in rows} == {
        ("t6", "billing", "label-studio:1"), ("t6", "technical", "label-studio:bob@x")}
    d = rows[0]
    assert (d.reviewer, d.run_id, d.format, d.source_sha256) == (
        "alice", run, "label-studio", report.sha256)
    assert d.source_row == "task 1 annotation 10" and d.decided_at == "2026-11-28T10:00:00Z"


def test_prodigy_db_out(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        prodigy_row("t6", run, "accept", ["billing"]),
        prodigy_row("t5", run, "ignore", []),
        prodigy_row("t1", run, "reject", ["technical"]),
    ])
    assert detect_format(path) == "prodigy"
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.added == 1 and sum(report.skipped.values()) == 2
    (d,) = decisions(reviewed_project.root)
    assert (d.item_id, d.label, d.annotator) == ("t6", "billing", "reviews-alice")
    assert d.decided_at.startswith("2026-")


def test_doccano_export(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "doccano.jsonl", [
        {"id": 7, "text": TEXT_OF["t6"], "label": ["billing"], "Comments": [], "lw_id": "t6",
         "lw_run_id": run, "lw_project": "test"},
        {"id": 8, "text": TEXT_OF["t5"], "label": [], "Comments": [], "lw_id": "t5",
         "lw_run_id": run, "lw_project": "test"},
        {"id": 9, "text": TEXT_OF["t2"], "label": ["technical"],  # metadata nested (doccano 1.x)
         "meta": {"lw_id": "t2", "lw_run_id": run, "lw_project": "test"}},
    ])
    assert detect_format(path) == "doccano"
    report = import_file(reviewed_project.root, path, reviewer="carol", fmt="doccano")
    assert report.added == 2
    assert [(d.item_id, d.label, d.rater) for d in decisions(reviewed_project.root)] == [
        ("t6", "billing", "carol"), ("t2", "technical", "carol")]
    # imported again under another name: the way out is the tool's own accounts, not a
    # reviewer column the tool's JSONL has no place for
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dave", fmt="doccano")
    assert "reviewer column" not in str(info.value)
    assert str(info.value).endswith("export each one's work from the tool under their own "
                                    "account (the files then differ, and where the tool "
                                    "names the annotator each decision names its rater)")


def test_an_empty_label_beside_one_is_not_a_second_choice(reviewed_project, tmp_path):
    """doccano's ``["", "billing"]`` was refused as "several labels chosen (, billing)":
    the empty string is no label, so the row holds one."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "doccano.jsonl", [
        {"id": 7, "text": TEXT_OF["t6"], "label": ["", "billing"], "lw_id": "t6",
         "lw_run_id": run, "lw_project": "test"}])
    report = import_file(reviewed_project.root, path, reviewer="carol", fmt="doccano")
    assert report.added == 1
    assert [(d.item_id, d.label) for d in decisions(reviewed_project.root)] == [
        ("t6", "billing")]


def test_filled_review_csv(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t6", run, "billing"), ("t5", run, "")])
    report = import_file(reviewed_project.root, path, reviewer="dana")
    assert report.format == "csv" and report.added == 1
    assert report.skipped == {"review_label left blank": 1}


def test_argilla_flattened_records(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "argilla.jsonl", [
        argilla_flat("t6", run, [("billing", "u-1", "submitted"), ("technical", "u-2", "draft")]),
        argilla_flat("t5", run, [("technical", "u-1", "discarded")]),
    ])
    assert detect_format(path) == "argilla"
    report = import_file(reviewed_project.root, path, reviewer="erin")
    assert report.added == 1 and sum(report.skipped.values()) == 2
    assert [(d.item_id, d.label, d.rater) for d in decisions(reviewed_project.root)] == [
        ("t6", "billing", "argilla:u-1")]


def test_the_rows_not_decisions_name_each_item_once_with_its_count(reviewed_project,
                                                                   tmp_path):
    """Two drafts on one Argilla record were listed as '(t6, t6)'."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "argilla.jsonl", [
        argilla_flat("t6", run, [("billing", "u-1", "draft"), ("technical", "u-2", "draft")]),
        argilla_flat("t5", run, [("technical", "u-1", "draft")]),
        argilla_flat("t1", run, [("technical", "u-1", "submitted")]),
    ])
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "import", str(path), "--reviewer", "erin",
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert ("3 row(s) not decisions: response 'draft' (not submitted) in Argilla (t6: 2 rows, "
            "t5)") in " ".join(result.output.split())


def test_argilla_nested_json_list(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "argilla.json"
    path.write_text(json.dumps([{
        "id": "t6", "fields": {"text": TEXT_OF["t6"]}, "metadata": {"lw_run_id": run},
        "responses": {"label": [{"value": "technical", "user_id": "u-9", "status": "submitted"}]},
        "suggestions": {}}]))
    report = import_file(reviewed_project.root, path, reviewer="erin", fmt="argilla")
    assert report.added == 1


def test_a_file_with_no_decision_is_an_error_and_can_be_imported_later(reviewed_project,
                                                                       tmp_path):
    """Read with the wrong --format (or a question not named 'label'), a file gave 0
    decisions, exited 0, and was recorded as imported: the right import was then refused as
    'already imported'."""
    run = reviewed_project.run_id
    record = argilla_flat("t6", run, [("billing", "u-1", "submitted")])
    renamed = {k.replace("label.", "topic.", 1): v for k, v in record.items()}
    path = write_jsonl(tmp_path / "argilla.jsonl", [renamed])
    with pytest.raises(ReviewError, match=r"no decision in its 1 row\(s\) read as argilla "
                       r"\(1 responses to question\(s\) topic, not to 'label'.*can be "
                       r"imported again"):
        import_file(reviewed_project.root, path, reviewer="erin")
    path = write_jsonl(tmp_path / "argilla.jsonl", [record])  # the same name, fixed
    assert import_file(reviewed_project.root, path, reviewer="erin").added == 1


def test_one_file_imported_under_a_second_name_is_refused(reviewed_project, tmp_path):
    """It added a phantom rater with kappa 1.0 against the first, for good."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "alice.csv", [("t6", run, "billing")])
    import_file(reviewed_project.root, path, reviewer="alice")
    with pytest.raises(ReviewError, match=r"was imported as 'alice' on .*importing it again as "
                                          r"'zoe' would count the same decisions.*in the "
                                          r"review file's reviewer column"):
        import_file(reviewed_project.root, path, reviewer="zoe")
    assert {d.rater for d in decisions(reviewed_project.root)} == {"alice"}
    again = import_file(reviewed_project.root, path, reviewer="alice")
    assert again.added == 0 and again.already_imported


def test_a_file_naming_every_rater_imported_again_by_anyone_adds_nothing(reviewed_project,
                                                                         tmp_path, cli):
    """A Label Studio export names each decision's rater: imported again without --reviewer,
    or under another, it files the same raters' decisions, not a second rater's, which the
    refusal said; held already, it is imported, as under the same --reviewer."""
    root, run = reviewed_project.root, reviewed_project.run_id
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(run, {"t6": [({"id": 2, "email": "bob@x"},
                                                       "technical")],
                                               "t5": [(3, "billing")]})))
    assert import_file(root, path, reviewer="lead").added == 2
    again = import_file(root, path)
    assert again.already_imported and again.added == 0 and again.imported_as == "lead"
    code, out = cli("review", "import", str(path), "--reviewer", "bob", "-p", str(root))
    assert code == 0, out
    assert "already imported as 'lead'" in out and "nothing added" in out
    assert len(decisions(root)) == 2


def test_a_cumulative_export_imported_again_by_another_adds_nothing(reviewed_project,
                                                                    tmp_path, cli):
    """A tool's later export holds its earlier annotations again, which its import did not
    file a second time: imported again under another name, it was refused as lacking rows
    and sent to its first importer, whose import then added nothing."""
    root, run = reviewed_project.root, reviewed_project.run_id
    first, later = tmp_path / "ls1.json", tmp_path / "ls2.json"
    first.write_text(json.dumps(ls_export(run, {"t6": [(2, "technical")]})))
    later.write_text(json.dumps(ls_export(run, {"t6": [(2, "technical")],
                                                "t5": [(2, "billing")]})))
    import_file(root, first)
    assert import_file(root, later).added == 1
    code, out = cli("review", "import", str(later), "--reviewer", "bob", "-p", str(root))
    assert code == 0, out
    assert "already imported without --reviewer" in " ".join(out.split()), out
    assert len(decisions(root)) == 2


def test_a_file_naming_every_rater_with_rows_missing_is_sent_to_its_importer(
        reviewed_project, tmp_path):
    """Rows bad at the first import (--skip-bad-rows) are added by the first importer; the
    refusal says so rather than speak of a second rater."""
    root, run = reviewed_project.root, reviewed_project.run_id
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(run, {"t6": [(2, "technical")],
                                               "t99": [(2, "billing")]})))
    import_file(root, path, skip_bad_rows=True)
    with pytest.raises(ReviewError, match=r"imported without --reviewer on .*every decision "
                                          r"in it names its rater.*import it again without "
                                          r"--reviewer"):
        import_file(root, path, reviewer="bob")


def test_a_file_imported_under_another_name_is_refused_before_the_data_is_read(
        reviewed_project, tmp_path, monkeypatch):
    """The refusal came only after reading the whole dataset (21 s on a 1M-row project),
    though no row of the data could change it; a file with bad rows (imported with
    --skip-bad-rows) is refused the same way, as its bad rows would refuse it too."""
    import labelwright.review.imports.file as importing

    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "alice.csv", [("t6", run, "billing"), ("t99", run, "billing")])
    import_file(reviewed_project.root, path, reviewer="alice", skip_bad_rows=True)

    def no_data(*args, **kwargs):
        raise AssertionError("the dataset was read")

    monkeypatch.setattr(importing, "import_items", no_data)
    with pytest.raises(ReviewError, match=r"was imported as 'alice' on .*importing it again as "
                                          r"'zoe' would count the same decisions"):
        import_file(reviewed_project.root, path, reviewer="zoe")
    with pytest.raises(ReviewError, match="no such file"):  # the errors before it stay first
        import_file(reviewed_project.root, tmp_path / "gone.csv", reviewer="zoe")


BAD = [
    ("t99", "billing", "unknown item id 't99'"),
    ("t6", "refunds", "unknown label 'refunds'"),
]


@pytest.mark.parametrize(("written", "hint"), [
    ("skip", "leave the cell blank to skip an item"), ("?", "leave the cell blank"),
    (" Not  Sure ", "leave the cell blank")])
def test_a_label_that_reads_as_a_skip_says_how_to_skip(reviewed_project, tmp_path, written,
                                                       hint):
    """A reviewer who wrote skip in the cell of an item they passed over refused the whole
    file with 'unknown label', where a blank cell is no decision."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t1", run, "billing"), ("t6", run, written)])
    with pytest.raises(ReviewError, match=r"unknown label .*valid: billing, technical; "
                                          + re.escape(hint)):
        import_file(reviewed_project.root, path, reviewer="alice")
    records = tmp_path / "review.jsonl"
    records.write_text(json.dumps({"id": "t6", "run_id": run, "review_label": written}) + "\n",
                       encoding="utf-8")
    with pytest.raises(ReviewError, match="leave review_label empty or null to skip an item"):
        import_file(reviewed_project.root, records, reviewer="alice", fmt="jsonl")


def test_an_unknown_label_that_is_no_skip_gets_no_skip_hint(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t6", run, "refunds")])
    with pytest.raises(ReviewError, match="unknown label 'refunds'") as refused:
        import_file(reviewed_project.root, path, reviewer="alice")
    assert "to skip an item" not in str(refused.value)


@pytest.mark.parametrize(("item_id", "label", "message"), BAD)
def test_bad_rows_name_file_and_row_and_import_nothing(reviewed_project, tmp_path, item_id,
                                                       label, message):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t1", run, "billing"), (item_id, run, label)])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    text = str(info.value)
    assert f"{path}: line 3: " in text and message in text and "nothing imported" in text
    assert decisions(reviewed_project.root) == []


def test_unknown_label_lists_the_valid_ones(reviewed_project, tmp_path):
    """With a guess when one is close: a label typed in capitals, without its accent or
    with a letter missing (a far one gets none: it would mislead)."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "r.csv", [("t6", run, "Billing"), ("t1", run, "techincal"),
                                           ("t2", run, "refunds")])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    text = str(info.value)
    assert ("unknown label 'Billing' for item 't6'; did you mean 'billing'? valid: billing, "
            "technical") in text
    assert "unknown label 'techincal' for item 't1'; did you mean 'technical'? valid:" in text
    assert "unknown label 'refunds' for item 't2'; valid: billing, technical" in text


def test_a_label_in_another_unicode_form_is_the_projects_label(make_project, tmp_path):
    """A label typed on a Mac ("e" + combining accent) was "unknown", and the error listed
    a label that looks the same."""
    import unicodedata

    root = make_project(labels=("billing", "technical", "café"))
    run_id = run_project(root, report=False).run_dir.name
    typed = unicodedata.normalize("NFD", "café")
    assert typed != "café"
    path = filled_csv(tmp_path / "r.csv", [("t6", run_id, typed), ("t5", run_id, "technical")])
    assert import_file(root, path, reviewer="dana").added == 2
    assert {(d.item_id, d.label) for d in decisions(root)} == {("t6", "café"),
                                                               ("t5", "technical")}


def test_duplicate_rows(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        prodigy_row("t6", run, "accept", ["billing"]),
        prodigy_row("t6", run, "accept", ["technical"]),
        prodigy_row("t6", run, "accept", ["technical"], annotator="reviews-bob"),  # another rater
    ])
    with pytest.raises(ReviewError, match=r"line 2: duplicate decision for item 't6' \(first at "
                                          r"line 1\)"):
        import_file(reviewed_project.root, path, reviewer="alice")


def test_a_duplicate_without_annotators_says_whose_it_would_be(reviewed_project, tmp_path):
    """A Label Studio export with user details removed names no annotator: two people's
    annotations of one task look like one rater's duplicate."""
    tasks = ls_export(reviewed_project.run_id, {"t6": [(None, "billing"), (None, "technical")]})
    for annotation in tasks[0]["annotations"]:
        annotation.pop("completed_by")
        annotation["was_cancelled"] = False
        annotation["result"] = [{"from_name": "label", "to_name": "text", "type": "choices",
                                 "value": {"choices": ["billing"]}}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError, match=r"duplicate decision for item 't6' .*names no "
                                          r"annotator for either, so both would be filed under "
                                          r"the reviewer 'alice': import each person's "
                                          r"decisions with their own --reviewer \(reviewer= "
                                          r"from Python\)"):
        import_file(reviewed_project.root, path, reviewer="alice")


def test_items_from_another_project(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(ls_export(run, {"t6": [(1, "billing")]}, project="elsewhere")))
    with pytest.raises(ReviewError, match="item from project 'elsewhere'; this project is 'test'"):
        import_file(reviewed_project.root, path, reviewer="alice")


def test_a_file_of_another_projects_runs_is_one_error(reviewed_project, tmp_path):
    """A file exported from another project gave one identical 'run ... is not a run of
    this project' line per row (40 of them); it is one error for the file, naming the runs
    and this project's runs folder. A file that mixes in rows of an unknown run says so
    once per run, with the count."""
    other = "20200101-000000-000000"
    rows = [prodigy_row(i, other, "accept", ["billing"]) for i in ("t1", "t2", "t3", "t6")]
    rows[0]["lw_project"] = "helpdesk"
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="alice")
    runs = reviewed_project.root / "runs"
    assert str(info.value) == (
        f"{path}: no row names a run of this project: its rows name run(s) '{other}', and the "
        f"1 run(s) of this project, in {runs}, are others; they name project(s) 'helpdesk' "
        "(this one is 'test'); nothing imported. Was the file exported from another "
        "project? Import it there: --project FOLDER (import_file(FOLDER, ...) from Python)")
    mixed = write_jsonl(tmp_path / "b.jsonl", [
        prodigy_row("t5", reviewed_project.run_id, "accept", ["billing"]),
        *(prodigy_row(i, other, "accept", ["billing"]) for i in ("t1", "t2", "t3")),
        prodigy_row("t4", "20200202-000000-000000", "accept", ["billing"])])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, mixed, reviewer="alice")
    message = str(info.value)
    assert message.startswith(f"{mixed}: 4 bad row(s); nothing imported")
    assert message.count("not a run of this project") == 2
    assert (f"{mixed}: 3 row(s) name run '{other}', which is not a run of this project (line "
            "2, line 3, line 4); was the run deleted") in message
    assert "1 row(s) name run '20200202-000000-000000'" in message
    report = import_file(reviewed_project.root, mixed, reviewer="alice", skip_bad_rows=True)
    assert (report.added, report.bad, len(report.problems)) == (1, 4, 2)


def test_a_file_of_this_projects_deleted_runs_says_so(reviewed_project, tmp_path):
    """Rows naming this project and a run whose folder was deleted were told 'Was the
    file exported from another project? Import it there'."""
    gone = "20200101-000000-000000"
    rows = [prodigy_row(i, gone, "accept", ["billing"]) for i in ("t1", "t2")]  # project 'test'
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="alice")
    message = str(info.value)
    assert f"its rows name this project ('test') and run(s) '{gone}', whose folders" in message
    assert "deleted or moved" in message and "another project" not in message


def test_several_choices_in_one_annotation(reviewed_project, tmp_path):
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "billing")]})
    tasks[0]["annotations"][0]["result"][0]["value"]["choices"] = ["billing", "technical"]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="alice")
    # the item and the valid labels, as every other label error names them
    labels = ", ".join(load_config(reviewed_project.root).labels)
    assert (f"{path}: task 1 annotation 10: several labels chosen for item 't6' (billing, "
            f"technical); expected one; valid: {labels}") in str(info.value)


def test_skip_bad_rows_imports_the_good_ones(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [
        ("t1", run, "billing"), ("t99", run, "billing"), ("t2", run, "nope")])
    report = import_file(reviewed_project.root, path, reviewer="dana", skip_bad_rows=True)
    assert report.added == 1 and len(report.problems) == 2
    assert [d.item_id for d in decisions(reviewed_project.root)] == ["t1"]


def test_reimport_is_idempotent(reviewed_project, tmp_path):
    path = filled_csv(tmp_path / "review.csv", [("t6", reviewed_project.run_id, "billing")])
    first = import_file(reviewed_project.root, path, reviewer="dana")
    again = import_file(reviewed_project.root, path, reviewer="dana")
    assert (first.added, again.added, again.already_imported) == (1, 0, True)
    assert len(decisions(reviewed_project.root)) == 1


def test_unrecognised_file(reviewed_project, tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"foo": 1}])
    with pytest.raises(ReviewError, match="pass --format"):
        import_file(reviewed_project.root, path, reviewer="a")
    with pytest.raises(ReviewError, match="no such file"):
        import_file(reviewed_project.root, tmp_path / "missing.csv", reviewer="a")
    csv_path = tmp_path / "plain.csv"
    csv_path.write_text("id,text\nt1,hi\n")
    with pytest.raises(ReviewError, match="missing column"):
        import_file(reviewed_project.root, csv_path, reviewer="a")


def test_cli_review_import(reviewed_project, tmp_path):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    path = filled_csv(tmp_path / "review.csv", [("t6", reviewed_project.run_id, "billing")])
    args = ["review", "import", str(path), "--reviewer", "dana", "--project",
            str(reviewed_project.root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 decision(s) added" in " ".join(result.output.split())
    result = CliRunner().invoke(app, args)
    assert "already imported" in " ".join(result.output.split())


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "argilla"])
def test_cli_import_says_the_decisions_are_the_annotators_not_the_reviewers(
        reviewed_project, tmp_path, fmt):
    """A file that names its annotators files each decision under its annotator: --reviewer
    was passed over without a word, so bob thought the decisions were his."""
    run = reviewed_project.run_id
    if fmt == "label-studio":
        path = tmp_path / "ls.json"
        path.write_text(json.dumps(ls_export(run, {"t6": [(3, "billing")],
                                                   "t5": [(None, "technical")]})))
        named, unnamed = "label-studio:3", 1
    elif fmt == "prodigy":
        path = write_jsonl(tmp_path / "db.jsonl", [prodigy_row("t6", run, "accept", ["billing"],
                                                               annotator="reviews-ann")])
        named, unnamed = "reviews-ann", 0
    else:
        path = write_jsonl(tmp_path / "argilla.jsonl", [
            argilla_flat("t6", run, [("billing", "u-7", "submitted")])])
        named, unnamed = "argilla:u-7", 0
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "import", str(path), "--reviewer", "bob",
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (f"recorded under the rater(s) the file names: {named} (1)"
            + (f", and bob ({unnamed}, whose rows name no annotator)" if unnamed else "")
            + "; a rater is the tool's annotator when the file names one, and --reviewer bob "
              "is recorded as who imported them") in text
    # a file that names no one: the decisions are bob's, and nothing needs saying
    csv_path = filled_csv(tmp_path / "bob.csv", [("t1", run, "billing")])
    result = CliRunner().invoke(app, ["review", "import", str(csv_path), "--reviewer", "bob",
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0 and "recorded under" not in result.output


def _import_argilla_decision(project, path, item_id, label, user):
    """``review import`` of an Argilla file (written to ``path``) holding one decision:
    ``label`` for ``item_id`` of the project's run, submitted by the Argilla user ``user``."""
    write_jsonl(path, [argilla_flat(item_id, project.run_id, [(label, user, "submitted")])])
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    return CliRunner().invoke(app, ["review", "import", str(path), "--project",
                                    str(project.root)])


def _said_ok(result):
    """The output of a ``review import`` that succeeded, its whitespace runs one space."""
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


#: what the import says of a tool's user id that no [review] same_rater entry names
ASKS_FOR_A_NAME = ("is a user id of the tool, which review stats and explain show as written: "
                   "give it the person's name in labelwright.toml,")


def _name_argilla_user_bob(root):
    """Give the Argilla user ``7d2e`` the name bob in the project's ``[review] same_rater``;
    the config file's path."""
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[review]\nsame_rater = { "argilla:7d2e" = "bob" }\n',
                      encoding="utf-8")
    return config


def test_cli_import_asks_for_a_name_for_an_argilla_user_id(reviewed_project, tmp_path):
    """Argilla files a decision under its user's UUID, which review stats then showed as
    the rater; the import said which, not that [review] same_rater gives it a name."""
    text = _said_ok(_import_argilla_decision(reviewed_project, tmp_path / "argilla.jsonl",
                                             "t6", "billing", "5f1c9e2a"))
    assert (f"'argilla:5f1c9e2a' {ASKS_FOR_A_NAME} [review] same_rater "
            '= { "argilla:5f1c9e2a" = "NAME" }') in text
    # once named, nothing to ask
    _name_argilla_user_bob(reviewed_project.root)
    result = _import_argilla_decision(reviewed_project, tmp_path / "argilla2.jsonl", "t5",
                                      "technical", "7d2e")
    assert "recorded under the rater(s) the file names: argilla:7d2e (1)" in _said_ok(result)
    assert "user id" not in result.output


def test_a_user_id_met_with_same_rater_set_asks_to_add_to_the_table(reviewed_project,
                                                                     tmp_path):
    """A project whose [review] same_rater names one user id was told to write a second
    `same_rater = { ... }`, which TOML refuses as the same key twice."""
    from labelwright.config import load_config

    config = _name_argilla_user_bob(reviewed_project.root)
    text = _said_ok(_import_argilla_decision(reviewed_project, tmp_path / "argilla.jsonl",
                                             "t6", "billing", "9a1b"))
    assert (f"'argilla:9a1b' {ASKS_FOR_A_NAME} where [review] same_rater is a table already: "
            'add "argilla:9a1b" = "NAME" to it') in text, text
    assert "same_rater = {" not in text
    # added as said, the config reads
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"argilla:7d2e" = "bob" }', '"argilla:7d2e" = "bob", "argilla:9a1b" = "NAME" }'),
        encoding="utf-8")
    assert dict(load_config(reviewed_project.root).review.same_rater)["argilla:9a1b"] == "NAME"


def test_review_csv_escapes_formulas_and_imports_the_original_ids(make_project, tmp_path):
    """Texts and ids that a spreadsheet would run as formulas are escaped with ``'`` on
    export, and the escape is undone on import: decisions land on the original ids."""
    from labelwright.project import run_project
    from labelwright.review.queue.export import export_run
    from labelwright.runs.store import list_runs

    rows = [
        {"id": "-7", "text": '=HYPERLINK("http://x.test","refund my charge")', "plan": "pro",
         "gold": ""},
        {"id": "=1+1", "text": "+crash on login", "plan": "free", "gold": ""},
        {"id": "'q", "text": "@refund please, the app crashes", "plan": "pro", "gold": ""},
        {"id": "t4", "text": "plain refund", "plan": "pro", "gold": ""},
    ]
    root = make_project(rows=rows, gold=None, extra="review_conflicts = true\n")
    run_project(root)
    (run_id,) = list_runs(root / "runs")
    (path,) = export_run(root / "runs" / run_id, "csv")
    with open(path, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert exported, "the review queue should not be empty"
    for row in exported:
        assert row["id"][0] not in "=+-@", row
        assert row["text"][0] not in "=+-@", row
    escaped = {row["id"] for row in exported} & {"'-7", "'=1+1", "''q"}
    assert escaped, exported
    for row in exported:
        row["review_label"] = "billing"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(exported[0]))
        writer.writeheader()
        writer.writerows(exported)
    report = import_file(root, path, reviewer="dana")
    assert report.added == len(exported)
    originals = {"'-7": "-7", "'=1+1": "=1+1", "''q": "'q"}
    expected = {originals.get(row["id"], row["id"]) for row in exported}
    assert {d.item_id for d in decisions(root)} == expected


def exported_csv(path, rows):
    """A filled review CSV with the ``export`` column: (item, run, label, export)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "review_label", "export"])
        writer.writerows(rows)
    return path


def test_an_item_marked_as_from_the_random_sample_must_be_in_it(make_project, tmp_path):
    """The mark decides whether auto treats a review as a random sample of the items, so
    the run's own sample.jsonl vouches for it."""
    root = make_project(gold=None, extra="random_sample = 3\n")
    run_dir = run_project(root, report=False).run_dir
    run = run_dir.name
    drawn = [r["id"] for r in read_review(run_dir, sample=True)]
    # an item of the queue: one the run did not export at all is filed as from neither
    other = next(r["id"] for r in read_review(run_dir) if r["id"] not in drawn)
    bad = exported_csv(tmp_path / "bad.csv", [(drawn[0], run, "billing", "sample"),
                                              (other, run, "billing", "sample")])
    with pytest.raises(ReviewError, match=f"line 3: item '{other}' is marked as from the "
                                          f"random sample of run '{run}', but is not in it"):
        import_file(root, bad, reviewer="dana")
    good = exported_csv(tmp_path / "good.csv", [(drawn[0], run, "billing", "sample"),
                                                (other, run, "billing", "queue"),
                                                (drawn[1], run, "technical", "")])
    assert import_file(root, good, reviewer="dana").added == 3
    # a row naming no export, on an item only the sample held, can only be the sample's
    assert drawn[1] not in {r["id"] for r in read_review(run_dir)}
    assert [d.export for d in decisions(root)] == ["sample", "queue", "sample"]


def test_a_sample_mark_from_a_run_without_a_sample_or_an_unknown_export(reviewed_project,
                                                                         tmp_path):
    run = reviewed_project.run_id
    path = exported_csv(tmp_path / "r.csv", [("t6", run, "billing", "sample")])
    with pytest.raises(ReviewError, match="but that run drew none"):
        import_file(reviewed_project.root, path, reviewer="dana")
    path = exported_csv(tmp_path / "s.csv", [("t6", run, "billing", "audit")])
    with pytest.raises(ReviewError, match=r"unknown export 'audit' for item 't6'; valid: "
                                          r"queue, sample \(or empty\)"):
        import_file(reviewed_project.root, path, reviewer="dana")


def test_an_item_both_queued_and_sampled_in_one_file_keeps_both_decisions(make_project,
                                                                         tmp_path):
    """Both exports loaded into one tool project: the same item twice. The same label from
    the same rater is two true decisions, not a duplicate (the item is a sample item, for
    auto as for the run's sample accuracy); different labels are."""
    root = make_project(gold=None, extra="random_sample = 3\n")
    run_dir = run_project(root, report=False).run_dir
    run = run_dir.name
    both = next(r["id"] for r in read_review(run_dir, sample=True)
                if r["id"] in {q["id"] for q in read_review(run_dir)})
    with open(tmp_path / "same.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)  # a rater named in one row, left to --reviewer in the other
        writer.writerow(["id", "run_id", "review_label", "export", "reviewer"])
        writer.writerows([(both, run, "billing", "sample", "dana"),
                          (both, run, "billing", "queue", "")])
    assert import_file(root, tmp_path / "same.csv", reviewer="dana").added == 2
    assert sorted(d.export for d in decisions(root)) == ["queue", "sample"]
    gold = np.array([0])
    sampled, _ = sampled_items(decisions(root), [both], gold)
    assert sampled[0]
    # a twin that fails its own checks is reported, not taken for a twin
    bad = exported_csv(tmp_path / "bad.csv", [(both, run, "billing", "queue"),
                                              (both, run, "billing", "audit")])
    with pytest.raises(ReviewError, match="unknown export 'audit'"):
        import_file(root, bad, reviewer="erin")
    differ = exported_csv(tmp_path / "differ.csv", [(both, run, "billing", "sample"),
                                                    (both, run, "technical", "queue")])
    with pytest.raises(ReviewError, match=f"item '{both}' is labelled 'billing' in one copy "
                                          r"\(at line 2\) and 'technical' in the other"):
        import_file(root, differ, reviewer="erin")
    # dated copies (Label Studio) with different labels too: the dates made them pass
    tasks = ls_export(run, {both: [(7, "billing")]}) + ls_export(run, {both: [(7, "technical")]})
    for task, export, when in zip(tasks, ("queue", "sample"), ("10:00", "10:05")):
        task["data"]["lw_export"] = export
        task["annotations"][0]["updated_at"] = f"2026-11-28T{when}:00Z"
    (tmp_path / "ls.json").write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(ReviewError, match=f"item '{both}' is labelled 'billing' in one copy"):
        import_file(root, tmp_path / "ls.json", reviewer="erin")
    # skipping bad rows skips both copies (the first one was taken): neither is the label
    with pytest.raises(ReviewError, match=r"ls.json: no decision in its 2 row\(s\)"):
        import_file(root, tmp_path / "ls.json", reviewer="erin", skip_bad_rows=True)
    assert [d for d in decisions(root) if d.rater == "label-studio:7"] == []


# Files the tools really write that the first readers got wrong or refused unclearly.

def test_argilla_responses_without_a_status_are_not_taken_as_submitted(reviewed_project,
                                                                       tmp_path):
    """Argilla's nested records.to_json keeps value and user but not the status, so a
    draft or a discarded answer would read as a decision."""
    path = tmp_path / "argilla.json"
    path.write_text(json.dumps([{
        "id": "t6", "fields": {"text": TEXT_OF["t6"]},
        "metadata": {"lw_run_id": reviewed_project.run_id},
        "responses": {"label": [{"value": "technical", "user_id": "u-9"}]}}]))
    with pytest.raises(ReviewError, match=r"record 1 response 1: response without a status.*"
                                          r"to_list\(flatten=True\)"):
        import_file(reviewed_project.root, path, reviewer="erin", fmt="argilla")
    assert decisions(reviewed_project.root) == []


def test_prodigy_sessions_without_a_name_are_the_reviewers_and_the_later_answer_counts(
        reviewed_project, tmp_path):
    run = reviewed_project.run_id
    early, late = prodigy_row("t6", run, "accept", ["technical"]), \
        prodigy_row("t6", run, "accept", ["billing"])
    for row, session, stamp in ((early, "2026-11-28_10-17-19", 1795000000),
                                (late, "reviews-2026-11-29_09-00-00", 1795090000)):
        row.update(_annotator_id=session, _session_id=session, _timestamp=stamp)
    path = write_jsonl(tmp_path / "db-out.jsonl", [late, early])  # file order is not time order
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert (report.added, report.redecided) == (2, 1)
    rows = decisions(reviewed_project.root)
    assert {d.rater for d in rows} == {"alice"}
    assert ledger.latest_per_rater(rows) == {"t6": {"alice": "billing"}}


def test_a_file_that_changes_a_raters_labels_needs_relabel(reviewed_project, tmp_path):
    """doccano's per-user files carry no user: imported under one --reviewer, the second
    person's labels would silently replace the first's, for good (append-only)."""
    run = reviewed_project.run_id

    def doccano(name, labels):
        return write_jsonl(tmp_path / name, [
            {"id": k, "text": TEXT_OF.get(item, ""), "label": [label], "lw_id": item,
             "lw_run_id": run}
            for k, (item, label) in enumerate(labels.items())])

    admin = doccano("admin.jsonl", {"t6": "billing", "t5": "technical"})
    bob = doccano("bob.jsonl", {"t6": "technical", "t2": "billing"})
    import_file(reviewed_project.root, admin, reviewer="admin")
    with pytest.raises(ReviewError, match=r"1 decision\(s\) change a label the same rater gave "
                                          r"before; nothing imported. If they are corrections, "
                                          r"pass --relabel \(relabel=True from Python\); if the "
                                          r"file is another person's, import it with their own "
                                          r"--reviewer \(reviewer= from Python\).*\n  t6 by "
                                          r"admin: billing -> technical"):
        import_file(reviewed_project.root, bob, reviewer="admin")
    assert len(decisions(reviewed_project.root)) == 2
    report = import_file(reviewed_project.root, bob, reviewer="bob")
    assert report.added == 2 and report.relabeled == []
    corrected = doccano("admin-2.jsonl", {"t6": "technical"})
    report = import_file(reviewed_project.root, corrected, reviewer="admin", relabel=True)
    assert report.relabeled == [("t6", "admin", "billing", "technical")]
    latest = ledger.latest_per_rater(decisions(reviewed_project.root))
    assert latest["t6"] == {"admin": "technical", "bob": "technical"}


def test_a_zip_archive_says_to_unzip_it(reviewed_project, tmp_path):
    import zipfile

    path = tmp_path / "doccano_export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("admin.jsonl", '{"label": ["billing"]}\n')
    with pytest.raises(ReviewError, match="a zip archive .* unzip it"):
        import_file(reviewed_project.root, path, reviewer="a")


def test_label_studio_json_min(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "min.json"
    path.write_text(json.dumps([
        {"text": TEXT_OF["t6"], "lw_id": "t6", "lw_run_id": run, "lw_project": "test", "id": 3,
         "label": "billing", "annotator": "ana@x", "annotation_id": 31,
         "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"},
        {"text": TEXT_OF["t6"], "lw_id": "t6", "lw_run_id": run, "lw_project": "test", "id": 3,
         "label": "technical", "annotator": "bo@x", "annotation_id": 32,
         "created_at": "2026-11-28T11:00:00Z", "updated_at": "2026-11-28T11:00:00Z"},
    ]))
    assert detect_format(path) == "label-studio"
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.added == 2
    assert {(d.rater, d.label, d.source_row) for d in decisions(reviewed_project.root)} == {
        ("label-studio:ana@x", "billing", "record 1 (task 3 annotation 31)"),
        ("label-studio:bo@x", "technical", "record 2 (task 3 annotation 32)")}


def test_label_studio_choices_under_another_name_are_named(reviewed_project, tmp_path):
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "billing")]})
    tasks[0]["annotations"][0]["result"][0]["from_name"] = "sentiment"
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError, match=r"task 1 annotation 10: no choice from a control named "
                                          r"'label' \(found: sentiment\)"):
        import_file(reviewed_project.root, path, reviewer="alice")


def test_label_studio_tasks_without_annotations_and_a_raters_second_annotation(
        reviewed_project, tmp_path):
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "technical"), (1, "billing")],
                                                "t5": [], "t2": []})
    tasks[0]["annotations"][1]["updated_at"] = "2026-11-29T08:00:00Z"  # the rater's later one
    tasks[2]["drafts"] = [{"result": []}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.skipped == {"no annotation in Label Studio": 1,
                              "only a draft in Label Studio": 1}
    assert (report.added, report.redecided) == (2, 1)
    latest = ledger.latest_per_rater(decisions(reviewed_project.root))
    assert latest == {"t6": {"label-studio:1": "billing"}}


def test_doccano_merged_labels_point_to_the_per_user_export(reviewed_project, tmp_path):
    path = write_jsonl(tmp_path / "all.jsonl", [
        {"id": 1, "text": TEXT_OF["t6"], "label": ["billing", "billing"], "lw_id": "t6",
         "lw_run_id": reviewed_project.run_id}])
    with pytest.raises(ReviewError, match="several labels chosen .*collaborative annotation"):
        import_file(reviewed_project.root, path, reviewer="a")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_saved_by_a_spreadsheet_with_another_separator(reviewed_project, tmp_path,
                                                           delimiter):
    path = tmp_path / "review.csv"
    path.write_text(delimiter.join(["id", "run_id", "text", "review_label"]) + "\n"
                    + delimiter.join(["t6", reviewed_project.run_id, TEXT_OF["t6"], "billing"])
                    + "\n",
                    encoding="utf-8")
    assert import_file(reviewed_project.root, path, reviewer="dana").added == 1


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_file_that_is_not_utf8_names_the_line(reviewed_project, tmp_path, newline):
    """A file whose lines end in \r alone (old Excel for Mac) was said to fail on line 1."""
    path = tmp_path / "review.csv"
    path.write_bytes(f"id,run_id,text,review_label{newline}{newline}t6,{reviewed_project.run_id},"
                     f"caf\xe9,billing{newline}".encode("cp1252"))
    with pytest.raises(ReviewError, match=r"review.csv:3: not valid UTF-8 \(byte 0xe9 at column "
                                          r"\d+; the file may be Latin-1 or Windows-1252, in "
                                          r"which byte 0xe9 is 'é'\); save the file as UTF-8 "
                                          r"\(in Excel: 'CSV UTF-8'\)$"):
        import_file(reviewed_project.root, path, reviewer="dana")


def test_a_file_saved_in_an_east_asian_code_page_names_it(reviewed_project, tmp_path):
    """Saved as plain "CSV" by Excel on Chinese Windows, a review file is GBK: the error
    said "not UTF-8 (byte 0xc7)" only."""
    path = tmp_path / "review.csv"
    path.write_bytes(f"id,run_id,text,review_label\nt6,{reviewed_project.run_id},"
                     "亲，退款还没到账,billing\n".encode("gbk"))
    with pytest.raises(ReviewError, match=r"review.csv:2: not valid UTF-8 \(byte 0xc7 at column "
                                          r"\d+; the file may be in a code page other than "
                                          r"UTF-8: the word there reads as "
                                          r"'亲，退款还没到账' in GBK/GB18030 \(Simplified "
                                          r"Chinese\);"):
        import_file(reviewed_project.root, path, reviewer="dana")


def test_the_argilla_records_labelwright_wrote_hold_no_decision(reviewed_project, tmp_path):
    """labelwright's own Argilla export, not reviewed yet, was read as doccano's: the
    suggestion under 'label' went into the ledger as a reviewer's decision."""
    from labelwright.review.queue.export import export_run

    records, _ = export_run(reviewed_project.run_dir, "argilla", tmp_path / "a.jsonl")
    lines = records.read_text(encoding="utf-8").splitlines()
    assert any("label" in json.loads(line) for line in lines)  # a suggestion to mistake
    assert detect_format(records) == "argilla"
    with pytest.raises(ReviewError, match=rf"no decision in its {len(lines)} row\(s\) read as "
                                          rf"argilla \({len(lines)} no response in Argilla\)"):
        import_file(reviewed_project.root, records, reviewer="ana")
    assert decisions(reviewed_project.root) == []


def test_other_tools_files_are_named(reviewed_project, tmp_path):
    ls_csv = tmp_path / "project-1.csv"
    ls_csv.write_text("text,lw_id,id,label,annotator,annotation_id\n...,t6,3,billing,a@x,31\n")
    with pytest.raises(ReviewError, match="Label Studio's CSV export.*export JSON"):
        import_file(reviewed_project.root, ls_csv, reviewer="a")
    v1 = write_jsonl(tmp_path / "v1.jsonl", [
        {"text": "...", "label": [{"user_id": "u", "value": "billing", "status": "submitted"}],
         "label-suggestion": None, "external_id": "t6", "metadata": "{}"}])
    with pytest.raises(ReviewError, match="Argilla 1.x"):
        import_file(reviewed_project.root, v1, reviewer="a")


def test_the_review_jsonl_with_review_labels_added(reviewed_project, tmp_path):
    records = read_review(reviewed_project.run_dir)[:2]
    for record, label in zip(records, ["billing", None], strict=True):
        record["review_label"] = label
    path = write_jsonl(tmp_path / "queue.jsonl", records)
    assert detect_format(path) == "jsonl"
    report = import_file(reviewed_project.root, path, reviewer="dana")
    assert report.added == 1 and report.skipped == {"review_label null (not reviewed)": 1}
    (d,) = decisions(reviewed_project.root)
    assert (d.item_id, d.label, d.export) == (records[0]["id"], "billing", "queue")
    records[1].pop("review_label")
    other = write_jsonl(tmp_path / "queue2.jsonl", records[1:2])
    with pytest.raises(ReviewError, match=r"no decision in its 1 row\(s\) read as jsonl \(1 "
                                          r"no review_label \(not reviewed\)\)"):
        import_file(reviewed_project.root, other, reviewer="dana", fmt="jsonl")


def test_jsonl_records_a_script_did_not_label_are_counted_in_one_line(make_project, tmp_path):
    """A script that adds review_label to the records it labels only: each other record
    was an error line of its own ('no review_label'), 236 of them, and nothing imported;
    the CSV's blank cells are one line. A bad record keeps a line of its own."""
    from labelwright.project import run_project

    more = [{"id": f"t{k}", "text": f"Refund request number {k}", "plan": "pro", "gold": ""}
            for k in (7, 8)]
    root = make_project(gold=None, rows=[*TICKETS, *more], extra="random_sample = 8\n")
    records = read_review(run_project(root, report=False).run_dir, sample=True)
    assert len(records) == 8
    records[0]["review_label"] = "billing"
    path = write_jsonl(tmp_path / "sample.jsonl", records)
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    args = ["review", "import", str(path), "--reviewer", "dana", "--project", str(root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    unlabelled = [r["id"] for r in records[1:]]
    assert (f"7 row(s) not decisions: no review_label (not reviewed) "
            f"({', '.join(unlabelled[:5])}, ...)") in text
    assert "1 decision(s) added" in text
    records[1]["review_label"] = "refunds"
    write_jsonl(path, records)
    with pytest.raises(ReviewError) as info:
        import_file(root, path, reviewer="erin")
    text = str(info.value)
    assert "1 bad row(s)" in text and "no review_label" not in text
    assert f"line 2: unknown label 'refunds' for item '{records[1]['id']}'" in text


def test_an_older_export_imported_later_changes_nothing(reviewed_project, tmp_path):
    """Each rater's latest decision is the latest made: an older snapshot imported after a
    newer one is kept in the ledger but undoes nothing, so it needs no --relabel."""
    run = reviewed_project.run_id
    tuesday, monday = tmp_path / "tue.json", tmp_path / "mon.json"
    tasks = ls_export(run, {"t6": [(5, "billing")]})
    tasks[0]["annotations"][0]["updated_at"] = "2026-11-29T09:00:00Z"
    tuesday.write_text(json.dumps(tasks))
    tasks = ls_export(run, {"t6": [(5, "technical")]})
    tasks[0]["annotations"][0]["updated_at"] = "2026-11-28T09:00:00Z"
    monday.write_text(json.dumps(tasks))
    import_file(reviewed_project.root, tuesday, reviewer="alice")
    report = import_file(reviewed_project.root, monday, reviewer="alice")
    assert report.added == 1 and report.relabeled == []
    assert ledger.latest_per_rater(decisions(reviewed_project.root)) == {
        "t6": {"label-studio:5": "billing"}}


def test_json_min_tasks_without_annotations_are_skipped(reviewed_project, tmp_path):
    path = tmp_path / "min.json"
    path.write_text(json.dumps([
        {"text": TEXT_OF["t6"], "lw_id": "t6", "lw_run_id": reviewed_project.run_id, "id": 3,
         "label": "billing", "annotator": "ana@x", "annotation_id": 31},
        {"text": TEXT_OF["t5"], "lw_id": "t5", "lw_run_id": reviewed_project.run_id, "id": 4,
         "annotator": None, "annotation_id": None},
    ]))
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.added == 1 and report.skipped == {"no annotation in Label Studio": 1}


def test_a_semicolon_csv_with_windows_line_ends(reviewed_project, tmp_path):
    path = tmp_path / "review.csv"
    path.write_bytes(f"id;run_id;review_label\r\nt6;{reviewed_project.run_id};billing\r\n"
                     .encode())
    assert import_file(reviewed_project.root, path, reviewer="dana").added == 1


def test_not_utf8_after_a_bom_names_the_right_line_and_byte(reviewed_project, tmp_path):
    path = tmp_path / "review.csv"
    path.write_bytes(b"\xef\xbb\xbfid,run_id,review_label\nt6,r,billing\ncaf\xe9,r,x\n")
    with pytest.raises(ReviewError, match=r"review.csv:3: not valid UTF-8 \(byte 0xe9 at column "
                                          r"4;"):
        import_file(reviewed_project.root, path, reviewer="dana")


def test_a_spreadsheet_file_says_to_save_it_as_csv(reviewed_project, tmp_path):
    path = tmp_path / "review.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ReviewError, match="a spreadsheet file.*save it as CSV"):
        import_file(reviewed_project.root, path, reviewer="dana")


def test_a_duplicate_in_a_format_without_annotators_gets_no_annotator_hint(reviewed_project,
                                                                           tmp_path):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t6", run, "billing"), ("t6", run, "billing")])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    assert "duplicate decision for item 't6'" in str(info.value)
    assert "names no annotator" not in str(info.value)


def test_a_json_format_named_for_a_csv_file_says_so(reviewed_project, tmp_path):
    path = tmp_path / "project-1.csv"
    path.write_text("text,lw_id,id,label,annotator\n...,t6,3,billing,a@x\n")
    with pytest.raises(ReviewError, match=re.escape(
            "a CSV file, but --format label-studio (fmt='label-studio' from Python) reads JSON; "
            "Label Studio's CSV export is not read")):
        import_file(reviewed_project.root, path, reviewer="a", fmt="label-studio")


def test_an_empty_export_says_so(reviewed_project, tmp_path):
    for name, content in (("empty.json", "[]"), ("empty.jsonl", "\n")):
        path = tmp_path / name
        path.write_text(content)
        with pytest.raises(ReviewError, match="holds no records"):
            import_file(reviewed_project.root, path, reviewer="a")


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_texts_with_unicode_line_separators_import(reviewed_project, tmp_path, fmt):
    """Exports write texts as they are, U+2028 included; the readers split lines with
    str.splitlines, which breaks there too, and refused the whole file as bad JSON."""
    run = reviewed_project.run_id
    # the item's own words, with line separators where spaces were (a tool's rendering)
    text = TEXT_OF["t1"].replace(" ", "\u2028", 1).replace(" ", "\u2029", 1).replace(" ", "\x85", 1)
    if fmt == "jsonl":
        rows = [{"id": "t1", "run_id": run, "text": text, "review_label": "billing"}]
    else:
        rows = [{"text": text, "label": ["billing"], "lw_id": "t1", "lw_run_id": run,
                 "lw_project": "test"}]
    path = tmp_path / "done.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    import_file(reviewed_project.root, path, reviewer="ana", fmt=fmt)
    assert [(d.item_id, d.label) for d in decisions(reviewed_project.root)] == [("t1", "billing")]


def test_malformed_first_jsonl_record_names_its_line(reviewed_project, tmp_path):
    path = tmp_path / "first.jsonl"
    path.write_text("\n\n{broken\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"first\.jsonl:3: malformed JSON"):
        import_file(reviewed_project.root, path, reviewer="ana")


def test_a_csv_record_spanning_lines_is_named_by_its_first_line(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "r.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "rank", "text", "suggested_label", "review_label"])
        writer.writerow(["t1", run, 1, "two\r\nlines", "", "billing"])
        writer.writerow(["t2", run, 2, "three\nlines\rhere", "", "refunds"])
    with pytest.raises(ReviewError, match=r"r\.csv: line 4: .*unknown label 'refunds'"):
        import_file(reviewed_project.root, path, reviewer="ana")


@pytest.mark.parametrize("stamp", [1_795_000_000_000_000, 1e20])
def test_a_prodigy_timestamp_no_clock_gives_names_its_line(reviewed_project, tmp_path, stamp):
    """A millisecond timestamp crashed the import with 'year ... is out of range'."""
    run = reviewed_project.run_id
    rows = [prodigy_row("t1", run, "accept", ["billing"]),
            {**prodigy_row("t2", run, "accept", ["billing"]), "_timestamp": stamp}]
    path = write_jsonl(tmp_path / "db.jsonl", rows)
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="ana", fmt="prodigy")
    assert "nothing imported" in str(info.value)
    assert f"db.jsonl: line 2: _timestamp {stamp!r} is no time in seconds since 1970" \
        in str(info.value)


def test_a_cumulative_export_adds_only_the_new_annotations(reviewed_project, tmp_path):
    """Label Studio's second export holds the first one's annotations again: they were
    stored a second time (30 decisions for 20 annotations)."""
    run = reviewed_project.run_id
    first = tmp_path / "ls1.json"
    first.write_text(json.dumps(ls_export(run, {"t6": [(1, "billing")]})))
    assert import_file(reviewed_project.root, first, reviewer="alice").added == 1
    second = tmp_path / "ls2.json"
    second.write_text(json.dumps(ls_export(run, {"t6": [(1, "billing")],
                                                 "t1": [(1, "technical")]})))
    report = import_file(reviewed_project.root, second, reviewer="alice")
    assert (report.added, report.in_ledger, report.already_imported) == (1, 1, False)
    assert sorted((d.item_id, d.label) for d in decisions(reviewed_project.root)) == [
        ("t1", "technical"), ("t6", "billing")]
    # undated decisions (the review CSV) are not merged: each is a decision of its own
    path = filled_csv(tmp_path / "r.csv", [("t6", run, "billing")])
    assert import_file(reviewed_project.root, path, reviewer="alice").added == 1
    # and the same file again is still "already imported", not "0 added"
    assert import_file(reviewed_project.root, second, reviewer="alice").already_imported


def test_a_row_whose_text_is_another_items_is_refused(make_project, tmp_path):
    """A spreadsheet turns the id "007" into 7; with an item 7 in the data the decision
    landed on item 7, whose text the reviewer never read, with no word."""
    from labelwright.project import run_project
    from labelwright.review.queue.export import export_run

    rows = [{"id": "007", "text": "Please refund my order, I was charged twice",
             "plan": "pro", "gold": ""},
            {"id": "7", "text": "The app crashes when I log in", "plan": "free", "gold": ""},
            {"id": "8", "text": "Refunded yet? The app crashes", "plan": "pro", "gold": ""}]
    root = make_project(rows=rows, gold=None, extra="random_sample = 3\n")
    run_dir = run_project(root, report=False).run_dir
    (path,) = export_run(run_dir, "csv", sample=True)
    with open(path, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert {"007", "7"} <= {row["id"] for row in exported}
    for row in exported:
        row["review_label"] = "billing"
        # what a spreadsheet saves: 007 as 7, and its own line ends and spacing
        row["id"] = "7" if row["id"] == "007" else row["id"]
        row["text"] = row["text"].replace(" ", "  ") + "\r\n"
    done = tmp_path / "done.csv"
    with open(done, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(exported[0]))
        writer.writeheader()
        writer.writerows(exported)
    with pytest.raises(ReviewError) as info:
        import_file(root, done, reviewer="dana")
    message = str(info.value)
    assert "1 bad row(s)" in message  # only the mangled id: spacing and line ends are fine
    assert (f"the text in this row is not the text of item '7' (as run {run_dir.name} "
            "exported it, or as the data has it if the run did not): they differ from "
            "character 1 on (spacing aside): 'Please refund my ord...' in this row vs 'The "
            "app crashes when...'") in message


def test_the_text_check_covers_items_the_run_did_not_export(reviewed_project, tmp_path):
    """Only items the run exported were compared; the queue is a small part of the data,
    so a changed id usually pointed at an item outside it and passed."""
    run = reviewed_project.run_id
    exported = {r["id"] for r in reviewed_project.queue()}
    outside = next(i for i in TEXT_OF if i not in exported)
    path = tmp_path / "r.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "text", "review_label"])
        writer.writerow([outside, run, "a text item " + outside + " never had", "billing"])
    with pytest.raises(ReviewError, match=f"is not the text of item '{outside}'"):
        import_file(reviewed_project.root, path, reviewer="ana")


def test_a_text_that_differs_late_is_shown_where_it_differs():
    """Two texts with one start were shown as their first 40 characters, the same twice:
    'Text her. If she doesnt reply let me kno...' vs 'Text her. If she doesnt reply let
    me kno...'."""
    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import other_text

    row = Row("line 2", "t1", "r", "billing",
              text="Text her. If she doesnt reply let me know  whether she is coming tonight")
    message = other_text(row, lambda run, item: "Text her. If she doesnt reply let me know "
                                                 "whether he is coming tonight")
    assert ("they differ from character 51 on (spacing aside): '...let me know whether she "
            "is coming tonigh...' in this row vs '...let me know whether he is coming tonight'"
            ) in str(message)
    # one text the start of the other: where the shorter one ends
    cut = Row("line 3", "t1", "r", "billing", text="Refund please")
    assert ("from character 14 on (spacing aside): 'Refund please' in this row vs 'Refund "
            "please, and the app crashe...'") in str(other_text(
                cut, lambda run, item: "Refund please, and the app crashes"))


@pytest.mark.parametrize(("text", "encoding", "named"), [
    ("ما وصلتني الحوالة من يومين", "cp1256", "Windows-1256 (Arabic)"),
    ("Не работает карта", "cp1251", "Windows-1251 (Cyrillic)"),
    ("Die Störung ist behoben", "cp1252", "Windows-1252"),
])
def test_a_row_text_read_in_another_code_page_says_so(text, encoding, named):
    """A CSV opened by double-click in Excel on Arabic Windows comes back as the UTF-8
    bytes read as Windows-1256: every row was 'not the text of item ...; was the id
    changed?', which sent the user looking for edited ids."""
    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import other_text

    garbled = text.encode("utf-8").decode(encoding)
    message = str(other_text(Row("line 2", "t1", "r", "billing", text=garbled),
                             lambda run, item: text))
    assert f"is item 't1''s text as UTF-8 bytes read as {named} and saved again" in message
    assert "File origin UTF-8" in message
    # a text that is no such reading is still another text
    other = str(other_text(Row("line 2", "t1", "r", "billing", text="something else"),
                           lambda run, item: text))
    assert "is not the text of item 't1'" in other


def _read_by_pairs(data: bytes, encoding: str) -> str:
    """``data`` read in a multi-byte ``encoding`` by a program that puts one "?" for a
    first byte and the byte after it when the two make no character."""
    out, k = [], 0
    while k < len(data):
        for size in (1, 2):
            try:
                out.append(data[k:k + size].decode(encoding))
                k += size
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("?")
            k += 2 if data[k] >= 0x81 and k + 1 < len(data) and data[k + 1] >= 0x40 else 1
    return "".join(out)


@pytest.mark.parametrize(("text", "encoding", "named"), [
    ("亲，退款还没到账，订单978971528406", "gbk", "GBK/GB18030 (Simplified Chinese)"),
    ("請問退款要多久？訂單一直沒有出貨", "cp950", "Big5 (Traditional Chinese)"),
    ("注文した商品がまだ届いていません", "cp932", "Shift-JIS (Japanese)"),
    ("주문한 상품이 아직 도착하지 않았습니다", "cp949", "CP949/EUC-KR (Korean)"),
])
@pytest.mark.parametrize("hole", ["\ufffd", "?", "pair"])
def test_a_row_text_read_in_an_east_asian_code_page_says_so(text, encoding, named, hole):
    """Chinese Excel opens the UTF-8 export by double-click as GBK; saved as "CSV UTF-8"
    every row was 'not the text of item ...; was the id changed?'. A multi-byte page
    leaves holes where bytes made no character (U+FFFD, or "?" from Windows, which may
    take the byte after one with it)."""
    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import other_text

    if hole == "pair":
        garbled = _read_by_pairs(text.encode("utf-8"), encoding)
    else:
        garbled = text.encode("utf-8").decode(encoding, "replace").replace("\ufffd", hole)
    assert garbled != text
    message = str(other_text(Row("line 2", "t1", "r", "billing", text=garbled),
                             lambda run, item: text))
    assert f"is item 't1''s text as UTF-8 bytes read as {named} and saved again" in message
    assert "File origin UTF-8" in message
    # another text, or the same text read in another page, is not named so
    other = "物流显示已签收但我没收到" if encoding != "gbk" else "物流顯示已簽收但我沒收到"
    said = str(other_text(Row("line 2", "t1", "r", "billing",
                              text=other.encode().decode(encoding, "replace")),
                          lambda run, item: text))
    assert "is not the text of item 't1'" in said


def test_the_text_check_ignores_the_unicode_form_and_invisible_characters(reviewed_project,
                                                                         tmp_path):
    import unicodedata

    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import other_text

    text = "Le caf\u00e9 de Zo\u00eb ferme"
    row = Row("line 2", "t1", "r", "billing", text=unicodedata.normalize("NFD", text)
              + "\u200b")
    assert other_text(row, lambda run, item: text) is None
    assert other_text(row, lambda run, item: "Le bistro") is not None
    # Excel cut a long, spacey text to the 32,767 characters a cell holds: its start
    # still matches (a start cut anywhere else is refused: tests/review/test_long_texts.py)
    long = "word   " * 5000
    cut = Row("line 3", "t1", "r", "billing", text=long[:32_767])
    assert other_text(cut, lambda run, item: long) is None
    short = Row("line 4", "t1", "r", "billing", text="Refund please")
    assert other_text(short, lambda run, item: "Refund please, and the app crashes") \
        is not None


def test_the_text_check_ignores_direction_marks(reviewed_project):
    """A review tool or a spreadsheet that keeps the right-to-left marks a chat app put in
    ("\u200f", isolates) shows the reviewer the same text: not another text."""
    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import other_text

    text = "بطاقتي لا تعمل في الصراف"
    marked = "\u200f\u2067بطاقتي\u2069 لا تعمل\u061c في \u202bالصراف\u202c\u200e"
    row = Row("line 2", "t1", "r", "billing", text=marked)
    assert other_text(row, lambda run, item: text) is None
    assert other_text(row, lambda run, item: "بطاقتي تعمل") is not None


def test_a_cumulative_file_of_unnamed_sessions_does_not_credit_the_next_reviewer(
        reviewed_project, tmp_path):
    """alice imported db-out with her unnamed-session answers; bob imported the next
    db-out, which holds them again: they became bob's too, and agreed with alice's."""
    run = reviewed_project.run_id

    # times after bob's CSV decision below (undated: it counts at its import, now)
    first = [unnamed_answer("t6", run, "billing", 1900000000),
             unnamed_answer("t5", run, "technical", 1900000100)]
    import_file(reviewed_project.root, write_jsonl(tmp_path / "v1.jsonl", first),
                reviewer="alice")
    # bob had labelled t6 before, otherwise: alice's answer in his file is not his relabel
    import_file(reviewed_project.root, filled_csv(tmp_path / "bob.csv", [("t6", run,
                                                                          "technical")]),
                reviewer="bob")
    later = first + [unnamed_answer("t1", run, "billing", 1900000200)]
    report = import_file(reviewed_project.root, write_jsonl(tmp_path / "v2.jsonl", later),
                         reviewer="bob")
    assert (report.added, report.in_ledger, report.relabeled) == (1, 2, [])
    assert sorted((d.item_id, d.rater, d.label) for d in decisions(reviewed_project.root)) == [
        ("t1", "bob", "billing"), ("t5", "alice", "technical"), ("t6", "alice", "billing"),
        ("t6", "bob", "technical")]


@pytest.mark.parametrize("times", [(1795000000, 1795090000), ("28/11/2026 10:00",
                                                              "29/11/2026 09:00")])
def test_two_decisions_of_one_rater_need_readable_times_to_tell_the_later(
        reviewed_project, tmp_path, times):
    """Label Studio times that are not ISO 8601 were compared as text: the import said
    the later decision replaced the earlier, then kept the earlier (file order)."""
    run = reviewed_project.run_id
    tasks = ls_export(run, {"t6": [(1, "technical"), (1, "billing")]})
    for annotation, when in zip(tasks[0]["annotations"], times):
        annotation["updated_at"] = when
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(ReviewError, match=r"duplicate decision for item 't6'.*are not ISO "
                                          r"8601, so which decision is later cannot be told"):
        import_file(reviewed_project.root, path, reviewer="alice")
    assert decisions(reviewed_project.root) == []


def test_a_review_csv_with_a_very_long_text_imports(make_project, tmp_path):
    """A cell over 131,072 characters (the csv module's default limit) ended the import
    with a traceback naming no file or line; the run and the export had taken the text."""
    from labelwright.review.queue.export import export_run

    long_text = "word " * 30_000  # no LF votes: it goes to the review queue
    root = make_project(rows=[*TICKETS, {"id": "long", "text": long_text, "plan": "pro",
                                         "gold": ""}])
    run_dir = run_project(root, report=False).run_dir
    (path,) = export_run(run_dir, "csv")
    default = csv.field_size_limit(2**31 - 1)  # for this test's own reading
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    finally:
        csv.field_size_limit(default)
    assert any(len(r["text"]) > 131_072 for r in rows)
    for row in rows:
        row["review_label"] = "billing"
    with open(tmp_path / "done.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    csv.field_size_limit(131_072)  # the csv module's default, whatever ran before
    report = import_file(root, tmp_path / "done.csv", reviewer="ana")
    assert report.added == len(rows)
    assert "long" in {d.item_id for d in decisions(root)}


def test_rows_skipped_as_bad_import_once_the_project_takes_them(reviewed_project, tmp_path):
    """After --skip-bad-rows left out a row with a label the project lacked, adding the
    label and importing the same file said "already imported, nothing added" for good."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "r.csv", [("t6", run, "billing"), ("t1", run, "account")])
    report = import_file(reviewed_project.root, path, reviewer="dana", skip_bad_rows=True)
    assert report.added == 1 and len(report.problems) == 1
    config = reviewed_project.root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"technical"]', '"technical", "account"]'), encoding="utf-8")
    report = import_file(reviewed_project.root, path, reviewer="dana")
    assert (report.added, report.completed, report.already_imported) == (1, 1, False)
    assert report.in_ledger == 0
    assert sorted((d.item_id, d.label) for d in decisions(reviewed_project.root)) == [
        ("t1", "account"), ("t6", "billing")]
    assert import_file(reviewed_project.root, path, reviewer="dana").already_imported


def test_a_folder_is_named_as_a_folder(reviewed_project, tmp_path):
    with pytest.raises(ReviewError, match=r"is a folder; import one review file at a time"):
        import_file(reviewed_project.root, tmp_path, reviewer="ana")


def test_a_cumulative_file_reimported_counts_only_what_it_adds(reviewed_project, tmp_path):
    """The re-import said "2 of its decisions were not (their rows were bad then) and are
    now" though one of the two was in the ledger from an earlier file."""
    run = reviewed_project.run_id
    t6 = prodigy_row("t6", run, "accept", ["billing"])
    early = write_jsonl(tmp_path / "v1.jsonl", [t6])
    import_file(reviewed_project.root, early, reviewer="alice")
    t5 = {**prodigy_row("t5", run, "accept", ["account"]), "_timestamp": 1795000100}
    later = write_jsonl(tmp_path / "v2.jsonl", [t6, t5])
    report = import_file(reviewed_project.root, later, reviewer="alice", skip_bad_rows=True)
    assert (report.added, report.in_ledger, len(report.problems)) == (0, 1, 1)
    config = reviewed_project.root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"technical"]', '"technical", "account"]'), encoding="utf-8")
    report = import_file(reviewed_project.root, later, reviewer="alice")
    assert (report.added, report.completed, report.in_ledger) == (1, 1, 1)


def test_an_import_landing_while_another_is_checked_is_seen_before_writing(
        reviewed_project, tmp_path, monkeypatch):
    """Two imports at one moment each checked the file against the ledger they had read:
    alice's unnamed-session answers, in bob's cumulative db-out too, were filed under both
    (agreement 1.0 out of one session), and a relabel slipped past the check. The write now
    goes through only if the ledger still holds what the checks read."""
    run = reviewed_project.run_id

    first = [unnamed_answer("t6", run, "billing", 1900000000),
             unnamed_answer("t5", run, "technical", 1900000100)]
    alice = write_jsonl(tmp_path / "v1.jsonl", first)
    bob = write_jsonl(tmp_path / "v2.jsonl",
                      first + [unnamed_answer("t1", run, "billing", 1900000200)])
    real = ledger.append
    calls = []

    def alice_lands_first(*args, **kwargs):  # bob has read the ledger; alice's import lands
        if not calls:
            calls.append(1)
            import_file(reviewed_project.root, alice, reviewer="alice")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "append", alice_lands_first)
    report = import_file(reviewed_project.root, bob, reviewer="bob")
    assert (report.added, report.in_ledger) == (1, 2)
    assert sorted((d.item_id, d.rater) for d in decisions(reviewed_project.root)) == [
        ("t1", "bob"), ("t5", "alice"), ("t6", "alice")]
    # a relabel that lands between another import's check and its write is refused too
    calls.clear()
    changed = filled_csv(tmp_path / "carol2.csv", [("t2", run, "technical")])

    def carol_lands_first(*args, **kwargs):
        if not calls:
            calls.append(1)
            import_file(reviewed_project.root,
                        filled_csv(tmp_path / "carol1.csv", [("t2", run, "billing")]),
                        reviewer="carol")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "append", carol_lands_first)
    later = datetime.now(UTC) + timedelta(hours=1)  # carol's second file is the newer one
    with pytest.raises(ReviewError, match="change a label the same rater gave before"):
        import_file(reviewed_project.root, changed, reviewer="carol", now=later)
    assert [(d.item_id, d.label) for d in decisions(reviewed_project.root)
            if d.rater == "carol"] == [("t2", "billing")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_review_csv_saved_under_another_suffix_imports_as_csv(reviewed_project, tmp_path,
                                                                delimiter):
    """review export --format csv --out q.txt was allowed, and the import of q.txt then said
    'q.txt:1: malformed JSON' unless --format csv was given (with semicolons or tabs, as a
    spreadsheet saves it, too)."""
    from labelwright.review.queue.export import export_run

    path = tmp_path / "q.txt"
    export_run(reviewed_project.run_dir, "csv", path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["review_label"] = "billing"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    assert detect_format(path) == "csv"
    assert import_file(reviewed_project.root, path, reviewer="alice").added == 1


def test_undated_cumulative_files_add_only_their_new_decisions(reviewed_project, tmp_path):
    """Argilla's flat export gives no response times, and a review CSV gets filled in
    further and imported again: every earlier decision was filed once more (5 decisions
    for 3 answers), inflating the ledger's counts and review stats."""
    run = reviewed_project.run_id
    root = reviewed_project.root
    user = "a1b2c3d4-0000-0000-0000-000000000001"
    first = write_jsonl(tmp_path / "ar1.jsonl", [
        argilla_flat("t6", run, [("billing", user, "submitted")]),
        argilla_flat("t1", run, [("technical", user, "submitted")])])
    assert import_file(root, first, reviewer="erin", fmt="argilla").added == 2
    second = write_jsonl(tmp_path / "ar2.jsonl", [
        argilla_flat("t6", run, [("billing", user, "submitted")]),
        argilla_flat("t1", run, [("technical", user, "submitted")]),
        argilla_flat("t5", run, [("billing", user, "submitted")])])
    report = import_file(root, second, reviewer="erin", fmt="argilla")
    assert (report.added, report.in_ledger) == (1, 2)
    assert len(decisions(root)) == 3
    # the review CSV, filled in further
    path = filled_csv(tmp_path / "r.csv", [("t2", run, "billing"), ("t3", run, "")])
    assert import_file(root, path, reviewer="ann").added == 1
    path = filled_csv(tmp_path / "r.csv", [("t2", run, "billing"), ("t3", run, "technical")])
    report = import_file(root, path, reviewer="ann")
    assert (report.added, report.in_ledger) == (1, 1)
    # a label changed and changed back is two changes, not a repeat of the first
    path = filled_csv(tmp_path / "r.csv", [("t2", run, "technical"), ("t3", run, "technical")])
    assert import_file(root, path, reviewer="ann", relabel=True).added == 1
    path = filled_csv(tmp_path / "r.csv", [("t2", run, "billing"), ("t3", run, "technical")])
    assert import_file(root, path, reviewer="ann", relabel=True).added == 1
    assert [d.label for d in decisions(root) if d.item_id == "t2"] == [
        "billing", "technical", "billing"]


# One malformed record is a bad row of its own; it made the whole file "not a <format> export".

def test_a_record_that_is_not_an_object_is_a_bad_row_naming_its_line(reviewed_project,
                                                                      tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "db.jsonl"
    path.write_text("\n".join([json.dumps(prodigy_row("t6", run, "accept", ["billing"])),
                               '["oops"]',
                               json.dumps(prodigy_row("t1", run, "accept", ["technical"]))]))
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="ana", fmt="prodigy")
    assert f'{path}: line 2: ["oops"] is not a JSON object' in str(info.value)
    # the Python keyword too: the function is called from a notebook as well
    assert ("1 bad row(s); nothing imported (fix them, or pass --skip-bad-rows "
            "(skip_bad_rows=True from Python) to import the others)") in str(info.value)
    report = import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)
    assert (report.added, len(report.problems)) == (2, 1)


def test_every_line_that_is_no_json_is_a_bad_row_and_the_others_import(reviewed_project,
                                                                         tmp_path):
    """A line cut short stopped the whole import, named alone (the file's other broken
    lines unsaid) and without its column; --skip-bad-rows did not help."""
    run = reviewed_project.run_id
    good = [json.dumps(prodigy_row(item, run, "accept", [label]), ensure_ascii=False)
            for item, label in (("t6", "billing"), ("t1", "technical"), ("t2", "billing"))]
    cut = good[2][:good[2].index('"lw_project": "') + 17]  # within the project's name
    path = tmp_path / "db.jsonl"
    path.write_text("\n".join([cut, good[0], "<<<<<<< HEAD", '"just a string"', good[1],
                               '{"lw_id": "t2", "answer": "accept",}']), encoding="utf-8")
    with pytest.raises(ReviewError) as info:  # the format is guessed past the broken line
        import_file(reviewed_project.root, path, reviewer="ana")
    text = str(info.value)
    assert "4 bad row(s); nothing imported" in text
    # the line's start names the record, the excerpt before the column shows the cut
    assert (f"{path}: line 1: malformed JSON: Unterminated string starting at (column "
            f"{len(cut) - 2}): '{{\"text\": \"The app crashes when' ... '") in text
    assert "\", \"lw_project\": \"te'; the line seems cut short" in text
    assert (f"{path}: line 3: malformed JSON: Expecting value (column 1): '<<<<<<< HEAD'; "
            "a merge-conflict marker") in text
    assert f"{path}: line 4: \"just a string\" is not a JSON object" in text
    assert (f"{path}: line 6: malformed JSON: Expecting property name enclosed in double "
            "quotes (column 36): '{\"lw_id\": \"t2\", \"answer\": \"accept\",}'; a comma before "
            "'}'") in text
    report = import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)
    assert (report.rows, report.bad, report.added) == (6, 4, 2)
    assert [d.source_row for d in decisions(reviewed_project.root)] == ["line 2", "line 5"]


def test_the_cli_lists_the_lines_that_are_no_json_and_counts_them_bad(reviewed_project,
                                                                      tmp_path):
    run = reviewed_project.run_id
    path = tmp_path / "doccano.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 1, "text": TEXT_OF["t6"], "label": ["billing"], "lw_id": "t6",
                    "lw_run_id": run}),
        '{"id": 2, "text": "The app',
        json.dumps({"id": 3, "text": TEXT_OF["t1"], "label": ["technical"], "lw_id": "t1",
                    "lw_run_id": run})]), encoding="utf-8")
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    args = ["review", "import", str(path), "--reviewer", "jo", "--format", "doccano",
            "--project", str(reviewed_project.root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    result = CliRunner().invoke(app, [*args, "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (f"skipped: {path}: line 2: malformed JSON: Unterminated string starting at "
            "(column 19)") in text
    assert "2 decision(s) added to the ledger (3 rows, 1 bad)" in text


def test_a_file_in_which_no_line_is_json_is_no_jsonl_file(reviewed_project, tmp_path):
    """Not a bad row per line: the file is not what the import reads."""
    path = tmp_path / "notes.jsonl"
    path.write_text("item t6: billing\nitem t1: technical\n", encoding="utf-8")
    for fmt in (None, "doccano"):
        with pytest.raises(ReviewError) as info:
            import_file(reviewed_project.root, path, reviewer="ana", fmt=fmt,
                        skip_bad_rows=True)
        assert str(info.value).startswith(
            f"{path}: no line of it is JSON (the first, {path}:1: malformed JSON: Expecting "
            "value (column 1): 'item t6: billing'), so it is no JSONL file (one JSON record a "
            "line) nor a JSON list")
    path.write_text(json.dumps({"tasks": [{"lw_id": "t6"}]}, indent=2), encoding="utf-8")
    with pytest.raises(ReviewError, match=r"one JSON object over several lines, not records"):
        import_file(reviewed_project.root, path, reviewer="ana", fmt="doccano")


def test_a_json_list_that_does_not_parse_names_its_line_and_column(reviewed_project, tmp_path):
    """Its records cannot be told apart, so it stays one error, --skip-bad-rows or not."""
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "billing")], "t1": [(1, "billing")]})
    text = json.dumps(tasks, indent=1)
    path = tmp_path / "ls.json"
    path.write_text(text[:300], encoding="utf-8")
    cut = json.JSONDecoder()
    with pytest.raises(json.JSONDecodeError) as parse:
        cut.decode(text[:300])
    where = f"{path}:{parse.value.lineno}: malformed JSON: {parse.value.msg} " \
            f"(column {parse.value.colno})"
    for fmt in (None, "label-studio"):
        with pytest.raises(ReviewError) as info:
            import_file(reviewed_project.root, path, reviewer="ana", fmt=fmt,
                        skip_bad_rows=True)
        assert str(info.value) == where


def test_a_jsonl_file_whose_first_line_is_a_list_is_read_line_by_line(reviewed_project,
                                                                      tmp_path):
    """It was taken for one JSON list and refused as 'Extra data'."""
    run = reviewed_project.run_id
    path = tmp_path / "db.jsonl"
    path.write_text("\n".join(["[1, 2]", json.dumps(prodigy_row("t6", run, "accept",
                                                                 ["billing"]))]))
    with pytest.raises(ReviewError, match=r"db\.jsonl: line 1: \[1, 2\] is not a JSON object"):
        import_file(reviewed_project.root, path, reviewer="ana", fmt="prodigy")
    assert import_file(reviewed_project.root, path, reviewer="ana", fmt="prodigy",
                       skip_bad_rows=True).added == 1
    # a list of records on one line is a JSON export, with a line too many after it
    tasks = ls_export(run, {"t6": [(1, "billing")]})
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks) + "\n<<<<<<< HEAD\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"ls\.json:2: malformed JSON: Extra data \(column 1\)"):
        import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)


def test_a_file_whose_records_are_no_objects_is_another_format(reviewed_project, tmp_path):
    path = tmp_path / "db.json"
    path.write_text(json.dumps([["t6", "billing"], ["t1", "technical"]]))
    with pytest.raises(ReviewError, match=r"db\.json: does not look like a prodigy export "
                                          r"\(none of its records is a JSON object\); pass the "
                                          r"right --format \(fmt= from Python\), one of "
                                          r"label-studio, prodigy"):
        import_file(reviewed_project.root, path, reviewer="ana", fmt="prodigy")


def test_a_meta_that_is_no_object_is_passed_over(reviewed_project, tmp_path):
    """Prodigy's and doccano's ``meta`` only repeats the ids the record holds at its top."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db.jsonl", [
        {**prodigy_row("t6", run, "accept", ["billing"]), "meta": "m"},
        {**prodigy_row("t1", run, "accept", ["technical"]), "meta": "m", "lw_id": None}])
    with pytest.raises(ReviewError, match=r"db\.jsonl: line 2: no item id"):
        import_file(reviewed_project.root, path, reviewer="ana")
    assert import_file(reviewed_project.root, path, reviewer="ana",
                       skip_bad_rows=True).added == 1
    doccano = write_jsonl(tmp_path / "doccano.jsonl", [
        {"id": 7, "text": TEXT_OF["t2"], "label": ["billing"], "meta": 3, "lw_id": "t2",
         "lw_run_id": run}])
    assert import_file(reviewed_project.root, doccano, reviewer="carol",
                       fmt="doccano").added == 1


def test_a_label_studio_result_without_a_value_object_is_a_bad_row(reviewed_project, tmp_path):
    tasks = ls_export(reviewed_project.run_id, {"t6": [(1, "billing")], "t1": [(1, "billing")]})
    tasks[1]["annotations"][0]["result"][0]["value"] = None
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError, match=r"ls\.json: task 2 annotation 20: the value of the "
                                          r"'label' result is null, not an object"):
        import_file(reviewed_project.root, path, reviewer="ana")
    tasks[1]["annotations"] = ["oops"]
    path.write_text(json.dumps(tasks))
    with pytest.raises(ReviewError, match=r"ls\.json: task 2: 'annotations' is not a list of "
                                          "objects"):
        import_file(reviewed_project.root, path, reviewer="ana")
    assert import_file(reviewed_project.root, path, reviewer="ana",
                       skip_bad_rows=True).added == 1


def test_argilla_responses_and_users_of_different_lengths_are_a_bad_row(reviewed_project,
                                                                         tmp_path):
    """zip() paired the first users with the first answers and dropped the rest."""
    record = argilla_flat("t6", reviewed_project.run_id,
                          [("billing", "u-1", "submitted"), ("technical", "u-2", "submitted")])
    record["label.responses.users"] = ["u-2"]
    path = write_jsonl(tmp_path / "argilla.jsonl", [record])
    with pytest.raises(ReviewError, match=r"line 1: label\.responses, \.users and \.status are "
                                          r"not lists of one entry per response \(2 entries, 1 "
                                          r"entries, 2 entries\)"):
        import_file(reviewed_project.root, path, reviewer="erin")


def test_a_csv_row_with_more_or_fewer_values_than_the_header_is_a_bad_row(reviewed_project,
                                                                          tmp_path):
    """A label typed one cell too far right sat under no column and the row read as not
    reviewed; a short row was read with its missing cells empty."""
    run = reviewed_project.run_id
    path = tmp_path / "r.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "rank", "text", "suggested_label", "review_label"])
        writer.writerow(["t1", run, 1, TEXT_OF["t1"], "", "billing"])
        writer.writerow(["t2", run, 2, TEXT_OF["t2"], "", "", "technical"])
        writer.writerow(["t3", run, 3, TEXT_OF["t3"], "billing"])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="ana")
    text = str(info.value)
    assert "2 bad row(s); nothing imported" in text
    assert f"{path}: line 3: row 2 has 7 values where the header has 6" in text
    assert f"{path}: line 4: row 3 has 5 values where the header has 6" in text
    report = import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)
    assert (report.added, len(report.problems)) == (1, 2)
    assert [d.item_id for d in decisions(reviewed_project.root)] == ["t1"]


def test_a_label_cell_of_only_spaces_is_left_blank(reviewed_project, tmp_path):
    """It looks blank, so it is read as blank (not reviewed); it blocked the whole import
    as an 'empty label'."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "r.csv", [("t1", run, " billing "), ("t2", run, " \t ")])
    report = import_file(reviewed_project.root, path, reviewer="ana")
    assert report.added == 1 and report.skipped == {"review_label left blank": 1}
    assert [(d.item_id, d.label) for d in decisions(reviewed_project.root)] == [
        ("t1", "billing")]
    records = read_review(reviewed_project.run_dir)[:1]
    records[0]["review_label"] = "  "
    path = write_jsonl(tmp_path / "q.jsonl", records)
    with pytest.raises(ReviewError, match=r"no decision in its 1 row\(s\) read as jsonl \(1 "
                                          r"review_label left empty\)"):
        import_file(reviewed_project.root, path, reviewer="ana")


def test_whether_a_record_was_blind_is_its_mark_else_its_suggestion_else_not_known(
        reviewed_project, tmp_path):
    """A file without the blind mark or the suggestion (a script's sheet, a blind export
    from before the mark) does not say what its reviewer saw: recorded as not known, not
    as shown."""
    run = reviewed_project.run_id
    common = {"lw_run_id": run, "lw_project": "test", "annotator": "ana@x",
              "updated_at": "2026-11-28T10:00:00Z"}
    path = tmp_path / "min.json"
    path.write_text(json.dumps([
        {**common, "text": TEXT_OF["t1"], "lw_id": "t1", "id": 1, "annotation_id": 11,
         "label": "billing", "lw_blind": True},
        {**common, "text": TEXT_OF["t2"], "lw_id": "t2", "id": 2, "annotation_id": 12,
         "label": "technical", "suggested_label": "technical"},
        {**common, "text": TEXT_OF["t3"], "lw_id": "t3", "id": 3, "annotation_id": 13,
         "label": "billing"}]))
    import_file(reviewed_project.root, path, reviewer="alice")
    sheet = tmp_path / "script.csv"
    sheet.write_text(f"id,run_id,review_label\nt4,{run},technical\n", encoding="utf-8")
    import_file(reviewed_project.root, sheet, reviewer="bo")
    assert {d.item_id: d.blind for d in decisions(reviewed_project.root)} == {
        "t1": True, "t2": False, "t3": None, "t4": None}


@pytest.mark.parametrize(("fmt", "mark"), [("csv", "yes"), ("jsonl", "maybe"), ("jsonl", 1)])
def test_a_blind_mark_of_another_value_is_a_bad_row(reviewed_project, tmp_path, fmt, mark):
    run = reviewed_project.run_id
    path = tmp_path / f"marked.{fmt}"
    if fmt == "csv":
        path.write_text(f"id,run_id,review_label,blind\nt1,{run},billing,{mark}\n",
                        encoding="utf-8")
    else:
        write_jsonl(path, [{"id": "t1", "run_id": run, "review_label": "billing",
                            "blind": mark}])
    line = 2 if fmt == "csv" else 1  # (the CSV's header is line 1)
    with pytest.raises(ReviewError, match=rf"line {line}: blind mark {mark!r}; expected true"):
        import_file(reviewed_project.root, path, reviewer="alice", fmt=fmt)
    assert decisions(reviewed_project.root) == []


def test_a_key_given_twice_is_a_bad_row_not_its_last_value(reviewed_project, tmp_path):
    """``{"accept": ["billing"], "accept": ["technical"]}`` imported "technical" without a
    word (a JSON reader keeps the last value), though the file says both; the data readers
    already refuse such a line. In a Label Studio list the key may sit deep in a task."""
    run = reviewed_project.run_id
    twice = json.dumps(prodigy_row("t6", run, "accept", ["billing"]))
    twice = twice[:-1] + ', "accept": ["technical"]}'
    good = json.dumps(prodigy_row("t1", run, "accept", ["technical"]))
    path = tmp_path / "db.jsonl"
    path.write_text(f"{good}\n{twice}\n", encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="ana")
    assert (f"{path}: line 2: key 'accept' is given twice in one object, so which value was "
            "meant cannot be told: keep one") in str(info.value)
    report = import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)
    assert (report.rows, report.bad, report.added) == (2, 1, 1)
    assert [(d.item_id, d.label) for d in decisions(reviewed_project.root)] == [
        ("t1", "technical")]

    tasks = ls_export(run, {"t5": [(1, "billing")], "t2": [(1, "technical")]})
    text = json.dumps(tasks).replace('"choices": ["technical"]',
                                     '"choices": ["billing"], "choices": ["technical"]')
    assert text.count('"choices": [') == 3
    path = tmp_path / "ls.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError) as info:  # the format is still told from that task
        import_file(reviewed_project.root, path, reviewer="ana")
    assert f"{path}: record 2: key 'choices' is given twice" in str(info.value)
    only = tmp_path / "only.jsonl"  # every record gives a key twice: still bad rows
    only.write_text(f"{twice}\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="line 1: key 'accept' is given twice"):
        import_file(reviewed_project.root, only, reviewer="ana")


def test_a_label_a_project_label_starts_with_gets_that_label_as_a_guess(make_project,
                                                                        tmp_path):
    """'fraud' for fraud_report got no guess (difflib finds it too far)."""
    root = make_project(labels=("billing_refund", "fraud_report"), lfs={}, gold=None,
                        glossaries={"money": "label: billing_refund\nterms: [refund]\n"})
    run = run_project(root, report=False).run_id
    path = filled_csv(tmp_path / "r.csv", [("t1", run, "fraud"), ("t2", run, "refund")])
    with pytest.raises(ReviewError) as info:
        import_file(root, path, reviewer="dana")
    text = str(info.value)
    assert "unknown label 'fraud' for item 't1'; did you mean 'fraud_report'? valid:" in text
    assert "unknown label 'refund' for item 't2'; did you mean 'billing_refund'? valid:" in text


def test_a_frame_of_decisions_is_refused_with_how_to_import_it(reviewed_project, tmp_path):
    import pandas as pd

    run = reviewed_project.run_id
    frame = pd.read_csv(filled_csv(tmp_path / "review.csv", [("t6", run, "billing")]),
                        dtype=str, keep_default_na=False)
    with pytest.raises(TypeError, match=r"import_file: path is a pandas DataFrame; give a path "
                                        r".*df\.to_csv\('reviews-done\.csv', index=False\)"):
        import_file(reviewed_project.root, frame, reviewer="dana")
    assert decisions(reviewed_project.root) == []
    frame.to_csv(tmp_path / "reviews-done.csv", index=False)  # as the message says
    assert import_file(reviewed_project.root, tmp_path / "reviews-done.csv",
                       reviewer="dana").added == 1


def test_a_project_root_that_is_no_path_is_named(tmp_path):
    with pytest.raises(TypeError, match=r"project_root is an int; give a path .* to the "
                                        "project folder"):
        import_file(7, tmp_path / "review.csv", reviewer="dana")


def test_an_answer_without_an_id_names_the_fields_looked_at(reviewed_project, tmp_path):
    """A Prodigy answer whose task lost labelwright's fields (a dataset fed from another
    source): the error names the line and the fields the id is read from."""
    run = reviewed_project.run_id
    bare = {key: value for key, value in prodigy_row("t1", run, "accept", ["technical"]).items()
            if key not in ("lw_id", "meta")}
    path = write_jsonl(tmp_path / "db.jsonl", [prodigy_row("t6", run, "accept", ["billing"]),
                                              bare])
    with pytest.raises(ReviewError, match=r"db\.jsonl: line 2: no item id: neither 'lw_id' "
                                          r"nor 'meta' → 'id'"):
        import_file(reviewed_project.root, path, reviewer="ana")


def test_a_doccano_record_without_an_id_names_the_fields_looked_at(reviewed_project, tmp_path):
    path = write_jsonl(tmp_path / "doccano.jsonl", [
        {"id": 7, "text": TEXT_OF["t2"], "label": ["billing"],
         "lw_run_id": reviewed_project.run_id}])
    with pytest.raises(ReviewError, match=r"line 1: no item id: no 'lw_id' \(at the top or in "
                                          r"'meta'\)"):
        import_file(reviewed_project.root, path, reviewer="ana", fmt="doccano")
