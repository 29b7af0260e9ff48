"""``review export`` of a run whose queued items were decided since it ran: exported again
without ``--skip-reviewed``, they would go back to the reviewers who just decided them, and
the export said nothing (a team exporting its next batch before running again)."""

from __future__ import annotations

import csv

from labelwright.project import run_project
from labelwright.review.queue.export import export_review
from review_csv import review_items
from ticket_data import many_tickets


def _ids(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_an_export_names_the_items_decided_since_its_run(make_project, tmp_path, cli):
    root = make_project(rows=many_tickets(), gold=None)
    first = run_project(root, report=False)
    queue = _ids(export_review(first.run_dir, "csv", tmp_path / "all.csv").files[0])
    assert export_review(first.run_dir, "csv", tmp_path / "a.csv").decided_since == ()
    review_items(root, {queue[0]: "billing", queue[2]: "technical"}, run_id=first.run_id,
                 rater="ana")
    again = export_review(first.run_dir, "csv", tmp_path / "b.csv")
    assert again.decided_since == (queue[0], queue[2])
    # leaving them out, or one rater's, says nothing more
    assert export_review(first.run_dir, "csv", tmp_path / "c.csv",
                         skip_reviewed=True).decided_since == ()
    assert export_review(first.run_dir, "csv", tmp_path / "d.csv",
                         skip_reviewed_by="ana").decided_since == ()
    code, out = cli("review", "export", "-p", str(root), "-o", str(tmp_path / "q.csv"))
    said = " ".join(out.split())
    assert code == 0, out
    assert (f"warning: 2 of the {len(queue)} exported items have a decision in the review "
            f"ledger imported since run {first.run_id} queued them ('{queue[0]}', "
            f"'{queue[2]}'): their reviewers would decide them again. --skip-reviewed") in said


def test_the_next_run_queues_them_no_more(make_project, tmp_path):
    root = make_project(rows=many_tickets(), gold=None)
    first = run_project(root, report=False)
    queue = _ids(export_review(first.run_dir, "csv", tmp_path / "all.csv").files[0])
    review_items(root, {queue[0]: "billing"}, run_id=first.run_id, rater="ana")
    second = run_project(root, report=False)
    done = export_review(second.run_dir, "csv", tmp_path / "b.csv")
    assert queue[0] not in _ids(done.files[0])
    assert done.decided_since == ()


def test_a_dispute_settled_since_its_run_is_named_too(make_project, tmp_path):
    """A disputed item goes back to the raters by design, and was never named; once the
    adjudicator settled it after the run, the run's next export still sent it to them
    without a word."""
    root = make_project(rows=many_tickets(), gold=None)
    first = run_project(root, report=False)
    item = _ids(export_review(first.run_dir, "csv", tmp_path / "all.csv").files[0])[0]
    review_items(root, {item: "billing"}, run_id=first.run_id, rater="ana", sha="s1")
    review_items(root, {item: "technical"}, run_id=first.run_id, rater="bob", sha="s2")
    second = run_project(root, report=False)
    disputed = export_review(second.run_dir, "csv", tmp_path / "a.csv", reasons=["disputed"])
    assert _ids(disputed.files[0]) == [item]
    assert disputed.decided_since == ()
    review_items(root, {item: "billing"}, run_id=second.run_id, rater="lead", sha="s3")
    again = export_review(second.run_dir, "csv", tmp_path / "b.csv", reasons=["disputed"])
    assert again.decided_since == (item,)
