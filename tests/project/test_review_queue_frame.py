"""``result.review_queue()``: the run's review queue as a DataFrame, read from the queue
the run wrote (review.jsonl, made by the code that writes review.csv), in queue order,
ready to fill in and import."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright import run_project
from labelwright.review.imports.file import import_file
from ticket_data import TICKETS

LABELS = ["billing", "technical"]


@pytest.fixture
def result(make_project):
    # items no LF votes on, and one with a vote for each label, are queued
    more = [{"id": f"u{k}", "text": text, "plan": "free", "gold": ""} for k, text in
            enumerate(["hello there", "refund? the app crashes", "nothing to add", "ok"])]
    return run_project(make_project(rows=[*TICKETS, *more], extra="random_sample = 2\n"),
                       report=False)


def test_the_queue_is_review_csvs_rows_in_queue_order(result):
    queue = result.review_queue()
    order = [result.dataset.ids[i] for i in result.triage.order]
    assert len(order) > 2
    assert queue["id"].tolist() == order and queue["rank"].tolist() == list(
        range(1, len(order) + 1))
    assert list(queue.columns[:7]) == ["id", "run_id", "rank", "text", "suggested_label",
                                       "review_label", "note"]
    sheet = pd.read_csv(result.run_dir / "review.csv", dtype=str, keep_default_na=False)
    assert sheet["id"].tolist() == queue["id"].tolist()
    assert sheet["text"].tolist() == queue["text"].tolist()
    assert sheet["suggested_label"].tolist() == queue["suggested_label"].fillna("").tolist()
    for label in LABELS:
        assert sheet[f"prob_{label}"].astype(float).tolist() == pytest.approx(
            queue[f"prob_{label}"].tolist())
    assert (queue["run_id"] == result.run_id).all()
    assert queue["reasons"].map(lambda r: isinstance(r, list) and len(r) > 0).all()
    assert queue["review_label"].isna().all()
    # why each item is queued, as the sheet says it: nothing of the records dropped
    assert queue["why"].tolist() == sheet["why"].tolist()
    assert queue["vote_pattern"].tolist() == sheet["pattern"].tolist()


def test_the_sample_is_the_runs_random_sample(result):
    sample = result.review_queue(sample=True)
    drawn = pd.read_csv(result.run_dir / "sample.csv", dtype=str)["id"].tolist()
    assert sample["id"].tolist() == drawn and len(drawn) == 2
    assert (sample["export"] == "sample").all()


def test_a_filled_queue_imports_as_written(result, tmp_path):
    queue = result.review_queue()
    assert len(queue) > 1
    queue["review_label"] = "billing"
    path = tmp_path / "done.csv"
    queue[["id", "run_id", "review_label"]].to_csv(path, index=False)
    report = import_file(result.project.config.root, path, reviewer="ana")
    assert report.added == len(queue)
