"""The review ledger: append-only, idempotent per file, safe under concurrent imports."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from labelwright.review.decisions import ledger, ledger_reading, rater_ids
from labelwright.review.decisions.relabels import relabeled


def decision(item_id, label, *, reviewer="alice", annotator="", row="line 2", sha="s1"):
    return ledger.Decision(item_id=item_id, label=label, reviewer=reviewer, annotator=annotator,
                           decided_at="", imported_at="2026-11-28T00:00:00+00:00",
                           source_file="f.csv", source_sha256=sha, source_row=row,
                           run_id="r1", format="csv")


def append(path, decisions, *, sha="s1", reviewer="alice"):
    return ledger.append(path, decisions, sha256=sha, reviewer=reviewer, source_file="f.csv",
                         fmt="csv", imported_at="2026-11-28T00:00:00+00:00")


def _refuses_edits(path, table, assignment):
    """Hand edits of ``table`` in the ledger at ``path`` (an UPDATE setting ``assignment``,
    a DELETE) fail as the ledger's triggers refuse them."""
    conn = sqlite3.connect(path)
    for sql in (f"UPDATE {table} SET {assignment}", f"DELETE FROM {table}"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_rows_cannot_be_changed_or_deleted(tmp_path):
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    _refuses_edits(path, "decisions", "label = 'technical'")
    assert [d.label for d in ledger.read_decisions(path)] == ["billing"]


def test_the_record_of_relabels_cannot_be_changed_or_deleted(tmp_path):
    """An import with --relabel records the decisions it changed; the table was writable,
    so a row taken out brought back a warning its correction had settled."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    ledger.append(path, [decision("t1", "technical", sha="s2")], sha256="s2",
                  reviewer="alice", source_file="g.csv", fmt="csv",
                  imported_at="2026-11-29T00:00:00+00:00", relabeled=[("t1", "alice")])
    _refuses_edits(path, "relabels", "rater = 'bob'")
    assert relabeled(path) == {("t1", "alice", "s2")}


def test_the_rater_id_pairings_cannot_be_changed_or_deleted(tmp_path):
    """Which Label Studio id counts as which rater is the ledger's record too: a pairing
    edited or deleted by hand had moved decisions between raters without a trace."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    rater_ids.remember(path, {"label-studio:2": {"label-studio:bo@x.org"}}, sha256="s2",
                       imported_at="now")
    _refuses_edits(path, "rater_ids", "by_name = 'label-studio:eve@x.org'")
    assert rater_ids.known_pairs(path) == {"label-studio:2": {"label-studio:bo@x.org"}}


def test_a_rater_ids_table_made_without_triggers_gets_them_on_the_next_connection(tmp_path):
    """Ledgers whose rater_ids table was made before it was guarded are guarded from the
    next import (or any other write) on."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE rater_ids (by_id TEXT NOT NULL, by_name TEXT NOT NULL, "
                 "source_sha256 TEXT NOT NULL, imported_at TEXT NOT NULL, "
                 "PRIMARY KEY (by_id, by_name))")
    conn.execute("INSERT INTO rater_ids VALUES ('label-studio:2', 'label-studio:bo@x.org', "
                 "'s2', 'now')")
    conn.commit()
    conn.execute("UPDATE rater_ids SET imported_at = 'then'")  # unguarded yet
    conn.commit()
    conn.close()
    append(path, [decision("t2", "billing", sha="s3")], sha="s3")
    _refuses_edits(path, "rater_ids", "imported_at = 'later'")


def test_same_file_same_reviewer_adds_nothing(tmp_path):
    path = tmp_path / "reviews.sqlite"
    assert append(path, [decision("t1", "billing")]) == 1
    assert append(path, [decision("t1", "billing")]) == 0
    assert ledger.already_imported(path, "s1", "alice")
    # a row it did not bring then (bad at the time) is added
    assert append(path, [decision("t1", "billing"), decision("t2", "billing", row="line 3")]
                  ) == 1
    assert len(ledger.read_decisions(path)) == 2


def test_a_file_another_reviewer_imported_is_refused_inside_the_write(tmp_path):
    """The check ran before the write transaction: two imports of one file under two
    names at the same moment both landed."""
    path = tmp_path / "reviews.sqlite"
    assert append(path, [decision("t1", "billing")]) == 1
    with pytest.raises(ledger.ImportedByOther, match="imported as 'alice'"):
        append(path, [decision("t1", "billing", reviewer="bob")], reviewer="bob")
    assert len(ledger.read_decisions(path)) == 1
    assert append(path, [decision("t1", "billing", reviewer="bob", sha="s2")], sha="s2",
                  reviewer="bob") == 1


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


OLD_SCHEMA = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, label TEXT NOT NULL,
    reviewer TEXT NOT NULL, annotator TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL
    DEFAULT '', imported_at TEXT NOT NULL, source_file TEXT NOT NULL, source_sha256 TEXT NOT
    NULL, source_row TEXT NOT NULL, run_id TEXT NOT NULL, format TEXT NOT NULL,
    UNIQUE (source_sha256, source_row, reviewer, annotator));
INSERT INTO decisions (item_id, label, reviewer, annotator, decided_at, imported_at,
    source_file, source_sha256, source_row, run_id, format)
VALUES ('t1', 'billing', 'alice', '', '', '2026-11-28T00:00:00+00:00', 'f.csv', 's1',
    'line 2', 'r1', 'csv');
"""


