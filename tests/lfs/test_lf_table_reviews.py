"""Which labels the LF table counts: the data's gold and reviews of a random sample in
correct / incorrect / emp. accuracy; the review queue's and audit's reviews apart.

A team lead read ``sms_prize_words`` at 81.6% (155/190 on gold) in a first run and at 24.5%
(209 right, 644 wrong) after two review rounds, while on the held-out gold it was still
83.8%: 668 reviews of the queue's head, items picked because the rules disagree on them,
had been mixed in; ``review stats`` gave the same mix a narrow interval, 0.062-0.104."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from labelwright import run_project
from labelwright.cli.review import review_app
from labelwright.lfs.stats import lf_summary
from labelwright.matrix import LabelMatrix
from labelwright.review.decisions import ledger
from labelwright.review.stats.summary import review_stats
from ticket_data import many_tickets

SETTINGS_IS_BILLING = '''
from labelwright import labeling_function


@labeling_function()
def refund_words(item):
    return "billing" if "refund" in item.text.lower() and "crash" not in item.text.lower() else None


@labeling_function()
def settings_is_billing(item):
    return "billing" if "settings" in item.text else None
'''


def tickets(n=60):
    """``n`` tickets, billing and technical by turns, with their true label."""
    return many_tickets(n, ("x", "x"))


def review(root, labels, *, export, run_id, sha):
    """One rater's decisions (item id -> label), as imported from a file of ``run_id``'s
    queue (``export="queue"``) or random sample (``"sample"``)."""
    decisions = [ledger.Decision(item_id, label, "importer", "ana", "", "now", "f.csv", sha,
                                 f"row {k}", run_id, "csv", export=export)
                 for k, (item_id, label) in enumerate(labels.items())]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")


def right_wrong(result, items, truth):
    """{LF: (right, wrong)} of the run's votes on ``items``, counted here from the matrix."""
    position = {item_id: i for i, item_id in enumerate(result.dataset.ids)}
    index = {label: k for k, label in enumerate(result.project.labels)}
    out = {}
    votes = result.applied.matrix.votes
    for j, name in enumerate(result.applied.matrix.lf_names):
        cast = [(votes[position[i], j], index[truth[i]]) for i in items
                if votes[position[i], j] >= 0]
        right = sum(v == t for v, t in cast)
        out[name] = (right, len(cast) - right)
    return out


@pytest.fixture
def reviewed(make_project):
    """Gold in the data for the first 20 tickets, a random sample's reviews of the next 20,
    the queue's of the last 20 and of x0 (which has gold too)."""
    rows = tickets()
    truth = {r["id"]: r["gold"] for r in rows}
    root = make_project(rows=[{**r, "gold": r["gold"] if k < 20 else ""}
                              for k, r in enumerate(rows)])
    first = run_project(root, report=False)
    sample = [r["id"] for r in rows[20:40]]
    queue = [r["id"] for r in rows[40:]] + ["x0"]
    review(root, {i: truth[i] for i in sample}, export="sample", run_id=first.run_id, sha="s")
    review(root, {i: truth[i] for i in queue}, export="queue", run_id=first.run_id, sha="q")
    return root, truth, [r["id"] for r in rows[:40]], queue


def test_the_lf_table_counts_the_queues_reviews_apart(reviewed, cli):
    root, truth, pictured, queue = reviewed
    result = run_project(root)
    table = pd.read_csv(result.run_dir / "lf_summary.csv").set_index("lf")
    expected = right_wrong(result, pictured, truth)
    expected_queue = right_wrong(result, queue, truth)
    for lf, row in table.iterrows():
        assert (row["correct"], row["incorrect"]) == expected[lf]
        assert (row["queue_correct"], row["queue_incorrect"]) == expected_queue[lf]
        right, wrong = expected_queue[lf]
        assert row["queue_accuracy"] == pytest.approx(right / (right + wrong))
    # analyze prints the same table, the queue's accuracy with its counts, and says why
    code, output = cli("analyze", "-p", str(root))
    assert code == 0, output
    cells = [c.strip() for c in output.split("│")]
    for lf in table.index:  # LF, kind, polarity, 3 shares, correct, incorrect, ...
        i = cells.index(lf)
        right, wrong = expected_queue[lf]
        assert cells[i + 6: i + 8] == [str(expected[lf][0]), str(expected[lf][1])]
        assert cells[i + 9] == f"{right / (right + wrong):.1%} ({right}/{right + wrong})"
    assert "queue acc. (right/reviewed): reviews of the review queue and audit, the hard " \
        "items" in output
    # the report's LF table has the queue's columns, and says what they count
    page = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "<th>queue accuracy</th>" in page
    assert "The queue columns count the reviewed labels of the review queue and audit" in page
    assert "written by an older labelwright" not in page


