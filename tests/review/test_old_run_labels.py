"""Commands that read the data again for a run made before the project's labels changed."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from label_sets import change_labels
from labelwright.cli.review import review_app
from labelwright.errors import RunError
from labelwright.review.training_set import export_training_set


def test_export_of_an_old_run_names_the_run_and_both_label_sets(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    change_labels(root, ["billing", "tech"], gold={"technical": "tech"})
    with pytest.raises(RunError) as info:
        export_training_set(root, tmp_path / "x.parquet", run=run)
    message = str(info.value)
    assert f"run {run} was made with the labels billing, technical" in message
    assert "the project's are billing, tech now" in message
    assert "[project] renamed" in message and "labelwright run" in message


def test_review_export_of_an_old_run_warns_of_its_labels(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    change_labels(root, ["billing", "technical", "other"], gold={})
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "export", run, "--format", "label-studio",
                                      "--out", str(tmp_path / "ls.json"),
                                      "--project", str(root)])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert f"run {run} was made with the labels billing, technical" in shown
    assert "reviewers cannot choose 'other'" in shown


def test_runs_show_and_list_name_a_runs_labels(reviewed_project, cli):
    root, run = reviewed_project.root, reviewed_project.run_id
    code, out = cli("runs", "show", run, "-p", str(root))
    assert code == 0 and "labels: billing, technical" in out
    assert "the project's now" not in out
    change_labels(root, ["billing", "technical", "other"], gold={})
    code, out = cli("runs", "show", run, "-p", str(root))
    assert "labels: billing, technical (the project's now: billing, technical, other)" in out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and f"{run}: billing, technical" in out


def test_train_of_an_old_run_reads_reviews_of_a_renamed_label(make_project):
    """`train` read an old run's reviews with the run's label names, so after
    `[project] renamed = { technical = "tech" }` every review of that run (read as "tech")
    counted as a label the project no longer has, and none was trained on. (A project
    without a gold column: renaming a label its data's gold uses changes the data, and
    train then asks for a new run.)"""
    import pandas as pd

    from labelwright import run_project
    from labelwright.end_model.train import train_run
    from ledger_rows import decide

    root = make_project(gold=None)
    run = run_project(root, report=False).run_dir
    ids = pd.read_parquet(run / "labels.parquet")["id"].astype(str)
    decide(root, ids.iloc[0], "technical", "ann", run.name)
    decide(root, ids.iloc[1], "billing", "ann", run.name)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'labels = ["billing", "technical"]',
        'labels = ["billing", "tech"]\nrenamed = { technical = "tech" }'), encoding="utf-8")
    result = train_run(root, run.name)
    assert result.n_reviewed == 2
    assert not any("no longer has" in warning for warning in result.warnings)


def test_export_of_an_old_run_reads_gold_under_its_own_names_after_a_rename(
        reviewed_project, tmp_path):
    """With `[project] renamed` set and the data's gold column not yet rewritten, the data
    holds the run's own names: export read them as the current ones and refused the data,
    telling the user to set the `renamed` they had set."""
    root, run = reviewed_project.root, reviewed_project.run_id
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'labels = ["billing", "technical"]',
        'labels = ["billing", "tech"]\nrenamed = { technical = "tech" }'), encoding="utf-8")
    frame = export_training_set(root, tmp_path / "x.parquet", run=run)
    assert (tmp_path / "x.parquet").is_file() and len(frame) > 0
    assert set(frame["label"].dropna()) <= {"billing", "technical"}  # the run's names