def test_a_ledger_from_before_the_export_column_reads_and_keeps_its_digest(tmp_path):
    """Runs record the ledger's digest: a ledger written before decisions named their
    export must read the same and hash the same, and take new decisions with one."""
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    append(new, [decision("t1", "billing")])
    (read,) = ledger.read_decisions(old)
    assert read == ledger.read_decisions(new)[0] and read.export == ""
    assert ledger.ledger_digest([read]) == ledger.ledger_digest(ledger.read_decisions(new))
    sampled = ledger.Decision(**{**vars(decision("t2", "technical", sha="s2")),
                                 "export": "sample"})
    assert append(old, [sampled], sha="s2") == 1
    assert [d.export for d in ledger.read_decisions(old)] == ["", "sample"]
    # the export is part of what the digest covers once it is recorded
    plain = ledger.Decision(**{**vars(sampled), "export": ""})
    assert ledger.ledger_digest([read, sampled]) != ledger.ledger_digest([read, plain])


#: the ledger as labelwright wrote it before decisions recorded whether they were blind
BEFORE_BLIND_SCHEMA = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, label TEXT NOT NULL,
    reviewer TEXT NOT NULL, annotator TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL
    DEFAULT '', imported_at TEXT NOT NULL, source_file TEXT NOT NULL, source_sha256 TEXT NOT
    NULL, source_row TEXT NOT NULL, run_id TEXT NOT NULL, format TEXT NOT NULL,
    export TEXT NOT NULL DEFAULT '', UNIQUE (source_sha256, source_row, reviewer, annotator));
INSERT INTO decisions (item_id, label, reviewer, annotator, decided_at, imported_at,
    source_file, source_sha256, source_row, run_id, format, export)
VALUES ('t1', 'billing', 'alice', '', '', '2026-11-28T00:00:00+00:00', 'f.csv', 's1',
    'line 2', 'r1', 'csv', ''),
    ('t2', 'technical', 'alice', '', '', '2026-11-28T00:00:00+00:00', 'f.csv', 's1',
    'line 3', 'r1', 'csv', 'sample');
"""


def recorded_digest(rows):
    """The digest a run recorded of a ledger before the blind column: each decision's
    values (its ``export`` only when not empty) joined by unit separators."""
    digest = hashlib.sha256()
    for *values, export in rows:
        digest.update(("\x1f".join([*values, export] if export else values) + "\x1e")
                      .encode("utf-8"))
    return digest.hexdigest()


def test_a_ledger_from_before_the_blind_column_reads_gets_it_and_keeps_its_digest(tmp_path):
    """A run records the ledger's digest, and later commands check the ledger against it:
    upgrading labelwright must not make an older ledger look edited."""
    path = tmp_path / "reviews.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(BEFORE_BLIND_SCHEMA)
    rows = [row[1:] for row in conn.execute("SELECT * FROM decisions ORDER BY seq")]
    conn.close()
    recorded = recorded_digest(rows)
    read = ledger.read_decisions(path)
    assert [d.blind for d in read] == [None, None]  # not known: imported before it was kept
    assert ledger.ledger_digest(read) == recorded
    blind = ledger.Decision(**{**vars(decision("t3", "billing", sha="s2")), "blind": True})
    assert append(path, [blind], sha="s2") == 1  # the first write adds the column
    conn = sqlite3.connect(path)
    assert "blind" in {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    conn.close()
    after = ledger.read_decisions(path)
    assert [d.blind for d in after] == [None, None, True]
    assert ledger.ledger_digest(after[:2]) == recorded
    assert ledger.ledger_changes(path, 2, recorded) is None


def test_whether_a_decision_was_blind_is_kept_and_covered_by_the_digest(tmp_path):
    path = tmp_path / "reviews.sqlite"
    made = [ledger.Decision(**{**vars(decision(item, "billing", row=f"line {k}")),
                               "blind": blind})
            for k, (item, blind) in enumerate([("t1", True), ("t2", False), ("t3", None)])]
    append(path, made)
    assert ledger.read_decisions(path) == made
    digests = {ledger.ledger_digest([ledger.Decision(**{**vars(made[0]), "blind": blind})])
               for blind in (True, False, None)}
    assert len(digests) == 3


WRITER = textwrap.dedent("""
    import importlib.util, sys, time, types
    from pathlib import Path
    # Load the ledger module, the errors it raises and its moved names' lookup on their own
    # (stdlib only): importing the labelwright package would load spaCy, seconds per
    # process, and the test is about the ledger's locking.
    source = Path(sys.argv[4]).parents[2]
    for package in ("labelwright", "labelwright.review", "labelwright.review.decisions"):
        sys.modules[package] = types.ModuleType(package)
    for name, file in (("errors", "errors.py"), ("moved_names", "moved_names.py"),
                       ("review.decisions.ledger", "review/decisions/ledger.py")):
        spec = importlib.util.spec_from_file_location(f"labelwright.{name}", source / file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    ledger = sys.modules["labelwright.review.decisions.ledger"]
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


def test_reading_never_writes_to_the_ledger(tmp_path):
    """An auditor reads the ledger of a read-only copy: reading must not switch it to WAL,
    create the schema, or add the export column."""
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    before = old.read_bytes()
    (read,) = ledger.read_decisions(old)
    assert (read.item_id, read.label, read.export) == ("t1", "billing", "")
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]


