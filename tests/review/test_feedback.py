"""Reviewed labels for the next run: policies, ties, adjudicators, ledger state."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import review_warnings, reviewed_labels, settle
from review_csv import fill_review_csv

LABELS = ("billing", "technical")
IDS = ["t1", "t2", "t3", "t4", "t5"]


def add(root, rows, *, sha):
    """rows: (item_id, label, rater)."""
    decisions = [ledger.Decision(item, label, "importer", rater, "", "now", "f", sha, f"row {k}",
                                 "r1", "csv") for k, (item, label, rater) in enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")


@pytest.fixture
def root(tmp_path):
    add(tmp_path, [
        ("t1", "billing", "a"),                                                  # one rater
        ("t2", "billing", "a"), ("t2", "billing", "b"), ("t2", "technical", "c"),  # 2 to 1
        ("t3", "billing", "a"), ("t3", "technical", "b"),                        # a tie
        ("t9", "billing", "a"),                                                  # not in ids
    ], sha="s1")
    return tmp_path


def test_majority_policy(root):
    result = reviewed_labels(root, IDS, LABELS, policy="majority")
    assert result.gold.dtype == np.int64
    assert result.gold.tolist() == [0, 0, -1, -1, -1]
    assert result.disagreements == ["t2", "t3"] and result.ties == ["t3"]
    assert result.reviewers[1] == ["a", "b", "c"] and result.reviewers[3] == []
    assert result.count == 7 and result.unknown_items == ["t9"]
    assert result.n_gold == 2
    # the tie awaits adjudication; the 2-to-1 item has its label
    assert result.disputed.tolist() == [False, False, True, False, False]


def test_adjudicate_policy_keeps_disagreements_out(root):
    result = reviewed_labels(root, IDS, LABELS, policy="adjudicate")
    assert result.gold.tolist() == [0, -1, -1, -1, -1]
    assert result.disagreements == ["t2", "t3"]
    assert result.disputed.tolist() == [False, True, True, False, False]


def test_an_adjudicator_settles_an_item(root):
    add(root, [("t3", "technical", "lead")], sha="s2")
    result = reviewed_labels(root, IDS, LABELS, policy="adjudicate", adjudicators={"lead"})
    assert result.gold.tolist() == [0, -1, 1, -1, -1]
    # settled, but its raters did disagree: a settled disagreement is still counted (it was
    # forgotten, and review stats said "0 disagreements" once the lead had settled them all)
    assert result.disagreements == ["t2", "t3"] and result.ties == ["t3"]
    assert result.adjudicated == ["t3"] and result.manifest()["disagreements_adjudicated"] == 1
    assert result.disputed.tolist() == [False, True, False, False, False]
    assert not any("'t3'" in w for w in review_warnings(result))  # it awaits nothing
    # two adjudicators who disagree settle nothing (the last imported had won), and say so;
    # the only other rater (b) disagrees with no one
    result = reviewed_labels(root, IDS, LABELS, adjudicators={"lead", "a"})
    assert result.gold[2] == -1 and "t3" not in result.disagreements
    assert result.adjudicators_split == ["t3"] and "t3" not in result.ties
    assert result.adjudicated == ["t2"]  # b and c split 1-1 there, and a settled it
    assert result.disputed[2]
    assert result.manifest()["adjudicators_disagree"] == 1
    assert "1 item(s) have adjudicators who disagree with each other, so they have no " \
           "reviewed label: 't3'; one of them must change their decision" \
           in review_warnings(result)[-1]
    assert not any("await adjudication" in w for w in review_warnings(result))


def test_a_later_decision_replaces_the_raters_earlier_one(root):
    add(root, [("t3", "billing", "b")], sha="s2")  # b changes their mind: no tie any more
    result = reviewed_labels(root, IDS, LABELS)
    assert result.gold[2] == 0 and "t3" not in result.disagreements


def test_labels_the_project_no_longer_has_are_not_used(root):
    result = reviewed_labels(root, IDS, ("billing", "shipping"))
    assert result.stale == 2  # t2's and t3's "technical"
    # and their items are not settled by the raters whose label is still there
    assert result.gold.tolist() == [0, -1, -1, -1, -1]
    assert result.stale_items == ["t2", "t3"]


def test_reviews_a_run_cannot_use_are_named_not_dropped_in_silence(root):
    """A reviewed item deleted from the dataset, or a label removed from the project:
    the manifest counted them, but the run said nothing."""
    result = reviewed_labels(root, IDS, ("billing", "shipping"))
    warnings = review_warnings(result, "data/items.csv")
    assert warnings[0] == ("1 reviewed item(s) are not in data/items.csv any more, so their "
                           "reviews are not used: 't9'; if they were deleted on purpose, "
                           "`labelwright review retire --missing` retires their decisions "
                           "and this warning stops")
    assert warnings[1].startswith("2 review decision(s) have a label the project no longer has")
    # all known now: only the tie on t3 is left, and it waits for an adjudicator
    assert review_warnings(reviewed_labels(root, [*IDS, "t9"], LABELS)) == [
        "1 item(s) await adjudication (their reviewers are split evenly), so they have no "
        "reviewed label: 't3'; a decision by one of [review] adjudicators (none named yet) "
        "settles each (a run puts them first in its review queue, reason `disputed`)"]


def test_ledger_state_for_the_manifest(root, tmp_path_factory):
    before = reviewed_labels(root, IDS, LABELS)
    add(root, [("t4", "technical", "a")], sha="s3")
    after = reviewed_labels(root, IDS, LABELS)
    assert before.ledger_sha256 != after.ledger_sha256 and after.count == before.count + 1
    manifest = after.manifest()
    assert manifest["decisions"] == 8 and manifest["items_with_gold"] == 3
    empty = reviewed_labels(tmp_path_factory.mktemp("none"), IDS, LABELS)
    assert empty.count == 0 and (empty.gold == -1).all()


def test_review_stats_refuses_labels_edited_after_the_run(reviewed_project):
    """review stats measured the audit accuracy against labels.parquet as it found it: a
    file edited after the run passed its labels off as the run's (export and train refuse
    it)."""
    import pandas as pd

    from labelwright.errors import RunError
    from labelwright.review.stats.summary import review_stats

    path = reviewed_project.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    frame["label"] = "billing"
    frame.to_parquet(path, index=False)
    with pytest.raises(RunError, match="its labels are not the run's"):
        review_stats(reviewed_project.root, reviewed_project.run_id)


def test_unknown_policy(root):
    with pytest.raises(ValueError, match="valid: majority, adjudicate"):
        reviewed_labels(root, IDS, LABELS, policy="vote")


def test_cli_review_stats(reviewed_project):
    run = reviewed_project.run_id
    add(reviewed_project.root, [("t6", "billing", "a"), ("t6", "billing", "b"),
                                ("t1", "billing", "a"), ("t1", "technical", "b"),
                                ("t2", "technical", "a"), ("t2", "technical", "b")], sha="x")
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", run, "--project",
                                      str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "6 decisions, 3 items reviewed by 2 rater(s)" in text
    assert "Krippendorff's alpha (nominal)" in text
    assert "accepted-label accuracy from the audit sample: 0.0% (0/1" in text  # t6 was wrong
    assert "(majority)" in text  # the project's [review] policy, as its runs use
    toml = reviewed_project.root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[review]\npolicy = "adjudicate"\n')
    add(reviewed_project.root, [("t2", "billing", "c")], sha="x2")  # t2: 2 to 1
    result = CliRunner().invoke(app, ["review", "stats", run, "--project",
                                      str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "(adjudicate)" in text and "gold for 1 item " in text
    # the disagreements wait for an adjudicator, and stats says so; there was no way to
    # name one, so under "adjudicate" a disagreement could never be settled
    assert "2 item(s) await adjudication (their reviewers disagree" in text and "'t2'" in text
    assert "(none named yet)" in text
    toml.write_text(toml.read_text() + 'adjudicators = ["lead", "nobody"]\n')
    add(reviewed_project.root, [("t2", "billing", "lead")], sha="y")
    result = CliRunner().invoke(app, ["review", "stats", run, "--project",
                                      str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "gold for 2 items" in text  # lead settled t2; the tie on t1 still waits
    assert "1 item(s) await adjudication" in text and "'t1'" in text
    assert "[review] adjudicators 'nobody' made no decision in the ledger; its raters are " \
           "a, b, c, lead" in text
    from labelwright.project import run_project

    run_dir = run_project(reviewed_project.root, report=False).run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["reviews"]["adjudicators"] == ["lead", "nobody"]


@pytest.mark.parametrize("value", ['"lead"', '[""]', "[1]"])
def test_adjudicators_must_be_a_list_of_names(reviewed_project, value):
    from labelwright.config import load_config
    from labelwright.errors import ConfigError

    toml = reviewed_project.root / "labelwright.toml"
    toml.write_text(toml.read_text() + f"\n[review]\nadjudicators = {value}\n")
    with pytest.raises(ConfigError, match=r"\[review\] adjudicators must be"):
        load_config(reviewed_project.root)


def test_apply_reviews_overrides_the_model_and_leaves_the_queue():
    from labelwright.review.feedback.gold import apply_reviews
    from labelwright.triage.core import Triage

    tri = Triage(label=np.array([0, 1, -1, 1]), confidence=np.array([0.9, 0.55, 0.0, 1.0]),
                 status=np.array(["accepted", "review", "review", "review"]),
                 reasons=[(), ("low_confidence",), ("uncovered",), ("audit",)],
                 order=np.array([1, 2, 3]))
    gold = np.array([-1, 0, 1, -1])
    out, source = apply_reviews(tri, gold)
    assert out.label.tolist() == [0, 0, 1, 1]
    assert out.confidence.tolist() == [0.9, 1.0, 1.0, 1.0]
    assert out.status.tolist() == ["accepted", "reviewed", "reviewed", "review"]
    assert out.reasons == [(), (), (), ("audit",)]
    assert out.order.tolist() == [3]
    assert source.tolist() == ["model", "review", "review", "model"]
    _, untouched = apply_reviews(tri, np.full(4, -1))
    assert untouched.tolist() == ["model", "model", "none", "model"]


def test_sampled_items_are_those_reviewed_from_a_sample_whatever_else_decided_them(tmp_path):
    """A run's sample may overlap its queue: an item reviewed from the sample is a sample
    item also when the queue's reviewers decided it too (leaving it out took the sample's
    hard items out of it); one reviewed only through a queue is the queue's. A sample item
    whose raters tie has no gold, and is counted as such."""
    rows = [("t1", "billing", "a", "sample"),
            ("t2", "billing", "a", "sample"), ("t2", "billing", "b", "queue"),  # both
            ("t3", "billing", "a", "sample"), ("t3", "technical", "b", "sample"),  # a tie
            ("t4", "technical", "a", "queue"),
            ("t5", "technical", "a", "")]  # exported before the mark existed
    decisions = [ledger.Decision(item, label, "importer", rater, "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv", export)
                 for k, (item, label, rater, export) in enumerate(rows)]
    ledger.append(ledger.ledger_path(tmp_path), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = reviewed_labels(tmp_path, IDS, LABELS)
    assert result.sampled.tolist() == [True, True, False, False, False]
    assert result.sample_undecided == 1
    assert result.manifest()["items_from_random_sample"] == 2
    assert result.manifest()["random_sample_items_without_gold"] == 1


def test_a_run_warns_about_reviews_of_items_no_longer_in_the_data(make_project):
    from labelwright.project import run_project

    project = make_project()
    add(project, [("gone", "billing", "a")], sha="s1")
    result = run_project(project, report=False)
    assert any("1 reviewed item(s) are not in" in w and "'gone'" in w for w in result.warnings)


def test_a_run_warns_about_reviews_that_differ_from_the_gold_labels(make_project):
    """LF accuracies quietly counted the review where it and the data's gold disagreed."""
    from labelwright.project import run_project

    project = make_project()  # t1's gold label is billing, t2's technical
    add(project, [("t1", "technical", "a"), ("t2", "technical", "a")], sha="s1")
    result = run_project(project, report=False)
    (warning,) = [w for w in result.warnings if "differs from their gold label" in w]
    assert warning.startswith("1 item(s) have a reviewed label") and "'t1'" in warning


