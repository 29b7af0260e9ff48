"""A run that wrote only the head of its queue (``[review] queue_limit``): the team that
reviewed that head gets the queue's next items from the next run, as the export's note
says (nothing exports past the head of the run itself)."""

from __future__ import annotations

import json

import pandas as pd

from labelwright.project import run_project
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_review
from review_csv import fill_review_csv


def _rows() -> list[dict[str, str]]:
    texts = ["Please refund order %d", "The app crashes on start %d", "hello there %d",
             "refund, and the app crashes %d", "invoice refund charged twice %d"]
    return [{"id": f"t{i}", "text": texts[i % 5] % i, "gold": ""} for i in range(40)]


def _queue(run_dir) -> list[str]:
    labels = pd.read_parquet(run_dir / "labels.parquet")
    return labels[labels["queue_rank"].notna()].sort_values("queue_rank")["id"].tolist()


def test_the_next_run_writes_the_items_after_the_reviewed_head(make_project, tmp_path):
    root = make_project(rows=_rows(), gold=None)
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8") + "\n[review]\nqueue_limit = 3\n", "utf-8")
    first = run_project(root, report=False)
    exported = export_review(first.run_dir, "csv", tmp_path / "head.csv",
                             reasons=["conflict", "low_confidence", "uncovered"])
    assert exported.unwritten is not None
    assert "import its decisions and run again with the same limit" in exported.unwritten
    rows = fill_review_csv(exported.files[0], exported.files[0], None, "billing")
    head = [r["id"] for r in rows]
    assert head == _queue(first.run_dir)[:3]
    import_file(root, exported.files[0], reviewer="alice")

    second = run_project(root, report=False)
    asked = ["conflict", "low_confidence", "uncovered"]  # the audit items aside
    (records,) = export_review(second.run_dir, "jsonl", tmp_path / "n.jsonl",
                               reasons=asked).files
    following = [json.loads(line)["id"]
                 for line in records.read_text("utf-8").splitlines()]
    assert len(following) == 3 and not set(following) & set(head), (head, following)
    # they were past the first run's head: what it could not export
    assert set(following) <= set(_queue(first.run_dir)[3:])
