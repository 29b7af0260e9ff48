"""Agreement with the run's label, blind and shown decisions apart (anchoring)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.stats.agreement import wilson_interval
from labelwright.review.stats.anchoring import (
    ANCHORING,
    MIN_DECISIONS,
    NO_SIGN,
    TOO_FEW,
    anchoring,
)


def write_run(runs_dir, run_id, labels):
    """A run's labels.parquet holding ``{item id: label}`` (None: no label)."""
    folder = runs_dir / run_id
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": list(labels), "label": pd.array(list(labels.values()), dtype="string"),
                  "reasons": "", "label_source": ["none" if v is None else "model"
                                                  for v in labels.values()]}
                 ).to_parquet(folder / "labels.parquet", index=False)


def decide(item, label, rater, *, blind, export="sample", run="r1"):
    return ledger.Decision(item, label, "importer", rater, "", "2026-12-01T00:00:00+00:00",
                           "f.csv", f"sha-{rater}", f"row {item}", run, "csv", export, blind)


def group_of(rater, agreeing, *, blind, n=MIN_DECISIONS, export="sample"):
    """``n`` decisions of ``rater``, the first ``agreeing`` of them taking the run's label
    (``billing``)."""
    prefix = "s" if export == "sample" else "q"
    return [decide(f"{prefix}{k}", "billing" if k < agreeing else "technical", rater,
                   blind=blind, export=export) for k in range(n)]


@pytest.fixture
def runs_dir(tmp_path):
    write_run(tmp_path, "r1", {**{f"s{k}": "billing" for k in range(40)}, "none": None,
                               **{f"q{k}": "billing" for k in range(40)}})
    return tmp_path


def test_shown_decisions_that_take_the_runs_label_clearly_more_often_are_anchoring(runs_dir):
    decisions = [*group_of("blind-ana", 15, blind=True), *group_of("shown-bo", 30, blind=False),
                 *group_of("cy", 4, blind=False, n=5, export="queue"),
                 decide("none", "billing", "cy", blind=True),  # the run gave no label
                 decide("s1", "billing", "cy", blind=False, run="deleted")]  # run gone
    result = anchoring(decisions, runs_dir)
    blind, shown = result.group("sample", True), result.group("sample", False)
    assert (blind.decisions, blind.agreed, shown.decisions, shown.agreed) == (30, 15, 30, 30)
    assert (blind.ci_low, blind.ci_high) == wilson_interval(15, 30)
    assert result.verdict("sample") == ANCHORING
    queue = result.group("queue", False)
    assert (queue.decisions, queue.agreed) == (5, 4) and result.group("queue", True) is None
    assert result.verdict("queue") == TOO_FEW
    assert (result.unlabelled, result.unmatched) == (1, 1)


@pytest.mark.parametrize(("blind_agreeing", "shown", "verdict"), [
    (24, (30, 27), NO_SIGN),  # 0.8 blind vs 0.9 shown: the intervals overlap
    (15, (MIN_DECISIONS - 1, MIN_DECISIONS - 1), TOO_FEW),  # a gap, but too few shown
])
def test_no_verdict_of_anchoring_without_a_clear_gap_or_enough_decisions(
        runs_dir, blind_agreeing, shown, verdict):
    n, agreeing = shown
    decisions = [*group_of("ana", blind_agreeing, blind=True),
                 *group_of("bo", agreeing, blind=False, n=n)]
    assert anchoring(decisions, runs_dir).verdict("sample") == verdict


def test_each_raters_latest_decision_counts_and_unknown_ones_are_apart(runs_dir):
    """A rater who changed their mind counts once; decisions the ledger does not know to
    be blind or shown are a group of their own, in no comparison."""
    first = decide("s0", "technical", "ana", blind=True)
    later = ledger.Decision(**{**vars(first), "label": "billing",
                               "imported_at": "2026-12-02T00:00:00+00:00"})
    unknown = decide("s1", "billing", "bo", blind=None)
    result = anchoring([first, later, unknown], runs_dir)
    assert [(g.blind, g.decisions, g.agreed) for g in result.groups] == [(True, 1, 1),
                                                                         (None, 1, 1)]


def test_review_stats_reports_blind_and_shown_agreement_and_the_sign_of_anchoring(
        make_project, cli):
    """review stats could not tell blind decisions from shown ones, so a team could not
    see whether its reviewers lean on the suggestion."""
    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    records = [json.loads(line) for line in (run_dir / "sample.jsonl").read_text().splitlines()]
    suggested = {r["id"]: r["suggested_label"] for r in records if r["suggested_label"]}
    (unlabelled,) = {r["id"] for r in records} - set(suggested)
    other = {"billing": "technical", "technical": "billing"}
    code, before = cli("review", "stats", "-p", str(root))
    assert code == 0 and "Agreement with the run's label" not in before
    decisions = []
    for r in range(6):  # six raters each way, on the five items: 30 decisions a group
        for k, (item, label) in enumerate(sorted(suggested.items())):
            blind_label = label if (r + k) % 2 == 0 else other[label]  # half of them
            decisions.append(decide(item, blind_label, f"blind-{r}", blind=True,
                                    run=run_dir.name))
            decisions.append(decide(item, label, f"shown-{r}", blind=False, run=run_dir.name))
    decisions.append(decide(unlabelled, "billing", "shown-0", blind=False, run=run_dir.name))
    ledger.append(ledger.ledger_path(root), decisions, sha256="s", reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")
    code, said = cli("review", "stats", "-p", str(root))
    assert code == 0, said
    rows = " ".join(re.sub("[│┃]", " ", said).split())  # the table's cells, space apart
    low, high = wilson_interval(15, 30)
    assert (f"random sample text alone (blind) 30 15 50.0% {100 * low:.1f}%–"
            f"{100 * high:.1f}%") in rows
    assert "random sample suggestion (shown) 30 30 100.0%" in rows
    assert ("random sample: reviewers shown the suggestion took the run's label more often "
            "than blind ones (100.0% shown vs 50.0% blind; the intervals do not overlap): a "
            "sign of anchoring") in said
    assert "the fair test is one random sample reviewed both ways" in said
    assert "left out: 1 decision(s) on items their run gave no label" in said
