"""A rater's identity erased in the review ledger: renamed to a pseudonym everywhere the
ledger names it, on record in the ledger, so a digest a reader recorded before still holds
when, and only when, the record leads from it to the ledger's."""

from __future__ import annotations

import sqlite3

import pytest

from labelwright.review.decisions import ledger
from labelwright.review.decisions.ledger_digests import ledger_changes, ledger_digest
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.decisions.note_erasures import erase_notes
from labelwright.review.decisions.rater_erasures import (
    erase_rater,
    next_pseudonym,
    paired_names,
    read_rater_erasures,
)
from labelwright.review.decisions.rater_ids import remember


def _decided(path, reviewer, rows, sha, annotator=""):
    """Decisions ``(item, note)`` of ``reviewer`` imported as one file ``sha``."""
    ledger.append(path, [ledger.Decision(item, "billing", reviewer, annotator, "", "now",
                                         f"{sha}.csv", sha, f"row {k}", "r1", "csv",
                                         note=note)
                         for k, (item, note) in enumerate(rows)],
                  sha256=sha, reviewer=reviewer, source_file=f"{sha}.csv", fmt="csv",
                  imported_at="now")


def test_a_rater_renamed_everywhere_keeps_earlier_digests_and_an_edit_does_not(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _decided(path, "dana@example.com", [("t1", "rang"), ("t2", None)], "a")
    first = (2, ledger_digest(read_decisions(path)))
    _decided(path, "erin", [("t1", None)], "b", annotator="label-studio:dana@example.com")
    remember(path, {"label-studio:7": {"label-studio:dana@example.com"}}, sha256="b",
             imported_at="now")
    second = (3, ledger_digest(read_decisions(path)))
    names = {"dana@example.com", "label-studio:dana@example.com"}
    assert paired_names(path, names) == {"label-studio:7"}
    pseudonym = next_pseudonym(read_decisions(path))
    assert pseudonym == "erased-rater-1"
    # a note erasure before it: the chain goes through both records
    erase_notes(path, ["t1"], erased_at="2026-12-06T09:00:00+00:00", reviewer="lead",
                reason="request 1", counts={2, 3})
    record = erase_rater(path, names | {"label-studio:7"}, pseudonym,
                         erased_at="2026-12-06T10:00:00+00:00", reviewer="lead",
                         reason="request 2", counts={2, 3})
    assert record is not None and len(record.decisions) == 3
    assert [(d.reviewer, d.annotator) for d in read_decisions(path)] == [
        ("erased-rater-1", ""), ("erased-rater-1", ""), ("erin", "erased-rater-1")]
    assert b"dana@example.com" not in path.read_bytes()
    assert b"label-studio:7" not in path.read_bytes()
    assert [e.pseudonym for e in read_rater_erasures(path)] == ["erased-rater-1"]
    assert next_pseudonym(read_decisions(path)) == "erased-rater-2"
    assert ledger_changes(path, *first) is None and ledger_changes(path, *second) is None
    assert ledger_changes(path, *first, erased_at={"2026-12-06T09:00:00+00:00"}) is not None
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE decisions SET reviewer = 'x' WHERE item_id = 't2'")
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM rater_erasures")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET label = 'technical' WHERE item_id = 't2'")
    assert ledger_changes(path, *first) is not None


def test_a_rater_the_ledger_does_not_name_changes_nothing(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _decided(path, "erin", [("t1", None)], "a")
    before = path.read_bytes()
    assert erase_rater(path, {"dana"}, "erased-rater-1", erased_at="now", reviewer="lead",
                       reason="r", counts=()) is None
    assert read_rater_erasures(path) == [] and path.read_bytes() == before


def test_a_rename_by_hand_vouches_for_nothing(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _decided(path, "dana", [("t1", None)], "a")
    read = (1, ledger_digest(read_decisions(path)))
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET reviewer = 'erased-rater-1'")
    conn.close()
    assert ledger_changes(path, *read) is not None


def test_retirement_records_naming_the_rater_are_renamed_and_still_verify(tmp_path):
    """`review retire` records keep the retired decision's rater and who retired it: the
    name stayed in the ledger after the decisions were renamed."""
    from labelwright.review.decisions.retirements import (
        Retirement,
        append_retirements,
        read_retirements,
        retirement_changes,
        retirements_digest,
    )

    path = tmp_path / "reviews.sqlite"
    _decided(path, "dana", [("t1", None), ("t2", None)], "a")
    _decided(path, "erin", [("t3", None)], "b")
    append_retirements(path, [
        Retirement("retire", 0, "t1", "dana", "lead", "2026-12-01", "misread", "--item t1",
                   position=0),
        Retirement("retire", 0, "t3", "erin", "dana", "2026-12-02", "typo", "--item t3",
                   position=2)], decisions=3, records_read=0)
    read = (2, retirements_digest(read_retirements(path)))
    record = erase_rater(path, {"dana"}, "erased-rater-1", erased_at="2026-12-06T10:00:00",
                         reviewer="lead", reason="request 3", counts={3},
                         retirement_counts={2})
    assert record is not None and len(record.retirements) == 2
    assert [(r.rater, r.reviewer) for r in read_retirements(path)] == [
        ("erased-rater-1", "lead"), ("erin", "erased-rater-1")]
    assert b"dana" not in path.read_bytes()
    assert retirement_changes(path, *read) is None
    # as of a decision row: the row counts when the runs folder records the erasure too
    assert retirement_changes(path, *read, erased_at={"2026-12-06T10:00:00"}) is None
    assert retirement_changes(path, *read, erased_at=set()) is not None
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE retirements SET reason = 'x'")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER retirements_no_update")
        conn.execute("UPDATE retirements SET reason = 'edited' WHERE item_id = 't3'")
    conn.close()
    assert retirement_changes(path, *read) is not None
