"""Review decisions made from a run whose labels were not the project's now: a label the
reviewers could not choose, or a label name dropped and added back since."""

from __future__ import annotations

import csv
import json

from label_sets import change_labels
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import review_warnings, reviewed_labels
from labelwright.review.imports.file import import_file

TWO = ["20250101-000000-000001", ("positive", "negative")]
THREE = ["20250102-000000-000001", ("positive", "negative", "neutral")]
IDS = ["a", "b", "c", "d"]


def make_run(root, run_id, labels):
    run_dir = root / "runs" / run_id
    run_dir.mkdir(parents=True)
    (run_dir / "manifest.json").write_text(json.dumps(
        {"run_id": run_id, "project": {"name": "t", "labels": list(labels)}}),
        encoding="utf-8")


def add(root, rows, *, sha):
    """rows: (item_id, label, rater, run_id), imported together from one file."""
    decisions = [ledger.Decision(item, label, rater, "", "", "now", "f", sha, f"row {k}",
                                 run_id, "csv")
                 for k, (item, label, rater, run_id) in enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")


def read(root, labels, **options):
    reviewed = reviewed_labels(root, IDS, labels, runs_dir=root / "runs", **options)
    return reviewed, review_warnings(reviewed, labels=labels)


def test_decisions_from_a_run_without_a_current_label_are_named(tmp_path):
    make_run(tmp_path, *TWO)
    make_run(tmp_path, *THREE)
    add(tmp_path, [("a", "positive", "alice", TWO[0]), ("b", "negative", "alice", TWO[0]),
                   ("c", "positive", "bob", THREE[0])], sha="s1")
    reviewed, warnings = read(tmp_path, THREE[1])
    (warning,) = [w for w in warnings if "could not choose" in w]
    assert warning.startswith("2 review decision(s) in use were made from run(s) without")
    assert f"run {TWO[0]} (labels positive, negative; could not choose 'neutral')" in warning
    assert "2 decision(s) on 2 item(s) ('a', 'b')" in warning
    assert THREE[0] not in warning  # that run offered every label
    assert "labelwright review export" in warning and "positive, negative, neutral" in warning
    recorded = reviewed.manifest()
    assert recorded["decisions_without_labels"] == 2
    assert recorded["labels_not_offered"] == {"neutral": 2}
    assert recorded["runs_with_other_labels"] == {TWO[0]: ["positive", "negative"]}
    # the decisions still count, as before
    assert reviewed.gold[0] == 0 and reviewed.gold[1] == 1


def test_a_renamed_label_is_not_missing_and_an_unknown_run_is_said_to_be(tmp_path):
    make_run(tmp_path, TWO[0], ("positive", "bad"))
    add(tmp_path, [("a", "bad", "alice", TWO[0])], sha="s1")
    reviewed, warnings = read(tmp_path, ("positive", "negative"), renamed={"bad": "negative"})
    assert not reviewed.label_gaps and not [w for w in warnings if "could not" in w]
    # a pruned run's labels are not known: named beside a run that lacked a label
    add(tmp_path, [("b", "positive", "bob", "20241231-000000-000001")], sha="s2")
    reviewed, warnings = read(tmp_path, ("positive", "negative", "neutral"),
                              renamed={"bad": "negative"})
    (warning,) = [w for w in warnings if "could not choose" in w]
    assert "run 20241231-000000-000001 (labels unknown" in warning
    assert reviewed.manifest()["runs_with_other_labels"]["20241231-000000-000001"] == "unknown"


def test_a_label_dropped_and_added_back_is_named(tmp_path):
    """positive/negative, then negative renamed to complaint without [project] renamed,
    then negative added back: the first run's decisions for it have its old meaning."""
    make_run(tmp_path, *TWO)
    make_run(tmp_path, "20250103-000000-000001", ("positive", "complaint"))
    add(tmp_path, [("a", "negative", "alice", TWO[0]), ("b", "positive", "alice", TWO[0])],
        sha="s1")
    reviewed, warnings = read(tmp_path, ("positive", "negative"))
    (warning,) = [w for w in warnings if "old meaning" in w]
    assert f"run {TWO[0]} (labels positive, negative): 'negative' (1)" in warning
    assert reviewed.manifest()["decisions_readded_labels"] == {"negative": 1}


def test_import_warns_of_a_file_from_a_run_without_a_current_label(reviewed_project,
                                                                      tmp_path, cli):
    root, run = reviewed_project.root, reviewed_project.run_id
    change_labels(root, ["billing", "technical", "other"], gold={})
    path = tmp_path / "round2_alice.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "review_label"])
        writer.writerows([["t2", run, "technical"], ["t6", run, "billing"]])
    report = import_file(root, path, reviewer="alice")
    assert report.added == 2
    (warning,) = report.label_gap_warnings
    assert "2 review decision(s) imported were made from run(s) without" in warning
    assert f"run {run} (labels billing, technical; could not choose 'other')" in warning


def test_a_run_explain_and_runs_show_name_them(reviewed_project, cli):
    from labelwright.project import run_project
    from labelwright.runs.explain.item import explain_item

    root, run = reviewed_project.root, reviewed_project.run_id
    add(root, [("t6", "billing", "alice", run)], sha="s1")
    change_labels(root, ["billing", "technical", "other"], gold={})
    result = run_project(root)
    assert any(f"run {run} (labels billing, technical; could not choose 'other')" in w
               for w in result.warnings)
    code, out = cli("runs", "show", result.run_id, "-p", str(root))
    assert code == 0
    assert "1 decision(s) made from runs whose reviewers could not choose other (1)" in out
    assert f"{run}: billing, technical" in out
    explained = explain_item(root, "t6", run=result.run_id)
    assert any(f"alice's decision (billing) was made from run {run}, when the labels were "
               "billing, technical: 'other' could not be chosen" in w
               for w in explained.warnings)


def test_review_stats_names_the_current_labels_in_the_stale_warning(reviewed_project, cli):
    """A decision for a label the project no longer has ("refund"): `review stats` says
    what a run says, the current labels too."""
    root, run = reviewed_project.root, reviewed_project.run_id
    add(root, [("t6", "refund", "alice", run)], sha="s1")
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out
    assert "1 review decision(s) have a label the project no longer has" in out
    assert "(current labels: billing, technical)" in out


def test_train_names_the_labels_it_reads_reviews_with(make_project):
    """`train`'s warning of a decision for a label the run does not have lists the labels
    it reads with, as a run's does."""
    import pandas as pd

    from labelwright import run_project
    from labelwright.end_model.train import train_run
    from ledger_rows import decide

    root = make_project(gold=None)
    run = run_project(root, report=False).run_dir
    ids = pd.read_parquet(run / "labels.parquet")["id"].astype(str)
    decide(root, ids.iloc[0], "refund", "ann", run.name)
    decide(root, ids.iloc[1], "billing", "ann", run.name)
    (warning,) = [w for w in train_run(root, run.name).warnings if "refund" in w]
    assert "(current labels: billing, technical)" in warning


def test_a_run_that_had_both_names_of_a_rename_lacked_neither(tmp_path):
    """A run made with negative and complaint as two labels, before [project] renamed
    merged negative into complaint: read with that run's labels (as train of it reads
    reviews), its own decisions were said to come from a run whose reviewers could not
    choose 'negative', because its negative was taken for complaint's old name."""
    both = ("negative", "positive", "complaint")
    make_run(tmp_path, TWO[0], both)
    add(tmp_path, [("a", "positive", "alice", TWO[0]), ("b", "complaint", "alice", TWO[0])],
        sha="s1")
    reviewed, warnings = read(tmp_path, both, renamed={"negative": "complaint"})
    assert reviewed.gold[0] == 1 and reviewed.gold[1] == 2  # the decisions count
    assert reviewed.label_gaps == []
    assert not [w for w in warnings if "could not choose" in w]
