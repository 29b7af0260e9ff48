"""The report's summary: how the LFs were applied, and auto's reason, for new and old runs."""

from __future__ import annotations

import json
import re

import pytest
from report_runs import make_run

from labelwright.percent import percent
from labelwright.project import run_project
from labelwright.report import render_report
from page_text import unisolated


def _summary(run_dir) -> str:
    section = render_report(run_dir).split('<section id="summary">')[1].split("</section>")[0]
    return unisolated(section)


def _row(summary: str, name: str) -> str:
    return summary.split(f"<dt>{name}</dt><dd>")[1].split("</dd>")[0]


def _edit_manifest(run_dir, **changes) -> None:
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    for key, value in changes.items():
        manifest["label_model" if key == "chosen" else key] = (
            {**manifest["label_model"], "chosen": value} if key == "chosen" else value)
    path.write_text(json.dumps(manifest))


def test_the_summary_says_how_the_lfs_were_applied(make_project):
    root = make_project()
    first = run_project(root, engine="local", report=False)
    assert _row(_summary(first.run_dir), "LFs applied with") == (
        "local, 1 worker, chunks of 10,000 items; vote cache: 0 items read, 6 computed; "
        "Doc cache off")
    again = run_project(root, report=False)  # no engine named; every vote in the cache
    assert _row(_summary(again.run_dir), "LFs applied with").startswith(
        "local (chosen by auto), no engine started (every vote from the vote cache), chunks "
        "of 10,000 items; vote cache: 6 items read, 0 computed")


def test_a_cluster_is_named_by_its_recorded_address(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, apply={
        "engine": "dask", "seconds": 1.0, "rows_computed": {"lf_0": 300},
        "engine_requested": "dask", "cluster": "scheduler", "scheduler": "tcp://10.0.0.5:8786",
        "workers": None, "chunk_size": 2000,
        "vote_cache": {"used": False, "hits": None, "misses": None},
        "doc_cache": {"used": False, "hits": None}})
    assert _row(_summary(run_dir), "LFs applied with") == (
        "dask on the cluster at tcp://10.0.0.5:8786, the cluster&#x27;s workers, chunks of 2,000 "
        "items; vote cache off; Doc cache off")


def test_a_run_from_before_the_record_shows_what_it_has(tmp_path):
    """Runs recorded only the engine; their reports are rebuilt with `labelwright report`."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, apply={"engine": "processes", "seconds": 1.0,
                                   "rows_computed": {"lf_0": 300}})
    assert _row(_summary(run_dir), "LFs applied with") == "processes"


def test_an_older_reason_that_says_gold_rows_is_explained(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, chosen={
        "model": "dawid_skene", "params": {},
        "reason": "0 gold rows (need >= 20 and >= 5 per class): using the default model"})
    assert "<dt>why (its gold rows are reviewed labels)</dt><dd>0 gold rows" in \
        _summary(run_dir)


def _tickets(n: int) -> list[dict[str, str]]:
    """Billing and technical tickets with gold labels; every fourth no LF votes on, and
    some both LFs vote on (a tie), so accuracy and accuracy where labeled differ."""
    rows = []
    for i in range(n):
        gold = "billing" if i % 2 == 0 else "technical"
        text = (f"Hello, question {i}" if i % 4 == 3 else
                f"Refund button crashes the app ({i})" if i % 10 == 4 else
                f"Please refund order {i}" if gold == "billing" else f"The app crashes on {i}")
        rows.append({"id": f"i{i}", "text": text, "gold": gold})
    return rows


def _cells(table_html: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table_html.split("<tbody>")[1])]


def test_the_summary_compares_the_label_model_with_majority_vote_as_the_cli_does(
        make_project, cli):
    """The page showed the label model's accuracy alone, unlabeled items counted wrong; the
    terminal's table (and majority vote beside it) was nowhere in the report."""
    root = make_project(rows=_tickets(80))
    code, out = cli("run", "--project", str(root))
    assert code == 0, out
    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    evaluation = json.loads((run_dir / "manifest.json").read_text())["evaluation"]
    n_gold = evaluation["n_gold"]
    summary = _summary(run_dir)
    assert f"<h3>Accuracy on held-out gold ({n_gold:,} items)</h3>" in summary
    table_html = summary.split("<h3>Accuracy on held-out gold")[1].split("</table>")[0]
    rows = _cells(table_html)
    assert [row[0] for row in rows] == ["label model (majority)", "majority vote"]
    for row, key in zip(rows, ("label_model", "majority_vote"), strict=True):
        result = evaluation[key]
        assert [row[1], row[3], row[4], row[5]] == [
            percent(result["accuracy"]), f"{result['macro_f1']:.3f}",
            f"{result['labeled']:,} / {n_gold:,}", percent(result["covered_accuracy"])]
        # the numbers the terminal printed for the same run, macro-F1 included
        assert (f"│ {row[1]} │ {row[3]} │ {result['labeled']}/{n_gold} │ "
                f"{row[5]} │") in out
    assert evaluation["label_model"]["accuracy"] != evaluation["label_model"]["covered_accuracy"]
    # the header's cards: the label model's accuracy, and majority vote's beside it
    header = (run_dir / "report.html").read_text().split("</header>")[0]
    assert (f"<b>{percent(evaluation['majority_vote']['accuracy'])}</b><span>majority vote on "
            f"the same gold (95%: {rows[1][2]})</span>") in header


