"""The report's "Next steps" and the LFs wrong most often under its LF table: the warning
about misread LFs sent the reader under the LF table, where nothing was, and the page
left the reader to work out from the figures what to do next."""

from __future__ import annotations

import json

from report_runs import make_run

from labelwright.lfs.wrong_most import ranked_wrong
from labelwright.report import render_report
from labelwright.report.data import load_run
from page_text import unisolated


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return unisolated(page[start:page.index("</section>", start)])


def _edit_evaluation(run_dir, evaluation):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["evaluation"] = evaluation
    path.write_text(json.dumps(manifest))


def test_the_lfs_wrong_most_often_are_under_the_lf_table_with_where_they_are(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    worst = ranked_wrong(load_run(run_dir).lf_table).iloc[0]
    lfs = _section(render_report(run_dir), "lfs")
    listed = lfs[lfs.index('id="wrong-most"'):]
    assert f"{worst['lf']}: {int(worst['incorrect'])} wrong of " in listed
    assert "<code>labelwright analyze --lf NAME</code>" in listed
    assert lfs.index("<table") < lfs.index('id="wrong-most"')  # under the table


def test_next_steps_name_the_weakest_lf_the_queue_and_a_model_below_majority(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_evaluation(run_dir, {"n_gold": 100,
                               "label_model": {"accuracy": 0.74, "macro_f1": 0.787},
                               "majority_vote": {"accuracy": 0.75, "macro_f1": 0.809}})
    data = load_run(run_dir)
    page = render_report(run_dir)
    steps = _section(page, "next")
    assert "below majority vote on held-out gold (74.0% vs 75.0%)" in steps
    worst = ranked_wrong(data.lf_table).iloc[0]
    assert f"analyze --lf {worst['lf']}</code>" in steps
    assert f"({int(worst['incorrect'])} wrong of " in steps
    assert f"Review the {data.statuses['review']:,} queued items of {data.n_items:,}" in steps
    assert '<a href="#wrong-most">' in steps and '<a href="#queue">' in steps
    assert page.index('<section id="next">') < page.index('<section id="summary">')


def test_no_step_for_a_model_at_or_above_majority_vote_and_labels_without_gold_named(
        tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", gold=False)
    _edit_evaluation(run_dir, {"n_gold": 100, "label_model": {"accuracy": 0.80},
                               "majority_vote": {"accuracy": 0.75}})
    steps = _section(render_report(run_dir), "next")
    assert "below majority vote" not in steps
    assert "No held-out gold items: accuracy is not measured" in steps


def test_gold_items_all_reviewed_are_not_told_to_add_a_gold_column(tmp_path):
    """With every gold item reviewed none is held out: the step told the user to give the
    dataset a gold column it had."""
    import pandas as pd

    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    frame = pd.read_parquet(run_dir / "labels.parquet")
    frame.loc[frame["gold"].notna(), "label_source"] = "review"
    frame.to_parquet(run_dir / "labels.parquet", index=False)
    gold_rows = int(frame["gold"].notna().sum())
    assert load_run(run_dir).gold is None
    steps = _section(render_report(run_dir), "next")
    assert f"each of the {gold_rows:,} gold items has a reviewed label" in steps
    assert "gold_column" not in steps


def test_a_label_model_below_majority_vote_is_flagged_with_the_intervals_said(tmp_path):
    """74.0% / 0.787 against 75.0% / 0.809 on 196 gold items were two cards side by side."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_evaluation(run_dir, {"n_gold": 196,
                               "label_model": {"accuracy": 145 / 196, "macro_f1": 0.787,
                                               "labeled": 173, "covered_accuracy": 145 / 173},
                               "majority_vote": {"accuracy": 147 / 196, "macro_f1": 0.809,
                                                 "labeled": 173,
                                                 "covered_accuracy": 147 / 173}})
    summary = _section(render_report(run_dir), "summary")
    assert "The label model is below majority vote on held-out gold: accuracy 74.0% against " \
           "75.0%, macro-F1 0.787 against 0.809." in summary
    assert "overlap: on 196 gold items the gap is within what sampling alone can make" \
        in summary
    assert "<th>macro-F1</th>" in summary and ">0.809<" in summary


def test_a_label_model_above_majority_vote_is_not_flagged(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_evaluation(run_dir, {"n_gold": 100,
                               "label_model": {"accuracy": 0.9, "labeled": 100},
                               "majority_vote": {"accuracy": 0.6, "labeled": 100}})
    summary = _section(render_report(run_dir), "summary")
    assert "below majority vote" not in summary
    assert "<th>macro-F1</th>" in summary


def test_labels_without_held_out_gold_are_named_with_their_accuracy_unmeasured(tmp_path):
    import dataclasses

    from labelwright.report.next_steps import _gold_steps

    data = load_run(make_run(tmp_path / "runs", "20261128-030000-000000"))
    first, *rest = data.labels
    (several,) = _gold_steps(dataclasses.replace(data, gold={first: 3}))
    assert f"{len(rest)} labels have no held-out gold item" in several
    assert "their accuracy is not measured" in several
    (one,) = _gold_steps(dataclasses.replace(data, gold={label: 3 for label in rest}))
    assert "1 label has no held-out gold item" in one and "its accuracy" in one
