"""`runs diff` and `run`'s "since run" line name the items whose gold label changed in the
data between two runs: blanking 4,974 gold labels said only that the data's hash moved,
beside an accuracy "over other gold items"."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.lines import effect_lines, since_line


def _edit_gold(root, item, old, new):
    path = root / "data" / "items.csv"
    path.write_text("".join(line.replace(old, new) if line.startswith(f"{item},") else line
                            for line in path.read_text(encoding="utf-8")
                            .splitlines(keepends=True)), encoding="utf-8")


def test_a_gold_label_changed_in_the_data_is_named(make_project, cli):
    root = make_project()
    first = run_project(root, report=False)
    _edit_gold(root, "t3", ",billing", ",")  # t3's gold label taken away
    _edit_gold(root, "t5", "pro,", "pro,technical")  # t5 given one
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.gold_changed == (2, ["t3", "t5"])
    assert "items whose gold label changed in the data: 2 (t3, t5)" in effect_lines(d)
    assert "2 gold labels changed in the data" in since_line(d)
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0 and "items whose gold label changed in the data: 2 (t3, t5)" in out, out


def test_unchanged_gold_names_nothing(make_project):
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.gold_changed == (0, [])
    assert not any("gold label" in line for line in effect_lines(d))
