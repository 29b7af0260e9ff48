"""Importing a review file exported before the project's labels changed: one message for
a label the file's run had and the project no longer has, and ``[project] renamed``."""

from __future__ import annotations

import csv

import pytest

from label_sets import change_labels
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.review.imports.file import ReviewError, import_file

RENAME = {"technical": "tech"}


def old_file(path, run_id):
    """A reviewer's file of the run made while the labels were billing, technical."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "review_label"])
        writer.writerows([["t2", run_id, "technical"], ["t4", run_id, "technical"],
                          ["t6", run_id, "billing"]])
    return path


def test_an_old_file_gets_one_message_naming_the_run_and_renamed(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    change_labels(root, ["billing", "tech", "other"], gold=RENAME)
    path = old_file(tmp_path / "old.csv", run)
    with pytest.raises(ReviewError) as info:
        import_file(root, path, reviewer="alice")
    message = str(info.value)
    assert message.count("have the label 'technical'") == 1  # not a line per row
    assert "2 row(s) have the label 'technical'" in message
    assert f"run {run} had billing, technical" in message
    assert "billing, tech, other" in message and "[project] renamed" in message
    # skipping them imports a one-sided part of the file, and the report says which
    report = import_file(root, path, reviewer="alice", skip_bad_rows=True)
    assert report.added == 1 and report.retired == {"technical": 2}


def test_renamed_reads_the_rows_as_the_current_label(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    import_file(root, old_file(tmp_path / "first.csv", run), reviewer="alice")
    change_labels(root, ["billing", "tech"], gold=RENAME, renamed=RENAME)
    # the same decisions in a file filled in further: no change of label for alice
    path = old_file(tmp_path / "later.csv", run)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["t1", run, "technical"])
    report = import_file(root, path, reviewer="alice")
    assert report.relabeled == [] and report.added == 1 and report.in_ledger == 3
    assert report.renamed == {"technical": 3}
    decided = ledger.read_decisions(ledger.ledger_path(root))
    assert [d.label for d in decided if d.item_id == "t1"] == ["tech"]
    reviewed = reviewed_labels(root, ["t1", "t2", "t6"], ["billing", "tech"])
    assert reviewed.gold.tolist() == [1, 1, 0] and reviewed.stale == 0
