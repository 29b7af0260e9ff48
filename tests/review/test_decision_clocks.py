"""Decisions dated before the export they answer (a Prodigy ``_timestamp`` of 2026-11-30 on
a run exported 2026-12-06) were imported in silence, though a wrong clock decides which
decision is a rater's latest: the import warns, with the count and the first items, and
imports them all the same."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from test_import import prodigy_row, write_jsonl
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.config import load_config
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.review.imports.decision_clocks import MARGIN
from labelwright.review.imports.file import ReviewError, import_file
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
    # imported after its decisions (one is dated an hour after the run started)
    report = import_file(reviewed_project.root, path, reviewer="alice",
                         now=start + timedelta(hours=2))
    assert report.added == 3 and report.early == ["t6"] and report.future == []
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


def labels_now(root, items):
    reviewed = reviewed_labels(root, items, load_config(root).labels)
    return [load_config(root).labels[g] if g >= 0 else None for g in reviewed.gold]


def test_a_decision_dated_after_its_import_loses_to_a_correction_imported_later(
        reviewed_project, tmp_path):
    """A Prodigy answer stamped a day ahead, then the cumulative db-out with the reviewer's
    correction a minute later: the stamp made the first answer the latest, so the run kept
    it, and the import called the correction "replaced by the same rater's later
    decision". A decision counts as made no later than its import, and the import says
    which decisions are dated after it."""
    root, run = reviewed_project.root, reviewed_project.run_id
    base = started(reviewed_project.run_dir) + timedelta(hours=1)
    ahead = answer("t6", run, base + timedelta(days=1))
    first = write_jsonl(tmp_path / "db-out-1.jsonl", [ahead])
    report = import_file(root, first, reviewer="alice", now=base)
    assert report.future == ["t6"]
    (said,) = report.clock_warnings
    assert said.startswith(f"1 decision(s) are dated after this import ({base.isoformat()[:19]}), "
                           f"which cannot be: 't6' at line 1 decided "
                           f"{(base + timedelta(days=1)).isoformat()[:19]}")
    assert "each counts as made when it was imported" in said
    correction = {**answer("t6", run, base + timedelta(seconds=60)), "accept": ["technical"]}
    second = write_jsonl(tmp_path / "db-out-2.jsonl", [ahead, correction])
    with pytest.raises(ReviewError, match="t6 by reviews-alice: billing -> technical"):
        import_file(root, second, reviewer="alice", now=base + timedelta(minutes=2))
    report = import_file(root, second, reviewer="alice", relabel=True,
                         now=base + timedelta(minutes=2))
    assert report.added == 1 and report.future == []
    assert labels_now(root, ["t6"]) == ["technical"]


def test_a_decision_dated_ahead_that_outranks_its_raters_other_label_is_named(
        reviewed_project, tmp_path):
    """Both answers first seen in one file: the one stamped a day ahead is the rater's
    latest either way, and the import names the item, as the wrong clock decides it."""
    root, run = reviewed_project.root, reviewed_project.run_id
    base = started(reviewed_project.run_dir) + timedelta(hours=1)
    path = write_jsonl(tmp_path / "db-out.jsonl", [
        answer("t6", run, base + timedelta(days=1)),
        {**answer("t6", run, base + timedelta(seconds=60)), "accept": ["technical"]},
        answer("t5", run, base + timedelta(days=1))])
    report = import_file(root, path, reviewer="alice", now=base + timedelta(minutes=2))
    assert report.future == ["t6", "t5"]
    (said,) = report.clock_warnings
    assert ("on 't6' one of them is now its rater's latest decision over another label they "
            "gave") in said
    assert labels_now(root, ["t6", "t5"]) == ["billing", "billing"]


def test_outranking_names_only_items_where_a_decision_dated_ahead_beats_another_label():
    """t1: dated ahead over ana's other label (named); t2: dated ahead, the same label as
    her other decision (nothing to tell); t3: dated ahead, then her correction imported
    later (the correction counts); t4: ben's other label is not ana's."""
    from labelwright.review.decisions.ledger import Decision
    from labelwright.review.imports.decision_clocks import future_decisions, outranking

    def made(item, label, rater, decided, imported):
        return Decision(item, label, rater, "", decided, imported, "f", "s", "line 1", "r",
                        "prodigy", "queue")

    early, now, later = ("2026-12-01T00:00:00+00:00", "2026-12-02T00:00:00+00:00",
                         "2026-12-03T00:00:00+00:00")
    ahead = "2026-12-09T00:00:00+00:00"
    decisions = [
        made("t1", "billing", "ana", early, early), made("t1", "technical", "ana", ahead, now),
        made("t2", "billing", "ana", early, early), made("t2", "billing", "ana", ahead, now),
        made("t3", "technical", "ana", ahead, now), made("t3", "billing", "ana", later, later),
        made("t4", "billing", "ben", early, early), made("t4", "technical", "ana", ahead, now)]
    future = future_decisions(decisions)
    assert [d.item_id for d in future] == ["t1", "t2", "t3", "t4"]
    assert outranking(future, decisions, {}) == ["t1"]
    assert outranking(future, decisions, {"ben": "ana"}) == ["t1", "t4"]
