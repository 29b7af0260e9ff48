"""Aggregates read from a run folder: pairwise votes, calibration, changes, reviews."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from report_runs import LABELS, XSS_IMG, XSS_SCRIPT, make_run

from labelwright.errors import RunError
from labelwright.report.changes import compare_runs
from labelwright.report.data import (
    expected_calibration_error,
    load_run,
    pairwise_votes,
    reliability_table,
)
from labelwright.report.reviews import read_reviews, review_stats
from labelwright.runs.run_folders import run_before as previous_run


def test_pairwise_votes_counts_co_votes_and_agreements():
    votes = np.array([[0, 0, -1], [0, 1, 1], [-1, 1, 1], [1, -1, 0]], dtype=np.int8)
    co, agree = pairwise_votes(votes, 2)
    assert co.tolist() == [[3, 2, 2], [2, 3, 2], [2, 2, 3]]
    assert agree.tolist() == [[3, 1, 0], [1, 3, 2], [0, 2, 3]]


def test_pairwise_votes_are_exact_counts_at_any_size(monkeypatch):
    """Counted on bit-packed columns: the same as counting pair by pair, with or without
    numpy's bitwise_count, and exact past 2**24 items, where a float32 sum rounds."""
    import labelwright.report.data as data

    rng = np.random.default_rng(0)
    votes = rng.integers(-1, 3, size=(1003, 6)).astype(np.int8)
    expected_co = [[int(((votes[:, i] >= 0) & (votes[:, j] >= 0)).sum()) for j in range(6)]
                   for i in range(6)]
    expected_agree = [[int(((votes[:, i] == votes[:, j]) & (votes[:, i] >= 0)).sum())
                       for j in range(6)] for i in range(6)]
    co, agree = pairwise_votes(votes, 3)
    assert co.tolist() == expected_co and agree.tolist() == expected_agree
    monkeypatch.delattr(np, "bitwise_count", raising=False)
    assert [a.tolist() for a in data.pairwise_votes(votes, 3)] == [expected_co, expected_agree]
    monkeypatch.undo()
    n = 2**24 + 3  # not a float32
    co, agree = pairwise_votes(np.zeros((n, 1), dtype=np.int8), 1)
    assert co.tolist() == [[n]] and agree.tolist() == [[n]]


def test_reliability_table_bins_and_ece():
    confidence = np.array([0.55, 0.58, 0.95, 0.96, 0.97, 0.99])
    correct = np.array([True, False, True, True, True, False])
    table = reliability_table(confidence, correct, bins=10)
    assert table["items"].tolist() == [2, 4]
    assert table["accuracy"].tolist() == [0.5, 0.75]
    expected = (2 * abs(0.5 - 0.565) + 4 * abs(0.75 - 0.9675)) / 6
    assert expected_calibration_error(table) == pytest.approx(expected)


def test_load_run_reads_every_aggregate(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=200)
    data = load_run(run_dir)
    frame = pd.read_parquet(run_dir / "labels.parquet")
    assert data.n_items == 200
    assert sum(data.predicted.values()) == 200
    assert data.predicted["(none)"] == int(frame["label"].isna().sum())
    assert data.gold is not None and sum(data.gold.values()) == int(frame["gold"].notna().sum())
    assert {k: int(v.sum()) for k, v in data.confidence_hist.items()} == {
        label: int((frame["label"] == label).sum()) for label in LABELS}
    assert data.reliability is not None and data.reliability["items"].sum() > 0
    assert data.reasons["conflict"] == int(frame["reasons"].str.contains("conflict").sum())
    assert "learned_accuracy" in data.lf_table.columns
    assert 0 < len(data.conflict_examples) <= 20
    assert all("conflict" in r["reasons"] for r in data.conflict_examples)
    assert {XSS_SCRIPT, XSS_IMG} <= {r["text"] for r in data.conflict_examples}
    confidences = [r["confidence"] for r in data.low_confidence_examples]
    assert confidences == sorted(confidences)
    assert data.glossary_hits is not None and len(data.glossary_hits) == 4


def test_load_run_without_gold_or_glossary_hits(tmp_path):
    run_dir = make_run(tmp_path / "runs", "r1", gold=False, glossary_hits=False)
    data = load_run(run_dir)
    assert data.gold is None and data.reliability is None and data.glossary_hits is None


def test_examples_are_capped(tmp_path):
    run_dir = make_run(tmp_path / "runs", "r1", n=2000)
    data = load_run(run_dir, examples=3)
    assert len(data.conflict_examples) == 3 and len(data.low_confidence_examples) == 3


def test_missing_manifest_is_a_run_error(tmp_path):
    with pytest.raises(RunError, match="manifest.json"):
        load_run(tmp_path)


def test_changes_since_previous_run(run_pair):
    first, second = run_pair
    assert previous_run(second, second.name) == first
    assert previous_run(first, first.name) is None
    changes = compare_runs(second, json.loads((second / "manifest.json").read_text()))
    assert changes is not None and changes.run_a == first.name
    lfs = changes.lfs
    assert (lfs.added, lfs.edited, lfs.removed) == ([], ["lf_2"], ["lf_5"])
    before = pd.read_parquet(first / "labels.parquet").set_index("id")["label"].fillna("-")
    after = pd.read_parquet(second / "labels.parquet").set_index("id")["label"].fillna("-")
    assert changes.flipped == int((before != after).sum()) > 0
    assert sum(changes.transitions.values()) == changes.flipped
    assert len(changes.examples) == 20


def test_staging_folder_compares_with_latest_finished_run(run_pair):
    first, second = run_pair
    staging = second.parent / ".20261128-050000-000000.partial"
    second.rename(staging)
    manifest = json.loads((staging / "manifest.json").read_text())
    manifest["run_id"] = "20261128-050000-000000"
    changes = compare_runs(staging, manifest)
    assert changes is not None and changes.run_a == first.name


