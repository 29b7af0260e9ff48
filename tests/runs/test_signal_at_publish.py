"""SIGTERM between a run's folder being placed and ``runs/LATEST`` naming it: the folder
was in place, whole, but LATEST still named the run before it, so export, train and
review export took the older run while ``runs list`` showed the new one finished, and
``run --json`` said the run was not written. The signal is now held over that step: the
run counts as complete, LATEST names it, and then the command stops, saying so."""

from __future__ import annotations

import json
import os
import signal

import pytest

import labelwright.runs.run_writer as run_writer
from cli_streams import run_cli
from labelwright.errors import Terminated
from labelwright.project import run_project
from labelwright.runs.run_folders import read_latest

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"),
                                reason="signals are held where the system can hold them")


@pytest.fixture
def sigterm_raises():
    """SIGTERM handled as ``labelwright``'s entry point handles it: Terminated raised where
    the command is."""
    def on_sigterm(signum, frame):
        raise Terminated

    kept = signal.signal(signal.SIGTERM, on_sigterm)
    yield
    signal.signal(signal.SIGTERM, kept)


def sigterm_once_placed(monkeypatch) -> list[list[str]]:
    """SIGTERM sent to this process once the next run's folder is in place, just before
    ``runs/LATEST`` is pointed at it (the hook: run_writer's ``write_latest``); returns
    the run folders there were then, once sent."""
    real = run_writer.write_latest
    sent: list[list[str]] = []

    def signalled(runs_dir, project=None):
        if not sent:
            sent.append(sorted(p.name for p in runs_dir.iterdir() if p.name[0].isdigit()))
            os.kill(os.getpid(), signal.SIGTERM)
        return real(runs_dir, project=project)

    monkeypatch.setattr(run_writer, "write_latest", signalled)
    return sent


def test_a_run_placed_when_sigterm_comes_is_complete_and_latest(make_project, monkeypatch,
                                                                sigterm_raises):
    root = make_project()
    before = run_project(root, report=False)  # LATEST names it
    sent = sigterm_once_placed(monkeypatch)
    with pytest.raises(Terminated) as stopped:
        run_project(root, report=False)
    (placed,) = [name for name in sent[0] if name != before.run_id]
    run_dir = root / "runs" / placed
    assert (run_dir / "manifest.json").is_file()
    assert read_latest(root / "runs") == placed
    assert stopped.value.run_dir == run_dir
    assert not list((root / "runs").glob(".*.partial"))


def test_run_json_says_the_run_was_written_and_is_latest(make_project, monkeypatch, capsys,
                                                         sigterm_raises):
    root = make_project()
    sent = sigterm_once_placed(monkeypatch)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 130, err  # the script's entry point makes it 143 for SIGTERM
    record = json.loads(out)
    (placed,) = sent[0]
    assert record["interrupted"] == "SIGTERM" and record["exit_code"] == 143, record
    assert record["run_id"] == placed and record["latest"] is True, record
    assert record["error"].startswith(f"interrupted (SIGTERM) after run {placed} was "
                                      "written: it is complete and runs/LATEST names it"), record
    assert (f"run {placed} was written before the SIGTERM: it is complete and runs/LATEST "
            "names it") in " ".join(err.split())


def test_sigterm_before_the_folder_is_placed_leaves_no_run(make_project, monkeypatch,
                                                            sigterm_raises):
    """The other side of the step: a signal before the rename, as before, leaves no run and
    LATEST as it was."""
    root = make_project()
    before = run_project(root, report=False)

    def signalled(self, manifest, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(run_writer.RunWriter, "publish", signalled)
    with pytest.raises(Terminated) as stopped:
        run_project(root, report=False)
    assert getattr(stopped.value, "run_dir", None) is None
    assert [p.name for p in (root / "runs").iterdir() if p.name[0].isdigit()] == [
        before.run_id]
    assert read_latest(root / "runs") == before.run_id
