"""One rule for a label's spaces and case in every review format: spaces around a label are
taken off, with a warning that counts the rows (as gold reading does); a label in another
case is refused, with the label meant."""

from __future__ import annotations

import json

import pytest
from test_import import (
    argilla_flat,
    decisions,
    filled_csv,
    ls_export,
    prodigy_row,
    write_jsonl,
)
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.file import ReviewError, import_file


def _files(tmp_path, run, first, second):
    """The same two decisions, t6 ``first`` and t5 ``second``, in each format."""
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps(ls_export(run, {"t6": [(1, first)], "t5": [(1, second)]})),
                  encoding="utf-8")
    doccano = write_jsonl(tmp_path / "doccano.jsonl", [
        {"text": row["text"], "lw_id": item, "lw_run_id": run, "lw_project": "test",
         "label": [label]} for item, label, row in
        ((item, label, {"text": ls_export(run, {item: []})[0]["data"]["text"]})
         for item, label in (("t6", first), ("t5", second)))])
    argilla = tmp_path / "argilla.json"
    argilla.write_text(json.dumps([argilla_flat("t6", run, [(first, "u1", "submitted")]),
                                   argilla_flat("t5", run, [(second, "u1", "submitted")])]),
                       encoding="utf-8")
    return {
        "label-studio": ls,
        "prodigy": write_jsonl(tmp_path / "db-out.jsonl", [
            prodigy_row("t6", run, "accept", [first]),
            prodigy_row("t5", run, "accept", [second])]),
        "doccano": doccano,
        "argilla": argilla,
        "csv": filled_csv(tmp_path / "r.csv", [("t6", run, first), ("t5", run, second)]),
    }


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "doccano", "argilla", "csv"])
def test_spaces_around_a_label_are_taken_off_and_counted(reviewed_project, tmp_path, fmt):
    """The review CSV took 'billing ' silently, the tools' files refused it as an unknown
    label."""
    path = _files(tmp_path, reviewed_project.run_id, " billing", "technical ")[fmt]
    report = import_file(reviewed_project.root, path, reviewer="alice", fmt=fmt)
    assert report.added == 2
    assert [written for _, written in report.padded] == [" billing", "technical "]
    assert sorted((d.item_id, d.label) for d in decisions(reviewed_project.root)) == [
        ("t5", "technical"), ("t6", "billing")]


def test_the_import_warns_of_the_labels_it_took_spaces_off(reviewed_project, tmp_path):
    path = _files(tmp_path, reviewed_project.run_id, " billing", "technical ")["prodigy"]
    result = CliRunner().invoke(review_app, ["import", str(path), "--reviewer", "alice",
                                             "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert (f"warning: {path}: 2 labels had spaces around them (first: line 1, ' billing'); "
            "read as the label without them") in " ".join(result.output.split())


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "doccano", "argilla", "csv"])
def test_a_label_in_another_case_is_refused_with_the_label_meant(reviewed_project, tmp_path,
                                                                    fmt):
    path = _files(tmp_path, reviewed_project.run_id, "Billing ", "technical")[fmt]
    with pytest.raises(ReviewError, match=r"unknown label 'Billing ' for item 't6'; did you "
                                          r"mean 'billing'\? valid: billing, technical"):
        import_file(reviewed_project.root, path, reviewer="alice", fmt=fmt)


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "doccano", "argilla", "csv"])
def test_a_label_typed_in_full_width_is_the_projects_label(reviewed_project, tmp_path, fmt):
    """'ｂｉｌｌｉｎｇ' (a Chinese input method's full-width mode) was refused with "did you
    mean 'billing'", while 'billing' with an ideographic space after it was taken; spaces
    around it are still counted."""
    path = _files(tmp_path, reviewed_project.run_id, "ｂｉｌｌｉｎｇ",
                  "ｔｅｃｈｎｉｃａｌ\u3000")[fmt]
    report = import_file(reviewed_project.root, path, reviewer="alice", fmt=fmt)
    assert report.added == 2
    assert [written for _, written in report.padded] == ["ｔｅｃｈｎｉｃａｌ\u3000"]
    assert sorted((d.item_id, d.label) for d in decisions(reviewed_project.root)) == [
        ("t5", "technical"), ("t6", "billing")]


def test_a_full_width_label_in_another_case_is_refused_with_the_label_meant(
        reviewed_project, tmp_path):
    path = _files(tmp_path, reviewed_project.run_id, "Ｂｉｌｌｉｎｇ", "technical")["csv"]
    with pytest.raises(ReviewError, match=r"unknown label 'Ｂｉｌｌｉｎｇ' for item 't6'; did "
                                          r"you mean 'billing'\?"):
        import_file(reviewed_project.root, path, reviewer="alice")
