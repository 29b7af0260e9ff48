"""Which of a rater's decisions on an item is the latest when one is dated after its
import (a clock ahead): one order for runs, ``explain`` and ``runs verify``. Such a
decision counts from its import time, with its tool's time among those equal; a run made
before that rule read the tool's time alone, and ``runs verify`` reads its decisions as it
did (it called the run's reviewed rows edited since)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

import labelwright
from labelwright.project import run_project
from labelwright.review.decisions import decision_times, ledger
from labelwright.runs.explain.item import explain_item
from labelwright.runs.file_names import LABELS_FILE

NOW = datetime.now(UTC)


def _file(root, item, label, *, decided, imported, sha, run_id):
    """One decision of ana's filed as an import of ``sha`` at ``imported``."""
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item, label, "ana", "", decided.isoformat(), imported.isoformat(), "f.jsonl", sha,
        "line 1", run_id, "prodigy", "queue")], sha256=sha, reviewer="ana",
        source_file="f.jsonl", fmt="prodigy", imported_at=imported.isoformat())


@pytest.fixture
def clock_ahead(make_project):
    """t1: billing stamped a day ahead, then technical, ana's real correction a minute
    later, imported two minutes later."""
    root = make_project()
    first = run_project(root, report=False)
    _file(root, "t1", "billing", decided=NOW + timedelta(days=1), imported=NOW, sha="a",
          run_id=first.run_id)
    _file(root, "t1", "technical", decided=NOW + timedelta(seconds=60),
          imported=NOW + timedelta(seconds=120), sha="b", run_id=first.run_id)
    return root


def _label(run, item):
    import pandas as pd

    frame = pd.read_parquet(run.run_dir / LABELS_FILE).set_index("id")
    return frame.loc[item, "label"]


def test_a_run_takes_the_correction_over_a_decision_dated_ahead(clock_ahead):
    run = run_project(clock_ahead, report=False)
    assert _label(run, "t1") == "technical"
    (check,) = labelwright.verify_runs(clock_ahead, run.run_id)
    assert check.ok, check.failures


def _tool_time_alone(decided_at: str, imported_at: str) -> datetime:
    """The order of runs from before: the tool's time, else the import's."""
    for text in (decided_at, imported_at):
        when = decision_times.parse_time(text) if text else None
        if when is not None:
            return when
    return datetime.min.replace(tzinfo=UTC)


def test_a_run_from_before_is_verified_as_it_read_its_decisions(clock_ahead, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(decision_times, "decision_time", _tool_time_alone)
        run = run_project(clock_ahead, report=False)
    assert _label(run, "t1") == "billing"  # the tool's time alone: the stamp a day ahead
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["reviews"].pop(decision_times.ORDER_FIELD) == "capped at import"
    path.write_text(json.dumps(manifest), encoding="utf-8")  # as a run from before wrote it
    (check,) = labelwright.verify_runs(clock_ahead, run.run_id, recompute=True)
    assert check.ok, check.failures
    assert explain_item(clock_ahead, "t1", run.run_id).settlement.label == "billing"


def test_explain_takes_the_latest_of_decisions_dated_ahead_as_the_run_does(make_project):
    """Two of ana's decisions dated ahead, filed at one import time: each counts from it,
    and the tool's times order them (technical, two days ahead, is the later); explain went
    by the order of filing and showed billing."""
    root = make_project()
    first = run_project(root, report=False)
    _file(root, "t1", "technical", decided=NOW + timedelta(days=2), imported=NOW, sha="a",
          run_id=first.run_id)
    _file(root, "t1", "billing", decided=NOW + timedelta(days=1), imported=NOW, sha="b",
          run_id=first.run_id)
    run = run_project(root, report=False)
    assert _label(run, "t1") == "technical"
    assert explain_item(root, "t1", run.run_id).settlement.label == "technical"


def _file_as(root, rater, item, label, *, decided, imported, sha, run_id):
    """One decision of ``rater``'s filed as an import of ``sha`` at ``imported``."""
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item, label, rater, "", decided.isoformat(), imported.isoformat(), "f.jsonl", sha,
        "line 1", run_id, "prodigy", "queue")], sha256=sha, reviewer=rater,
        source_file="f.jsonl", fmt="prodigy", imported_at=imported.isoformat())


def test_review_stats_as_read_counts_raters_in_the_old_runs_order(clock_ahead, monkeypatch):
    """bob agrees with ana's stamp a day ahead (billing) on t1 and with her on t2: a run
    from before read no disagreement, and its --as-read agreement is perfect. The rating
    table took the new order and counted t1 as ana technical against bob billing."""
    from labelwright.review.stats.summary import review_stats

    first = ledger.read_decisions(ledger.ledger_path(clock_ahead))[0].run_id
    _file_as(clock_ahead, "bob", "t1", "billing", decided=NOW, imported=NOW, sha="c",
             run_id=first)
    for rater, sha in (("ana", "d"), ("bob", "e")):
        _file_as(clock_ahead, rater, "t2", "technical", decided=NOW, imported=NOW, sha=sha,
                 run_id=first)
    with monkeypatch.context() as patch:
        patch.setattr(decision_times, "decision_time", _tool_time_alone)
        run = run_project(clock_ahead, report=False)
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["reviews"].pop(decision_times.ORDER_FIELD)
    path.write_text(json.dumps(manifest), encoding="utf-8")  # as a run from before wrote it
    stats = review_stats(clock_ahead, run.run_id, as_read=True)
    assert not stats.reviewed.disagreements
    assert stats.alpha == pytest.approx(1.0)
    assert stats.pairs["kappa"].tolist() == [pytest.approx(1.0)]
    now = review_stats(clock_ahead, run.run_id)  # the ledger as it is: ana's correction
    assert now.reviewed.disagreements == ["t1"]
    assert now.alpha < 1
