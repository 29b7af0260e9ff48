"""``runs diff --exit-code``: 1 when the runs' labels or votes differ, 0 when not (it
exited 0 with 114 labels flipped, so a script could not gate on it)."""

from __future__ import annotations

import textwrap

import pytest

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.scaffold import init_project


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs of the same project, then one with an LF added (labels flip)."""
    root = tmp_path_factory.mktemp("exitcode")
    init_project(root)
    first = run_project(root, report=False)
    same = run_project(root, report=False)
    lf_file = root / "labeling_functions" / "reviews.py"
    lf_file.write_text(lf_file.read_text() + textwrap.dedent('''

        @labeling_function()
        def always_positive(item):
            return "positive"
        '''))
    flipped = run_project(root, report=False)
    return root, first, same, flipped


def test_exit_code_is_1_when_labels_flipped(runs, cli):
    root, first, _, flipped = runs
    assert diff_runs(first.run_dir, flipped.run_dir).flipped > 0
    code, out = cli("runs", "diff", first.run_id, flipped.run_id, "--exit-code", "-p",
                    str(root))
    assert code == 1, out
    assert "labels flipped:" in out  # the diff is printed all the same
    code, _ = cli("runs", "diff", first.run_id, flipped.run_id, "-p", str(root))
    assert code == 0  # without the flag, as before


def test_exit_code_is_0_when_labels_and_votes_are_the_same(runs, cli):
    root, first, same, _ = runs
    assert not diff_runs(first.run_dir, same.run_dir).labels_or_votes_differ
    code, out = cli("runs", "diff", first.run_id, same.run_id, "--exit-code", "-p",
                    str(root))
    assert code == 0, out


def test_votes_that_moved_without_a_flip_differ(tmp_path):
    from test_run_diff import fake_run

    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h", "y": "h2"}, coverage=1.0)
    d = diff_runs(a, b)
    assert d.flipped == 0 and d.labels_or_votes_differ  # an LF added: new votes
