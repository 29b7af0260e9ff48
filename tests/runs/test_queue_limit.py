"""``[review] queue_limit`` / ``labelwright run --queue-limit``: a run writes only the head
of its review queue (and its audit items) to ``review.csv`` / ``.jsonl``, while
``labels.parquet``'s ``queue_rank`` ranks the whole queue and ``review export`` says what
the files left out (:mod:`labelwright.runs.queue_files`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from labelwright.config import load_config
from labelwright.errors import ConfigError, SettingError
from labelwright.project import run_project
from labelwright.review.queue.export import export_review
from labelwright.runs.queue_files import written_queue


def _rows() -> list[dict[str, str]]:
    """Forty items: most voted on by one LF or none (queued), some by two that agree."""
    texts = ["Please refund order %d", "The app crashes on start %d", "hello there %d",
             "refund, and the app crashes %d", "invoice refund charged twice %d"]
    return [{"id": f"t{i}", "text": texts[i % 5] % i, "gold": ""} for i in range(40)]


def _limited(make_project, limit: str = "") -> Path:
    extra = "audit_size = 2\n" + (f"\n[review]\nqueue_limit = {limit}\n" if limit else "")
    # make_project writes audit_size = 1 first: the later key would be a duplicate
    root = make_project(rows=_rows(), gold=None, extra="")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace("audit_size = 1\n", extra), "utf-8")
    return root


def _jsonl(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in
            (run_dir / "review.jsonl").read_text("utf-8").splitlines() if line]


def test_the_limit_keeps_the_head_and_the_audit_and_queue_rank_ranks_all(make_project):
    root = _limited(make_project, "3")
    result = run_project(root, report=False)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    queued = labels[labels["status"] == "review"]
    assert len(queued) > 5  # enough that a limit of 3 leaves items out
    # the whole queue ranked 1..n, nothing else ranked
    assert sorted(queued["queue_rank"].tolist()) == list(range(1, len(queued) + 1))
    assert labels.loc[labels["status"] != "review", "queue_rank"].isna().all()
    records = _jsonl(result.run_dir)
    audit = queued[queued["reasons"].str.contains("audit")]
    assert len(audit) == 2
    # the first three of the queue, then the audit items, each at its own rank
    head = queued.sort_values("queue_rank")["id"].tolist()[:3]
    assert [r["id"] for r in records] == head + audit.sort_values("queue_rank")["id"].tolist()
    rank_of = dict(zip(queued["id"], queued["queue_rank"]))
    assert all(r["rank"] == rank_of[r["id"]] for r in records)
    csv_ids = pd.read_csv(result.run_dir / "review.csv")["id"].tolist()
    assert csv_ids == [r["id"] for r in records]
    manifest = json.loads((result.run_dir / "manifest.json").read_text("utf-8"))
    record = manifest["triage"]["queue_files"]
    assert record == {"queued": len(queued), "written": 5, "head": 3, "audit_after_head": 2,
                      "limit": 3, "limit_from": "[review] queue_limit"}


def test_without_a_limit_every_queued_item_is_written_in_queue_order(make_project):
    root = _limited(make_project)
    result = run_project(root, report=False)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    queued = labels[labels["status"] == "review"].sort_values("queue_rank")
    assert [r["id"] for r in _jsonl(result.run_dir)] == queued["id"].tolist()
    record = json.loads((result.run_dir / "manifest.json").read_text("utf-8"))["triage"]
    assert record["queue_files"]["written"] == len(queued)
    assert record["queue_files"]["limit"] is None
    exported = export_review(result.run_dir, "jsonl")
    assert exported.exported == len(queued) and exported.unwritten is None


def test_the_run_option_overrides_the_setting_and_the_export_says_what_is_missing(
        make_project):
    root = _limited(make_project, "10")
    result = run_project(root, report=False, queue_limit=0)
    records = _jsonl(result.run_dir)
    assert [r["reasons"] for r in records] == [["audit"], ["audit"]]  # the audit alone
    manifest = json.loads((result.run_dir / "manifest.json").read_text("utf-8"))
    # given to run_project: its argument, not the CLI's option, is named
    assert manifest["triage"]["queue_files"]["limit_from"] == "queue_limit="
    queued = manifest["triage"]["counts"]["review"]
    exported = export_review(result.run_dir, "csv")
    assert exported.exported == 2
    assert exported.unwritten is not None
    assert f"the {queued - 2} past them cannot be exported" in exported.unwritten
    assert "queue_rank" in exported.unwritten and "(queue_limit=0)" in exported.unwritten
    # the Python queue is the same head, and says so rather than passing it off as whole
    with pytest.warns(UserWarning, match=f"the {queued - 2} past them"):
        frame = result.review_queue()
    assert len(frame) == 2 and "queue_rank" in frame.attrs["limited"]
    # an export within what was written is whole: nothing to say
    assert export_review(result.run_dir, "csv", budget=1, force=True).unwritten is None
    # ... and so is one asking for exactly what was written (it said the rest was missing)
    assert export_review(result.run_dir, "csv", budget=2, force=True).unwritten is None
    # what to run instead: the whole queue, in both spellings (the note is read where the
    # export ran, not where the run did), the model reuse too: the CLI flag alone was
    # given beside a Python call
    assert (f"`labelwright run --queue-limit {queued}` (`run_project(queue_limit={queued})` "
            "from Python)") in exported.unwritten
    assert (f"--label-model-from {result.run_id} (label_model_from='{result.run_id}' from "
            "Python)") in exported.unwritten
    assert "text, fields and glossary matches" in exported.unwritten


def test_the_cli_option_limits_the_files(make_project, cli):
    root = _limited(make_project)
    code, out = cli("run", "-p", str(root), "--no-report", "--queue-limit", "1")
    assert code == 0, out
    latest = (root / "runs" / "LATEST").read_text("utf-8").strip()
    assert len(_jsonl(root / "runs" / latest)) == 3  # the first item, the two audited
    assert "review files: the first 1 of " in out
    assert "queued items and 2 audit items past them (--queue-limit = 1)" in out
    manifest = json.loads((root / "runs" / latest / "manifest.json").read_text("utf-8"))
    assert manifest["triage"]["queue_files"]["limit_from"] == "--queue-limit"
    code, out = cli("review", "export", "-p", str(root), "--format", "jsonl")
    assert code == 0, out
    assert "wrote the first 1 of its" in out and "--queue-limit = 1" in out


@pytest.mark.parametrize("value", ["-1", "true", '"10"', "2.5"])
def test_a_bad_limit_names_the_setting(make_project, value):
    root = _limited(make_project, value)
    with pytest.raises((SettingError, ConfigError)) as caught:
        load_config(root)
    assert "[review] queue_limit" in str(caught.value)


def test_a_negative_run_option_is_refused(make_project):
    root = _limited(make_project)
    with pytest.raises(ConfigError, match="queue_limit=-1"):
        run_project(root, report=False, queue_limit=-1)


def test_written_queue_keeps_audit_items_past_the_head_only():
    import numpy as np

    order = np.array([4, 2, 0, 1, 3])  # reasons by item: 0 and 3 audited, 1 past the head
    reasons = [("audit",), ("conflict",), ("conflict",), ("audit",), ("uncovered",)]
    head, after = written_queue(order, reasons, 2)
    assert head.tolist() == [4, 2] and after.tolist() == [0, 3]
    head, after = written_queue(order, reasons, None)
    assert head.tolist() == order.tolist() and after.size == 0
    head, after = written_queue(order, reasons, 9)
    assert head.tolist() == order.tolist() and after.size == 0


def test_a_fraction_budget_is_of_the_whole_queue_not_of_the_written_records(make_project,
                                                                           cli):
    root = _limited(make_project, "3")
    result = run_project(root, report=False)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    queued = labels[labels["queue_rank"].notna()]
    assert len(queued) > 10  # 10% of the queue is more than one record, of the 5 written one
    # 10% of the whole queue, rounded up; no more than the 5 records written
    wanted = -(-len(queued) // 10)
    exported = export_review(result.run_dir, "jsonl", budget=0.1)
    assert exported.whole_queued == len(queued)
    assert exported.exported == min(wanted, 5)
    assert (exported.unwritten is not None) == (wanted > 5)
    # half of the whole queue asks for more than was written: all 5, and the warning
    half = export_review(result.run_dir, "jsonl", budget=0.5, force=True)
    assert half.exported == 5 and half.unwritten is not None
    # the limit that would have written the half asked for: its last item's rank
    assert f"labelwright run --queue-limit {-(-len(queued) // 2)}`" in half.unwritten
    assert f"--label-model-from {result.run_id}" in half.unwritten
    # with a reason: a fraction of the whole queue's items of that reason
    audit = export_review(result.run_dir, "jsonl", budget=0.5, reasons=["audit"], force=True)
    assert audit.whole_queued == int(queued["reasons"].str.contains("audit").sum()) == 2
    assert audit.exported == 1 and audit.unwritten is None
    # with a reason the head holds few of: the limit that reaches its last item
    reasons = queued["reasons"].str.split(";").explode()
    common = reasons[reasons != "audit"].value_counts().index[0]
    ranks = queued.loc[queued["reasons"].str.split(";").map(lambda r: common in r),
                       "queue_rank"]
    some = export_review(result.run_dir, "jsonl", reasons=[common], force=True)
    assert some.whole_queued == len(ranks) > some.exported
    assert f"--queue-limit {int(ranks.max())}`" in (some.unwritten or ""), some.unwritten
    code, out = cli("review", "export", "-p", str(root), "--format", "jsonl", "--budget",
                    "50%", "--force")
    assert code == 0, out
    assert f"5 of 5 queued items written (of {len(queued)} queued) from run" in out


def test_runs_diff_reads_only_the_limit_of_the_queue_files_record_as_a_setting():
    """The record counts the queue (queued, written, head): outcomes; a run with another
    queue had been listed as a changed setting."""
    from labelwright.runs.diff.settings import setting_changes

    def manifest(queued: int, limit: int | None) -> dict:
        return {"triage": {"threshold": 0.7, "queue_files": {
            "queued": queued, "written": min(queued, limit or queued), "head": queued,
            "audit_after_head": 0, "limit": limit, "limit_from": None}}}

    assert setting_changes(manifest(5, None), manifest(9, None)) == {}
    assert setting_changes(manifest(5, None), manifest(5, 3)) == {
        "review queue_limit": (None, 3)}


def test_the_run_line_writes_every_count_with_thousands_separators():
    from labelwright.runs.queue_files import queue_files_line

    line = queue_files_line({"queue_files": {
        "queued": 20_000, "written": 1_205, "head": 5, "audit_after_head": 1_200, "limit": 5,
        "limit_from": "--queue-limit"}})
    assert line is not None and "of 20,000 queued items and 1,200 audit items" in line
