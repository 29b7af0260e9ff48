"""runs diff: flips between near ties counted apart, and ``--label`` / ``--lf`` narrowing
the flips to those of one label or one LF."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.flip_filter import FlipFilter
from labelwright.runs.diff.near_ties import NEAR_TIE
from tie_runs import LFS, ROWS, TIED, break_ties_at_random


@pytest.fixture
def two_runs(make_project):
    """Run a breaks the ten ties (one vote each way) by label order; run b at random, so
    some of them flip with nothing decided; and b0's votes move from billing to
    technical, a flip an edit decided."""
    root = make_project(rows=ROWS, lfs={"votes": LFS})
    first = run_project(root, report=False)
    break_ties_at_random(root)
    module = root / "labeling_functions" / "votes.py"
    module.write_text(LFS.replace('"bill" in item.text', '"bill" in item.text and item.id != "b0"')
                      .replace('"crash" in item.text', '"crash" in item.text or item.id == "b0"'))
    second = run_project(root, report=False)
    return root, first, second


def _labels(run) -> pd.Series:
    return pd.read_parquet(run.run_dir / "labels.parquet").set_index("id")["label"]


def test_flips_between_near_ties_are_counted_apart(two_runs, cli):
    """Editing one row had reported 38 flips, 36 of them 0.50 -> 0.50 coin flips."""
    root, first, second = two_runs
    a, b = _labels(first), _labels(second)
    tie_flips = sum(a[t["id"]] != b[t["id"]] for t in TIED)
    assert tie_flips >= 1  # the random tie-break moved some: else the test shows nothing
    assert a["b0"] == "billing" and b["b0"] == "technical"
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.flipped == tie_flips + 1
    assert d.near_ties == tie_flips
    assert d.near_tie_transitions == {("billing", "technical"): tie_flips}
    # the flip an edit decided comes first among the examples, and is no near tie
    assert d.examples[0]["id"] == "b0" and not d.examples[0]["near_tie"]
    assert all(ex["near_tie"] for ex in d.examples[1:])
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"labels flipped: {tie_flips + 1} ({tie_flips} between near ties: the two most "
            f"probable labels under {NEAR_TIE:.2f} apart in both runs") in out
    assert "; 1 other)" in out
    assert "(near tie)" in out


def test_a_clear_flip_is_no_near_tie(two_runs):
    """b0 went from 1.0 billing to 1.0 technical: its flip is counted as a flip."""
    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir, flip_filter=FlipFilter(lfs=("says_bill",)))
    assert d.flipped == 1 and d.near_ties == 0
    assert [ex["id"] for ex in d.examples] == ["b0"]


def test_diff_narrowed_to_a_label_or_an_lf(two_runs, cli):
    root, first, second = two_runs
    everything = diff_runs(first.run_dir, second.run_dir)
    d = diff_runs(first.run_dir, second.run_dir, flip_filter=FlipFilter(labels=("technical",)))
    assert d.flipped == everything.flipped == d.flipped_all  # every flip is into technical
    # says_crash moved on b0 alone; the ties' votes did not move
    d = diff_runs(first.run_dir, second.run_dir, flip_filter=FlipFilter(lfs=("says_crash",)))
    assert (d.flipped, d.flipped_all) == (1, everything.flipped)
    assert d.transitions == {("billing", "technical"): 1}
    assert d.flip_causes == {"votes changed (same text)": 1}
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root),
                    "--lf", "says_crash", "--label", "technical")
    assert code == 0, out
    assert (f"labels flipped (into or out of technical, whose votes of says_crash changed): "
            f"1 of {everything.flipped}") in out
    d = diff_runs(first.run_dir, second.run_dir, flip_filter=FlipFilter(labels=("billing",),
                                                                        lfs=("says_bill",)))
    assert d.flipped == 1


def test_an_unknown_label_or_lf_names_the_valid_ones(two_runs, cli):
    root, first, second = two_runs
    with pytest.raises(RunError, match=r"--label 'technicl'.*did you mean 'technical'\?.*"
                                       r"billing, technical"):
        diff_runs(first.run_dir, second.run_dir, flip_filter=FlipFilter(labels=("technicl",)))
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root),
                    "--lf", "says_crsh")
    assert code != 0
    assert "--lf 'says_crsh'" in out and "did you mean 'says_crash'?" in out
    assert "says_bill, says_crash" in out


def test_the_other_flips_leave_out_those_to_a_reviewed_label():
    """38 flips, 2 to a reviewed label and 30 near ties, were said to leave 8 others."""
    from labelwright.cli.runs_diff import flipped_line
    from labelwright.runs.diff.near_ties import near_tie_text
    from labelwright.runs.diff.result import Changes, RunDiff

    d = RunDiff("a", "b", Changes(), Changes(), Changes(), None, None, None, None, None, {},
                compared=40, only_a=0, only_b=0, flipped=38, transitions={}, examples=[],
                coverage=(None, None), accuracy=(None, None), flipped_by_review=2,
                near_ties=30)
    assert flipped_line(d) == (f"labels flipped: 38 (2 to a reviewed label; 30 between "
                               f"{near_tie_text()}; 6 others)")
