"""The run records and prints calibration on held-out gold per vote pattern: a 12-intent
project's gold items whose top two labels had as many votes were 58% right at a mean
confidence of 0.926, while the one ECE over all items said 2.4%."""

from __future__ import annotations

import json

import numpy as np
import pytest

from labelwright.cli.run_summary import vote_calibration_lines
from labelwright.project import run_project
from labelwright.project.evaluation import evaluate
from labelwright.report.data import load_run
from labelwright.review.stats.agreement import wilson_interval
from labelwright.runs.manifest import read_manifest
from labelwright.runs.verify.manifest_claims import claim_differences, file_claims
from ticket_data import TICKET_LFS, many_tickets

#: a third LF beside the tickets' two, so that items have agreeing votes, a conflict
#: (refund and order against error) and a split (refund against crashes)
ORDER_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_order(item):
    return "billing" if "order" in item.text.lower() else ABSTAIN
'''


def test_evaluate_records_each_vote_patterns_confidence_and_accuracy():
    votes = np.array([[0, 0], [0, 0], [0, 1], [0, 1], [1, -1], [-1, -1], [0, 1], [1, 1]])
    gold = np.array([0, 0, 1, 0, 1, 0, 0, -1])
    predicted = np.array([0, 0, 0, 0, 1, 0, -1, 1])  # row 6: no label; row 7: no gold
    confidence = np.array([0.9, 0.8, 0.95, 0.95, 0.7, 0.6, 0.0, 0.99])
    fit_on = np.array([False, True, False, False, False, False, False, False])
    out = evaluate(gold, predicted, votes, 2, 0, fit_on=fit_on, confidence=confidence)
    groups = out["calibration_by_votes"]
    assert list(groups) == ["agree", "split", "one_vote", "no_vote"]
    # row 1 was fit on, row 6 has no label, row 7 no gold: none of them is judged
    assert {p: (g["items"], g["correct"]) for p, g in groups.items()} == {
        "agree": (1, 1), "split": (2, 1), "one_vote": (1, 1), "no_vote": (1, 1)}
    assert groups["split"]["confidence"] == pytest.approx(0.95)
    assert groups["split"]["accuracy"] == 0.5
    assert "calibration_by_votes" not in evaluate(gold, predicted, votes, 2, 0)


def test_the_run_records_prints_and_reports_the_same_calibration_per_vote_pattern(
        make_project, cli):
    root = make_project(rows=many_tickets(60),
                        lfs={"tickets": TICKET_LFS, "orders": ORDER_LF})
    result = run_project(root, report=False)
    recorded = read_manifest(result.run_dir)["evaluation"]["calibration_by_votes"]
    assert {"agree", "conflict", "split", "one_vote"} <= set(recorded)
    assert sum(g["items"] for g in recorded.values()) == result.evaluation["label_model"][
        "labeled"]
    assert load_run(result.run_dir).vote_calibration == recorded  # the report's numbers
    # a run from before the manifest recorded them: the report tells them from labels.parquet
    # and the label matrix, and tells the same
    path = result.run_dir / "manifest.json"
    kept = path.read_text(encoding="utf-8")
    older = json.loads(kept)
    del older["evaluation"]["calibration_by_votes"]
    path.write_text(json.dumps(older), encoding="utf-8")
    assert load_run(result.run_dir).vote_calibration == recorded
    path.write_text(kept, encoding="utf-8")
    lines = vote_calibration_lines({"calibration_by_votes": recorded})
    assert lines[0].startswith("calibration on held-out gold by vote pattern")
    split = recorded["split"]
    (row,) = [line for line in lines if "votes split, top labels tied" in line]
    assert f"{split['items']} items" in row and f"{100 * split['accuracy']:.1f}% right" in row
    code, shown = cli("runs", "show", result.run_id, "-p", str(root))
    assert code == 0
    assert " ".join(row.split()) in shown
    code, printed = cli("run", "-p", str(root), "--no-report")
    assert code == 0
    assert "Calibration on the gold part by vote pattern (the items it labeled)" in printed
    low, high = split["ci_low"], split["ci_high"]
    assert (f"│ votes split, top labels tied │ {split['items']} │ "
            f"{100 * split['confidence']:.1f}% │ {100 * split['accuracy']:.1f}% "
            f"({100 * low:.1f}%\u2013{100 * high:.1f}%) │") in printed
    # runs verify tells the figures again from labels.parquet and the label matrix
    manifest = read_manifest(result.run_dir)
    derived = file_claims(result.run_dir, manifest)
    assert "evaluation.calibration_by_votes.split" in derived
    assert claim_differences(manifest, derived) == []
    manifest["evaluation"]["calibration_by_votes"]["split"]["accuracy"] = 0.99
    (said,) = claim_differences(manifest, derived)
    # only the key that differs is named, with the two values
    assert said.startswith("evaluation.calibration_by_votes.split.accuracy: the manifest says "
                           f"0.99, labels.parquet with label_matrix.parquet (held-out gold) "
                           f"gives {split['accuracy']}"), said


def test_an_overconfident_pattern_is_marked_in_the_lines():
    from labelwright.models.vote_calibration import calibration_by_votes

    patterns = np.array(["agree"] * 400 + ["split"] * 50)
    confidence = np.array([0.95] * 400 + [0.926] * 50)
    correct = np.array([True] * 380 + [False] * 20 + [True] * 29 + [False] * 21)
    lines = vote_calibration_lines(
        {"calibration_by_votes": calibration_by_votes(patterns, confidence, correct)})
    low, high = wilson_interval(380, 400)
    assert lines[1] == (f"  {'votes agree':<28}  {'400 items':>11}   95.0% confident   95.0% "
                        f"right ({100 * low:.1f}%\u2013{100 * high:.1f}%)")
    low, high = wilson_interval(29, 50)
    assert lines[2] == (f"  votes split, top labels tied  {'50 items':>11}   92.6% confident   "
                        f"58.0% right ({100 * low:.1f}%\u2013{100 * high:.1f}%)  over-confident")
    assert vote_calibration_lines({}) == []
    # the record is plain JSON, as the manifest holds it
    assert json.loads(json.dumps(calibration_by_votes(patterns, confidence, correct)))
