"""``check --json`` and ``runs verify --json`` stopped by Ctrl-C or SIGTERM print one JSON
error object on stdout, as ``run --json`` does: they had printed nothing, and the script
reading stdout got no JSON to read."""

from __future__ import annotations

import json

import pytest

from cli_streams import run_cli
from labelwright.errors import Terminated
from labelwright.project import run_project

STOPS = [(KeyboardInterrupt, 130, "Ctrl-C"), (Terminated, 143, "SIGTERM")]


@pytest.mark.parametrize("raised, code, by", STOPS, ids=["ctrl-c", "sigterm"])
def test_check_json_stopped_prints_an_error_object(make_project, monkeypatch, capsys,
                                                   raised, code, by):
    from labelwright.project import check

    def stopped(*args, **kwargs):
        raise raised()

    monkeypatch.setattr(check, "check_project", stopped)
    root = make_project()
    got, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root), "--json")
    assert got == 130, err  # the script's entry point makes it 143 for SIGTERM
    record = json.loads(out)
    assert (record["command"], record["status"], record["exit_code"],
            record["interrupted"]) == ("check", "error", code, by), record
    assert record["error"].startswith(f"interrupted ({by}) before the check was done: "
                                      "it changes nothing"), record
    got, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root))
    assert got == 130 and out == ""  # without --json: no JSON


@pytest.mark.parametrize("raised, code, by", STOPS, ids=["ctrl-c", "sigterm"])
def test_runs_verify_json_stopped_prints_an_error_object_after_the_runs_checked(
        make_project, monkeypatch, capsys, raised, code, by):
    from labelwright.runs.verify import runs

    root = make_project()
    run_project(root, report=False)
    run_project(root, report=False)
    real = runs.iter_verify

    def stopped(*args, **kwargs):
        yield next(iter(real(*args, **kwargs)))
        raise raised()

    monkeypatch.setattr(runs, "iter_verify", stopped)
    got, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--all", "--json", "-p",
                            str(root))
    assert got == 130, err
    first, last = (json.loads(line) for line in out.splitlines())
    assert first["ok"] is True, first  # the run checked before the stop
    assert (last["command"], last["status"], last["exit_code"], last["interrupted"]) == (
        "runs verify", "error", code, by), last
    assert last["error"].startswith(f"interrupted ({by}) before the runs verify was done: "
                                    "the runs above were checked"), last
