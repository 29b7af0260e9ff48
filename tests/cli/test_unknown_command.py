"""A command the CLI does not have: a close spelling is offered, else the commands whose
help speaks of the name (``labelwright lfs`` said only "No such command 'lfs'")."""

from __future__ import annotations

from typer.testing import CliRunner

from labelwright.cli.app import app


def _said(*args: str) -> str:
    ran = CliRunner().invoke(app, list(args))
    assert ran.exit_code == 2, ran.output
    return ran.output


def test_lfs_names_the_commands_that_speak_of_lfs() -> None:
    said = _said("lfs")
    assert "No such command 'lfs'. Commands whose help speaks of 'lfs': analyze, run, check" \
        in said, said


def test_a_misspelling_gets_the_command_it_is_close_to() -> None:
    assert "No such command 'anaylze'. Did you mean 'analyze'?" in _said("anaylze")
    assert "No such command 'shw'. Did you mean 'show'?" in _said("runs", "shw")


def test_a_name_nothing_speaks_of_lists_every_command() -> None:
    said = _said("zzz")
    assert "No such command 'zzz'. Commands: init, check, analyze, run," in said, said
