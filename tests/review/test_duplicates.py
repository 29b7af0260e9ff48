"""Two decisions of one rater on one item that nothing puts in order: with different labels,
which one the rater meant cannot be told, so neither is imported; with the same label, one
is a copy."""

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

from labelwright.review.imports.file import ReviewError, import_file


def _rows(root):
    return sorted((d.item_id, d.rater, d.label, d.source_row) for d in decisions(root))


def test_two_label_studio_annotations_at_one_time_are_both_refused(reviewed_project, tmp_path):
    """A task with two annotations by one user made at the same moment, "billing" and
    "technical": only the second was a bad row, and --skip-bad-rows filed the first as the
    rater's decision."""
    run = reviewed_project.run_id
    tasks = ls_export(run, {"t6": [(1, "billing"), (1, "technical")], "t5": [(1, "technical")]})
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="alice")
    message = str(info.value)
    assert "2 bad row(s)" in message
    assert (f"{path}: task 1 annotation 10: duplicate decision for item 't6' (again at task 1 "
            "annotation 11) with another label, 'billing' here and 'technical' there, and "
            "neither is later (both made at 2026-11-28T10:00:00Z): which one the rater meant "
            "cannot be told, so neither is imported") in message
    assert (f"{path}: task 1 annotation 11: duplicate decision for item 't6' (first at task 1 "
            "annotation 10) with another label, 'technical' here and 'billing' there") in message
    report = import_file(reviewed_project.root, path, reviewer="alice", skip_bad_rows=True)
    assert (report.added, report.bad) == (1, 2)
    assert _rows(reviewed_project.root) == [("t5", "label-studio:1", "technical",
                                             "task 2 annotation 20")]


def test_two_prodigy_answers_at_one_time_are_both_refused(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        prodigy_row("t6", run, "accept", ["billing"]),
        prodigy_row("t6", run, "accept", ["technical"]),
        prodigy_row("t5", run, "accept", ["technical"]),
    ])
    report = import_file(reviewed_project.root, path, reviewer="alice", skip_bad_rows=True)
    assert report.bad == 2
    assert [p.split(": ", 2)[1] for p in report.problems] == ["line 1", "line 2"]
    assert _rows(reviewed_project.root) == [("t5", "reviews-alice", "technical", "line 3")]


def test_two_csv_rows_of_one_reviewer_with_two_labels_are_both_refused(reviewed_project,
                                                                          tmp_path):
    """The CSV carries no time: two rows of one item with different labels cannot be put
    in order either."""
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "r.csv", [("t6", run, "billing"), ("t5", run, "technical"),
                                           ("t6", run, "technical")])
    report = import_file(reviewed_project.root, path, reviewer="dana", skip_bad_rows=True)
    assert report.bad == 2
    assert (f"{path}: line 2: duplicate decision for item 't6' (again at line 4) with another "
            "label, 'billing' here and 'technical' there, and neither is later (neither is "
            "dated): which one the rater meant cannot be told") in "\n".join(report.problems)
    assert _rows(reviewed_project.root) == [("t5", "dana", "technical", "line 3")]


def test_a_copy_with_the_same_label_keeps_the_first(reviewed_project, tmp_path):
    """The same label twice is a copy: the second is the bad row, the first is imported
    with --skip-bad-rows (as before)."""
    run = reviewed_project.run_id
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        prodigy_row("t6", run, "accept", ["billing"]),
        prodigy_row("t6", run, "accept", ["billing"]),
    ])
    report = import_file(reviewed_project.root, path, reviewer="alice", skip_bad_rows=True)
    assert report.problems == [f"{path}: line 2: duplicate decision for item 't6' (first at "
                               "line 1)"]
    assert _rows(reviewed_project.root) == [("t6", "reviews-alice", "billing", "line 1")]


def test_a_later_pair_at_one_time_is_refused_though_both_follow_an_earlier_one(
        reviewed_project, tmp_path):
    """An answer, then two more at one later moment with different labels: each of the two
    is later than the first, and they were let through; which one is the rater's last
    cannot be told. Nor is the first the rater's last word: it is refused too (it had been
    imported alone, filing a label the rater had decided on again)."""
    run = reviewed_project.run_id
    rows = [prodigy_row("t6", run, "accept", [label]) for label in
            ("billing", "technical", "billing")]
    rows[1]["_timestamp"] = rows[2]["_timestamp"] = 1795000500
    rows.append(prodigy_row("t5", run, "accept", ["technical"]))
    path = write_jsonl(tmp_path / "db-out.jsonl", rows)
    report = import_file(reviewed_project.root, path, reviewer="alice", skip_bad_rows=True)
    assert [p.split(": ", 2)[1] for p in report.problems] == ["line 1", "line 2", "line 3"]
    assert "line 1: decision for item 't6' is earlier than two decisions of the same rater " \
           "with different labels (at line" in "\n".join(report.problems)
    assert _rows(reviewed_project.root) == [("t5", "reviews-alice", "technical", "line 4")]


def test_one_label_on_two_runs_exports_is_kept_twice(reviewed_project, tmp_path):
    """An Argilla dataset that took run 1's export and then run 2's, where the item came
    back: the rater answered both records alike, and Argilla dates no answer. The second
    was a bad row ("duplicate decision"), which refused the whole file; with one label
    there is nothing to put in order, and both are the rater's decisions."""
    from labelwright import run_project

    root, first = reviewed_project.root, reviewed_project.run_id
    second = run_project(root, report=False).run_dir.name
    user = "5b1e0c1e"
    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps([
        argilla_flat("t6", first, [("billing", user, "submitted")]),
        argilla_flat("t5", first, [("technical", user, "submitted")]),
        argilla_flat("t6", second, [("billing", user, "submitted")]),
    ]), encoding="utf-8")
    report = import_file(root, path, reviewer="lead")
    assert (report.added, report.bad) == (3, 0)
    assert sorted((d.item_id, d.run_id, d.label) for d in decisions(root)) == sorted([
        ("t6", first, "billing"), ("t5", first, "technical"), ("t6", second, "billing")])


def test_two_labels_on_two_runs_exports_name_the_runs(reviewed_project, tmp_path):
    """With two labels and no dates, which one the rater meant still cannot be told; the
    error says the copies came from two runs' exports, which the record numbers hid."""
    from labelwright import run_project

    root, first = reviewed_project.root, reviewed_project.run_id
    second = run_project(root, report=False).run_dir.name
    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps([
        argilla_flat("t6", first, [("billing", "u1", "submitted")]),
        argilla_flat("t6", second, [("technical", "u1", "submitted")]),
    ]), encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        import_file(root, path, reviewer="lead")
    assert (f"with another label, 'technical' here and 'billing' there (this one from run "
            f"{second}'s export, that one from run {first}'s), and neither is later"
            ) in str(info.value)
