"""The report's Reviews section gives the raters' agreement per label, as `review stats`
does: one figure for the whole label set hid a label the raters read differently."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.reviews import review_stats
from labelwright.review.decisions import ledger
from labelwright.review.stats.label_agreement import label_agreement
from page_text import unisolated


def _reviewed_twice(root, run_id, by_rater):
    """The next run, once each rater's labels (item id -> label) of ``run_id``'s queue are
    in the ledger, each from a file of their own."""
    for n, (rater, labels) in enumerate(by_rater.items()):
        sha = f"s{n}"
        ledger.append(ledger.ledger_path(root), [
            ledger.Decision(i, label, rater, "", "", "now", "f.csv", sha, f"row {k}",
                            run_id, "csv", "queue")
            for k, (i, label) in enumerate(labels.items())], sha256=sha, reviewer=rater,
            source_file="f.csv", fmt="csv", imported_at="now")
    return run_project(root, report=False)


def test_agreement_per_label_in_the_runs_label_order(make_project):
    root = make_project(labels=("billing", "technical", "Katy Perry"))
    first = run_project(root, report=False)
    items = first.labels["id"].tolist()[:4]
    ana = {items[0]: "technical", items[1]: "billing", items[2]: "billing",
           items[3]: "technical"}
    bo = {**ana, items[3]: "billing"}  # one disagreement; no rater chose Katy Perry

    second = _reviewed_twice(root, first.run_id, {"ana": ana, "bo": bo})
    stats = review_stats(second.run_dir)
    assert stats is not None and stats.per_label is not None
    # the figures review stats gives, from the same counts (items by label)
    counts = np.array([[0, 2, 0], [2, 0, 0], [2, 0, 0], [1, 1, 0]])
    expected = label_agreement(counts, ["billing", "technical", "Katy Perry"], seed=0)
    assert stats.per_label["label"].tolist() == ["billing", "technical", "Katy Perry"]
    assert stats.per_label["ratings"].tolist() == [5, 3, 0]
    assert stats.per_label["specific"].tolist() == pytest.approx(
        expected["specific"].tolist(), nan_ok=True)
    page = unisolated(render_report(second.run_dir))
    assert "<h3>Agreement per label</h3>" in page
    billing = stats.per_label.iloc[0]
    assert (f"<tr><td>billing</td><td>5</td><td>{100 * billing.specific:.1f}%</td>"
            f"<td>{billing.alpha:.3f}</td>") in page
    # a label no rater chose is a row of its own, not left out
    assert "<tr><td>Katy Perry</td><td>0</td><td>—</td><td>—</td><td>—</td></tr>" in page


def test_the_labels_reviewers_split_on(make_project):
    """`review stats` names the label pairs raters split on (`promo / spam (10 items)`); the
    report gave only the per-label figures, not with which label one is confused."""
    root = make_project(labels=("billing", "technical", "Katy Perry"))
    first = run_project(root, report=False)
    items = first.labels["id"].tolist()[:4]
    ana = {items[0]: "technical", items[1]: "billing", items[2]: "Katy Perry",
           items[3]: "technical"}
    bo = {**ana, items[2]: "billing", items[3]: "billing"}
    second = _reviewed_twice(root, first.run_id, {"ana": ana, "bo": bo})
    stats = review_stats(second.run_dir)
    assert stats is not None
    assert stats.splits == [("billing", "technical", 1), ("billing", "Katy Perry", 1)]
    page = unisolated(render_report(second.run_dir))
    assert ("<p>The labels reviewers split on: billing / technical (1 item), "
            "billing / Katy Perry (1 item).</p>") in page
    # under the per-label table, where the report shows the raters' agreement
    assert page.index("<h3>Agreement per label</h3>") < page.index("split on:")


def test_no_split_no_line(make_project):
    root = make_project(labels=("billing", "technical"))
    first = run_project(root, report=False)
    items = first.labels["id"].tolist()[:2]
    same = {items[0]: "technical", items[1]: "billing"}
    second = _reviewed_twice(root, first.run_id, {"ana": same, "bo": same})
    page = unisolated(render_report(second.run_dir))
    assert "<h3>Agreement per label</h3>" in page and "split on" not in page
