"""Decisions filed under an adjudicator by someone else: refused without --for-adjudicator,
said at import, in explain's settlement and in review stats.

A review CSV whose reviewer column said ``lead`` (the adjudicator), imported with
``--reviewer chloe``, was taken with only "recorded under the rater(s) the file names: lead
(2)"; explain said "settled by adjudicator lead" and review stats said nothing: anyone
could settle items as the adjudicator."""

from __future__ import annotations

import csv

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import ReviewError, import_file
from labelwright.review.stats.summary import review_stats
from labelwright.runs.explain.item import explain_item
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def _tie(root, run_id):
    """alice and bob split 1-1 on t1; ``lead`` is the adjudicator."""
    for rater, label in (("alice", "billing"), ("bob", "technical")):
        ledger.append(ledger.ledger_path(root), [ledger.Decision(
            "t1", label, rater, "", "", "now", "f.csv", rater, "row 1", run_id, "csv")],
            sha256=rater, reviewer=rater, source_file="f.csv", fmt="csv", imported_at="now")


def _lead_sheet(path, run_id, rater="lead"):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "text", "review_label", "reviewer"])
        writer.writerow(["t1", run_id, TEXT_OF["t1"], "technical", rater])
    return path


def _configure(root, review):
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + f"\n[review]\n{review}\n")


def _import_cli(root, path, *args):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "import", str(path), "--project", str(root),
                                      *args], env={"COLUMNS": "400"})
    return result.exit_code, " ".join(result.output.split())


def test_an_adjudicators_decisions_imported_by_another_are_refused_then_said(
        reviewed_project, tmp_path):
    root, run_id = reviewed_project.root, reviewed_project.run_id
    _configure(root, 'adjudicators = ["lead"]')
    _tie(root, run_id)
    sheet = _lead_sheet(tmp_path / "lead.csv", run_id)
    with pytest.raises(ReviewError, match=r"files 1 decision as 'lead', an adjudicator's "
                                          r"decision .* imported by 'chloe', who is not that "
                                          r"adjudicator; nothing imported.*--for-adjudicator"):
        import_file(root, sheet, reviewer="chloe")
    assert len(ledger.read_decisions(ledger.ledger_path(root))) == 2  # nothing added
    code, out = _import_cli(root, sheet, "--reviewer", "chloe", "--for-adjudicator")
    assert code == 0, out
    assert ("1 decision as 'lead' ([review] adjudicators) imported by 'chloe', who is not "
            "that adjudicator (--for-adjudicator)") in out
    run = run_project(root, report=False)
    settled = explain_item(root, "t1", run.run_id).settlement
    assert settled is not None and settled.label == "technical"
    assert settled.importers == {"lead": "chloe"}
    assert "settled by adjudicator lead (imported by chloe)" in settled.describe()
    stats = review_stats(root, run.run_id)
    assert stats.settled_by_others == [("t1", "lead", "chloe")]


def test_the_adjudicator_or_a_name_that_counts_as_them_imports_without_a_flag(
        reviewed_project, tmp_path):
    root, run_id = reviewed_project.root, reviewed_project.run_id
    _configure(root, 'adjudicators = ["lead"]\nsame_rater = { "lead-desk" = "lead" }')
    _tie(root, run_id)
    own = import_file(root, _lead_sheet(tmp_path / "own.csv", run_id), reviewer="lead")
    assert own.added == 1 and not own.for_adjudicators
    desk = _lead_sheet(tmp_path / "desk.csv", run_id, rater="")  # no rater named: lead-desk
    assert import_file(root, desk, reviewer="lead-desk").added == 1
    run = run_project(root, report=False)
    settled = explain_item(root, "t1", run.run_id).settlement
    assert settled is not None and settled.importers == {}
    assert "imported by" not in settled.describe()  # the adjudicator imported it
    assert review_stats(root, run.run_id).settled_by_others == []


def test_an_adjudicators_decisions_without_reviewer_are_refused(reviewed_project, tmp_path):
    """Without --reviewer nobody is recorded as the importer, so a file whose reviewer
    column names the adjudicator settled items as them with no one answering for it."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    _configure(root, 'adjudicators = ["lead"]')
    _tie(root, run_id)
    sheet = _lead_sheet(tmp_path / "lead.csv", run_id)
    before = ledger.read_decisions(ledger.ledger_path(root))
    with pytest.raises(ReviewError, match=r"files 1 decision as 'lead'.*without --reviewer.*"
                       r"--reviewer NAME --for-adjudicator"):
        import_file(root, sheet)
    with pytest.raises(ReviewError, match="without --reviewer"):
        import_file(root, sheet, for_adjudicator=True)  # the flag names nobody either
    assert ledger.read_decisions(ledger.ledger_path(root)) == before


def test_a_decision_imported_without_reviewer_was_imported_for_nobody():
    """An empty importer is nobody filing for another: stats, explain and the audit table
    read it through the same rule."""
    from labelwright.review.imports.adjudicators import settled_by_others

    lead = ledger.Decision("t1", "billing", "", "lead", "", "now", "f.csv", "x", "1", "r",
                           "csv")
    assert not ledger.imported_for_another("", "lead", {})
    assert ledger.imported_for_another("chloe", "lead", {})
    assert not ledger.imported_for_another("boss", "lead", {"boss": "lead"})
    assert settled_by_others({"t1": {"lead": lead}}, {"t1"}, ["lead"], {}) == []
