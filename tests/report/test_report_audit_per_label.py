"""An audit shared alike per label: review stats, the report and the next run give each
label's precision and the accuracy of all accepted labels weighted back by label."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from test_report_reviews import review
from test_report_summary import _tickets
from typer.testing import CliRunner

from labelwright.cli.audit_lines import previous_audit_lines
from labelwright.cli.review import review_app
from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.review.stats.previous_audit import accepted_labels, changed_labels
from labelwright.review.stats.summary import review_stats
from labelwright.runs.store import read_manifest


def _audited_run(make_project, allocation: str):
    """A run of 120 tickets with an audit of 8 shared by ``allocation``, whose audit items
    are reviewed: every billing label right, half the technical ones wrong."""
    root = make_project(rows=_tickets(120), gold=None,
                        extra=f'audit_allocation = "{allocation}"\n')
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", "audit_size = 8"))
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")
    audited = shown.index[shown["reasons"].fillna("") == "audit"].tolist()
    technical = [i for i in audited if shown.loc[i, "label"] == "technical"]
    wrong = set(technical[: len(technical) // 2])
    review(root, first, [(i, "billing" if i in wrong else shown.loc[i, "label"])
                         for i in audited], sha="a")
    return root, first, shown, audited, wrong


def test_review_stats_weights_a_per_label_audit_back_by_each_labels_accepted_items(
        make_project):
    root, first, shown, audited, wrong = _audited_run(make_project, "per_label")
    strata = read_manifest(first.run_dir)["triage"]["audit_strata"]
    assert {name: s["audited"] for name, s in strata.items()} == {"billing": 4,
                                                                  "technical": 4}
    stats = review_stats(root, first.run_id)
    own = stats.own
    assert own is not None and own.audit_allocation == "per_label"
    by_label = {p.label: p for p in own.audit_per_label}
    assert (by_label["billing"].correct, by_label["billing"].reviewed) == (4, 4)
    assert (by_label["technical"].correct, by_label["technical"].reviewed) == (2, 4)
    total = sum(s["accepted"] for s in strata.values())
    expected = (strata["billing"]["accepted"] * 1.0
                + strata["technical"]["accepted"] * 0.5) / total
    assert stats.audit.accuracy == pytest.approx(expected)
    assert (stats.audit.correct, stats.audit.reviewed) == (6, 8)
    assert stats.audit.ci_low <= expected <= stats.audit.ci_high
    second = run_project(root, report=True)
    page = render_report(second.run_dir)
    assert "audit size 8 shared alike per label" in page  # the summary's triage row
    part = page.split(f"Precision of accepted labels per predicted label, run <code>"
                      f"{first.run_id}")[1]
    assert "2 / 4" in part and "too few audited items" in part
    assert "weighted by each label" in part
    # the page's one method, Wilson (15.0%-85.0% for 2 of 4), not review stats' exact
    # 6.8%-93.2%: the same figure had two intervals on one page
    assert "15.0%–85.0%" in part and "6.8%–93.2%" not in part
    assert "95% Wilson interval, as the accuracy above" in part


def test_review_stats_prints_each_labels_precision_and_the_weighting(make_project):
    root, first, *_ = _audited_run(make_project, "per_label")
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", first.run_id, "--project",
                                      str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "weighted by label (6/8;" in text
    assert "99/100" not in text and "6/8 right unweighted" in text
    assert "Precision of accepted labels per predicted label" in text
    # after the accepted items: audited, reviewed, right, precision, exact interval, note
    technical = text.split("│ technical │")[1].split("│")
    assert [cell.strip() for cell in technical[1:7]] == ["4", "4", "2", "50.0%",
                                                         "6.8%–93.2%", "too few audited "
                                                         "items (under 10)"]


def test_a_proportional_audit_keeps_its_unweighted_figure(make_project):
    root, first, *_ = _audited_run(make_project, "proportional")
    stats = review_stats(root, first.run_id)
    assert stats.audit.weighted is None
    assert stats.audit.accuracy == stats.audit.correct / stats.audit.reviewed
    assert stats.own is not None and sum(p.reviewed for p in stats.own.audit_per_label) == 8


def test_the_next_run_says_whether_the_audit_measures_its_accepted_labels(make_project):
    root, first, shown, audited, wrong = _audited_run(make_project, "per_label")
    second = run_project(root, report=False)
    lines = previous_audit_lines(second.run_dir.parent, second.run_id, second.labels)
    # the majority vote gives every other item the label it gave before
    assert f"from run {first.run_id}'s audit: every one of this run's" in lines[0]
    assert "technical 50.0% (2/4, too few audited items" in lines[1]
    # an accepted label that changed since: the figure does not measure the run
    changed = second.labels.copy()
    row = changed.index[(changed["status"] == "accepted").to_numpy()][0]
    changed.loc[row, "label"] = {"billing": "technical", "technical": "billing"}[
        changed.loc[row, "label"]]
    (line,) = previous_audit_lines(second.run_dir.parent, second.run_id, changed)
    assert "does not measure this run's" in line and "1 had another label there" in line
    assert "0 were not accepted by run" in line
    # one label accepted now that the earlier run sent to review: "1 was", not "1 were"
    before = first.labels
    queued = before["id"][(before["status"] != "accepted").to_numpy()
                          & before["label"].notna().to_numpy()].iloc[0]
    newly = second.labels.copy()
    newly.loc[(newly["id"] == queued).to_numpy(), "status"] = "accepted"
    line = previous_audit_lines(second.run_dir.parent, second.run_id, newly)[0]
    assert "1 was not accepted by run" in line, line
    # the first run: no earlier audit
    (first_line,) = previous_audit_lines(first.run_dir.parent, first.run_id, first.labels)
    assert "no earlier run's audit sample is reviewed yet" in first_line


def test_changed_labels_counts_new_and_relabelled_items():
    then = accepted_labels(pd.DataFrame({
        "id": ["a", "b", "c", "d"], "label": ["x", "y", "x", "y"],
        "status": ["accepted", "accepted", "review", "review"],
        "reasons": ["", "", "audit", "conflict"]}), with_audit=True)
    assert then.to_dict() == {"a": "x", "b": "y", "c": "x"}
    now = pd.Series({"a": "x", "b": "x", "c": "x", "d": "y"})
    assert changed_labels(now, then) == (1, 1)  # d was not accepted; b had y


def test_a_run_whose_accepted_items_all_have_gold_says_it_drew_no_audit(make_project):
    # gold held out for every item: the audit draw leaves them all out, so the run's
    # advice is not to export an audit it does not have
    root = make_project(rows=_tickets(40))
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", "audit_size = 8"))
    run = run_project(root, report=False)
    triage = read_manifest(run.run_dir)["triage"]
    accepted = triage["counts"]["accepted"]
    assert accepted > 0 and triage["counts"]["audit"] == 0
    (line,) = previous_audit_lines(run.run_dir.parent, run.run_id, run.labels, triage=triage)
    assert f"this run drew no audit sample: all {accepted:,} of its accepted items have " \
           "held-out gold" in line
    assert "--reason audit" not in line
    # gold left out of half the rows: those are audited, and the advice is to review them
    rows = [{**row, "gold": row["gold"] if k % 2 else ""} for k, row in enumerate(_tickets(40))]
    root = make_project(rows=rows, root=root.parent / "half_gold")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", "audit_size = 8"))
    run = run_project(root, report=False)
    triage = read_manifest(run.run_dir)["triage"]
    assert triage["counts"]["audit"] > 0
    (line,) = previous_audit_lines(run.run_dir.parent, run.run_id, run.labels, triage=triage)
    assert line.endswith("review this run's with `labelwright review export --reason audit`")
    # the audit turned off
    off = {**triage, "audit_size": 0, "counts": {**triage["counts"], "audit": 0}}
    (line,) = previous_audit_lines(run.run_dir.parent, run.run_id, run.labels, triage=off)
    assert "this run draws no audit ([triage] audit_size = 0)" in line
