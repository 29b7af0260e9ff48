"""explain ITEM --against RUN: the item in two runs side by side, with the cause runs diff
gives its flip."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.explain.against import SAME_LABEL, item_beside
from tie_runs import LFS, ROWS, break_ties_at_random


@pytest.fixture
def two_runs(make_project):
    """Run a breaks the ten ties by label order, run b at random; b0's votes move from
    billing to technical; c2's crash vote goes (no label now); n0 is new in run b."""
    root = make_project(rows=ROWS, lfs={"votes": LFS})
    first = run_project(root, report=False)
    break_ties_at_random(root)
    (root / "labeling_functions" / "votes.py").write_text(
        LFS.replace('"bill" in item.text', '"bill" in item.text and item.id != "b0"')
        .replace('"crash" in item.text', '("crash" in item.text or item.id == "b0") '
                                         'and item.id != "c2"'))
    data = root / "data" / "items.csv"
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame([{"id": "n0", "text": "bill only new",
                                             "gold": "billing"}])])
    frame.to_csv(data, index=False)
    second = run_project(root, report=False)
    return root, first, second


def test_a_flip_gets_the_cause_runs_diff_gives_it(two_runs, cli):
    root, first, second = two_runs
    by_id = {ex["id"]: ex for ex in diff_runs(first.run_dir, second.run_dir,
                                               max_examples=100).examples}
    beside = item_beside("b0", first.run_dir, second.run_dir)
    assert beside.a is not None
    assert (beside.a.label, beside.b.label) == ("billing", "technical")
    assert beside.cause == by_id["b0"]["cause"] == "votes changed (same text)"
    assert beside.votes == by_id["b0"]["votes"] == [("says_bill", "billing", "abstain"),
                                                    ("says_crash", "abstain", "technical")]
    assert not beside.near_tie
    assert beside.a.probabilities["billing"] == pytest.approx(
        pd.read_parquet(first.run_dir / "labels.parquet").set_index("id").loc[
            "b0", "prob_billing"])
    code, out = cli("explain", "b0", "-p", str(root), "--against", first.run_id)
    assert code == 0, out
    assert f"Item b0 in runs {first.run_id} -> {second.run_id}" in out
    assert "vote of says_bill │ billing │ abstain" in out
    assert "flipped because: votes changed (same text)" in out


def test_a_coin_flip_says_it_is_a_near_tie(two_runs, cli):
    root, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir, max_examples=100)
    tied = [ex["id"] for ex in d.examples if ex["near_tie"]]
    assert tied  # the random tie-break flipped some ties
    beside = item_beside(tied[0], first.run_dir, second.run_dir)
    assert beside.near_tie and beside.votes == []
    assert beside.cause == next(ex["cause"] for ex in d.examples if ex["id"] == tied[0])
    code, out = cli("explain", tied[0], "-p", str(root), "--against", first.run_id)
    assert "votes: the same in both runs" in out
    assert "(a near tie: the two most probable labels under 0.02 apart" in out


def test_an_unmoved_label_a_new_item_and_an_unknown_run(two_runs, cli):
    root, first, second = two_runs
    beside = item_beside("c0", first.run_dir, second.run_dir)
    assert beside.cause == SAME_LABEL and beside.votes == []
    # c2 lost its one vote: no label now, a flip; n0 is in run b alone
    assert item_beside("c2", first.run_dir, second.run_dir).votes == [
        ("says_crash", "technical", "abstain")]
    assert item_beside("n0", first.run_dir, second.run_dir).a is None
    code, out = cli("explain", "n0", "-p", str(root), "--against", first.run_id)
    assert code == 0 and "the other run does not hold item 'n0'" in out
    code, out = cli("explain", "c0", "-p", str(root), "--against", "nosuchrun")
    assert code != 0 and "no run matching 'nosuchrun'" in out


def test_a_flip_after_the_reviewed_labels_changed_is_put_down_to_the_refit(make_project):
    """runs diff said "label model refit on other reviewed labels"; explain --against
    passed it no refit and said "label model (same text and votes)"."""
    from labelwright.runs.diff.flip_causes import REFIT
    from ledger_rows import decide

    root = make_project(model="dawid_skene")
    first = run_project(root, report=False)
    decide(root, "t1", "billing", "ana", first.run_id)
    second = run_project(root, report=False)
    path = second.run_dir / "labels.parquet"
    labels = pd.read_parquet(path)  # t4 flipped on the same text and votes
    at = labels["id"] == "t4"
    labels.loc[at, "label"] = "technical" if labels.loc[at, "label"].iloc[0] != "technical" \
        else "billing"
    labels.to_parquet(path, index=False)  # (runs diff refuses the edited file: its own
    # test, tests/runs/test_diff_refit.py, gives such a flip this cause)
    assert item_beside("t4", first.run_dir, second.run_dir).cause == REFIT


def test_a_flip_across_an_upgrade_says_labelwright_changed(two_runs, cli):
    """After an upgrade whose new default moved labels, `explain --against` and the run's
    summary blamed "label model (same text and votes)" and named no upgrade; only `runs
    diff` named the code. Both now say labelwright changed and where to read how."""
    import json

    from labelwright.runs.diff.lines import code_line
    from labelwright.runs.own_code import labelwright_code

    root, first, second = two_runs
    assert item_beside("b0", first.run_dir, second.run_dir).upgraded == ""
    assert code_line(diff_runs(first.run_dir, second.run_dir)) is None  # the same code
    path = first.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["labelwright_code"] = {"sha256": "5" * 64, "files": 3}  # another labelwright
    path.write_text(json.dumps(manifest))
    said = (f"labelwright changed since run {first.run_id} (code 555555555555 -> "
            f"{labelwright_code()['sha256'][:12]}): flips may come from it; see README "
            '"Upgrading labelwright"')
    assert item_beside("b0", first.run_dir, second.run_dir).upgraded == said
    assert code_line(diff_runs(first.run_dir, second.run_dir)) == said
    code, out = cli("explain", "b0", "-p", str(root), "--against", first.run_id)
    assert code == 0 and said in " ".join(out.split()), out
