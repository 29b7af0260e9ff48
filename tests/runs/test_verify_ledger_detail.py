"""``runs verify`` on a changed ledger names the decision that changed (by the run's
``reviews.json``), calls a deleted ledger missing, and lists ``report.html`` as not hashed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import labelwright
from labelwright.project import run_project


def _decide(root, item_id, label, rater, run_id, n):
    from labelwright.review.decisions import ledger

    now = datetime.now(UTC).isoformat()
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, label, rater, "", now, now, "f.csv", f"s{n}", "line 2", run_id, "csv",
        "queue")], sha256=f"s{n}", reviewer=rater, source_file="f.csv", fmt="csv",
        imported_at=now)


def _reviewed(make_project):
    root = make_project()
    first = run_project(root, report=False)
    for n, (item, label, rater) in enumerate((("t1", "billing", "ana"),
                                              ("t2", "technical", "ana"),
                                              ("t3", "billing", "ben"))):
        _decide(root, item, label, rater, first.run_id, n)
    return root, run_project(root)


def test_a_decision_edited_behind_the_triggers_is_named(make_project, cli):
    """'the first 3 decisions ... are not the ones it read' named no decision."""
    root, run = _reviewed(make_project)
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET label = 'billing' WHERE item_id = 't2'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("the first 3 decisions, which the run read, are not the ones it read (edited or "
            "replaced since; the ledger only ever appends); by the run's reviews.json: item "
            "'t2' by ana: 'technical' when the run read it, now 'billing'") in out


def test_a_deleted_ledger_is_missing_not_empty(make_project, cli):
    root, run = _reviewed(make_project)
    (root / "reviews.sqlite").unlink()
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"{root / 'reviews.sqlite'}: missing; the run read 3 decisions from it (deleted "
            "or moved since)") in out
    assert "holds 0 decisions" not in out


def test_the_report_is_checked_and_an_older_run_lists_it_as_not_hashed(make_project, cli):
    """The manifest records the report's sha256 (``report``); a run from before the record
    lists its report as not hashed, as every run's line did."""
    import json

    root, run = _reviewed(make_project)
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok and check.not_hashed == []
    assert check.report == "its report.html is as the run built it"
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["report"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok and check.not_hashed == ["report.html"] and check.report == ""
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 0 and ("not hashed: report.html (built from the manifest after the "
                          "outputs were hashed; `labelwright report` rebuilds it)") in out


def test_a_replaced_report_is_named_as_the_readme_says(make_project, cli):
    """The report was the one file of a run no check covered (built after the hashes,
    rebuilt by `labelwright report`): a page put in its place passed. Its sha256 is on
    record now, and the README's table says so."""
    from pathlib import Path

    root, run = _reviewed(make_project)
    (run.run_dir / "report.html").write_text("<html>another page</html>", encoding="utf-8")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1 and "report.html: changed since the run built it (sha256 " in out, out
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines()
               if line.startswith("| `report.html` | its sha256 in the manifest"))
    assert "**not covered**" not in row and "runs/REPORTS.jsonl" in row


def _behind_the_triggers(root, sql):
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("DROP TRIGGER decisions_no_delete")
        conn.execute(sql)


def test_a_rater_renamed_names_who_holds_the_decision_now(make_project, cli):
    root, run = _reviewed(make_project)
    _behind_the_triggers(root, "UPDATE decisions SET reviewer = 'mal' WHERE item_id = 't3'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("by the run's reviews.json: item 't3' by ben: 'billing' when the run read it, now "
            "none (the ledger now holds 'billing' by mal on it, a rater the run did not read "
            "there: renamed?)") in out, out


def test_a_deleted_decision_is_named_by_the_runs_reviews(make_project, cli):
    root, run = _reviewed(make_project)
    _behind_the_triggers(root, "DELETE FROM decisions WHERE item_id = 't1'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("holds 2 decisions, fewer than the 3 the run read (decisions were removed, or "
            "this is another ledger); by the run's reviews.json: item 't1' by ana: "
            "'billing' when the run read it, now none") in out, out


def test_an_edited_import_field_is_named_against_the_record_of_imports(make_project, cli):
    """reviews.json holds no import times or files: the ledger's imports table does."""
    root, run = _reviewed(make_project)
    _behind_the_triggers(root, "UPDATE decisions SET imported_at = '2020-01-01T00:00:00' "
                               "WHERE item_id = 't2'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("against the ledger's record of imports: item 't2' by ana (line 2): imported_at "
            "2020-01-01T00:00:00, before its file's import on") in out, out


def test_an_edited_source_file_is_named(make_project, cli):
    root, run = _reviewed(make_project)
    _behind_the_triggers(root, "UPDATE decisions SET source_file = 'other.csv' "
                               "WHERE item_id = 't3'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("item 't3' by ben (line 2): source_file other.csv, where its import recorded "
            "f.csv") in out, out


def test_another_field_reviews_json_records_is_named(make_project, cli):
    """The label the same, the decision's blind flag edited: reviews.json records it."""
    root, run = _reviewed(make_project)
    _behind_the_triggers(root, "UPDATE decisions SET blind = 1 WHERE item_id = 't2'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert "by the run's reviews.json: item 't2' by ana: blind " in out, out
    assert "when the run read it, now True" in out, out


def test_a_decision_s_time_or_note_edited_is_named(make_project, cli):
    """An edit of decided_at or a rater's note left the label as reviews.json has it: the
    digest told that something changed, and nothing named which decision."""
    root, run = _reviewed(make_project)
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET decided_at = '2020-01-01T00:00:00' "
                     "WHERE item_id = 't1'")
        conn.execute("UPDATE decisions SET note = 'looked fine' WHERE item_id = 't3'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert "by the run's reviews.json: item 't1' by ana: decided_at '" in out
    assert "when the run read it, now '2020-01-01T00:00:00'" in out
    assert ("item 't3' by ben: note edited (when the run read it: no note; now: a note with "
            "sha256 ") in out
    assert "looked fine" not in out  # the note's hash is named, never its text


def test_an_edited_reviews_json_is_set_against_the_unchanged_ledger(make_project, cli):
    """reviews.json edited, the ledger as the run read it: the line gave only two hashes,
    though the ledger tells which record is not what the run read."""
    import json

    root, run = _reviewed(make_project)
    path = run.run_dir / "reviews.json"
    kept = path.read_text(encoding="utf-8")
    record = json.loads(kept)
    for review in record["reviews"]:
        if review["id"] == "t2":
            review["label"] = "billing"
    path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert ("reviews.json: changed since the run wrote it (sha256" in said
            and "against the 3 ledger decisions the run read (unchanged): item "
                "'t2' by ana: label 'billing' in it, 'technical' by the ledger") in said, out
    path.write_text(kept + "\n", encoding="utf-8")  # the same records, another layout
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1 and ("each of its records is what the 3 ledger decisions the run "
                          "read (unchanged) give") in said, out