def test_the_gold_count_is_the_one_the_accuracy_is_measured_on(make_project):
    """After reviews the summary said every gold row was held out and never fit ("1300"),
    while the accuracy left out the reviewed ones the label model was fit on."""
    from labelwright.review.decisions import ledger

    rows = _tickets(1_300)
    root = make_project(rows=rows)
    reviewed = rows[:110]
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(reviewed)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    n_gold, left_out = result.evaluation["n_gold"], result.evaluation["reviewed_left_out"]
    assert left_out == len(reviewed) and n_gold == len(rows) - len(reviewed)
    page = render_report(result.run_dir)
    summary = page.split('<section id="summary">')[1].split("</section>")[0]
    assert _row(summary, "held-out gold items (measured, never fit)") == (
        f"{n_gold:,} of {len(rows):,} gold rows: the {left_out:,} with a reviewed label are "
        "left out, the label model was fit on those labels")
    assert f"Accuracy on held-out gold ({n_gold:,} items)" in summary
    assert f"accuracy on {n_gold:,} gold" in page.split("</header>")[0]


def test_the_summary_shows_the_class_balance_the_model_was_fit_with(make_project):
    """It was on the page only in "Changes", and only when it moved."""
    result = run_project(make_project(rows=_tickets(40), model="dawid_skene"), report=False)
    balance = result.model.class_balance_
    assert _row(_summary(result.run_dir), "class balance") == ", ".join(
        f"{label} {percent(share)}" for label, share in zip(("billing", "technical"), balance,
                                                          strict=True)) + (
        " (assumed equal, not estimated: no reviewed labels to estimate it from)")


