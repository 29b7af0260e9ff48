"""A review file whose labels are the project's in another case (a tool's project made
with `Billing` for `billing`): the refusal names the spellings with their counts and the
`[project] renamed` entry that reads them; and with --skip-bad-rows, a file whose every
decision was such a row said only "no decision ... with the right --format", hiding why."""

from __future__ import annotations

import csv

import pytest

from labelwright.review.decisions import ledger
from labelwright.review.imports.file import ReviewError, import_file
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def _sheet(path, run_id, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "text", "review_label"])
        for item_id, label in rows:
            writer.writerow([item_id, run_id, TEXT_OF[item_id], label])
    return path


def test_labels_in_another_case_are_counted_with_the_setting_that_reads_them(
        reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = _sheet(tmp_path / "r.csv", run, [("t1", "Billing"), ("t2", "Billing"),
                                            ("t3", "TECHNICAL"), ("t4", "billing")])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    text = " ".join(str(info.value).split())
    assert ("labels in another case: 'Billing' for 'billing' (2 rows), 'TECHNICAL' for "
            "'technical' (1 row); if the review tool spells them so (its project was made "
            "with those names), `renamed = { Billing = \"billing\", TECHNICAL = "
            "\"technical\" }` under [project]") in text
    # the entry it names reads them
    config = reviewed_project.root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[project]\n", '[project]\nrenamed = { Billing = "billing", TECHNICAL = "technical" }\n',
        1), encoding="utf-8")
    assert import_file(reviewed_project.root, path, reviewer="dana").decisions == 4


def test_a_file_all_of_whose_decisions_are_bad_rows_names_them(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = _sheet(tmp_path / "r.csv", run, [("t1", "Billing"), ("t2", "Billing")])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana", skip_bad_rows=True)
    text = " ".join(str(info.value).split())
    assert "no decision in its 2 row(s) read as csv" in text
    assert "with the right --format" not in text
    assert ("its 2 bad row(s), skipped with --skip-bad-rows (skip_bad_rows=True from "
            "Python), held every decision:") in text
    assert f"{path}: line 2: unknown label 'Billing' for item 't1'" in text
    assert "labels in another case: 'Billing' for 'billing' (2 rows)" in text
    assert ledger.read_decisions(ledger.ledger_path(reviewed_project.root)) == []
