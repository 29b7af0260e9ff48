"""A run's own report is made from the labels table and label matrix it holds, not read
back from the files it has just written, and says the same as one made from the files."""

from __future__ import annotations

import numpy as np

import labelwright.report.data as report_data
from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.item_rows import rows_of
from ticket_data import TICKET_LFS

#: the tickets' two LFs, which tie on some tickets (broken at random), and one that raises
#: on a ticket
LFS = TICKET_LFS + '''

@labeling_function()
def question(item):
    if item.text.endswith(" on 13"):
        raise ValueError("cannot read this ticket")
    return "billing" if "question" in item.text.lower() else ABSTAIN
'''


def _tickets(n: int) -> list[dict[str, str]]:
    """Billing and technical tickets, gold on the first half; ties, unlabeled items and
    items of one text among them."""
    rows = []
    for i in range(n):
        gold = "billing" if i % 2 == 0 else "technical"
        text = ("Hello, question" if i % 7 == 3 else
                f"Refund button crashes the app ({i})" if i % 5 == 4 else
                f"Please refund order {i}" if gold == "billing" else f"The app crashes on {i}")
        rows.append({"id": f"i{i}", "text": text, "gold": gold if i < n // 2 else ""})
    return rows


def _random_ties(make_project, **kwargs):
    root = make_project(rows=_tickets(160), lfs={"tickets": LFS})
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('tie_break = "first"', 'tie_break = "random"'))
    return run_project(root, **kwargs)


def test_a_run_s_report_reads_neither_its_labels_nor_its_matrix_back(make_project,
                                                                     monkeypatch):
    """At a million items the report read labels.parquet and the label matrix back (every
    id a string once more) while the run held both: the run's peak. Reading them now fails
    the test, and the report is written all the same, from what the run holds."""
    def refused(*args, **kwargs):
        raise AssertionError("read back from the run's files")

    monkeypatch.setattr(report_data, "read_labels_table", refused)
    monkeypatch.setattr(report_data.LabelMatrix, "read_parquet", refused)
    result = _random_ties(make_project)
    page = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "labelwright report" in page
    assert "could not" not in page


def test_the_report_from_what_the_run_holds_is_the_one_from_its_files(make_project):
    """Byte for byte: the examples' tie-breaks, the failure's place, the gold figures and
    every count come out the same from the frame and matrix the run held."""
    result = _random_ties(make_project)
    written = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert 'class="chip tie"' in written  # examples' labels from a tie-break, marked
    assert "i13 (data/items.csv row 14)" in written  # the failed item placed in its file
    assert render_report(result.run_dir, changes=(None, None)) == written


def test_held_outputs_give_the_aggregates_the_files_give(make_project):
    result = _random_ties(make_project, report=False)
    held = report_data.HeldOutputs(result.labels, result.applied.matrix)
    from_files = report_data.load_run(result.run_dir)
    from_held = report_data.load_run(result.run_dir, held=held)
    for name in ("n_items", "predicted", "gold", "gold_given", "statuses", "reasons",
                 "items_by_reasons", "voted", "n_reviewed", "failure_places", "tie_note",
                 "vote_calibration", "conflict_examples", "low_confidence_examples"):
        assert getattr(from_held, name) == getattr(from_files, name), name
    assert from_held.confusion.equals(from_files.confusion)
    assert from_held.reliability.equals(from_files.reliability)
    assert from_held.class_reliability.equals(from_files.class_reliability)
    for name in ("co_votes", "agreements"):
        assert np.array_equal(getattr(from_held, name), getattr(from_files, name))
    assert all(np.array_equal(from_held.confidence_hist[k], from_files.confidence_hist[k])
               for k in from_files.confidence_hist)


def test_rows_of_finds_a_few_items_among_many():
    ids = [f"r{i}" for i in range(1000)]
    assert rows_of(ids, ["r999", "nope", "r0", "r999"]).tolist() == [999, -1, 0, 999]
    assert rows_of(["a", "b", "a"], ["a"]).tolist() == [0]  # its first
    assert rows_of(ids, []).tolist() == []
    assert rows_of(iter(ids), ["r5"]).tolist() == [5]


def test_the_vote_calibration_of_a_run_without_it_recorded_names_a_missing_item(
        make_project):
    """A run from before the manifest recorded the calibration per vote pattern: told
    from the matrix, found by id; a gold item the matrix lacks is named."""
    result = _random_ties(make_project, report=False)
    matrix = result.applied.matrix
    labels = result.labels.copy()
    gold_row = int(np.flatnonzero(labels["gold"].notna().to_numpy())[0])
    labels.loc[gold_row, "id"] = "not-in-the-matrix"
    manifest = (result.run_dir / "manifest.json").read_text(encoding="utf-8")
    (result.run_dir / "manifest.json").write_text(
        manifest.replace('"calibration_by_votes"', '"calibration_by_votes_old"'),
        encoding="utf-8")
    told = report_data.load_run(result.run_dir,
                                held=report_data.HeldOutputs(result.labels, matrix))
    assert told.vote_calibration is not None
    missing = report_data.load_run(result.run_dir,
                                   held=report_data.HeldOutputs(labels, matrix))
    assert missing.vote_calibration is None
    assert any("'not-in-the-matrix'" in note for note in missing.notes)