def test_reading_leaves_no_file_beside_the_ledger(tmp_path):
    """A read-only SQLite connection to a WAL ledger creates its log and the log's index
    and cannot remove them: every `review stats` left two untracked files, and a git
    project's next runs were all recorded as dirty."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviews.sqlite"]
    for _ in range(2):
        assert [d.item_id for d in ledger.read_decisions(path)] == ["t1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviews.sqlite"]


def test_an_import_during_a_read_is_read_too(tmp_path, monkeypatch):
    """The ledger read as a file alone: an import that lands while it is read changes the
    file (or starts a log), and the ledger is read again the way that sees the log."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing")])
    real_read, modes = ledger_reading._read_rows, []

    def read_rows(target, scratch, query, *, alone):
        rows = real_read(target, scratch, query, alone=alone)
        modes.append(alone)
        if alone:  # an import lands just after the file was read alone
            append(path, [decision("t2", "bug", row="line 3")], sha="s2")
        return rows

    monkeypatch.setattr(ledger_reading, "_read_rows", read_rows)
    assert [d.item_id for d in ledger.read_decisions(path)] == ["t1", "t2"]
    assert modes == [True, False]


def test_a_ledger_whose_folder_cannot_be_written_is_read_from_the_file(tmp_path, monkeypatch):
    """SQLite cannot open a WAL file read-only where it may not create the log's index;
    the reader then reads the file alone (complete once no connection has it open)."""
    path = tmp_path / "reviews.sqlite"
    append(path, [decision("t1", "billing"), decision("t2", "bug", row="line 3")])
    real_connect = sqlite3.connect
    opened = []

    def connect(target, *args, **kwargs):
        opened.append(str(target))
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(ledger_reading.sqlite3, "connect", connect)
    assert [d.item_id for d in ledger.read_decisions(path)] == ["t1", "t2"]
    assert any("immutable=1" in target for target in opened)


def test_a_copy_with_its_write_ahead_log_loses_no_decision(tmp_path, monkeypatch):
    """A copy taken while the ledger was open (or after a killed import) has decisions
    only in its -wal file; reading the main file alone (immutable) would miss them."""
    live = tmp_path / "live" / "reviews.sqlite"
    live.parent.mkdir()
    append(live, [decision("t1", "billing")])
    keeper = sqlite3.connect(live)  # another connection open: closing the writer keeps the log
    keeper.execute("SELECT count(*) FROM decisions").fetchone()
    append(live, [decision("t2", "bug", row="line 3")], sha="s2")
    copy = tmp_path / "copy" / "reviews.sqlite"
    copy.parent.mkdir()
    for suffix in ("", "-wal"):
        Path(f"{copy}{suffix}").write_bytes(Path(f"{live}{suffix}").read_bytes())
    keeper.close()
    assert Path(f"{copy}-wal").stat().st_size > 0
    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):  # as in a read-only folder without the -shm
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(ledger_reading.sqlite3, "connect", connect)
    before = sorted(p.name for p in copy.parent.iterdir())
    assert [d.item_id for d in ledger.read_decisions(copy)] == ["t1", "t2"]
    assert sorted(p.name for p in copy.parent.iterdir()) == before  # the copy is untouched


