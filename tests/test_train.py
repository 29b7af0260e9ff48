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
    with open(tmp_path / "p" / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        # no LF votes on these, but their words are in texts the LFs labeled
        handle.write('u1,"the handle of the charger",yes,\nu2,"bought for my dad",yes,\n')
    run = run_project(tmp_path / "p", report=False)
    app = typer.Typer()
    app.command()(train)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["train", "--project", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "held-out accuracy" in result.stdout
    out = pd.read_parquet(run.run_dir / "end_model_labels.parquet")
    assert len(out) == len(run.labels)
    out = out.set_index("id")
    assert run.labels.set_index("id").loc[["u1", "u2"], "label"].isna().all()
    assert (out.loc[["u1", "u2"], "label_source"] == "end_model").all()
    assert out.loc[["u1", "u2"], "label"].notna().all()
    # every item the run left unlabeled is labeled by the end model, or left alone as
    # unreadable to it (no word it knows)
    unlabeled = run.labels.set_index("id")["label"].isna()
    assert out.loc[unlabeled[unlabeled].index, "label_source"].isin(["end_model", "none"]).all()
    assert EndModel.load(run.run_dir / "end_model.json").labels == run.project.labels


def test_texts_the_end_model_cannot_read_stay_unlabeled(tmp_path):
    """An empty text, or one of words the model never saw, got the class prior as an
    'end_model' label."""
    from labelwright.project import run_project
    from labelwright.scaffold import init_project
    from labelwright.train import train_run

    root = tmp_path / "p"
    init_project(root)
    with open(root / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        handle.write('e1,"",yes,\ne2,"   ",yes,\ne3,"zzxq qqvw",yes,\n')
    run = run_project(root, report=False)
    result = train_run(root)
    out = pd.read_parquet(result.labels_path).set_index("id")
    for item in ("e1", "e2", "e3"):
        assert pd.isna(out.loc[item, "label"]) and out.loc[item, "label_source"] == "none"
    assert result.n_filled == int((out["label_source"] == "end_model").sum())
    assert result.n_unreadable >= 3
    assert (run.labels.set_index("id").loc[["e1", "e2", "e3"], "label"].isna()).all()
