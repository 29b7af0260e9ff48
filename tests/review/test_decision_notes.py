"""A decision's note (why its rater decided so): read from the review CSV's ``note`` column
and the JSONL's ``note`` field, kept in the ledger and covered by its digest, shown by
``explain`` and ``review decisions``; a column the import does not read is named once."""

from __future__ import annotations

import csv
import json
import sqlite3

from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from labelwright.review.imports.readers import note_name, unread_names
from labelwright.runs.decision_audit import decision_audit
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}

#: the ledger as labelwright wrote it before decisions kept a note
BEFORE_NOTE_SCHEMA = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, label TEXT NOT NULL,
    reviewer TEXT NOT NULL, annotator TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL
    DEFAULT '', imported_at TEXT NOT NULL, source_file TEXT NOT NULL, source_sha256 TEXT NOT
    NULL, source_row TEXT NOT NULL, run_id TEXT NOT NULL, format TEXT NOT NULL,
    export TEXT NOT NULL DEFAULT '', blind INTEGER, shown_chars INTEGER, text_chars INTEGER,
    UNIQUE (source_sha256, source_row, reviewer, annotator));
INSERT INTO decisions (item_id, label, reviewer, annotator, decided_at, imported_at,
    source_file, source_sha256, source_row, run_id, format, export, blind, shown_chars,
    text_chars)
VALUES ('t1', 'billing', 'alice', '', '', '2026-11-28T00:00:00+00:00', 'f.csv', 's1',
    'line 2', 'r1', 'csv', '', NULL, NULL, NULL),
    ('t2', 'technical', 'alice', '', '', '2026-11-28T00:00:00+00:00', 'f.csv', 's1',
    'line 3', 'r1', 'csv', 'sample', 1, 32767, 40000);