def test_items_awaiting_adjudication_head_the_next_runs_review_queue(make_project):
    """Two raters split on a ticket the model labels with confidence: the run accepted it
    (no reviewed label, no queue reason), so the adjudicator had to find it by id."""
    from labelwright.project import run_project

    project = make_project()
    first = run_project(project, report=False)
    accepted = [item_id for item_id, status in zip(first.labels["id"], first.labels["status"])
                if status == "accepted"]
    item = accepted[0]
    add(project, [(item, "billing", "a"), (item, "technical", "b")], sha="s1")
    result = run_project(project, report=False)
    row = result.labels.set_index("id").loc[item]
    assert row["status"] == "review" and "disputed" in row["reasons"]
    assert row["label_source"] == "model"  # no reviewed label until someone settles it
    with open(result.run_dir / "review.csv", encoding="utf-8", newline="") as f:
        queue = list(csv.DictReader(f))
    assert queue[0]["id"] == item and "disputed" in queue[0]["reasons"]
    assert any("1 item(s) await adjudication" in w
               and "first in its review queue, reason `disputed`" in w for w in result.warnings)
    add(project, [(item, "technical", "c")], sha="s2")  # a third rater breaks the tie
    settled = run_project(project, report=False).labels.set_index("id").loc[item]
    assert settled["status"] == "reviewed" and "disputed" not in settled["reasons"]


