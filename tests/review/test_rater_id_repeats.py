"""A cumulative Label Studio export that names a user the other way (by id, then expanded
with an email) holds the same annotations: they are in the ledger already, not new ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from test_import import decisions, filled_csv, ls_export, prodigy_row
from test_same_rater import set_review

from labelwright.errors import ReviewError
from labelwright.review.imports.file import import_file

BOB = {"id": 2, "email": "bob@example.com"}


def test_an_annotation_named_by_id_then_by_email_is_imported_once(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    first = tmp_path / "by_id.json"
    first.write_text(json.dumps(ls_export(run, {"t5": [(2, "technical")]})), encoding="utf-8")
    assert import_file(root, first, reviewer="lead").added == 1
    later = tmp_path / "expanded.json"  # the same annotation again, and a new one
    later.write_text(json.dumps(ls_export(run, {"t5": [(BOB, "technical")],
                                                "t6": [(BOB, "billing")]})), encoding="utf-8")
    report = import_file(root, later, reviewer="lead")
    assert (report.added, report.in_ledger) == (1, 1)
    assert sorted((d.item_id, d.label) for d in decisions(root)) == [("t5", "technical"),
                                                                    ("t6", "billing")]


def _later(tasks, stamp="2026-11-29T10:00:00Z"):
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["updated_at"] = annotation["created_at"] = stamp
    return tasks


def test_a_change_of_label_under_the_id_of_a_paired_user_needs_relabel(reviewed_project,
                                                                       tmp_path):
    """Bob's label on t6 given under his email, then changed in an export that names him by
    id: the same rater changes a label, which the --relabel check sees whatever the name."""
    root, run = reviewed_project.root, reviewed_project.run_id
    first = tmp_path / "expanded.json"
    first.write_text(json.dumps(ls_export(run, {"t6": [(BOB, "billing")]})), encoding="utf-8")
    import_file(root, first, reviewer="lead")
    later = tmp_path / "by_id.json"
    later.write_text(json.dumps(_later(ls_export(run, {"t6": [(2, "technical")]}))),
                     encoding="utf-8")
    with pytest.raises(ReviewError, match=r"(?s)1 decision\(s\) change a label the same rater "
                       r"gave before.*t6 by label-studio:bob@example.com: billing -> technical"):
        import_file(root, later, reviewer="lead")
    assert len(decisions(root)) == 1
    report = import_file(root, later, reviewer="lead", relabel=True)
    assert report.added == 1
    assert report.relabeled == [("t6", "label-studio:bob@example.com", "billing", "technical")]


def test_a_change_of_label_under_a_same_rater_name_needs_relabel(reviewed_project, tmp_path):
    """carol's CSV, then her Prodigy session as reviews-carol ([review] same_rater): one
    rater, so a changed label is a change."""
    root, run = reviewed_project.root, reviewed_project.run_id
    set_review(root, 'same_rater = { "reviews-carol" = "carol" }')
    import_file(root, filled_csv(tmp_path / "carol.csv", [("t6", run, "billing")]),
                reviewer="carol", now=datetime(2026, 11, 1, tzinfo=UTC))
    later = tmp_path / "carol-pg.jsonl"  # answered after (Prodigy's _timestamp: 2026-11-18)
    later.write_text(json.dumps(prodigy_row("t6", run, "accept", ["technical"],
                                            annotator="reviews-carol")) + "\n",
                     encoding="utf-8")
    with pytest.raises(ReviewError, match=r"t6 by carol: billing -> technical"):
        import_file(root, later, reviewer="carol")
    assert import_file(root, later, reviewer="carol", relabel=True).added == 1