def test_a_previous_run_still_being_written_is_not_stepped_over(run_pair):
    """Two runs at once: the later one's report said "This is the first run in this runs/
    folder" (or compared with an older run), as the earlier one was not in place yet."""
    first, second = run_pair
    between = "20261128-035959-000000"
    assert first.name < between < second.name
    staging = second.parent / f".{between}.partial"
    staging.mkdir()  # no owner file yet, and new: a run being written
    with pytest.raises(RunError, match=f"run {between}, the run before this one, was still "
                                       "being written"):
        previous_run(second, second.name)
    assert previous_run(first, first.name) is None  # a later run being written is no matter
    staging.rmdir()
    assert previous_run(second, second.name) == first


def test_review_stats(run_pair):
    stats = review_stats(run_pair[1])
    assert stats is not None
    assert (stats.reviews, stats.items, stats.multi_reviewed) == (4, 2, 2)
    assert stats.reviewers == {"ana": 2, "ben": 2}
    assert stats.pair_agreement == 0.5
    assert stats.model_agreement["all"][1] == 4
    assert review_stats(run_pair[0]) is None


def test_malformed_reviews_name_the_file_and_record(tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps({"reviews": [{"id": "a", "label": "x"}, {"reviewer": "ana"}]}))
    with pytest.raises(RunError, match=r"reviews.json: review #2 needs an \"id\""):
        read_reviews(path)


def test_labels_and_names_that_look_like_numbers_stay_text(tmp_path):
    """Polarity "007" showed as 7.0 and an LF that never voted as nan; a glossary's label
    "007" as 7."""
    from labelwright.report.data import _glossary_hits, _lf_table

    (tmp_path / "lf_summary.csv").write_text(
        "lf,polarity,coverage,kind,emp_accuracy\n"
        "007,007,0.5,python,\n"
        "both,\"0, 1\",0.2,python,0.75\n"
        "never,,0.0,python,\n")
    (tmp_path / "glossary_hits.csv").write_text(
        "glossary,term,label,hits,cancelled\nagents,bond,007,3,0\n")
    learned = {"label_model": {"lf_accuracies": {"007": 0.9, "both": 0.8, "never": 0.7}}}
    table = _lf_table(tmp_path, learned, [])
    assert table["lf"].tolist() == ["007", "both", "never"]
    # "never" never voted: 0.7 is the model's prior for it, nothing learned
    assert table["learned_accuracy"].tolist()[:2] == [0.9, 0.8]
    assert np.isnan(table["learned_accuracy"].iloc[2])
    assert table["polarity"].tolist() == ["007", "0, 1", ""]
    assert table["emp_accuracy"].isna().tolist() == [True, False, True]
    assert _glossary_hits(tmp_path, [])["label"].tolist() == ["007"]


def test_examples_are_read_past_the_queue_head(tmp_path):
    """After reviews the queue starts with the items a human decision left open (disputed,
    copies_disagree, stale): the conflict and low-confidence examples follow them, and
    reading goes on past them (it stopped at the first, and the report said the run had no
    conflicts); an item after the conflicts and low confidence ones still ends the read."""
    run_dir = make_run(tmp_path / "runs", "r1", n=400)
    queue = run_dir / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    before = load_run(run_dir, examples=5)
    head = [{**records[0], "id": f"head-{reason}", "reasons": [reason], "text": "kept apart"}
            for reason in ("disputed", "copies_disagree", "stale")]
    tail = [r for r in records if not {"conflict", "low_confidence"} & set(r["reasons"])]
    late = {**records[0], "id": "after-the-tail", "reasons": ["conflict"]}
    queue.write_text("".join(json.dumps(r) + "\n" for r in [*head, *records, late]),
                     encoding="utf-8")
    data = load_run(run_dir, examples=5)
    assert tail, "the queue has uncovered or audit items after the examples"
    assert [r["id"] for r in data.conflict_examples] == [
        r["id"] for r in before.conflict_examples]
    assert [r["id"] for r in data.low_confidence_examples] == [
        r["id"] for r in before.low_confidence_examples]
    assert len(data.conflict_examples) == 5 and len(data.low_confidence_examples) == 5
    every = load_run(run_dir, examples=len(records) + 10)
    assert "after-the-tail" not in {r["id"] for r in every.conflict_examples}
    assert not {"head-disputed", "head-stale"} & {r["id"] for r in every.conflict_examples}


@pytest.mark.parametrize("reason", ["against_votes", "unread"])
def test_examples_are_read_past_other_doubts(tmp_path, reason):
    """Triage ranks labels against the votes and unread votes with the conflicts and low
    confidence: an item of theirs ahead of a conflict in the queue ended the read, and the
    conflicts and low-confidence items after it were lost from the report."""
    run_dir = make_run(tmp_path / "runs", "r1", n=400)
    queue = run_dir / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    before = load_run(run_dir, examples=5)
    doubt = [{**records[0], "id": f"doubt-{i}", "reasons": [reason], "text": "kept apart"}
             for i in range(3)]
    queue.write_text("".join(json.dumps(r) + "\n" for r in [*doubt, *records]),
                     encoding="utf-8")
    data = load_run(run_dir, examples=5)
    assert len(before.conflict_examples) == 5 and len(before.low_confidence_examples) == 5
    assert [r["id"] for r in data.conflict_examples] == [
        r["id"] for r in before.conflict_examples]
    assert [r["id"] for r in data.low_confidence_examples] == [
        r["id"] for r in before.low_confidence_examples]
