"""The Review queue section: statuses (one per item) apart from reasons (several per item),
reasons by readable names with their keys kept."""

from __future__ import annotations

import pandas as pd
from report_runs import make_run

from labelwright.report import REASON_NAMES, render_report
from labelwright.report.data import load_run


def _queue(run_dir) -> str:
    page = render_report(run_dir)
    start = page.index('<section id="queue">')
    return page[start:page.index("</section>", start)]


def test_statuses_and_reasons_are_apart_and_items_with_several_reasons_counted(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    data = load_run(run_dir)
    per_item = pd.read_parquet(run_dir / "labels.parquet")["reasons"].fillna("")
    reasons = [[r for r in value.split(";") if r] for value in per_item]
    some = sum(1 for r in reasons if r)
    several = sum(1 for r in reasons if len(r) > 1)
    assert data.items_by_reasons == (some, several)
    assert several > 0  # the synthetic run has items in the queue for two reasons
    queue = _queue(run_dir)
    statuses = queue.split("<h3>Why items are in the review queue")[0]
    assert f"<h3>Status of the {data.n_items:,} items</h3>" in statuses
    assert "conflict" not in statuses and "uncovered" not in statuses
    assert (f"{several:,} of the {some:,} items with a reason have more than one, so the "
            f"counts add up to {sum(data.reasons.values()):,}") in queue


def test_reasons_have_readable_names_with_the_key_in_the_title(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    queue = _queue(run_dir)
    for key in load_run(run_dir).reasons:
        assert f'<span title="{key}">{REASON_NAMES[key]}</span>' in queue
