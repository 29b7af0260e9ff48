"""A rater's decision on an item in both a run's queue and its random sample (two tool
projects) was refused as a change of label, ``t3 by ana: billing -> technical; pass
--relabel``, without where the first label came from: the refusal now names each
decision's export and file, and says what two exports of one item mean."""

from __future__ import annotations

import csv
import json
import re

import pytest

from labelwright.errors import ReviewError
from labelwright.project import run_project
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import read_review


def sheet(path, item, run, label, export):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "run_id", "review_label", "export"],
                                      [item, run, label, export]])
    return path


def test_a_change_of_label_across_exports_names_where_each_came_from(make_project, tmp_path):
    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    run = run_dir.name
    item = json.loads((run_dir / "sample.jsonl").read_text().splitlines()[0])["id"]
    import_file(root, sheet(tmp_path / "queue-done.csv", item, run, "billing", "queue"),
                reviewer="ana")
    with pytest.raises(ReviewError) as info:
        import_file(root, sheet(tmp_path / "sample-done.csv", item, run, "technical",
                                "sample"), reviewer="ana")
    said = str(info.value)
    assert re.search(
        rf"{re.escape(item)} by ana: billing -> technical \(billing: the queue export of run "
        rf"{run}, line 2 of queue-done\.csv imported on \d{{4}}-\d\d-\d\d; technical: the "
        rf"random sample export of run {run}, line 2 here\)", said), said
    assert ("1 of them decide an item the rater decided before in another of the run's "
            "exports: an item drawn into both the queue and the random sample") in said


def test_a_change_within_one_export_has_no_note_of_two(make_project, tmp_path):
    root = make_project(gold=None)
    run_dir = run_project(root, report=False).run_dir
    run = run_dir.name
    item = read_review(run_dir)[0]["id"]  # in the queue: the run exported it from there
    import_file(root, sheet(tmp_path / "a.csv", item, run, "billing", "queue"), reviewer="ana")
    with pytest.raises(ReviewError) as info:
        import_file(root, sheet(tmp_path / "b.csv", item, run, "technical", "queue"),
                    reviewer="ana")
    said = str(info.value)
    assert f"(billing: the queue export of run {run}, line 2 of a.csv imported on" in said
    assert "another of the run's exports" not in said


def test_a_change_across_two_runs_is_not_said_to_be_one_runs_two_exports(make_project,
                                                                          tmp_path):
    """A rater's label on run 1's export changed on run 2's (the item came back, disputed):
    the refusal said the item was "drawn into both the queue and the random sample" of one
    run, which it was not; it now says the item came back in a later run's export."""
    root = make_project(gold=None, extra="random_sample = 6\n")
    first_dir = run_project(root, report=False).run_dir
    item = json.loads((first_dir / "sample.jsonl").read_text().splitlines()[0])["id"]
    import_file(root, sheet(tmp_path / "sample-done.csv", item, first_dir.name, "billing",
                            "sample"), reviewer="ana")
    second = run_project(root, report=False).run_dir.name
    with pytest.raises(ReviewError) as info:
        import_file(root, sheet(tmp_path / "queue-done.csv", item, second, "technical",
                                "queue"), reviewer="ana")
    said = str(info.value)
    assert "another of the run's exports" not in said
    assert ("1 of them decide again an item the rater decided on an earlier run's export, "
            "which came back in a later run's") in said
