"""``review decisions``: one row per decision on a run's items, settled as explain settles
them. An auditor had `explain` item by item and no table of who decided what, who imported
it, from which file, and how each item settled."""

from __future__ import annotations

import csv

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.decisions.retire import retire_decisions
from labelwright.runs.decision_audit import COLUMNS, decision_audit, write_decision_audit
from labelwright.runs.explain.item import explain_item


def _add(root, run_id, rater, labels, *, importer=None, sha, blind=None):
    importer = importer or rater
    decisions = [ledger.Decision(item, label, importer, "" if importer == rater else rater,
                                 "2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z", f"{sha}.csv",
                                 sha, f"line {k + 2}", run_id, "csv", "queue", blind)
                 for k, (item, label) in enumerate(labels.items())]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer=importer,
                  source_file=f"{sha}.csv", fmt="csv", imported_at="2026-12-02T10:00:00Z")


def test_every_decision_on_the_runs_items_with_how_its_item_settled(reviewed_project,
                                                                   tmp_path):
    root, first = reviewed_project.root, reviewed_project.run_id
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[review]\nadjudicators = ["lead"]\n')
    _add(root, first, "alice", {"t1": "billing", "t2": "technical", "t3": "billing"},
         sha="a", blind=True)
    _add(root, first, "bob", {"t1": "technical", "t2": "technical", "t3": "technical"},
         sha="b", blind=False)
    _add(root, first, "lead", {"t1": "technical"}, importer="chloe", sha="c")
    retire_decisions(root, reviewer="ana", reason="misread the guideline", items=["t3"],
                     rater="bob")
    run = run_project(root, report=False)
    _add(root, first, "alice", {"t4": "technical"}, sha="late")  # after the run

    audit = decision_audit(root, run.run_id)
    frame = audit.frame
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 8 and audit.items == 4
    by = {(r["item_id"], r["rater"]): r for r in frame.to_dict("records")}
    lead = by["t1", "lead"]
    assert (lead["imported_by"], lead["source_file"], lead["source_row"],
            lead["source_sha256"]) == ("chloe", "c.csv", "line 2", "c")
    assert lead["settlement"].endswith("settled by adjudicator lead (imported by chloe)")
    assert lead["reviewed_label"] == "technical" == lead["run_label"]
    assert (by["t1", "alice"]["seen"], by["t1", "bob"]["seen"], lead["seen"]) == (
        "blind", "shown", "not recorded")
    assert by["t3", "bob"]["retired"].startswith("retired") \
        and by["t3", "bob"]["used_by_run"] == "no: retired"
    assert by["t4", "alice"]["used_by_run"] == "no: imported after the run"
    assert by["t4", "alice"]["reviewed_label"] == ""
    # the settlement of each item is explain's, word for word
    for item_id, rows in frame.groupby("item_id"):
        settled = explain_item(root, item_id, run.run_id).settlement
        if settled is not None:
            assert set(rows["settlement"]) == {settled.describe()}

    app = typer.Typer()
    app.add_typer(review_app, name="review")
    out = tmp_path / "audit" / "decisions.csv"
    result = CliRunner().invoke(app, ["review", "decisions", run.run_id, "--out", str(out),
                                      "--project", str(root)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (f"wrote 8 decisions on 4 items of run {run.run_id} to {out} (2 not used by the "
            "run") in said
    assert "1 imported by someone other than their rater" in said
    with open(out, encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["item_id"], r["rater"], r["used_by_run"]) for r in written] == [
        (r["item_id"], r["rater"], r["used_by_run"]) for r in frame.to_dict("records")]


def test_the_table_never_overwrites_a_project_file(reviewed_project):
    root, run_id = reviewed_project.root, reviewed_project.run_id
    _add(root, run_id, "=cmd", {"t1": "billing"}, sha="x")
    data = root / "labelwright.toml"  # the config, which the guard keeps
    before = data.read_bytes()
    with pytest.raises(RunError, match="write the decision table to a file of its own"):
        write_decision_audit(root, run_id, data)
    assert data.read_bytes() == before
    audit, out = write_decision_audit(root, run_id, root / "audit.csv")
    assert audit.frame["rater"].tolist() == ["=cmd"]  # the frame keeps the name
    with open(out, encoding="utf-8", newline="") as handle:
        assert [row["rater"] for row in csv.DictReader(handle)] == ["'=cmd"]


def test_an_old_runs_caveat_on_the_decisions_it_set_aside_reaches_the_audit(
        reviewed_project):
    """A run made before manifests recorded which decisions it set aside for a changed
    text only counted them: explain says any decision shown may be one it did not use, and
    the table said used_by_run = yes with no word of it. The caveat is the audit's, once."""
    import json

    root, first = reviewed_project.root, reviewed_project.run_id
    _add(root, first, "alice", {"t1": "billing", "t2": "technical"}, sha="a")
    run = run_project(root, report=False)
    assert decision_audit(root, run.run_id).warnings == []
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["reviews"].pop("set_aside_other_text", None)
    manifest["reviews"]["reviewed_on_other_text"] = 1
    path.write_text(json.dumps(manifest))

    audit = decision_audit(root, run.run_id)
    caveat = [w for w in audit.warnings if "made before runs recorded which" in w]
    assert len(caveat) == 1 and f"run {run.run_id} set aside 1 reviewed item(s)" in caveat[0]
    assert caveat == [w for w in explain_item(root, "t1", run.run_id).warnings
                      if "made before runs recorded which" in w]
    # the per-item warnings stay explain's: none names an item's raters here
    assert not [w for w in audit.warnings if "alice" in w]
