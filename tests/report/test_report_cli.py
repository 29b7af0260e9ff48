"""``labelwright report [RUN]`` over a project's runs/ folder."""

from __future__ import annotations

import typer
from report_runs import make_pair
from typer.testing import CliRunner

from labelwright.cli.report import report
from labelwright.errors import RunError
from labelwright.report import plots

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


def test_report_rebuilds_latest_and_named_run(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "available", lambda: False)
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
