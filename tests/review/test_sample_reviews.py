"""Which reviewed items count as a random sample's (``sampled_items``): the run's record of
its draw makes an item a sample item, whatever export later carried a decision on it."""

from __future__ import annotations

import csv
import json

import numpy as np

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.review.feedback.sample_reviews import sampled_items
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from review_csv import fill_review_csv


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _disputed_sample_settled(make_project, tmp_path):
    """Two raters split on a sample item; the next run queues it as `disputed` and the
    adjudicator settles it through `review export --reason disputed`, as the README says.
    The item left auto's random sample (a queue item now): the hard sample items were the
    ones taken out, the bias a random sample is there to avoid."""
    root = make_project(gold=None, extra='random_sample = 4\n\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False).run_dir
    exported = export_run(first, "csv", tmp_path / "sample.csv", sample=True)[0]
    fill_review_csv(exported, tmp_path / "ana.csv", None, "billing")
    rows = fill_review_csv(exported, tmp_path / "ben.csv", None, "billing")
    split = rows[1]["id"]
    rows[1]["review_label"] = "technical"  # ben splits with ana on the second item
    with open(tmp_path / "ben.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import_file(root, tmp_path / "ana.csv", reviewer="ana")
    import_file(root, tmp_path / "ben.csv", reviewer="ben")
    second = run_project(root, report=False).run_dir
    disputed = export_run(second, "csv", tmp_path / "disputed.csv", reasons=["disputed"])[0]
    assert [r["id"] for r in _rows(disputed)] == [split]
    fill_review_csv(disputed, tmp_path / "lead.csv", None, "technical")
    import_file(root, tmp_path / "lead.csv", reviewer="lead")
    assert {d.export for d in ledger.read_decisions(ledger.ledger_path(root))
            if d.rater == "lead"} == {"queue"}  # the adjudicator's came through a queue

    third = run_project(root, report=False).run_dir
    return root, third


def test_settling_a_disputed_sample_item_keeps_it_in_the_sample(make_project, tmp_path):
    _, third = _disputed_sample_settled(make_project, tmp_path)
    reviews = json.loads((third / "manifest.json").read_text())["reviews"]
    assert reviews["items_from_random_sample"] == 4  # 3 before: the settled item left
    assert reviews["random_sample_items_without_gold"] == 0


def test_a_run_from_before_the_draw_rule_is_read_by_its_own(make_project, tmp_path):
    """A run made when only items reviewed from the sample and from nothing else were
    sample items counted 3 here: `runs verify --recompute` refit it with 4 (auto chooses
    and calibrates with them), and could call the run's model and labels changed."""
    from labelwright.config import load_config
    from labelwright.project.apply import project_dataset
    from labelwright.project.inputs import project_reviews
    from labelwright.review.decisions.run_reading import run_reading
    from labelwright.review.feedback.sample_reviews import SAMPLE_RULE_FIELD

    root, third = _disputed_sample_settled(make_project, tmp_path)
    manifest = json.loads((third / "manifest.json").read_text())
    reviews = manifest["reviews"]
    config = load_config(root)
    dataset = project_dataset(config)
    reading = run_reading(reviews, config.review.adjudicators)
    assert project_reviews(config, dataset, as_read=reading).sampled.sum() == 4
    reviews.pop(SAMPLE_RULE_FIELD)  # as a run from before wrote it
    reading = run_reading(reviews, config.review.adjudicators)
    assert project_reviews(config, dataset, as_read=reading).sampled.sum() == 3


def _decision(item, export, run_id="r1", rater="ana", label="billing"):
    return ledger.Decision(item, label, "importer", rater, "", "now", "f", "s1", "row 1",
                           run_id, "csv", export)


def test_without_the_runs_a_sample_decision_is_the_record_of_the_draw():
    """With no run folder to read the draw from, a decision imported from a sample (the
    import checked its item against the draw) marks the item, whatever else decided it;
    an item only ever reviewed through a queue is the queue's."""
    decisions = [_decision("t1", "sample"), _decision("t1", "queue", "r2", "lead"),
                 _decision("t2", "queue"), _decision("t3", "")]
    sampled, undecided = sampled_items(decisions, ["t1", "t2", "t3", "t4"],
                                       np.array([0, 0, 1, -1]))
    assert sampled.tolist() == [True, False, False, False]
    assert undecided == 0


def test_a_drawn_item_reviewed_through_the_queue_counts_up_to_where_the_sample_was_reviewed(
        make_project, tmp_path):
    """The run drew 5 items; its sample's reviewers reviewed the first 3, in order, but
    skipped the second, which a queue reviewer had decided: it is in the stretch of the
    draw they worked through, so a sample item. The fifth, decided only through the queue,
    is past where they stopped: it was picked as hard, not drawn, and stays the queue's."""
    root = make_project(gold=None, extra="random_sample = 5\n")
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "sample.csv", sample=True)[0]
    rows = fill_review_csv(exported, tmp_path / "first.csv", (0, 2), "billing")
    import_file(root, tmp_path / "first.csv", reviewer="ana")
    queue = [_decision(rows[k]["id"], "queue", run_dir.name, "bo") for k in (1, 4)]
    ledger.append(ledger.ledger_path(root), queue, sha256="s9", reviewer="importer",
                  source_file="q.csv", fmt="csv", imported_at="now")
    ids = [r["id"] for r in rows]
    result = reviewed_labels(root, ids, ("billing", "technical"), runs_dir=root / "runs")
    assert result.sampled.tolist() == [True, True, True, False, False]
