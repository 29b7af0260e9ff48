"""Raters' notes erased in the review ledger: on record in the ledger, so a digest a reader
recorded before still holds when, and only when, the record leads from it to the ledger's."""

from __future__ import annotations

import sqlite3

import pytest

from labelwright.review.decisions import ledger
from labelwright.review.decisions.ledger_digests import ledger_changes, ledger_digest
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.decisions.note_erasures import erase_notes, read_note_erasures


def _noted(path, rows, sha):
    """Decisions ``(item, note)`` imported as one file ``sha``."""
    ledger.append(path, [ledger.Decision(item, "billing", "erin", "", "", "now", "f", sha,
                                         f"row {k}", "r1", "csv", note=note)
                         for k, (item, note) in enumerate(rows)],
                  sha256=sha, reviewer="erin", source_file="f", fmt="csv", imported_at="now")


def test_digests_read_before_two_erasures_still_hold_and_an_edit_does_not(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _noted(path, [("t1", "Ann Smith rang"), ("t2", "routine")], "a")
    first = (2, ledger_digest(read_decisions(path)))
    _noted(path, [("t3", "Bob Jones rang"), ("t4", None)], "b")
    second = (4, ledger_digest(read_decisions(path)))
    unrecorded = (3, ledger_digest(read_decisions(path)[:3]))
    record = erase_notes(path, ["t1"], erased_at="2026-12-06T10:00:00+00:00",
                         reviewer="dana", reason="request 1", counts={2})
    assert record is not None and len(record.decisions) == 1
    erase_notes(path, ["t3", "t4"], erased_at="2026-12-06T11:00:00+00:00", reviewer="dana",
                reason="request 2", counts={2, 4})
    assert [d.note for d in read_decisions(path)] == ["[erased]", "routine", "[erased]", None]
    assert b"Ann Smith" not in path.read_bytes() and b"Bob Jones" not in path.read_bytes()
    assert [e.reason for e in read_note_erasures(path)] == ["request 1", "request 2"]
    # each recorded count leads, erasure by erasure, to the ledger now
    assert ledger_changes(path, *first) is None and ledger_changes(path, *second) is None
    # a count no reader recorded is not vouched for
    assert ledger_changes(path, *unrecorded) is not None
    # the table and the decisions stay append-only; a hand edit is still one
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE decisions SET note = 'x' WHERE item_id = 't2'")
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM note_erasures")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET label = 'technical' WHERE item_id = 't2'")
    assert ledger_changes(path, *first) is not None


def test_nothing_is_written_when_no_note_is_left(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _noted(path, [("t1", None), ("t2", "routine")], "a")
    before = path.read_bytes()
    assert erase_notes(path, ["t1"], erased_at="now", reviewer="dana", reason="r",
                       counts=()) is None
    assert read_note_erasures(path) == [] and path.read_bytes() == before


def _forge(path, count, before, after, decisions):
    """A ``note_erasures`` row written by hand, as the table is made."""
    import json

    from labelwright.review.decisions import note_erasures

    with sqlite3.connect(path) as conn:
        for statement in note_erasures._TABLE.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO note_erasures VALUES (?, ?, ?, ?, ?, ?)",
                     ("2026-12-01T00:00:00+00:00", "x", "y", "[]", json.dumps(decisions),
                      json.dumps([[count, before, after]])))
    conn.close()


@pytest.mark.parametrize("decisions", [[], [2]])
def test_a_row_written_by_hand_beside_a_label_edit_vouches_for_nothing(tmp_path, decisions):
    """a row listing no decisions (or one whose note is not erased) took a flipped label
    for a note erasure."""
    path = tmp_path / "reviews.sqlite"
    _noted(path, [("t1", None), ("t2", None)], "a")
    read = (2, ledger_digest(read_decisions(path)))
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET label = 'refund' WHERE item_id = 't2'")
    conn.close()
    _forge(path, *read, ledger_digest(read_decisions(path)), decisions)
    assert ledger_changes(path, *read) is not None


def test_an_erasure_the_runs_folder_does_not_record_vouches_for_nothing_there(tmp_path):
    path = tmp_path / "reviews.sqlite"
    _noted(path, [("t1", "Ann Smith rang"), ("t2", None)], "a")
    read = (2, ledger_digest(read_decisions(path)))
    at = "2026-12-06T10:00:00+00:00"
    erase_notes(path, ["t1"], erased_at=at, reviewer="dana", reason="r", counts={2})
    assert ledger_changes(path, *read, erased_at={at}) is None
    assert ledger_changes(path, *read, erased_at={"2026-12-07T10:00:00+00:00"}) is not None
