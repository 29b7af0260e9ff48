"""`labelwright train`: the end model on a run's labels, its files and held-out accuracy."""

from __future__ import annotations

import pandas as pd
import typer
from typer.testing import CliRunner

from labelwright.cli.train import train
from labelwright.end_model import EndModel


def test_train_command_writes_model_and_fills_uncovered(tmp_path):
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    run = run_project(tmp_path / "p", report=False)
    app = typer.Typer()
    app.command()(train)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["train", "--project", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "held-out accuracy" in result.stdout
    out = pd.read_parquet(run.run_dir / "end_model_labels.parquet")
    assert len(out) == len(run.labels)
    unlabeled = run.labels["label"].isna().to_numpy()
    assert (out["label_source"][unlabeled] == "end_model").all()
    assert out["label"].notna().all()
    assert EndModel.load(run.run_dir / "end_model.json").labels == run.project.labels
