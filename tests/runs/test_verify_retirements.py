"""``runs verify`` names the retirement records that changed since a run honoured them
(from the copy the run keeps in its ``reviews.json``), and ``runs verify``, ``explain`` and
``train`` read the ledger's retirement records once each."""

from __future__ import annotations

import json
import sqlite3

import pytest

import labelwright
from labelwright.review.decisions import retirements
from labelwright.runs.verify.retirements import changed_records
from retired_runs import retired_project


@pytest.fixture
def retired(make_project):
    return retired_project(make_project)


def _sql(root, *statements):
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        for statement in statements:
            conn.execute(statement)


def test_a_run_keeps_the_records_it_honoured(retired):
    root, before, after = retired
    kept = json.loads((root / "runs" / after.run_id / "reviews.json").read_text())
    assert [(r["item_id"], r["reason"], r["action"]) for r in kept["retirements"]] == [
        ("t6", "misread the guidelines", "retire"), ("gone1", "row deleted", "retire")]
    # a run that honoured none keeps its reviews.json as before
    assert "retirements" not in json.loads(
        (root / "runs" / before.run_id / "reviews.json").read_text())


def test_verify_names_the_record_whose_reason_was_edited(retired, cli):
    root, before, after = retired
    _sql(root, "DROP TRIGGER retirements_no_update",
         "UPDATE retirements SET reason = 'other' WHERE item_id = 't6'")
    code, out = cli("runs", "verify", after.run_id, "-p", str(root))
    assert code == 1, out
    assert ("are not the ones it honoured (edited or replaced since; the ledger only ever "
            "appends); by the run's reviews.json: record 1 (item 't6' by ana: retired ") in out
    assert "by lead: misread the guidelines): its reason is now 'other'" in out
    assert "gone1" not in out  # the record left as it was is not named


def test_verify_names_a_deleted_record(retired):
    root, before, after = retired
    _sql(root, "DROP TRIGGER retirements_no_delete",
         "DELETE FROM retirements WHERE item_id = 't6'")
    (check,) = labelwright.verify_runs(root, after.run_id)
    (problem,) = [p for p in check.problems if "retirement records" in p.message]
    assert "holds 1 retirement records, fewer than the 2 the run honoured" in problem.message
    assert ("record 1 (item 't6' by ana: retired " in problem.message
            and "by lead: misread the guidelines): gone from the ledger" in problem.message)


def test_a_record_added_among_those_honoured_is_named_and_later_ones_are_not() -> None:
    def record(item, reason="r"):
        return retirements.Retirement("retire", 1, item, "ana", "lead", "2026-12-05", reason,
                                      "--item")
    then = [record("a"), record("b")]
    now = [record("a"), record("x", "slipped in"), record("b"), record("later")]
    assert changed_records(then, now) == [
        "record 2 (item 'x' by ana: retired 2026-12-05 by lead: slipped in): not one the "
        "run honoured, yet among the records before its last"]
    assert changed_records(then, [*then, record("later")]) == []


def test_a_run_from_before_the_copy_says_the_record_cannot_be_named(retired):
    root, before, after = retired
    path = root / "runs" / after.run_id / "reviews.json"
    kept = json.loads(path.read_text())
    del kept["retirements"]
    path.write_text(json.dumps(kept))  # (reviews.json's own hash is then a problem too)
    _sql(root, "DROP TRIGGER retirements_no_update",
         "UPDATE retirements SET reason = 'other' WHERE item_id = 't6'")
    (check,) = labelwright.verify_runs(root, after.run_id)
    assert any("so which record changed cannot be named" in p.message for p in check.problems)


@pytest.fixture
def table_reads(monkeypatch):
    """How many times the ledger's retirements table is read (every read goes through
    ``retirements._rows``)."""
    reads = []
    rows = retirements._rows

    def counted(conn):
        reads.append(1)
        return rows(conn)
    monkeypatch.setattr(retirements, "_rows", counted)
    return reads


def test_verify_explain_and_train_read_the_retirements_once(retired, table_reads):
    root, before, after = retired
    labelwright.train_run(root)  # so that verify checks train's files (and its records)
    table_reads.clear()
    checks = labelwright.verify_runs(root, every=True)
    assert all(c.ok for c in checks), [c.problems for c in checks]
    assert len(table_reads) == 1  # three runs, one with train's files: one read
    table_reads.clear()
    labelwright.explain_item(root, "t6")
    assert len(table_reads) == 1
    table_reads.clear()
    labelwright.train_run(root, before.run_id)  # a run made before: what changed since too
    assert len(table_reads) == 1


def test_verify_digests_the_records_a_run_honoured_once(retired, monkeypatch):
    """The decisions a run used are those its records leave unretired: working them out
    digested the records a second time, after the check of the digest."""
    root, before, after = retired
    digests = []
    real = retirements.retirements_digest
    monkeypatch.setattr(retirements, "retirements_digest",
                        lambda records: digests.append(len(records)) or real(records))
    checks = labelwright.verify_runs(root, every=True)
    assert all(c.ok for c in checks), [c.problems for c in checks]
    assert [c.ledger_retirements for c in checks] == [0, 0, 2]
    assert digests == [2]  # the run that honoured two records; the others none


def test_a_changed_record_and_a_mistyped_count_are_told_apart_by_kind(retired):
    root, before, after = retired
    ledger = root / "reviews.sqlite"
    reviews = json.loads((root / "runs" / after.run_id / "manifest.json").read_text())["reviews"]
    records = retirements.read_retirements(ledger)
    assert retirements.recorded_change(ledger, reviews, records=records) is None
    mistyped = retirements.recorded_change(ledger, {**reviews, "retirements": "2"})
    assert mistyped is not None and not mistyped.in_ledger
    assert mistyped.message.startswith("reviews.retirements is '2'")
    changed = retirements.recorded_change(ledger, reviews, records=records[:1])
    assert changed is not None and changed.in_ledger
    assert changed.message == retirements.recorded_changes(ledger, reviews, records=records[:1])
    assert "holds 1 retirement records, fewer than the 2 the run honoured" in changed.message


def test_what_a_reader_honoured_counts_the_records_it_holds(retired):
    root, before, after = retired
    records = retirements.read_retirements(root / "reviews.sqlite")
    honoured = retirements.Honoured(tuple(records), "abc", 2)
    assert honoured.records == 2
    assert honoured.manifest() == {"retirements": 2, "retirements_sha256": "abc",
                                   "decisions_retired": 2}
    assert retirements.Honoured().manifest() == {}