def test_a_review_made_on_another_text_is_not_used(make_project, tmp_path):
    """An item's text was replaced after its review (a stadium headline became a tax one);
    the old review stayed its label, with no word."""

    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None)
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "q.csv")[0]
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    same = run_project(root, report=False)
    reviewed_ids = {r["id"] for r in rows}
    assert (same.labels.set_index("id").loc[sorted(reviewed_ids), "label_source"]
            == "review").all()
    changed = rows[0]["id"]
    data = root / "data" / "items.csv"
    original = next(r["text"] for r in rows if r["id"] == changed)
    data.write_text(data.read_text(encoding="utf-8").replace(original, "Totally new words here"),
                    encoding="utf-8")
    after = run_project(root, report=False)
    source = after.labels.set_index("id")["label_source"]
    assert source[changed] != "review"
    assert (source[sorted(reviewed_ids - {changed})] == "review").all()
    assert any(f"1 reviewed item(s) have another text now than the one their reviewers saw, "
               f"so those reviews are not used: {changed!r}" in w for w in after.warnings)
    # runs diff says which decision the later run set aside, and on which run it was made
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.diff.lines import input_changes

    lines = input_changes(diff_runs(same.run_dir, after.run_dir))
    n = len(reviewed_ids)
    assert n == 2
    assert ("reviews: 2 decisions, 2 items with a reviewed label -> 2 decisions, 1 item with "
            "a reviewed label, 1 set aside (made on another text)") in lines
    assert f"reviews set aside (text changed since the review): {changed} (reviewed on " \
           f"{run_dir.name})" in lines
    from labelwright.review.stats.summary import review_stats

    stats = review_stats(root)  # counts gold as runs do
    assert stats.reviewed.n_gold == len(reviewed_ids) - 1
    assert stats.reviewed.text_changed == [changed]
    assert stats.items_multi == 0

    # a second reviewer labels the changed item on its new text: the two saw different
    # texts, so they are no pair for agreement (before, a kappa of -1 said they disagreed)
    queue = export_run(after.run_dir, "csv", tmp_path / "q2.csv")[0]
    with open(queue, encoding="utf-8", newline="") as handle:
        position = [r["id"] for r in csv.DictReader(handle)].index(changed)
    fill_review_csv(queue, tmp_path / "done2.csv", [position], "technical")
    import_file(root, tmp_path / "done2.csv", reviewer="bo")
    stats = review_stats(root)
    assert stats.items_multi == 0 and (stats.pairs["items"] == 0).all()
    assert sorted(stats.raters) == ["ana", "bo"]
    assert stats.reviewed.gold[list(after.labels["id"]).index(changed)] == 1  # bo's label

    # explain marks ana's decision as made on another text, and does not call the item
    # one its reviewers disagree on
    from labelwright.runs.explain.item import explain_item

    redone = run_project(root, report=False)
    # reviewed again on its new text: nothing left to do, so no "review them again" on
    # every run (the old decision stays set aside, as the manifest records)
    assert not any("have another text now" in w for w in redone.warnings), redone.warnings
    set_aside = json.loads((redone.run_dir / "manifest.json").read_text())["reviews"][
        "set_aside_other_text"]
    assert [d["id"] for d in set_aside] == [changed]
    explained = explain_item(root, changed)
    marks = {d["reviewer"]: d["other_text"] for d in explained.decisions}
    assert marks == {"ana": True, "bo": False}
    assert explained.label == "technical" and explained.label_source == "review"
    assert any("1 review decision(s) on this item were made on another text" in w
               for w in explained.warnings)
    assert not any("disagree" in w for w in explained.warnings)
    # the run made before the text changed did use ana's decision: explain says so
    before = explain_item(root, changed, same.run_id)
    assert [d["other_text"] for d in before.decisions if d["reviewer"] == "ana"] == [False]
    assert before.label_source == "review"
    assert not any("made on another text" in w for w in before.warnings)
    # (that run exported the item to no one: the text shown is today's, and it says so)
    assert any(f"item {changed!r} has another text in " in w and f"than run {same.run_id} "
               "labelled" in w for w in before.warnings), before.warnings
    # a run made before runs recorded which decisions they set aside: explain cannot mark
    # them, and says so instead of showing ana's decision as if it had been used
    manifest_path = after.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["reviews"]["set_aside_other_text"]
    manifest_path.write_text(json.dumps(manifest))
    older = explain_item(root, changed, after.run_id)
    assert not any(d["other_text"] for d in older.decisions)
    assert any(f"run {after.run_id} set aside 1 reviewed item(s) whose text had changed, but "
               "was made before runs recorded which" in w for w in older.warnings)
    # the run's reviews.json (the report's agreement) holds the decisions the run used
    latest = run_project(root, report=False).run_dir
    reviews = json.loads((latest / "reviews.json").read_text())["reviews"]
    assert [r["reviewer"] for r in reviews if r["id"] == changed] == ["bo"]
    # ana reviews the new text too: a first review of it, not a change of her label (it
    # was refused as one, her set-aside decision counted as her current label)
    fill_review_csv(queue, tmp_path / "done3.csv", [position], "technical")
    with open(tmp_path / "done3.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")  # ana's own file, not bo's bytes
    # (her copy agrees with bo's one decision row for row: she says it is her own review)
    report = import_file(root, tmp_path / "done3.csv", reviewer="ana", independent=True)
    assert report.relabeled == [] and report.added == 1
    # retired, the decision is no longer set aside: not "used again", as runs diff said
    from labelwright.review.decisions.retire import retire_decisions

    before = run_project(root, report=False)  # (after's manifest was cut down above)
    retire_decisions(root, reviewer="lead", reason="made on the old text", items=[changed])
    retired = run_project(root, report=False)
    back = input_changes(diff_runs(before.run_dir, retired.run_dir))
    assert f"reviews no longer set aside (used again, retired or the item gone: `labelwright " \
           f"explain ITEM` says which): {changed} (reviewed on {run_dir.name})" in back, back
    assert not any("used again:" in line for line in back)


