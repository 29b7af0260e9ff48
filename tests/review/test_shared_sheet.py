"""One review CSV filled in by two reviewers in turn: the first one's rows are not the
second one's decisions."""

from __future__ import annotations

import csv

import pytest

from labelwright.errors import ReviewError
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def filled_csv(path, rows, run_dir, *, columns=("id", "run_id", "text", "review_label")):
    """A review CSV of ``rows`` (item id, label; "" for a row not reviewed yet) with
    ``columns`` (of id, run_id, text, review_label and export)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for item_id, label in rows:
            values = {"id": item_id, "run_id": run_dir.name, "text": TEXT_OF[item_id],
                      "review_label": label, "export": "queue"}
            writer.writerow([values[c] for c in columns])
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
                                          r"decision\(s\) 'alice' imported .*--independent "
                                          r"\(independent=True from Python\)"
                       ) as refused:
        import_file(root, sheet, reviewer="bob")
    # it said "'bob''s rows": a quoted name with 's after it
    assert "''s" not in str(refused.value)
    assert ("would file the decisions of 'alice' as those of 'bob' too" in str(refused.value)
            and "holding only the rows of 'bob'" in str(refused.value))
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


def test_a_copy_stripped_to_a_few_columns_is_still_the_first_raters_sheet(
        reviewed_project, tmp_path):
    """A copy of the sheet with only id, run_id and review_label went in as a second rater
    in perfect agreement: without the export column its rows read as of no export kind."""
    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    alice = [("t1", "billing"), ("t2", "technical"), ("t3", "billing")]
    full = ("id", "run_id", "text", "review_label", "export")
    import_file(root, filled_csv(tmp_path / "queue.csv", alice, run_dir, columns=full),
                reviewer="alice")
    # and a one-row correction of hers later: the error names the sheet, not that
    import_file(root, filled_csv(tmp_path / "fix.csv", [("t4", "billing")], run_dir),
                reviewer="alice")
    stripped = filled_csv(tmp_path / "mine.csv", alice + [("t4", "billing")], run_dir,
                          columns=("id", "run_id", "review_label"))
    with pytest.raises(ReviewError, match=r"mine.csv: repeats, row for row, all 3 "
                                          r"decision\(s\) 'alice'"):
        import_file(root, stripped, reviewer="ned")


def test_a_sheet_that_repeats_a_correction_says_how_much_of_it_is_the_first_raters(
        reviewed_project, tmp_path):
    """Alice's sheet with one label changed repeats no import of hers whole, but her later
    one-row correction: the error named that one decision only."""
    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    alice = [("t1", "technical"), ("t2", "technical"), ("t3", "billing"), ("t4", "billing")]
    import_file(root, filled_csv(tmp_path / "queue.csv", alice, run_dir), reviewer="alice")
    corrected = [("t1", "billing")] + alice[1:]
    import_file(root, filled_csv(tmp_path / "fixed.csv", corrected, run_dir), reviewer="alice",
                relabel=True)
    gina = corrected[:3] + [("t4", "technical")]
    with pytest.raises(ReviewError, match=r"gina.csv: repeats, row for row, all 1 "
                                          r"decision\(s\) 'alice' imported from one file "
                                          r"\(3 of its 4 decisions repeat those of 'alice', at "
                                          r"the same rows\)"):
        import_file(root, filled_csv(tmp_path / "gina.csv", gina, run_dir), reviewer="gina")


def test_two_tools_files_with_the_same_answers_at_the_same_lines_are_two_raters(
        reviewed_project, tmp_path):
    """Alice answered in labelwright's JSONL, Bob in doccano: both files hold the export's
    items at lines 1 and 2, and Bob agreed with her. His file was refused as her sheet."""
    import json

    root, run = reviewed_project.root, reviewed_project.run_id

    def write(path, records):
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path

    answers = [("t6", "billing"), ("t5", "technical")]
    ours = write(tmp_path / "alice.jsonl", [
        {"id": item, "run_id": run, "text": TEXT_OF[item], "review_label": label}
        for item, label in answers])
    doccano = write(tmp_path / "bob.jsonl", [
        {"id": k, "text": TEXT_OF[item], "label": [label], "lw_id": item, "lw_run_id": run}
        for k, (item, label) in enumerate(answers)])
    import_file(root, ours, reviewer="alice", fmt="jsonl")
    assert import_file(root, doccano, reviewer="bob", fmt="doccano").added == 2
    assert _raters(root) == sorted([("t6", "billing", "alice"), ("t5", "technical", "alice"),
                                    ("t6", "billing", "bob"), ("t5", "technical", "bob")])
    # the same format at the same lines is still her sheet (other bytes: a field added)
    again = write(tmp_path / "carol.jsonl", [
        {"id": item, "run_id": run, "text": TEXT_OF[item], "review_label": label, "note": ""}
        for item, label in answers])
    with pytest.raises(ReviewError, match="repeats, row for row"):
        import_file(root, again, reviewer="carol", fmt="jsonl")
