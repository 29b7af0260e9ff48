"""A training result shown in a notebook cell: one line of counts and scores, not the
dataclass's repr of every field (its per-label DataFrames ran over some thirty lines)."""

from __future__ import annotations

from labelwright.end_model.train import train_run
from labelwright.project import run_project
from labelwright.scaffold import init_project


def test_a_train_result_is_one_line_of_what_it_trained_and_scored(tmp_path):
    init_project(tmp_path / "p")
    run = run_project(tmp_path / "p", report=False)
    result = train_run(tmp_path / "p")
    shown = repr(result)
    assert shown.startswith("TrainResult(run_id=") and "\n" not in shown, shown
    assert f"run_id={run.run_id!r}" in shown and f"n_train={result.n_train}" in shown
    assert f"accuracy={result.accuracy!r}" in shown and "DataFrame" not in shown
    assert "support" not in shown and len(shown) < 400
    assert "<b>TrainResult</b>" in result._repr_html_()
    assert result.summary()["macro_f1"] == result.f1["end_model"]["macro_f1"]
