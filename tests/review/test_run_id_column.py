"""A decisions file made by hand, without the run_id column a run's review CSV has: the
error says what run_id is for and how to give it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from labelwright.review.imports.file import ReviewError, import_file


def test_a_csv_without_run_id_says_what_it_is_for_and_how_to_add_it(reviewed_project,
                                                                     tmp_path):
    """'missing column(s) run_id; import the review CSV a run wrote' left a notebook user
    with a frame of id and review_label not knowing what run_id is or where to get it."""
    path = tmp_path / "mine.csv"
    pd.DataFrame({"id": ["t6"], "review_label": ["billing"]}).to_csv(path, index=False)
    with pytest.raises(ReviewError) as raised:
        import_file(reviewed_project.root, path, reviewer="dana")
    said = str(raised.value)
    assert said.startswith(f"{path}: missing column(s) run_id; run_id names the run whose "
                           "items were reviewed"), said
    assert 'df["run_id"] = result.run_id' in said and "labelwright runs list" in said
    # given as it says, the same decision imports
    frame = pd.read_csv(path).assign(run_id=reviewed_project.run_id)
    frame.to_csv(path, index=False)
    assert import_file(reviewed_project.root, path, reviewer="dana").added == 1


def test_other_missing_columns_keep_the_plain_hint(reviewed_project, tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"id": ["t6"], "run_id": [reviewed_project.run_id],
                  "label": ["billing"]}).to_csv(path, index=False)
    with pytest.raises(ReviewError, match=r"missing column\(s\) review_label; import the "
                                          "review CSV a run wrote") as raised:
        import_file(reviewed_project.root, path, reviewer="dana", fmt="csv")
    assert "run_id names" not in str(raised.value)


def test_a_jsonl_row_without_run_id_says_how_to_give_it(reviewed_project, tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "t6", "review_label": "billing",
                                "suggested_label": ""}) + "\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"item 't6' has no run id: give the id of the run "
                                          r"whose items were reviewed \(run_id"):
        import_file(reviewed_project.root, path, reviewer="dana", fmt="jsonl")
