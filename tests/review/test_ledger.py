"""The review ledger: append-only, idempotent per file, safe under concurrent imports."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from labelwright.review import ledger


def decision(item_id, label, *, reviewer="alice", annotator="", row="line 2", sha="s1"):
    return ledger.Decision(item_id=item_id, label=label, reviewer=reviewer, annotator=annotator,
                           decided_at="", imported_at="2026-11-28T00:00:00+00:00",
                           source_file="f.csv", source_sha256=sha, source_row=row,
                           run_id="r1", format="csv")


def append(path, decisions, *, sha="s1", reviewer="alice"):
    return ledger.append(path, decisions, sha256=sha, reviewer=reviewer, source_file="f.csv",
                         fmt="csv", imported_at="2026-11-28T00:00:00+00:00")


def test_rows_cannot_be_changed_or_deleted(tmp_path):
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE decisions SET label = 'technical'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM decisions")
    conn.close()
    assert [d.label for d in ledger.read_decisions(path)] == ["billing"]


def test_same_file_same_reviewer_adds_nothing(tmp_path):
    path = tmp_path / "reviews.sqlite"
    assert append(path, [decision("t1", "billing")]) == 1
    assert append(path, [decision("t1", "billing")]) == 0
    assert ledger.already_imported(path, "s1", "alice")
    assert append(path, [decision("t1", "billing", reviewer="bob")], reviewer="bob") == 1
    assert len(ledger.read_decisions(path)) == 2


def test_latest_decision_per_rater_wins(tmp_path):
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing"), decision("t2", "billing", row="line 3")])
    append(path, [decision("t1", "technical", sha="s2")], sha="s2")
    append(path, [decision("t1", "billing", annotator="label-studio:2", sha="s3")], sha="s3")
    latest = ledger.latest_per_rater(ledger.read_decisions(path))
    assert latest == {"t1": {"alice": "technical", "label-studio:2": "billing"},
                      "t2": {"alice": "billing"}}


def test_digest_follows_the_contents(tmp_path):
    path = tmp_path / "reviews.sqlite"
    assert ledger.ledger_digest(ledger.read_decisions(path)) == ledger.ledger_digest([])
    append(path, [decision("t1", "billing")])
    first = ledger.ledger_digest(ledger.read_decisions(path))
    assert first == ledger.ledger_digest(ledger.read_decisions(path))
    append(path, [decision("t2", "billing", sha="s2")], sha="s2")
    assert ledger.ledger_digest(ledger.read_decisions(path)) != first


WRITER = textwrap.dedent("""
    import importlib.util, sys, time
    from pathlib import Path
    # Load the ledger module on its own (stdlib only): importing the labelwright package
    # would load spaCy, seconds per process, and the test is about the ledger's locking.
    spec = importlib.util.spec_from_file_location("ledger", sys.argv[4])
    ledger = importlib.util.module_from_spec(spec)
    sys.modules["ledger"] = ledger
    spec.loader.exec_module(ledger)
    path, who, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    (go.parent / f"ready-{who}").touch()
    while not go.exists():  # both processes are loaded: start writing together
        time.sleep(0.001)
    for k in range(20):
        rows = [ledger.Decision(f"{who}-{k}-{j}", "billing", who, "", "", "now", "f", f"{who}{k}",
                                f"row {j}", "r1", "csv") for j in range(25)]
        ledger.append(path, rows, sha256=f"{who}{k}", reviewer=who, source_file="f",
                      fmt="csv", imported_at="now")
""")


def test_two_processes_importing_at_once_both_land(tmp_path):
    path = tmp_path / "reviews.sqlite"
    go = tmp_path / "go"
    procs = [subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), who, str(go), ledger.__file__],
        stderr=subprocess.PIPE, text=True) for who in ("alice", "bob")]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{who}").exists() for who in ("alice", "bob")):
        assert all(p.poll() is None for p in procs), "a writer died before starting"
        assert time.monotonic() < deadline, "writers never got ready"
        time.sleep(0.01)
    go.touch()
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    rows = ledger.read_decisions(path)
    assert len(rows) == 2 * 20 * 25
    assert {d.reviewer for d in rows} == {"alice", "bob"}
