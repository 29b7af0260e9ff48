"""`runs verify` says what a changed labels.parquet (or label matrix) lost, gained or
moved, against the other file when that one is as the run wrote it: a changed file said
only its two hashes, and an auditor could not tell a deleted row from an edited value."""

from __future__ import annotations

import pandas as pd

import labelwright
from labelwright.project import run_project
from labelwright.scaffold import init_project


def _problems(root, run_id):
    (check,) = labelwright.verify_runs(root, run_id)
    return [str(f) for f in check.problems]


def _project(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    return root, run_project(root, report=False)


def test_a_deleted_row_is_named(tmp_path):
    root, run = _project(tmp_path)
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    gone = str(frame.loc[2, "id"])
    frame.drop(index=2).to_parquet(path, index=False)
    said = " ".join(_problems(root, run.run_id))
    assert "labels.parquet: changed since the run wrote it" in said, said
    assert ("against label_matrix.parquet, which is as the run wrote it: 1 item the run "
            f"labeled gone from it ({gone})") in said, said


def test_an_added_and_a_moved_row_are_named(tmp_path):
    root, run = _project(tmp_path)
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    extra = frame.iloc[[0]].assign(id="zz1")
    pd.concat([frame, extra]).to_parquet(path, index=False)
    said = " ".join(_problems(root, run.run_id))
    assert "1 item the run did not label in it (zz1)" in said, said
    frame.iloc[::-1].to_parquet(path, index=False)
    said = " ".join(_problems(root, run.run_id))
    assert "the run's items in another order" in said, said


def test_an_edited_value_names_the_row_that_contradicts_itself(tmp_path):
    root, run = _project(tmp_path)
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    row = frame.index[frame["label_source"] == "model"][0]
    frame.loc[row, "confidence"] = 0.123
    frame.to_parquet(path, index=False)
    said = " ".join(_problems(root, run.run_id))
    assert "the run's items in the run's order, so a value in some row was edited" in said
    assert f"1 row that contradicts itself: {str(frame.loc[row, 'id'])!r}: confidence" in said


def test_no_detail_when_both_files_changed(tmp_path):
    root, run = _project(tmp_path)
    for name in ("labels.parquet", "label_matrix.parquet"):
        path = run.run_dir / name
        pd.read_parquet(path).iloc[1:].to_parquet(path, index=False)
    said = " ".join(_problems(root, run.run_id))
    assert "label_matrix.parquet: changed since the run wrote it" in said, said
    assert "which is as the run wrote it" not in said, said
