"""One Label Studio user is one rater, whether an export gives ``completed_by`` as the
user's id (``2``) or expanded (``{"id": 2, "email": "bob@example.com", ...}``): the ledger
remembers the pairing an expanded export shows, and a rater named by that id counts as the
one named by the email wherever reviews are read. The ledger keeps the names as given."""

from __future__ import annotations

import json

from test_import import decisions, ls_export
from test_same_rater import set_review
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.config import load_config
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.review.imports.file import import_file

BOB = {"id": 2, "email": "bob@example.com", "first_name": "Bob"}


def _write(path, run, given):
    path.write_text(json.dumps(ls_export(run, given)), encoding="utf-8")
    return path


def _raters(root, items=("t4", "t5", "t6")):
    result = reviewed_labels(root, list(items), load_config(root).labels)
    return dict(zip(items, result.reviewers, strict=True))


def test_an_id_an_expanded_export_showed_counts_as_the_email(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    import_file(root, _write(tmp_path / "a.json", run, {"t6": [(BOB, "billing")]}),
                reviewer="lead")
    report = import_file(root, _write(tmp_path / "b.json", run, {"t5": [(2, "technical")]}),
                         reviewer="lead")
    assert report.notes == ["label-studio:2 (1 decision) is the Label Studio user an export "
                            "showed as label-studio:bob@example.com, and counts as that rater "
                            "(the ledger keeps the name the file gives)"]
    assert {d.rater for d in decisions(root)} == {"label-studio:bob@example.com",
                                                  "label-studio:2"}
    assert _raters(root) == {"t4": [], "t5": ["label-studio:bob@example.com"],
                             "t6": ["label-studio:bob@example.com"]}


def test_a_pairing_shown_later_ties_the_earlier_decisions(reviewed_project, tmp_path):
    """The id-only export first: its decisions count as a rater of their own, and the import
    says how to tie them; the expanded export later ties them, and says so."""
    root, run = reviewed_project.root, reviewed_project.run_id
    early = _write(tmp_path / "a.json", run, {"t5": [(2, "technical")]})
    result = CliRunner().invoke(review_app, ["import", str(early), "--reviewer", "lead",
                                             "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert ("label-studio:2 (1): this file names the Label Studio user by id alone, and no "
            "export imported so far has shown its email, so each counts as a rater of its "
            "own: import an export whose completed_by is the user expanded (with id and "
            "email), which pairs them, or name the person in [review] same_rater "
            "(\"label-studio:2\" = \"label-studio:EMAIL\")") in " ".join(result.output.split())
    assert _raters(root)["t5"] == ["label-studio:2"]
    report = import_file(root, _write(tmp_path / "b.json", run, {"t6": [(BOB, "billing")]}),
                         reviewer="lead")
    assert report.notes == ["label-studio:2 is label-studio:bob@example.com (this file's "
                            "completed_by): the ledger's 1 earlier decision of label-studio:2 "
                            "count as that rater's from now on"]
    assert _raters(root)["t5"] == ["label-studio:bob@example.com"]


def test_one_file_with_both_forms_is_one_rater(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    path = _write(tmp_path / "a.json", run, {"t6": [(BOB, "billing")], "t5": [(2, "technical")],
                                             "t4": [(1, "billing")]})
    report = import_file(root, path, reviewer="lead")
    assert report.added == 3
    assert _raters(root) == {"t4": ["label-studio:1"], "t5": ["label-studio:bob@example.com"],
                             "t6": ["label-studio:bob@example.com"]}


def test_same_rater_keeps_an_id_apart_or_names_its_person(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    import_file(root, _write(tmp_path / "a.json", run, {"t6": [(BOB, "billing")],
                                                        "t5": [(2, "technical")]}),
                reviewer="lead")
    set_review(root, 'same_rater = { "label-studio:2" = "label-studio:2" }')
    assert _raters(root)["t5"] == ["label-studio:2"]
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('"label-studio:2" = "label-studio:2"',
                                             '"label-studio:bob@example.com" = "bob"'))
    assert _raters(root) == {"t4": [], "t5": ["bob"], "t6": ["bob"]}


def test_an_id_two_exports_pair_with_two_emails_is_paired_with_neither(reviewed_project,
                                                                         tmp_path):
    """Two Label Studio servers each have a user 2: which one an id-only export means
    cannot be told."""
    root, run = reviewed_project.root, reviewed_project.run_id
    other = {**BOB, "email": "carol@example.org"}
    import_file(root, _write(tmp_path / "a.json", run, {"t6": [(BOB, "billing")]}),
                reviewer="lead")
    import_file(root, _write(tmp_path / "b.json", run, {"t4": [(other, "billing")]}),
                reviewer="lead")
    report = import_file(root, _write(tmp_path / "c.json", run, {"t5": [(2, "technical")]}),
                         reviewer="lead")
    assert report.notes == ["label-studio:2 (1 decision): exports showed this Label Studio "
                            "user id with label-studio:bob@example.com and "
                            "label-studio:carol@example.org (two Label Studio servers?), so "
                            "it counts as a rater of its own; name the person in [review] "
                            "same_rater (\"label-studio:2\" = \"...\")"]
    assert _raters(root)["t5"] == ["label-studio:2"]


def test_a_json_min_id_is_paired_too(reviewed_project, tmp_path):
    """Label Studio's JSON-MIN gives the annotator's email, or else the id as text."""
    root, run = reviewed_project.root, reviewed_project.run_id
    import_file(root, _write(tmp_path / "a.json", run, {"t6": [(BOB, "billing")]}),
                reviewer="lead")
    task = ls_export(run, {"t5": []})[0]
    path = tmp_path / "min.json"
    path.write_text(json.dumps([{**task["data"], "id": 9, "annotation_id": 91,
                                 "annotator": "2", "label": "technical",
                                 "updated_at": "2026-11-28T10:00:00Z"}]), encoding="utf-8")
    import_file(root, path, reviewer="lead")
    assert _raters(root)["t5"] == ["label-studio:bob@example.com"]


def _updated_by(tasks, user):
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["updated_by"] = user
    return tasks


def test_an_annotation_another_user_changed_is_that_users_decision(reviewed_project, tmp_path):
    """Label Studio's JSON export gives ``updated_by``, the last user who saved the
    annotation (a plain id): a lead who changed bob's annotation gave its label now."""
    root, run = reviewed_project.root, reviewed_project.run_id
    path = tmp_path / "a.json"
    path.write_text(json.dumps(_updated_by(ls_export(run, {"t6": [(BOB, "billing")],
                                                           "t5": [(BOB, "technical")]}), 9)),
                    encoding="utf-8")
    report = import_file(root, path, reviewer="lead")
    assert report.added == 2
    assert {d.rater for d in decisions(root)} == {"label-studio:9"}
    assert ("2 decisions filed under label-studio:9, who changed "
            "label-studio:bob@example.com's annotation in Label Studio (its updated_by; "
            "completed_by names label-studio:bob@example.com), as the label is "
            "label-studio:9's now: t6, t5") in report.notes
    assert _raters(root)["t6"] == ["label-studio:9"]


def test_an_annotation_its_author_saved_last_stays_theirs(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    path = tmp_path / "a.json"
    path.write_text(json.dumps(_updated_by(ls_export(run, {"t6": [(BOB, "billing")]}), 2)),
                    encoding="utf-8")
    report = import_file(root, path, reviewer="lead")
    assert [d.rater for d in decisions(root)] == ["label-studio:bob@example.com"]
    assert not any("updated_by" in note for note in report.notes)
    by_id = tmp_path / "b.json"  # completed_by by id, updated_by expanded: one user
    by_id.write_text(json.dumps(_updated_by(ls_export(run, {"t5": [(2, "technical")]}), BOB)),
                     encoding="utf-8")
    import_file(root, by_id, reviewer="lead")
    assert [d.rater for d in decisions(root)][-1] == "label-studio:2"


def test_an_id_named_as_a_person_takes_its_email_along(reviewed_project, tmp_path):
    """The id-only export came first, and the import said to name the person in
    [review] same_rater; "label-studio:2" = "bob" did. A later expanded export filed its
    decisions under the email, which stayed a rater apart from "bob": one person, two
    raters, whose split tied items."""
    root, run = reviewed_project.root, reviewed_project.run_id
    import_file(root, _write(tmp_path / "a.json", run, {"t5": [(2, "technical")]}),
                reviewer="lead")
    set_review(root, 'same_rater = { "label-studio:2" = "bob" }')
    import_file(root, _write(tmp_path / "b.json", run, {"t6": [(BOB, "billing")]}),
                reviewer="lead")
    assert _raters(root) == {"t4": [], "t5": ["bob"], "t6": ["bob"]}
