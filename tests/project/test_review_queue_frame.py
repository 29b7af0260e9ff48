"""``result.review_queue()``: the run's review queue as a DataFrame, read from the queue
the run wrote (review.jsonl, made by the code that writes review.csv), in queue order,
ready to fill in and import."""

from __future__ import annotations

import json

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


SPREAD_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text else ABSTAIN


@labeling_function()
def invoice(item):
    return "billing" if "invoice" in item.text else ABSTAIN


@labeling_function()
def crash(item):
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def error(item):
    return "technical" if "error" in item.text else ABSTAIN
'''


@pytest.fixture
def patterned(make_project):
    """A queue whose doubtful items are two vote patterns, one per suggested label, the
    billing one twice as many, and some no LF votes on."""
    texts = ([("refund and invoice but the app crash {}", 8),
              ("error and crash, want a refund {}", 4), ("hello there {}", 3),
              ("refund please {}", 3), ("crash again {}", 3)])
    rows = [{"id": f"i{k}", "text": text.format(j), "gold": ""}
            for k, (text, j) in enumerate(((t, j) for t, n in texts for j in range(n)),
                                          start=1)]
    return run_project(make_project(rows=rows, lfs={"tickets": SPREAD_LFS}), report=False)


@pytest.mark.parametrize(("spread", "per_pattern"), [(True, None), (False, 2), (True, 2)])
def test_spread_and_per_pattern_give_the_items_review_export_writes(patterned, cli, tmp_path,
                                                                    spread, per_pattern):
    """A notebook's queue had neither: `review export --spread --per-pattern N` wrote
    items in an order, and a cut, that `review_queue()` could not give."""
    queue = patterned.review_queue(spread=spread, per_pattern=per_pattern)
    out = tmp_path / "export.jsonl"
    code, said = cli("review", "export", "--project", str(patterned.project.config.root),
                     "--format", "jsonl", "--out", str(out),
                     *(["--spread"] if spread else []),
                     *(["--per-pattern", str(per_pattern)] if per_pattern else []))
    assert code == 0, said
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert queue["id"].tolist() == [record["id"] for record in exported]
    assert queue["rank"].tolist() == [record["rank"] for record in exported]
    whole = patterned.review_queue()
    if spread:  # reordered here: not the queue's order, nor only its head
        assert queue["rank"].tolist() != sorted(queue["rank"])
    if per_pattern:
        held = len(whole) - len(queue)
        assert held > 0 and queue.attrs["held_back"] == held
        assert f"held back {held} items beyond --per-pattern" in said
        assert queue["vote_pattern"].value_counts().max() == per_pattern
    else:
        assert "held_back" not in queue.attrs and len(queue) == len(whole)


def test_spread_and_per_pattern_are_refused_for_the_sample(result):
    with pytest.raises(ValueError, match=r"^--spread \(spread=True from Python\).*random"):
        result.review_queue(sample=True, spread=True)
    with pytest.raises(ValueError, match=r"--per-pattern .*random sample"):
        result.review_queue(sample=True, per_pattern=2)
    with pytest.raises(ValueError, match=r"--per-pattern .* 1 or more, got 0"):
        result.review_queue(per_pattern=0)
