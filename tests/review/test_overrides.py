"""The override rate: of the labels reviewers were shown, how many they changed, per queue
reason and per round (labelwright.review.stats.overrides, ``review stats``, the report)."""

from __future__ import annotations

from datetime import UTC, datetime

from labelwright.project import run_project
from labelwright.report.reviews import review_stats as report_review_stats
from labelwright.review.decisions import ledger
from labelwright.review.stats.overrides import RANDOM_SAMPLE, overrides
from ticket_data import TICKETS

#: t7's LFs conflict (queued as billing: conflict, low_confidence); t2 is the audit's
#: (technical); no LF votes on t5 (queued without a label)
ROWS = [*TICKETS, {"id": "t7", "text": "Refund please, the app crashes", "plan": "pro",
                   "gold": ""}]


def decide(root, item_id, label, rater, run_id, *, blind=None, export="queue"):
    now = datetime.now(UTC).isoformat()
    sha = f"{rater}-{item_id}-{run_id}"
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, label, rater, "", now, now, "f.csv", sha, "line 2", run_id, "csv", export,
        blind)], sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv", imported_at=now)


def reviewed_project(make_project):
    root = make_project(gold=None, rows=ROWS)
    first = run_project(root, report=False)
    decide(root, "t7", "technical", "ana", first.run_id)  # changed the suggestion
    decide(root, "t2", "technical", "ana", first.run_id)  # kept it (the audit's)
    decide(root, "t5", "billing", "ana", first.run_id)  # no label to change
    decide(root, "t7", "billing", "bob", first.run_id, blind=True)  # shown nothing
    return root, first


def test_each_reason_and_round_counts_the_shown_labels_reviewers_changed(make_project):
    root, first = reviewed_project(make_project)
    second = run_project(root, report=False)
    decide(root, "t1", "technical", "ana", second.run_id, export="sample")
    result = overrides(ledger.read_decisions(ledger.ledger_path(root)), root / "runs")
    reasons = {r.group: (r.shown, r.changed) for r in result.by_reason}
    assert reasons == {"conflict": (1, 1), "low_confidence": (1, 1), "audit": (1, 0),
                       RANDOM_SAMPLE: (1, 1)}
    assert [(r.group, r.shown, r.changed) for r in result.by_run] == [
        (first.run_id, 2, 1), (second.run_id, 1, 1)]
    assert (result.total.shown, result.total.changed) == (3, 2)
    assert result.total.rate == 2 / 3
    assert (result.blind, result.unlabelled, result.unmatched) == (1, 1, 0)


def test_review_stats_prints_the_override_rate(make_project, cli):
    root, first = reviewed_project(make_project)
    run_project(root, report=False)
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out
    assert "Labels reviewers changed (of the labels they were shown)" in out
    assert "│ conflict │ 1 │ 1 │ 100.0% │" in out
    assert f"│ {first.run_id} │ 2 │ 1 │ 50.0% │" in out
    assert "│ all │ 2 │ 1 │ 50.0% │" in out
    assert ("not counted: 1 decision of blind exports (shown no label), 1 decision on items "
            "their run gave no label") in out


def test_the_report_has_a_round_row_of_the_labels_shown(make_project):
    root, first = reviewed_project(make_project)
    second = run_project(root, report=False)
    stats = report_review_stats(second.run_dir)
    assert stats is not None
    # the blind decision counts in "all" (as before) but not in its round's row
    assert stats.model_agreement[f"round: run {first.run_id}"] == (1, 2)
    assert stats.model_agreement["all"] == (2, 3)


def test_the_report_columns_count_as_review_stats_does(make_project):
    """The report's changed / override rate columns are ``review stats``' figures: blind
    decisions and the adjudicators' aside (empty on their rows), a random sample's decision
    under its row alone, while the agreement columns keep counting them."""
    root = make_project(gold=None, rows=ROWS, extra='\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    decide(root, "t7", "technical", "ana", first.run_id)  # changed (conflict, low_confidence)
    decide(root, "t2", "technical", "ana", first.run_id)  # kept (the audit's)
    decide(root, "t2", "billing", "cy", first.run_id, export="sample")  # the sample's
    decide(root, "t7", "billing", "bob", first.run_id, blind=True)
    decide(root, "t7", "technical", "lead", first.run_id)  # settles t7
    second = run_project(root, report=False)
    cli = overrides(ledger.read_decisions(ledger.ledger_path(root)), root / "runs",
                    adjudicators={"lead"})
    assert (cli.blind, cli.adjudicators) == (1, 1)
    stats = report_review_stats(second.run_dir)
    assert stats is not None
    expected = {r.group: (r.changed, r.shown) for r in cli.by_reason}
    expected |= {f"round: run {r.group}": (r.changed, r.shown) for r in cli.by_run}
    expected["all"] = (cli.total.changed, cli.total.shown)
    expected["queue"] = (1, 1)  # t7 by ana: the queue's hard items
    assert stats.overridden == expected
    assert expected["audit"] == (0, 1) and expected[RANDOM_SAMPLE] == (1, 1)
    # the agreement columns still count the sample's decision on the audit item, the blind
    # one and the adjudicator's
    assert stats.model_agreement["audit"] == (1, 2)
    assert "adjudicators" in stats.model_agreement and "adjudicators" not in stats.overridden
    assert not any("blind" in row for row in stats.overridden)


def test_review_stats_leaves_the_adjudicators_out_of_the_override_rate(make_project, cli):
    root = make_project(gold=None, rows=ROWS, extra='\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    decide(root, "t7", "technical", "ana", first.run_id)
    decide(root, "t7", "billing", "bob", first.run_id)
    decide(root, "t7", "technical", "lead", first.run_id)
    run_project(root, report=False)
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out
    assert "│ conflict │ 2 │ 1 │ 50.0% │" in out
    assert "1 decision of adjudicators (they settle disagreements)" in out