def test_reviews_are_set_aside_when_the_text_column_changes(make_project, tmp_path):
    """Same data file, another [data] text_column: every item's text changed, but runs
    skipped the comparison for data with the same hash and kept using the reviews."""
    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project()
    exported = export_run(run_project(root, report=False).run_dir, "csv", tmp_path / "q.csv")[0]
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    reviewed = run_project(root, report=False).labels["label_source"] == "review"
    assert reviewed.sum() == len(rows)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[data]\n", '[data]\ntext_column = "plan"\n'), encoding="utf-8")
    after = run_project(root, report=False)
    assert (after.labels["label_source"] == "review").sum() == 0
    assert any(f"{len(rows)} reviewed item(s) have another text now" in w
               for w in after.warnings)


def test_cli_review_stats_of_an_older_run_names_items_it_lacks_as_such(make_project):
    """An item added to the data after the run and reviewed since is no item of the run,
    but it is in the data: 'not in the dataset any more' was wrong."""
    from labelwright.project import run_project
    from ticket_data import TICKETS

    root = make_project()
    first = run_project(root, report=False)
    rows = [*TICKETS, {"id": "t7", "text": "Refund please", "plan": "pro", "gold": ""}]
    make_project(rows=rows, root=root)
    run_project(root, report=False)
    add(root, [("t7", "billing", "a")], sha="s7")
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", first.run_id, "--project", str(root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"1 reviewed item(s) are not items of run {first.run_id}" in text and "'t7'" in text
    assert "any more" not in text


