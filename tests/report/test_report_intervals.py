"""The figures a ship decision rests on carry 95% intervals, as the review rows do; the
class balance says what it was estimated from."""

from __future__ import annotations

import json
import math
import re

import pytest
from report_runs import make_run
from test_report_summary import _cells, _edit_manifest, _row, _summary, _tickets

from labelwright.percent import percent
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from page_text import unisolated

Z = 1.959963984540054  # the 97.5% point of the standard normal


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval, written out (not the code under test's)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def bounds(cell: str) -> tuple[float, float]:
    """``64.5%–83.2%`` (alone or in parentheses) as two shares."""
    low, high = re.search(r"(\d+\.\d)%–(\d+\.\d)%", cell).groups()
    return float(low) / 100, float(high) / 100


def review(root, rows, sha, run_id="r1", export="queue"):
    decisions = [ledger.Decision(item, label, "ana", "", "", "now", "f", sha, f"row {k}",
                                 run_id, "csv", export) for k, (item, label) in enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="ana",
                  source_file="f", fmt="csv", imported_at="now")


def test_the_accuracy_and_per_label_figures_have_wilson_intervals(make_project):
    """The headline accuracy, accuracy where labeled and precision / recall / F1 had counts
    but no interval, while the review rows beside them had one."""
    flip = {"billing": "technical", "technical": "billing"}
    rows = [{**r, "gold": flip[r["gold"]]} if k % 7 == 0 else r  # some labels wrong
            for k, r in enumerate(_tickets(160))]
    root = make_project(rows=rows)
    review(root, [(r["id"], r["gold"]) for r in rows[:20]], "s1")
    result = run_project(root)
    labels = result.labels
    held = labels[labels["gold"].notna() & (labels["label_source"] != "review")]
    given = held["model_label"].astype(object)
    right = int((given == held["gold"].astype(object)).sum())
    labeled = int(given.notna().sum())
    right_labeled = int(((given == held["gold"].astype(object)) & given.notna()).sum())
    n = len(held)
    assert 0 < right_labeled < labeled < n

    summary = unisolated(_summary(result.run_dir))
    table = _cells(summary.split("<h3>Accuracy on held-out gold")[1].split("</table>")[0])
    model_row = table[0]
    assert model_row[1] == percent(right / n)
    assert bounds(model_row[2]) == pytest.approx(wilson(right, n), abs=6e-4)
    assert bounds(model_row[6]) == pytest.approx(wilson(right_labeled, labeled), abs=6e-4)
    header = (result.run_dir / "report.html").read_text().split("</header>")[0]
    assert f"accuracy on {n:,} gold (95%: {model_row[2]})" in header

    per_label = {row[0]: row for row in _cells(
        summary.split("<h3>Per label, on the same held-out gold</h3>")[1].split("</table>")[0])}
    for label in ("billing", "technical"):
        tp = int(((given == label) & (held["gold"] == label)).sum())
        gold_n, given_n = int((held["gold"] == label).sum()), int((given == label).sum())
        row = per_label[label]
        assert bounds(row[4]) == pytest.approx(wilson(tp, given_n), abs=6e-4)
        assert bounds(row[5]) == pytest.approx(wilson(tp, gold_n), abs=6e-4)
        # F1 = 2J / (1 + J), J the share with both of the items with either
        low, high = wilson(tp, gold_n + given_n - tp)
        assert bounds(row[6]) == pytest.approx((2 * low / (1 + low), 2 * high / (1 + high)),
                                               abs=6e-4)
        f1 = 2 * tp / (gold_n + given_n)
        assert bounds(row[6])[0] <= f1 <= bounds(row[6])[1]


def test_an_interval_reaching_all_items_ends_at_100_percent(tmp_path):
    """An interval of 5 right of 5 read '…–>99.9%'."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    accuracy = {"accuracy": 0.5, "covered_accuracy": 1.0, "labeled": 5}
    _edit_manifest(run_dir, evaluation={"n_gold": 10, "reviewed_left_out": 0,
                                        "label_model": accuracy})
    table = _cells(_summary(run_dir).split("<h3>Accuracy on held-out gold")[1]
                   .split("</table>")[0])
    assert table[0][6].endswith("–100.0%") and "&gt;" not in table[0][6]


def test_the_class_balance_says_it_is_estimated_from_the_random_sample_reviews(make_project):
    """The summary showed auto's class balance as if it were known; it is an estimate from
    the reviews of a run's random sample."""
    rows = _tickets(240)
    # no gold column: the rows' gold labels are the reviewers' answers
    root = make_project(rows=rows, gold=None, model="auto", extra="random_sample = 40\n")
    first = run_project(root, report=False)
    gold = {r["id"]: r["gold"] for r in rows}
    sample = [json.loads(line)["id"] for line in
              (first.run_dir / "sample.jsonl").read_text().splitlines()]
    review(root, [(i, gold[i]) for i in sample], "s1", first.run_id, "sample")
    second = run_project(root)
    record = second.model.gold_sample_
    assert record["source"] == "random sample" and record["representative"], record
    shown = _row(_summary(second.run_dir), "class balance")
    assert shown.endswith(f"(estimated from {len(sample)} random-sample reviews, weighted to "
                          "all items&#x27; vote patterns)")


REVIEWS = {"count": 1898, "decisions": 3971, "items_with_gold": 1898}


@pytest.mark.parametrize(("label_model", "said"), [
    ({"class_balance_setting": [0.5, 0.25, 0.25]},
     "as [label_model] class_balance sets it: given, not estimated"),
    ({"class_balance": [1 / 3, 1 / 3, 1 / 3]}, "assumed equal, not estimated"),
    ({"gold_sample": {"source": "random sample", "representative": True,
                      "sampled_rows": 598, "other_rows": 1300}},
     "estimated from 598 random-sample reviews, weighted to all items&#x27; vote patterns; "
     "the 1,300 other reviewed items (the queue&#x27;s) count as themselves"),
    ({"gold_sample": {"source": "check", "representative": False}},
     "estimated from 1,898 reviewed labels that are no random sample, weighted to all "
     "items&#x27; vote patterns"),
    ({"params": {"learn_class_balance": True}},
     "estimated from the votes by the label model&#x27;s fit (learn_class_balance)"),
    ({}, "estimated from the mix of 1,898 reviewed labels"),
])
def test_the_class_balance_says_where_it_came_from(tmp_path, label_model, said):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    _edit_manifest(run_dir, reviews=REVIEWS,
                   label_model={**manifest["label_model"], "class_balance": [0.6, 0.3, 0.1],
                                **label_model})
    assert _row(_summary(run_dir), "class balance").endswith(f"({said})")
