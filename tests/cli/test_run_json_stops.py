"""``run --json`` stopped before it has a result still prints one JSON object on stdout (an
error object with its exit code): a usage error, Ctrl-C, SIGTERM and a bug had printed
nothing there, and the nightly script reading stdout got no JSON to read."""

from __future__ import annotations

import json

import pytest

from cli_streams import run_cli
from ticket_data import TICKET_LFS

STOPS = '''

@labeling_function()
def stops(item):
    if item.id == "t3":
        from labelwright.errors import Terminated

        raise {raised}  # as the signal arrives while it runs
    return ABSTAIN
'''


@pytest.mark.parametrize("args, said", [
    (("--queue-limit", "-1"), "Invalid value for '--queue-limit'"),
    (("--no-such-option",), "No such option: --no-such-option"),
    (("--data", "a.csv", "--data", "b.csv"), "given twice, as 'a.csv' and 'b.csv'"),
])
def test_a_usage_error_is_a_json_error_with_exit_code_2(make_project, monkeypatch, capsys,
                                                        args, said):
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--json", *args)
    assert code == 2, err
    (line,) = out.splitlines()
    record = json.loads(line)
    assert record["command"] == "run" and record["status"] == "error", record
    assert record["exit_code"] == 2 and said in record["error"], record
    assert said in " ".join(err.split())  # said on stderr as before
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), *args)
    assert code == 2 and out == ""  # without --json: no JSON


def test_a_usage_error_of_runs_verify_json_names_the_command(make_project, monkeypatch,
                                                             capsys):
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--json", "--nope")
    assert code == 2, err
    assert json.loads(out)["command"] == "runs verify"


@pytest.mark.parametrize("raised, code, by", [("KeyboardInterrupt", 130, "Ctrl-C"),
                                              ("Terminated", 143, "SIGTERM")])
def test_ctrl_c_and_sigterm_are_a_json_error_with_their_exit_code(make_project, monkeypatch,
                                                                  capsys, raised, code, by):
    from labelwright.apply import core

    root = make_project(lfs={"tickets": TICKET_LFS + STOPS.format(raised=raised)})
    got, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                            "--engine", "local", "--json")
    core.INTERRUPTED.clear()
    assert got == 130, err  # the script's entry point makes it 143 for SIGTERM
    record = json.loads(out)
    assert record["status"] == "error" and record["exit_code"] == code, record
    assert record["interrupted"] == by and record["error"] == (
        f"interrupted ({by}) before the run was done: a run cut short is not written, and "
        "runs/LATEST still names the run before it"), record
    assert "run_id" not in record, record  # no run was written
    assert "interrupted: labelwright writes each file whole" in err
    assert not list((root / "runs").glob("*/manifest.json"))


def test_a_bug_is_a_json_error_and_its_traceback(make_project, monkeypatch, capsys):
    from labelwright.cli import run_output

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(run_output, "_run_and_print", broken)
    root = make_project()
    with pytest.raises(ZeroDivisionError):
        run_cli(monkeypatch, capsys, "run", "-p", str(root), "--json")
    record = json.loads(capsys.readouterr().out)
    assert record["exit_code"] == 1 and record["error"] == "ZeroDivisionError: a bug"


def test_an_option_refused_before_the_run_starts_is_a_json_error(tmp_path, monkeypatch,
                                                                  capsys):
    """``-p`` naming no folder is refused by the option's own check, before the command ran:
    its error line only."""
    missing = tmp_path / "nowhere"
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(missing), "--json")
    assert code == 1 and f"error: {missing}: no such folder" in err
    record = json.loads(out)
    assert record["exit_code"] == 1 and record["error"].startswith(f"{missing}: no such folder")
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--all", "-p",
                             str(missing), "--json")
    record = json.loads(out)
    assert record["command"] == "runs verify", out
    # runs verify's 1 is "differs": a project it never found is "cannot check", 2, in the
    # JSON as in the process's exit code
    assert code == record["exit_code"] == 2 and f"error: {missing}: no such folder" in err


def test_runs_verify_and_diff_exit_code_exit_2_without_a_project(tmp_path, monkeypatch,
                                                                  capsys):
    """A folder that holds no project, or none found above the current folder: ``runs
    verify`` and ``runs diff --exit-code`` could not check (2), not "differs" (1);
    ``runs diff`` without ``--exit-code`` exits 1, as every command on an error."""
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "-p", str(empty))
    assert code == 2 and "not a project folder" in err and out == ""
    code, out, _ = run_cli(monkeypatch, capsys, "runs", "diff", "--exit-code", "-p", str(empty))
    assert code == 2
    code, out, _ = run_cli(monkeypatch, capsys, "runs", "diff", "-p", str(empty))
    assert code == 1
    monkeypatch.chdir(empty)  # no -p, and no project at or above the current folder
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--json")
    assert code == json.loads(out)["exit_code"] == 2 and "no labelwright.toml in" in err
