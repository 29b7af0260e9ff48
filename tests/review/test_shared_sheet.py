"""One review CSV filled in by two reviewers in turn: the first one's rows are not the
second one's decisions."""

from __future__ import annotations

import csv

import pytest

from labelwright.errors import ReviewError
from labelwright.review import ledger
from labelwright.review.importing import import_file
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def filled_csv(path, rows, run_dir):
    """A review CSV of ``rows`` (item id, label; "" for a row not reviewed yet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "text", "review_label"])
        for item_id, label in rows:
            writer.writerow([item_id, run_dir.name, TEXT_OF[item_id], label])
    return path


def _raters(root):
    return sorted((d.item_id, d.label, d.rater)
                  for d in ledger.read_decisions(ledger.ledger_path(root)))


def test_a_sheet_filled_further_by_another_reviewer_does_not_file_the_first_ones_rows(
        reviewed_project, tmp_path):
    """Bob imported the sheet Alice had filled in and imported, with his rows added: her
    three decisions were filed again as his, two raters in perfect agreement."""
    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    items = ["t1", "t2", "t3"]
    alice = [(items[0], "billing"), (items[1], "technical"), (items[2], "")]
    bob = alice[:2] + [(items[2], "billing")]
    # a sheet of the same name she imported before (every run's export has one name)
    import_file(root, filled_csv(tmp_path / "last_week" / "queue.csv",
                                 [("t4", "billing")], run_dir), reviewer="alice")
    sheet = filled_csv(tmp_path / "queue.csv", alice, run_dir)
    import_file(root, sheet, reviewer="alice")
    filled_csv(sheet, bob, run_dir)
    with pytest.raises(ReviewError, match=r"queue.csv: repeats, row for row, all 2 "
                                          r"decision\(s\) 'alice' imported .*--independent"):
        import_file(root, sheet, reviewer="bob")
    # the same sheet saved under another name is still her rows (it was accepted: two
    # raters in perfect agreement)
    renamed = filled_csv(tmp_path / "queue (bob).csv", bob, run_dir)
    with pytest.raises(ReviewError, match=r"queue \(bob\).csv: repeats, row for row, all 2"):
        import_file(root, renamed, reviewer="bob")
    assert _raters(root) == sorted([(items[0], "billing", "alice"),
                                    (items[1], "technical", "alice"), ("t4", "billing", "alice")])
    # a copy of his own, where he agrees with her on every row, goes in when he says so
    copy = filled_csv(tmp_path / "bob" / "queue.csv", bob, run_dir)
    assert import_file(root, copy, reviewer="bob", independent=True).added == 3
    # a copy that disagrees on one row is plainly its reviewer's own
    filled_csv(copy, [(items[0], "technical"), (items[1], "technical")], run_dir)
    assert import_file(root, copy, reviewer="carol").added == 2