def test_the_class_balance_names_the_setting_it_came_from(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    _edit_manifest(run_dir, label_model={**manifest["label_model"], "class_balance_setting":
                                         "votes", "class_balance": [0.5, 0.25, 0.25]})
    assert _row(_summary(run_dir), "class balance") == (
        "negative 50.0%, neutral 25.0%, positive 25.0% (estimated from the votes: "
        "[label_model] class_balance = &quot;votes&quot;)")


def test_without_held_out_gold_the_summary_says_why(tmp_path):
    no_gold = make_run(tmp_path / "a" / "runs", "20261128-030000-000000", gold=False)
    summary = _summary(no_gold)
    assert _row(summary, "held-out gold items (measured, never fit)") == (
        "none: the data has no gold labels")
    assert "Accuracy on held-out gold" not in summary
    # every gold row reviewed: the run measured nothing (its evaluation is empty)
    all_reviewed = make_run(tmp_path / "b" / "runs", "20261128-030000-000000")
    gold_rows = json.loads((all_reviewed / "manifest.json").read_text())["data"]["gold_rows"]
    _edit_manifest(all_reviewed, reviews={"count": gold_rows, "decisions": gold_rows})
    assert _row(_summary(all_reviewed), "held-out gold items (measured, never fit)") == (
        f"none of {gold_rows:,} gold rows: each has a reviewed label, which the label model "
        "was fit on")


def test_lf_failures_are_counted_in_the_pages_number_format(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, failures={"lf_0": {"count": 1234, "item_ids": ["item-0000001"]}})
    # the item placed in the one file read, as explain places it (1-based, header not counted)
    assert "LF lf_0 raised on 1,234 items (first: item-0000001 (data/items.csv row 2))" \
        in _summary(run_dir)


def test_an_edited_accuracy_is_named_not_a_traceback(tmp_path):
    from labelwright.errors import RunError

    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    accuracy = {"accuracy": 0.7, "covered_accuracy": 0.8, "labeled": 80}
    _edit_manifest(run_dir, evaluation={"n_gold": 100, "reviewed_left_out": 0,
                                        "label_model": accuracy,
                                        "majority_vote": {**accuracy, "labeled": "many"}})
    with pytest.raises(RunError, match=r"manifest\.json: cannot read the manifest: "
                                       r"evaluation\.majority_vote\.labeled is a JSON string, "
                                       r"where a run writes a whole number"):
        render_report(run_dir)


def test_per_label_figures_are_counted_on_the_held_out_gold_the_accuracy_uses(make_project):
    """A multi-class user had predicted counts beside gold counts and nothing per label:
    precision, recall and the confusion table are on the page, over the same held-out gold
    as the accuracy (reviewed items left out, an unlabeled item a miss)."""
    from labelwright.review.decisions import ledger

    rows = _tickets(120)
    root = make_project(rows=rows)
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(rows[:20])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    evaluation = result.evaluation
    summary = _summary(result.run_dir)
    matrix_html = summary.split("Gold label (rows) by the label model's label</h4>")[1]
    matrix = [[int(c) for c in row[1:]] for row in _cells(matrix_html.split("</table>")[0])]
    # gold billing / technical by label billing / technical / (none), counted here from the
    # run's own labels: the held-out items are the gold ones without a reviewed label
    labels = result.labels
    held_out = labels["gold"].notna() & (labels["label_source"] != "review")
    expected = [[int(((labels["gold"] == g) & (labels["model_label"].fillna("(none)") == p)
                      & held_out).sum()) for p in ("billing", "technical", "(none)")]
                for g in ("billing", "technical")]
    assert matrix == expected
    assert sum(map(sum, matrix)) == evaluation["n_gold"] == 100
    assert (matrix[0][0] + matrix[1][1]) / evaluation["n_gold"] == pytest.approx(
        evaluation["label_model"]["accuracy"])
    assert matrix[0][2] + matrix[1][2] > 0  # items no LF voted on are misses
    per_label = _cells(summary.split("<h3>Per label, on the same held-out gold</h3>")[1]
                       .split("</table>")[0])
    right, given, gold_n = matrix[1][1], matrix[0][1] + matrix[1][1], sum(matrix[1])
    assert per_label[1][:4] == ["technical", str(gold_n), str(given), str(right)]
    assert [cell.split(" (")[0] for cell in per_label[1][4:]] == [
        percent(right / given), percent(right / gold_n), percent(2 * right / (gold_n + given))]


def test_the_triage_row_says_how_many_gold_items_the_draws_left_out(make_project):
    """The run printed it; the report, which shows the audit's settings, did not."""
    from ticket_data import many_tickets

    rows = [row if i % 3 == 0 else {**row, "gold": ""} for i, row in enumerate(many_tickets(30))]
    run = run_project(make_project(rows=rows, extra="random_sample = 4\n"), report=False)
    left = json.loads((run.run_dir / "manifest.json").read_text())["triage"]["gold_left_out"]
    assert left["random_sample"] == 10
    assert _row(_summary(run.run_dir), "triage").endswith(
        f"; gold items (held out) left out of the draws: {left['audit']} from the audit, "
        "10 from the random sample")
    # a run from before the record: the settings alone
    manifest = json.loads((run.run_dir / "manifest.json").read_text())
    del manifest["triage"]["gold_left_out"]
    _edit_manifest(run.run_dir, triage=manifest["triage"])
    assert _row(_summary(run.run_dir), "triage").endswith("conflicts to review: True")


def test_the_summary_says_whether_the_ranking_weights_were_learned(make_project):
    run = run_project(make_project(), report=False)
    assert _row(_summary(run.run_dir), "ranking weights") == (
        "the defaults (no reviewed item to learn other weights from)")
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    del manifest["triage"]["ranking_weights_evidence"]  # a run from before it was recorded
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _row(_summary(run.run_dir), "ranking weights") == ""
