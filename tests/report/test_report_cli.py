"""``labelwright report [RUN]`` over a project's runs/ folder."""

from __future__ import annotations

import typer
from report_runs import make_pair
from typer.testing import CliRunner

from labelwright.cli.report import report
from labelwright.errors import RunError

CONFIG = """[project]
name = "p"
labels = ["negative", "neutral", "positive"]

[data]
path = "data.csv"
"""


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(report)
    app.command("noop")(lambda: None)  # two commands, so `report` is a subcommand
    return app


def test_report_rebuilds_latest_and_named_run(tmp_path):
    (tmp_path / "labelwright.toml").write_text(CONFIG)
    first, second = make_pair(tmp_path)
    runner = CliRunner()
    result = runner.invoke(_app(), ["report", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (second / "report.html").is_file() and not (first / "report.html").exists()
    result = runner.invoke(_app(), ["report", first.name[:15], "-p", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (first / "report.html").is_file()
    result = runner.invoke(_app(), ["report", "nope", "-p", str(tmp_path)])
    assert isinstance(result.exception, RunError)
    assert "no run matching 'nope'" in str(result.exception)


def test_a_run_edited_since_it_was_made_gets_no_report(tmp_path):
    """The report showed labels edited after the run (every item "billing") as the run's,
    and cut reviews as the run's reviews, without a word."""
    import pandas as pd

    (tmp_path / "labelwright.toml").write_text(CONFIG)
    first, second = make_pair(tmp_path)
    labels = pd.read_parquet(second / "labels.parquet")
    labels["label"] = "positive"
    labels.to_parquet(second / "labels.parquet", index=False)
    result = CliRunner().invoke(_app(), ["report", "--project", str(tmp_path)])
    assert isinstance(result.exception, RunError)
    message = str(result.exception)
    assert "no report is made from it: labels.parquet: changed since the run wrote it" in message
    assert not (second / "report.html").exists()
    # a later run's report names its edited predecessor instead of counting its labels
    from labelwright.report import render_report

    edited = pd.read_parquet(first / "labels.parquet")
    edited["label"] = "negative"
    edited.to_parquet(first / "labels.parquet", index=False)
    page = render_report(second)
    assert "Cannot compare with the previous run" in page
    assert f"{first}: labels.parquet: changed since the run wrote it" in page


def test_changes_are_not_counted_from_behind_a_run_that_lost_its_manifest(tmp_path):
    from labelwright.report import render_report

    first, second = make_pair(tmp_path)
    (first / "manifest.json").unlink()
    page = render_report(second)
    assert "Cannot compare with the previous run" in page
    assert f"{first}: no manifest.json" in page


def test_a_run_whose_review_queue_was_filled_in_still_gets_its_report(tmp_path):
    """The README tells reviewers to fill review_label in the run's own review file; the
    report then refused the run as edited."""
    import json

    (tmp_path / "labelwright.toml").write_text(CONFIG)
    _, second = make_pair(tmp_path)
    queue = second / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text().splitlines()]
    records[0]["review_label"] = records[0]["suggested_label"]
    queue.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = CliRunner().invoke(_app(), ["report", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # the page says its examples come from the file as it is now
    assert "review.jsonl: changed since the run wrote it" in (second / "report.html").read_text()
