"""The Labels table: gold labels and the label model's, side by side, over the same
held-out gold items the Summary's accuracy is over, and in the same unit."""

from __future__ import annotations

from report_runs import make_run
from test_report_summary import _cells, _tickets

from labelwright.percent import percent
from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.data import load_run
from labelwright.review.decisions import ledger
from page_text import unisolated


def _labels_section(run_dir):
    return render_report(run_dir).split('<section id="labels">')[1].split("</section>")[0]


def test_the_gold_column_counts_the_held_out_items_beside_the_models_labels(make_project):
    """The gold column counted all 3,000 gold rows while the Summary used the 2,984 held out,
    and it showed gold counts beside predicted shares."""
    rows = _tickets(120)
    root = make_project(rows=rows)
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision(r["id"], r["gold"], "ana", "", "", "now", "f", "s1", f"row {k}", "r1",
                        "csv") for k, r in enumerate(rows[:20])],
        sha256="s1", reviewer="ana", source_file="f", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    n_gold = result.evaluation["n_gold"]
    assert n_gold == 100 and result.evaluation["reviewed_left_out"] == 20

    labels = result.labels
    held = labels[labels["gold"].notna() & (labels["label_source"] != "review")]
    section = unisolated(_labels_section(result.run_dir))
    table = {row[0]: row for row in _cells(section.split("</table>")[0])}
    header = section.split("<thead>")[1].split("</thead>")[0]
    assert ("<th>held-out gold: gold label</th><th>held-out gold: label model</th>"
            in header)
    for label in ("billing", "technical"):
        gold_n = int((held["gold"] == label).sum())
        given_n = int((held["model_label"] == label).sum())
        assert table[label][4] == f"{percent(gold_n / n_gold)} ({gold_n:,})"
        assert table[label][5] == f"{percent(given_n / n_gold)} ({given_n:,})"
        # all items, reviewed labels included, as before
        assert table[label][1] == f"{int((labels['label'] == label).sum()):,}"
    none = int(held["model_label"].isna().sum())
    assert none and table["(none)"][3:] == ["", "", f"{percent(none / n_gold)} ({none:,})"]
    assert (f"over the same {n_gold:,} held-out gold items as the accuracy in the Summary "
            "(gold rows without a reviewed label: the 20 with one are left out") in section
    data = load_run(result.run_dir)
    assert sum(data.gold.values()) == sum(data.gold_given.values()) == n_gold


def test_without_gold_the_table_has_no_gold_columns(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, gold=False,
                       examples=False)
    section = _labels_section(run_dir)
    assert "held-out gold" not in section.split("</table>")[0]
    assert "No held-out gold items" in section


def test_each_labels_coverage_is_beside_its_items(make_project):
    """A label the LFs seldom vote for was visible only by adding up the LF table's rows of
    its polarity; the Labels table gives each label's coverage, as run prints it."""
    import numpy as np

    result = run_project(make_project(rows=_tickets(60)), report=False)
    votes = result.applied.matrix.votes
    section = unisolated(_labels_section(result.run_dir))
    header = section.split("<thead>")[1].split("</thead>")[0]
    assert "<th>share of all items</th><th>items with a vote for it</th>" in header
    table = {row[0]: row for row in _cells(section.split("</table>")[0])}
    for k, label in enumerate(("billing", "technical")):
        n = int((votes == k).any(axis=1).sum())
        assert n and table[label][3] == f"{percent(n / len(votes))} ({n:,})"
    assert table["(none)"][3] == ""
    assert "a label the LFs seldom vote for is one the label model can seldom give" in section
    assert np.array_equal(load_run(result.run_dir).voted["billing"],
                          int((votes == 0).any(axis=1).sum()))