def test_review_stats_shows_an_lfs_accuracy_on_the_sample_and_the_queue_apart(reviewed):
    root, truth, pictured, queue = reviewed
    result = run_project(root, report=False)
    stats = review_stats(root, result.run_id)
    sample = right_wrong(result, pictured[20:], truth)
    on_queue = right_wrong(result, queue, truth)
    for frame, expected in ((stats.lfs_sample, sample), (stats.lfs_queue, on_queue)):
        counted = {r.lf: (r.correct, r.reviewed - r.correct) for r in frame.itertuples()}
        assert counted == expected
    # the queue's figures are the LF table's queue columns
    table = result.lf_table.set_index("lf")
    for r in stats.lfs_queue.itertuples():
        assert (r.correct, r.reviewed - r.correct) == (
            table.loc[r.lf, "queue_correct"], table.loc[r.lf, "queue_incorrect"])
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    said = CliRunner().invoke(app, ["review", "stats", result.run_id, "--project", str(root)],
                              env={"COLUMNS": "200"})
    assert said.exit_code == 0, said.output
    text = " ".join(said.output.split())
    assert "LF accuracy on reviewed items: random sample and queue apart" in text
    assert "queue: reviews of the review queue and audit, the hard items" in text


def test_an_older_runs_lf_table_that_mixed_in_the_queue_is_named_in_its_report(reviewed):
    """lf_summary.csv of a run from before the queue was counted apart: its report says
    that correct / incorrect / emp. accuracy count the queue's reviews too."""
    from labelwright.report import write_report

    root, *_ = reviewed
    result = run_project(root)
    path = result.run_dir / "lf_summary.csv"
    table = pd.read_csv(path)  # as an older run wrote it: no queue columns
    table[[c for c in table.columns if not c.startswith("queue_")]].to_csv(path, index=False)
    write_report(result.run_dir, check=False)
    page = " ".join((result.run_dir / "report.html").read_text(encoding="utf-8").split())
    assert ("LF table was written by an older labelwright: its correct, incorrect and "
            "empirical accuracy also count 21 reviewed label(s) of the review queue and "
            "audit") in page
    assert "<th>queue accuracy</th>" not in page


def test_below_chance_reads_a_random_samples_reviews_as_the_lf_table_does(make_project):
    """A reversed LF that only random-sample reviews show wrong: the LF table counted those
    reviews, the below-chance warning (data gold only) said nothing."""
    rows = tickets()
    root = make_project(rows=[{**r, "gold": ""} for r in rows],
                        lfs={"tickets": SETTINGS_IS_BILLING})
    first = run_project(root, report=False)
    settings = {r["id"]: r["gold"] for r in rows if "settings" in r["text"]}
    review(root, settings, export="sample", run_id=first.run_id, sha="s")
    result = run_project(root, report=False)
    named = [w for w in result.warnings if "below chance" in w]
    assert len(named) == 1 and named[0].startswith(
        f"LF 'settings_is_billing' is right on 0 of the {len(settings)} gold items")
    table = result.lf_table.set_index("lf")
    assert table.loc["settings_is_billing", ["correct", "incorrect"]].tolist() == [
        0, len(settings)]


def test_lf_summary_counts_queue_labels_apart():
    votes = np.array([[0, 1], [0, -1], [1, 1], [-1, 0]], dtype=np.int8)
    matrix = LabelMatrix(votes, ["a", "b"], ["1", "2", "3", "4"], ("x", "y"))
    gold = np.array([0, 1, -1, -1])
    queue = np.array([-1, -1, 0, 0])
    table = lf_summary(matrix, gold=gold, queue=queue)
    assert table["correct"].tolist() == [1, 0] and table["incorrect"].tolist() == [1, 1]
    assert table["queue_correct"].tolist() == [0, 1]
    assert table["queue_incorrect"].tolist() == [1, 1]
    assert table["queue_accuracy"].tolist() == [0.0, 0.5]
    # no queue reviews: no queue columns, as without gold there are no accuracy columns
    assert "queue_accuracy" not in lf_summary(matrix, gold=gold, queue=np.full(4, -1)).columns