"""


def noted(item_id: str, note: str | None, **changes: object) -> ledger.Decision:
    made = ledger.Decision(item_id, "billing", "lead", "", "", "2026-12-06T00:00:00+00:00",
                           "g.csv", "s2", f"line {item_id}", "r1", "csv", note=note)
    return ledger.Decision(**{**vars(made), **changes})


def test_a_ledger_from_before_notes_opens_verifies_and_keeps_a_note_after(tmp_path):
    """Runs record the ledger's digest: the note column, added to an older ledger on its
    next write, must not make its decisions look edited."""
    path = tmp_path / "reviews.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(BEFORE_NOTE_SCHEMA)
    conn.close()
    before = ledger.read_decisions(path)
    assert [d.note for d in before] == [None, None]
    recorded = ledger.ledger_digest(before)
    decision = noted("t3", "per guideline 4.2")
    assert ledger.append(path, [decision], sha256="s2", reviewer="lead", source_file="g.csv",
                         fmt="csv", imported_at="now") == 1  # adds the column
    conn = sqlite3.connect(path)
    assert "note" in {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    conn.close()
    after = ledger.read_decisions(path)
    assert after[:2] == before and after[2] == decision
    assert ledger.ledger_changes(path, 2, recorded) is None
    assert ledger.ledger_changes(path, 3, ledger.ledger_digest(after)) is None


def test_the_digest_covers_a_note_and_leaves_decisions_without_one_as_they_were():
    plain = noted("t1", None)
    assert ledger.ledger_digest([plain]) == ledger.ledger_digest([noted("t1", "")])
    with_note = noted("t1", "per guideline 4.2")
    assert ledger.ledger_digest([with_note]) != ledger.ledger_digest([plain])
    assert ledger.ledger_digest([with_note]) != ledger.ledger_digest(
        [noted("t1", "per guideline 4.3")])
    # a note is a value of its own: not confused with a cut or a blind mark
    assert ledger.ledger_digest([noted("t1", "1", blind=None)]) != ledger.ledger_digest(
        [noted("t1", None, blind=True)])


def test_the_note_column_is_found_in_any_case_and_other_columns_are_named():
    assert note_name(["id", "Note"]) == "Note"
    assert note_name(["id", " COMMENT "]) == " COMMENT "
    assert note_name(["comment", "note"]) == "note"  # note first when both are there
    assert note_name(["id", "lead_note"]) is None
    header = ["id", "run_id", "review_label", "note", "prob_billing", "vote_refund",
              "rater_labels", "lead_note", "", "priority"]
    assert unread_names(header) == ("lead_note", "priority")


def write_sheet(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_csv_note_is_kept_with_its_decision_and_shown(reviewed_project, tmp_path, cli):
    root, run = reviewed_project.root, reviewed_project.run_id
    path = write_sheet(tmp_path / "lead.csv",
                       ["id", "run_id", "text", "review_label", "Note"],
                       [["t6", run, TEXT_OF["t6"], "billing", " per guideline 4.2 "],
                        ["t5", run, TEXT_OF["t5"], "technical", "  "]])
    report = import_file(root, path, reviewer="lead")
    assert report.added == 2 and report.unread == []
    by_item = {d.item_id: d.note for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert by_item == {"t6": "per guideline 4.2", "t5": None}
    code, out = cli("explain", "t6", "-p", str(root))
    assert code == 0 and "note: 'per guideline 4.2'" in out
    frame = decision_audit(root, run).frame
    assert dict(zip(frame["item_id"], frame["note"], strict=True)) == {
        "t6": "per guideline 4.2", "t5": ""}


def test_a_column_not_read_is_named_once_with_the_note_column_suggested(reviewed_project,
                                                                         tmp_path, cli):
    root, run = reviewed_project.root, reviewed_project.run_id
    path = write_sheet(tmp_path / "lead.csv",
                       ["id", "run_id", "text", "review_label", "lead_note"],
                       [["t6", run, TEXT_OF["t6"], "billing", "per guideline 4.2"],
                        ["t5", run, TEXT_OF["t5"], "technical", "see 3.1"]])
    code, out = cli("review", "import", str(path), "--reviewer", "lead", "-p", str(root))
    assert code == 0
    assert out.count("columns not read: lead_note") == 1
    assert "rename 'lead_note' to 'note'" in out
    assert [d.note for d in ledger.read_decisions(ledger.ledger_path(root))] == [None, None]


def test_a_jsonl_comment_field_is_the_note(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    path = tmp_path / "done.jsonl"
    records = [{"id": "t6", "run_id": run, "text": TEXT_OF["t6"], "suggested_label": None,
                "review_label": "billing", "comment": "refund asked", "source": "email"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = import_file(root, path, reviewer="lead")
    assert report.unread == ["source"]
    (decision,) = ledger.read_decisions(ledger.ledger_path(root))
    assert decision.note == "refund asked"


def test_the_readme_recipe_gives_the_digest_of_decisions_with_notes(tmp_path):
    """README "Hash recipes": the ledger's digest, followed by hand over its rows, for
    decisions with and without a note, a blind mark, a cut and the hash of the text decided
    on."""
    import hashlib

    path = tmp_path / "reviews.sqlite"
    made = [noted("t1", None), noted("t2", "per 4.2"), noted("t3", "x", blind=False),
            noted("t4", "y", export="queue", shown_chars=5, text_chars=9),
            noted("t5", None, blind=True), noted("t6", None, text_hash="00ff00ff00ff00ff"),
            noted("t7", "z", blind=True, text_hash="0123456789abcdef")]
    ledger.append(path, made, sha256="s2", reviewer="lead", source_file="g.csv", fmt="csv",
                  imported_at="now")
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT item_id, label, reviewer, annotator, decided_at, imported_at, source_file, "
            "source_sha256, source_row, run_id, format, export, blind, shown_chars, text_chars, "
            "note, text_hash FROM decisions ORDER BY seq").fetchall()
    digest = hashlib.sha256()
    for *values, export, blind, shown, of, note, text_hash in rows:
        cut = shown is not None or of is not None or bool(note)
        values += [export] if export or blind is not None or cut else []
        values += ["1" if blind else "0"] if blind is not None else [""] if cut else []
        values += ["" if n is None else str(n) for n in (shown, of)] if cut else []
        values += [note] if note else []
        values += [""] * (16 - len(values)) + [text_hash] if text_hash else []
        digest.update(("\x1f".join(values) + "\x1e").encode("utf-8"))
    assert digest.hexdigest() == ledger.ledger_digest(ledger.read_decisions(path))


def test_a_note_added_to_decisions_already_in_the_ledger_is_said_not_recorded(
        reviewed_project, tmp_path, cli):
    """A lead who renames ``lead_note`` to ``note`` after the import: the decisions are in
    the ledger already, so their notes are not added, and the import says so."""
    root, run = reviewed_project.root, reviewed_project.run_id
    rows = [["t6", run, TEXT_OF["t6"], "billing"], ["t5", run, TEXT_OF["t5"], "technical"]]
    first = write_sheet(tmp_path / "lead.csv", ["id", "run_id", "text", "review_label"], rows)
    assert import_file(root, first, reviewer="lead").added == 2
    again = write_sheet(tmp_path / "lead-noted.csv",
                        ["id", "run_id", "text", "review_label", "note"],
                        [rows[0] + ["per guideline 4.2"], rows[1] + [""]])
    code, out = cli("review", "import", str(again), "--reviewer", "lead", "-p", str(root))
    assert code == 0
    assert "1 note on decisions already in the ledger not recorded ('t6')" in out
    assert [d.note for d in ledger.read_decisions(ledger.ledger_path(root))] == [None, None]


def test_label_studio_s_note_box_is_the_decision_s_note(reviewed_project, tmp_path):
    """The labeling config labelwright writes has a text box named ``note``; its text, in
    the JSON export and in JSON-MIN, is kept with the decision."""
    from labelwright.review.queue.tools import NOTE, label_studio_config

    assert f'<TextArea name="{NOTE}" toName="text"' in label_studio_config(["billing"])
    root, run = reviewed_project.root, reviewed_project.run_id
    task = {"id": 1, "data": {"text": TEXT_OF["t6"], "lw_id": "t6", "lw_run_id": run,
                              "lw_project": "test"},
            "annotations": [{"id": 11, "completed_by": 2, "was_cancelled": False,
                             "created_at": "2026-12-06T10:00:00Z", "result": [
                                 {"from_name": "label", "to_name": "text", "type": "choices",
                                  "value": {"choices": ["billing"]}},
                                 {"from_name": "note", "to_name": "text", "type": "textarea",
                                  "value": {"text": ["per guideline 4.2"]}}]}]}
    full = tmp_path / "ls.json"
    full.write_text(json.dumps([task]), encoding="utf-8")
    assert import_file(root, full, reviewer="ana").added == 1
    minimal = tmp_path / "ls-min.json"
    minimal.write_text(json.dumps([{
        "id": 2, "text": TEXT_OF["t5"], "lw_id": "t5", "lw_run_id": run, "lw_project": "test",
        "annotator": "ben@example.org", "annotation_id": 21, "label": "technical",
        "note": "asks about a crash", "updated_at": "2026-12-06T10:00:00Z"}]),
        encoding="utf-8")
    assert import_file(root, minimal, reviewer="ben", fmt="label-studio").added == 1
    assert [(d.item_id, d.note) for d in ledger.read_decisions(ledger.ledger_path(root))] == [
        ("t6", "per guideline 4.2"), ("t5", "asks about a crash")]


def test_a_prodigy_answer_s_note_is_kept_and_its_other_keys_named(reviewed_project, tmp_path):
    """A Prodigy db-out record's ``note`` or ``comment`` was dropped without a word, while
    the CSV and JSONL imports kept it and named the columns they do not read."""
    from test_import import prodigy_row

    root, run = reviewed_project.root, reviewed_project.run_id
    first = {**prodigy_row("t6", run, "accept", ["billing"]), "note": "refund asked",
             "flagged": True}
    second = {**prodigy_row("t5", run, "accept", ["technical"]), "Comment": " crash ",
              "note": "asks"}  # both kept, the note first
    path = tmp_path / "db-out.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (first, second)), encoding="utf-8")
    report = import_file(root, path, reviewer="lead")
    assert report.added == 2 and report.unread == ["flagged"]
    assert "fields not read: flagged" in (report.unread_warning() or "")
    assert [(d.item_id, d.note) for d in ledger.read_decisions(ledger.ledger_path(root))] == [
        ("t6", "refund asked"), ("t5", "asks\ncrash")]


def test_doccano_comments_and_an_argilla_comment_question_are_notes(reviewed_project,
                                                                    tmp_path):
    from test_import import argilla_flat

    root, run = reviewed_project.root, reviewed_project.run_id
    doccano = tmp_path / "doccano.jsonl"
    doccano.write_text(json.dumps({
        "id": 1, "text": TEXT_OF["t6"], "lw_id": "t6", "lw_run_id": run, "lw_project": "test",
        "label": ["billing"], "Comments": [{"text": "refund asked"}, "twice"],
        "reviewed_at": "monday"}) + "\n", encoding="utf-8")
    report = import_file(root, doccano, reviewer="dora", fmt="doccano")
    assert report.added == 1 and report.unread == ["reviewed_at"]
    argilla = tmp_path / "argilla.json"
    record = {**argilla_flat("t5", run, [("technical", "u1", "submitted"),
                                         ("billing", "u2", "submitted")]),
              "lw_id": "t5", "comment.responses": ["asks about a crash"],
              "comment.responses.users": ["u2"], "comment.responses.status": ["submitted"]}
    argilla.write_text(json.dumps([record]), encoding="utf-8")
    report = import_file(root, argilla, reviewer="lead", fmt="argilla")
    assert report.added == 2 and report.unread == []
    notes = {(d.item_id, d.rater): d.note
             for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert notes == {("t6", "dora"): "refund asked\ntwice", ("t5", "argilla:u1"): None,
                     ("t5", "argilla:u2"): "asks about a crash"}