def test_cli_review_stats_of_the_next_run_says_where_the_reviewed_samples_are(make_project,
                                                                             audits_t6):
    """Reviewed, an audit item takes its reviewed label in the next run and loses its
    'audit' reason, and the next run draws an audit sample of its own: stats on the latest
    run gave '— (0/0)' after every round of review, with no word of where the figure was."""
    from labelwright.project import run_project

    # the seed whose draws keep the audit (t6) and the random sample of 3 apart: a sample
    # item reviewed from the queue counts in the sample too (run_accuracy.sample_of)
    root = audits_t6(make_project(gold=None, extra="random_sample = 3\n"))
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    audited = [i for i, r in labels["reasons"].items() if "audit" in str(r).split(";")]
    sampled = [json.loads(line)["id"] for line in
               (first.run_dir / "sample.jsonl").read_text().splitlines()]
    assert audited and sampled and not set(audited) & set(sampled)

    def label_of(item_id):
        return labels.loc[item_id, "label"] if isinstance(labels.loc[item_id, "label"], str) \
            else "billing"

    decisions = [ledger.Decision(i, label_of(i), "ana", "", "", "now", "f", "s", f"row {k}",
                                 first.run_id, "csv", export)
                 for k, (i, export) in enumerate([*((i, "queue") for i in audited),
                                                  *((i, "sample") for i in sampled)])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s", reviewer="ana",
                  source_file="f", fmt="csv", imported_at="now")
    second = run_project(root, report=False)
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", "--project", str(root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "accepted-label accuracy from the audit sample: — (0/0" in text
    assert (f"no audit item of run {second.run_id} is reviewed yet (each run draws its own "
            f"audit sample; reviewed items take their reviewed label in the next run); the "
            f"audit sample of run {first.run_id} has {len(audited)} reviewed: `labelwright "
            f"review stats {first.run_id}` shows that run's accuracy") in text
    assert (f"no item of run {second.run_id}'s random sample is reviewed yet; the random "
            f"sample of run {first.run_id} has {len(sampled)} reviewed") in text
    result = CliRunner().invoke(app, ["review", "stats", first.run_id, "--project", str(root)])
    text = " ".join(result.output.split())
    assert (f"accepted-label accuracy from the audit sample: 100.0% ({len(audited)}/"
            f"{len(audited)};") in text
    assert "is reviewed yet" not in text


def test_cli_review_stats_counts_audit_items_reviewed_through_the_random_sample(make_project):
    """An audit item the random sample drew too, reviewed through the sample export, counts
    in its run's accepted-label accuracy; the next run's stats printed '— (0/0)' without
    the hint that named that run, as only the queue's reviews were looked for."""
    from labelwright.project import run_project

    root = make_project(gold=None, extra="random_sample = 6\n")  # every item: the audit ones too
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    audited = [i for i, r in labels["reasons"].items() if "audit" in str(r).split(";")]
    assert audited
    decisions = [ledger.Decision(i, labels.loc[i, "label"], "ana", "", "", "now", "f", "s",
                                 f"row {k}", first.run_id, "csv", "sample")
                 for k, i in enumerate(audited)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s", reviewer="ana",
                  source_file="f", fmt="csv", imported_at="now")
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", first.run_id, "--project", str(root)])
    assert (f"accepted-label accuracy from the audit sample: 100.0% ({len(audited)}/"
            f"{len(audited)};") in " ".join(result.output.split())
    second = run_project(root, report=False)
    result = CliRunner().invoke(app, ["review", "stats", "--project", str(root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (f"no audit item of run {second.run_id} is reviewed yet (each run draws its own "
            f"audit sample; reviewed items take their reviewed label in the next run); the "
            f"audit sample of run {first.run_id} has {len(audited)} reviewed") in text


@pytest.mark.parametrize(("usable", "adjudicators", "policy", "label", "said"), [
    ({"a": "billing"}, (), "majority", "billing", "decided by one rater (a: billing)"),
    ({"a": "billing", "b": "billing"}, (), "majority", "billing",
     "agreed by 2 raters (a, b: billing)"),
    ({"a": "billing", "b": "billing", "c": "technical"}, (), "majority", "billing",
     "a 2-1 majority of 3 raters (a, b: billing; c: technical)"),
    ({"a": "billing", "b": "billing", "c": "technical"}, (), "adjudicate", None,
     'no reviewed label: the raters split 2-1 (a, b: billing; c: technical) and [review] '
     'policy = "adjudicate" waits for an adjudicator'),
    ({"a": "billing", "b": "technical"}, (), "majority", None,
     "no reviewed label: a 1-1 tie of the raters (a: billing; b: technical) awaits an "
     "adjudicator"),
    ({"a": "billing", "b": "technical", "lead": "technical"}, ("lead",), "majority",
     "technical", "a 1-1 tie of the raters (a: billing; b: technical) settled by adjudicator "
                  "lead"),
    ({"a": "billing", "b": "billing", "lead": "technical"}, ("lead",), "majority",
     "technical", "adjudicator lead overruled 2 agreeing raters (a, b: billing) with "
                  "technical"),
    ({"a": "billing", "lead": "billing"}, ("lead",), "majority", "billing",
     "agreed by 1 rater (a: billing) and adjudicator lead"),
    ({"lead": "billing"}, ("lead",), "adjudicate", "billing",
     "decided by adjudicator lead alone"),
    ({"a": "billing", "lead": "billing", "boss": "technical"}, ("lead", "boss"), "majority",
     None, "no reviewed label: the adjudicators disagree (boss: technical; lead: billing)"),
])
def test_settle_says_how_an_items_reviews_settle(usable, adjudicators, policy, label, said):
    settled = settle(usable, adjudicators, policy)
    assert settled.label == label
    assert settled.describe() == said


def test_a_run_settles_every_item_as_settle_does(root):
    """explain describes an item's reviews with settle: the run must settle them so too."""
    add(root, [("t4", "billing", "a"), ("t4", "billing", "b"), ("t4", "technical", "lead"),
               ("t5", "technical", "lead")], sha="s2")
    for policy in ("majority", "adjudicate"):
        result = reviewed_labels(root, IDS, LABELS, policy=policy, adjudicators={"lead"})
        by_item = ledger.latest_per_rater(ledger.read_decisions(ledger.ledger_path(root)))
        for i, item in enumerate(IDS):
            settled = settle(by_item[item], {"lead"}, policy)
            assert result.gold[i] == (-1 if settled.label is None
                                      else LABELS.index(settled.label))
            assert (item in result.overruled) == settled.overruled
            assert (item in result.adjudicated) == settled.adjudicated
            assert (item in result.ties) == settled.tie


def test_cli_review_stats_hint_counts_audit_items_reviewed_through_a_later_run(make_project):
    """The hint counted only the decisions exported from the run that drew the audit sample
    ('the audit sample of run X has 2 reviewed') where `review stats X` counted every
    reviewed item of it (10/12): an audit item left unreviewed is exported again by the
    next run, and reviewed there."""
    from labelwright.project import run_project
    from labelwright.review.stats.summary import review_stats

    root = make_project(gold=None)
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    audited = [i for i, r in labels["reasons"].items() if "audit" in str(r).split(";")]
    other = [i for i, r in labels["reasons"].items() if r and i not in audited]
    assert audited and other

    def review(items, run, sha):
        ledger.append(ledger.ledger_path(root), [
            ledger.Decision(i, "billing", "ana", "", "", "now", "f", sha, f"row {k}", run.run_id,
                            "csv", "queue") for k, i in enumerate(items)],
            sha256=sha, reviewer="ana", source_file="f", fmt="csv", imported_at="now")

    review(other[:1], first, "s1")  # the first run's queue, but not its audit item
    second = run_project(root, report=False)  # exports the audit item again
    review(audited, second, "s2")
    run_project(root, report=False)
    own = review_stats(root, first.run_id).audit
    assert own.reviewed == len(audited)
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert (f"the audit sample of run {first.run_id} has {own.reviewed} reviewed"
            in " ".join(result.output.split()))


def test_a_text_changed_only_in_spacing_keeps_its_review(make_project, tmp_path):
    """A double space added to a reviewed item's text set its review aside at run time,
    while the import, which compares texts as a reader sees them, took the same row."""
    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None)
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "q.csv")[0]
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    data = root / "data" / "items.csv"
    original = rows[0]["text"]
    respaced = original.replace(" ", "  ", 1) + "\u200b"
    assert respaced != original
    data.write_text(data.read_text(encoding="utf-8").replace(original, respaced),
                    encoding="utf-8")
    after = run_project(root, report=False)
    source = after.labels.set_index("id")["label_source"]
    assert (source[sorted(r["id"] for r in rows)] == "review").all()
    assert not any("have another text now" in w for w in after.warnings)


def test_import_warns_of_decisions_on_a_text_the_data_has_changed_since(make_project,
                                                                        tmp_path, cli):
    """Decisions on items whose text changed after their run exported them were imported
    without a word; the next run set them aside."""
    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None)
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "q.csv")[0]
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    changed = rows[0]["id"]
    data = root / "data" / "items.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(rows[0]["text"], "New words"),
                    encoding="utf-8")
    code, out = cli("review", "import", str(tmp_path / "done.csv"), "--reviewer", "ana",
                    "-p", str(root))
    assert code == 0, out
    assert (f"warning: {tmp_path / 'done.csv'}: 1 decision(s) were made on a text the item no "
            f"longer has in the data") in " ".join(out.split())
    assert repr(changed) in out
    report = import_file(root, tmp_path / "done.csv", reviewer="ana")  # again: nothing new
    assert report.other_text_now == [changed]


