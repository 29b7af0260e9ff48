"""A disputed item's export shows its adjudicator who chose what (``rater_labels``), in
every format with a place for it, and a blind export does not. ``review export --reason
disputed`` had no column for the raters' labels: the adjudicator saw the suggestion and
the LF votes, and had to run ``explain`` per item to learn what the raters had chosen."""

from __future__ import annotations

import csv
import json

import pytest

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from labelwright.review.queue.dispute_decisions import rater_labels_text
from labelwright.review.queue.export import export_review


def _split(root, run_id):
    """alice and bob split 1-1 on t1 and t2; both chose billing on t3."""
    for rater, labels in (("alice", {"t1": "billing", "t2": "technical", "t3": "billing"}),
                          ("bob", {"t1": "technical", "t2": "billing", "t3": "billing"})):
        ledger.append(ledger.ledger_path(root), [
            ledger.Decision(item, label, rater, "", "", "now", "f.csv", rater, f"row {k}",
                            run_id, "csv", "queue") for k, (item, label) in
            enumerate(labels.items())],
            sha256=rater, reviewer=rater, source_file="f.csv", fmt="csv", imported_at="now")


@pytest.fixture
def disputed(reviewed_project):
    root = reviewed_project.root
    _split(root, reviewed_project.run_id)
    return root, run_project(root, report=False)


def _read(path, fmt):
    text = path.read_text(encoding="utf-8")
    if fmt == "csv":
        return list(csv.DictReader(text.splitlines()))
    if fmt == "label-studio":
        return [task["data"] for task in json.loads(text)]
    rows = [json.loads(line) for line in text.splitlines()]
    return [row.get("meta", row) if fmt == "prodigy" else row for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "label-studio", "prodigy", "doccano",
                                 "argilla"])
def test_each_format_carries_the_raters_labels_of_a_disputed_item(disputed, tmp_path, fmt):
    root, run = disputed
    suffix = {"csv": ".csv", "label-studio": ".json"}.get(fmt, ".jsonl")
    exported = export_review(run.run_dir, fmt, tmp_path / f"out{suffix}",
                             reasons=["disputed"])
    records = _read(exported.files[0], fmt)
    ids = [r.get("id") or r.get("lw_id") for r in records]
    assert sorted(ids) == ["t1", "t2"]
    said = {i: r["rater_labels"] for i, r in zip(ids, records)}
    assert said == {"t1": "alice: billing; bob: technical",
                    "t2": "alice: technical; bob: billing"}
    if fmt == "csv":
        assert list(records[0])[-1] == "rater_labels"
    if fmt == "label-studio":
        config = exported.files[1].read_text(encoding="utf-8")
        assert "<Header value=\"Raters' labels: $rater_labels\"" in config
    if fmt == "argilla":
        settings = json.loads(exported.files[1].read_text(encoding="utf-8"))
        assert "rater_labels" in {m["name"] for m in settings["metadata"]}


def test_a_blind_export_and_items_not_disputed_carry_none(disputed, tmp_path):
    root, run = disputed
    blind = export_review(run.run_dir, "csv", tmp_path / "blind.csv", reasons=["disputed"],
                          blind=True)
    rows = _read(blind.files[0], "csv")
    assert len(rows) == 2 and "rater_labels" not in rows[0]
    whole = export_review(run.run_dir, "jsonl", tmp_path / "all.jsonl")
    records = _read(whole.files[0], "jsonl")
    assert {r["id"] for r in records if "rater_labels" in r} == {"t1", "t2"}
    # a sheet without a disputed item has no such column
    plain = export_review(run.run_dir, "csv", tmp_path / "plain.csv", reasons=["audit"])
    lines = plain.files[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("t6,")  # the audit item, not disputed
    assert lines[0].startswith("id,run_id,") and "rater_labels" not in lines[0]


def test_the_adjudicators_sheet_with_the_column_imports(disputed, tmp_path):
    root, run = disputed
    sheet = export_review(run.run_dir, "csv", tmp_path / "lead.csv",
                          reasons=["disputed"]).files[0]
    rows = _read(sheet, "csv")
    for row in rows:
        row["review_label"] = "billing"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert import_file(root, sheet, reviewer="lead").added == 2


def test_adjudicators_who_disagree_are_marked():
    assert rater_labels_text({"ben": "b", "ana": "a"}, {"lead": "a", "kim": "b"}) == (
        "ana: a; ben: b; kim (adjudicator): b; lead (adjudicator): a")
