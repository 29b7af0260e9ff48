"""Decisions dated before the export they answer (a Prodigy ``_timestamp`` of 2026-11-30 on
a run exported 2026-12-06) were imported in silence, though a wrong clock decides which
decision is a rater's latest: the import warns, with the count and the first items, and
imports them all the same."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from test_import import prodigy_row, write_jsonl
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.decision_clocks import MARGIN
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from labelwright.runs.review_exports import read_review_exports


def started(run_dir) -> datetime:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return datetime.fromisoformat(manifest["started_at"])


def answer(item, run, when: datetime):
    return {**prodigy_row(item, run, "accept", ["billing"]), "_timestamp": when.timestamp()}


def test_a_decision_dated_before_its_run_warns_and_imports(reviewed_project, tmp_path):
    run_dir, run = reviewed_project.run_dir, reviewed_project.run_id
    start = started(run_dir)
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        answer("t6", run, start - timedelta(days=6)),  # a clock days behind
        answer("t5", run, start + timedelta(hours=1)),
        answer("t4", run, start - MARGIN / 2),  # a clock a little behind: no warning
    ])
    report = import_file(reviewed_project.root, path, reviewer="alice")
    assert report.added == 3 and report.early == ["t6"]
    (said,) = report.clock_warnings
    assert said.startswith("1 decision(s) are dated before the export they answer, which "
                           f"cannot be: 't6' decided {(start - timedelta(days=6)).isoformat()[:19]}"
                           f", its run started {start.isoformat()[:19]}")
    assert "the time decides which of a rater's decisions on an item is the latest" in said


def test_the_bound_is_the_items_first_recorded_export(reviewed_project, tmp_path):
    run_dir, run = reviewed_project.run_dir, reviewed_project.run_id
    export_run(run_dir, "prodigy", tmp_path / "queue.jsonl")
    (record,) = read_review_exports(run_dir.parent)
    exported = datetime.fromisoformat(record.exported_at)
    item = record.items[0]
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        answer(item, run, exported - timedelta(hours=2))])  # after the run, before the export
    runner = CliRunner()
    result = runner.invoke(review_app, ["import", str(path), "--reviewer", "alice",
                                        "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (f"1 decision(s) are dated before the export they answer, which cannot be: "
            f"{item!r} decided {(exported - timedelta(hours=2)).isoformat()[:19]}, exported "
            f"{exported.isoformat()[:19]}") in said
    assert "imported all the same" in said
