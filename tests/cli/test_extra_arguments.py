"""An argument a command does not take: ``check proj``, as ``init proj`` takes its folder,
said "no labelwright.toml in <cwd>" (``--project``'s default looked around the current
folder before click saw the extra argument); it is a usage error that offers ``--project``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from labelwright.cli.app import app


def _said(*args: str) -> str:
    ran = CliRunner().invoke(app, list(args))
    assert ran.exit_code == 2, ran.output
    return ran.output


@pytest.mark.parametrize("command", ["check", "run", "analyze"])
def test_a_project_folder_as_an_argument_is_answered_with_project(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path)  # no project here or above: the old error was about it
    said = _said(command, "proj")
    assert "Got unexpected extra argument (proj); did you mean --project proj?" in said, said
    assert "no labelwright.toml" not in said


def test_an_extra_argument_after_project_is_not_offered_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "more").mkdir()
    monkeypatch.chdir(tmp_path)
    said = _said("check", "-p", "proj", "more")
    assert "Got unexpected extra argument (more)" in said, said
    assert "did you mean" not in said


def test_an_argument_that_names_no_folder_is_only_unexpected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    said = _said("run", "nothere")
    assert "Got unexpected extra argument (nothere)" in said, said
    assert "--project" not in said


@pytest.mark.parametrize("args", [["check", "proj", "--help"], ["run", "--help", "proj"]])
def test_help_with_an_extra_argument_prints_the_help(
        args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``check proj --help`` printed "unexpected extra argument" and exited 2: the check
    of extra arguments ran before click's eager --help."""
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path)
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    assert "Usage:" in ran.output and "--project" in ran.output, ran.output
    assert "unexpected extra argument" not in ran.output


def test_help_after_a_double_dash_is_an_argument(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    said = _said("run", "--", "--help")
    assert "Got unexpected extra argument (--help)" in said, said