def test_reviewed_ids_the_data_now_holds_as_floats_are_named(tmp_path):
    # a file exported with its id column as floats: "1" is now "1.0"; ids stay as written
    add(tmp_path, [(str(k), "billing", "a") for k in range(1, 8)], sha="s1")
    floats = [f"{k}.0" for k in range(1, 8)]
    result = reviewed_labels(tmp_path, floats, LABELS)
    assert result.n_gold == 0 and len(result.unknown_items) == 7
    said = review_warnings(result)[0]
    assert "7 reviewed item(s) are not in the dataset any more" in said
    assert "the data has ids '1.0', '2.0', '3.0', '4.0', '5.0' and 2 more where the " \
           "reviews name '1', '2', '3', '4', '5' and 2 more: written as floats" in said
    # the reverse: reviews made on "1.0", the file now "1"
    root = tmp_path / "rev"
    root.mkdir()
    add(root, [("3.0", "billing", "a"), ("x", "billing", "a")], sha="s1")
    said = review_warnings(reviewed_labels(root, ["3", "4"], LABELS))[0]
    assert "the data has ids '3' where the reviews name '3.0': the reviews were made" in said
    # ids that are simply gone get no such hint
    assert "the data has ids" not in review_warnings(reviewed_labels(root, ["9"], LABELS))[0]
