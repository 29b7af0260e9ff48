"""A cumulative Label Studio export that names a user the other way (by id, then expanded
with an email) holds the same annotations: they are in the ledger already, not new ones."""

from __future__ import annotations

import json

from test_import import decisions, ls_export

from labelwright.review.importing import import_file

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