def test_the_latest_decision_is_the_latest_made_not_the_latest_imported():
    """An older export imported after a newer one must not undo the newer decision."""
    def at(label, decided, imported):
        return ledger.Decision(**{**vars(decision("t1", label)), "decided_at": decided,
                                  "imported_at": imported})

    newer = at("billing", "2026-01-02T10:00:00Z", "2026-01-03T00:00:00+00:00")
    older = at("bug", "2026-01-01T10:00:00.500000+00:00", "2026-01-04T00:00:00+00:00")
    undated = at("other", "", "2026-01-05T00:00:00+00:00")  # decided when imported
    assert ledger.latest_per_rater([newer, older]) == {"t1": {"alice": "billing"}}
    assert ledger.latest_per_rater([newer, older, undated]) == {"t1": {"alice": "other"}}
    same_second = at("late", "2026-01-02T10:00:00.5Z", "2026-01-03T00:00:00+00:00")
    assert ledger.latest_per_rater([same_second, newer]) == {"t1": {"alice": "late"}}


def test_a_file_that_is_not_a_ledger_is_named_in_the_error(tmp_path):
    path = tmp_path / "reviews.sqlite"
    path.write_text("item_id,label\nt1,billing\n")
    with pytest.raises(ledger.ReviewError, match="reviews.sqlite: cannot read the review ledger"):
        ledger.read_decisions(path)
    with pytest.raises(ledger.ReviewError, match="reviews.sqlite: cannot open the review ledger"):
        append(path, [decision("t1", "billing")])


#: the ledger as labelwright wrote it before decisions recorded a cut text
BEFORE_CUT_SCHEMA = BEFORE_BLIND_SCHEMA.replace(
    "export TEXT NOT NULL DEFAULT '', UNIQUE", "export TEXT NOT NULL DEFAULT '', "
    "blind INTEGER, UNIQUE")


def test_a_ledger_from_before_cut_texts_reads_gets_the_columns_and_keeps_its_digest(tmp_path):
    """Runs record the ledger's digest: the columns of a decision made on a cut text, added
    to an older ledger, must not make it look edited; where they hold a cut, the digest
    covers it."""
    path = tmp_path / "reviews.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(BEFORE_CUT_SCHEMA)
    conn.close()
    before = ledger.read_decisions(path)
    recorded = ledger.ledger_digest(before)
    assert [(d.shown_chars, d.text_chars, d.cut) for d in before] == [(None, None, None)] * 2
    cut = ledger.Decision(**{**vars(decision("t3", "billing", sha="s2")),
                             "shown_chars": 32_767, "text_chars": 1_200_529})
    assert append(path, [cut], sha="s2") == 1  # the first write adds the columns
    after = ledger.read_decisions(path)
    assert after[2] == cut and after[2].cut == "32,767 of 1,200,529 characters"
    assert ledger.ledger_changes(path, 2, recorded) is None
    whole = ledger.Decision(**{**vars(cut), "shown_chars": None, "text_chars": None})
    assert ledger.ledger_digest([*before, cut]) != ledger.ledger_digest([*before, whole])
    other = ledger.Decision(**{**vars(cut), "shown_chars": 32_766})
    assert ledger.ledger_digest([*before, cut]) != ledger.ledger_digest([*before, other])


def test_the_text_hash_is_kept_covered_by_the_digest_and_absent_from_older_digests(tmp_path):
    """The hash of the text decided on lets runs check a decision after its run is gone; a
    ledger from before it reads it as not known and keeps the digest its runs recorded."""
    path = tmp_path / "reviews.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(BEFORE_BLIND_SCHEMA)
    rows = [row[1:] for row in conn.execute("SELECT * FROM decisions ORDER BY seq")]
    conn.close()
    recorded = recorded_digest(rows)
    assert [d.text_hash for d in ledger.read_decisions(path)] == [None, None]
    hashed = ledger.Decision(**{**vars(decision("t3", "billing", sha="s2")),
                                "text_hash": "0123456789abcdef"})
    assert append(path, [hashed], sha="s2") == 1  # the first write adds the column
    after = ledger.read_decisions(path)
    assert [d.text_hash for d in after] == [None, None, "0123456789abcdef"]
    assert ledger.ledger_digest(after[:2]) == recorded
    assert ledger.ledger_changes(path, 2, recorded) is None
    other = ledger.Decision(**{**vars(hashed), "text_hash": "fedcba9876543210"})
    unhashed = ledger.Decision(**{**vars(hashed), "text_hash": None})
    assert len({ledger.ledger_digest([d]) for d in (hashed, other, unhashed)}) == 3
