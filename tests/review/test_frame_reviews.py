"""Reviews of a run on a pandas DataFrame (``run_project(path, data=df)``) in a project
whose ``[data] path`` holds no file: imported, counted by ``review_stats`` and checked,
with the frame given again (``data=df``) or, for the import, from the run's records."""

from __future__ import annotations

import pandas as pd
import pytest

import labelwright
from labelwright.errors import ReviewError, RunError
from labelwright.review import import_file, review_stats
from review_csv import fill_review_csv
from ticket_data import TICKETS


def _frame_run(make_project, tmp_path):
    """A project without its data file, run on a frame; the frame, the run and a filled
    review CSV of its queue."""
    root = make_project()
    (root / "data" / "items.csv").unlink()  # a notebook's project: the data is the frame
    frame = pd.DataFrame(TICKETS)
    frame.loc[:2, "gold"] = None  # items to review
    result = labelwright.run_project(root, data=frame, report=False)
    (exported,) = labelwright.review.export_run(result.run_dir, "csv")
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    return root, frame, result, rows


def test_reviews_of_a_frame_run_import_without_the_frame(make_project, tmp_path):
    root, frame, result, rows = _frame_run(make_project, tmp_path)
    report = import_file(root, tmp_path / "done.csv", reviewer="ana")
    assert report.added == len(rows) > 0
    assert any(result.run_id in note and "data=df" in note for note in report.notes)


def test_reviews_of_a_frame_run_import_with_the_frame(make_project, tmp_path):
    root, frame, _, rows = _frame_run(make_project, tmp_path)
    report = import_file(root, tmp_path / "done.csv", reviewer="ana", data=frame)
    assert report.added == len(rows) > 0
    assert not report.notes
    with pytest.raises(TypeError, match="import_file: data is a list; give a dataset file's"):
        import_file(root, tmp_path / "done.csv", reviewer="ana", data=TICKETS)


def test_an_item_the_frame_run_did_not_label_is_a_bad_row(make_project, tmp_path):
    root, _, _, rows = _frame_run(make_project, tmp_path)
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{**rows[0], "id": "nope"}]).to_csv(bad, index=False)
    with pytest.raises(ReviewError, match="unknown item id 'nope'"):
        import_file(root, bad, reviewer="ana")


def test_review_stats_of_a_frame_run_read_the_frame_given_again(make_project, tmp_path):
    root, frame, result, rows = _frame_run(make_project, tmp_path)
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    with pytest.raises(RunError, match=r"read its items from a pandas DataFrame.*"
                                       r"review_stats\(path, run, data=df\)"):
        review_stats(root)
    stats = review_stats(root, data=frame)
    assert stats.run_id == result.run_id and stats.items_reviewed == len(rows)
    with pytest.raises(RunError, match="is not the one run"):
        review_stats(root, data=frame.assign(text=frame["text"].str.upper()))


def test_check_project_reads_a_frame(make_project):
    root = make_project()
    (root / "data" / "items.csv").unlink()
    frame = pd.DataFrame(TICKETS)
    report = labelwright.check_project(root, data=frame)
    assert report.ok, report.problems
    assert report.n_items == len(frame)
    assert not labelwright.check_project(root).ok  # the file it names is not there
