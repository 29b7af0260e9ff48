"""Exit codes a script can gate on: an LF that raised on every item is a failed run (as
`check` calls it), `--strict` fails on any raise, and Ctrl-C says what was kept."""

from __future__ import annotations

import pytest

from labelwright.errors import FailedRunsPassedOver
from labelwright.runs.store import list_runs

BROKEN = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def broken(item):
    return item.nosuchfield.lower()


@labeling_function()
def fragile(item):
    return "billing" if item.text.index("refund") >= 0 else ABSTAIN
'''

SOME = BROKEN.replace("return item.nosuchfield.lower()", 'return "technical" if "app" in '
                      'item.text else ABSTAIN')


@pytest.mark.parametrize("command", ["run", "analyze"])
def test_an_lf_raising_on_every_item_exits_1_after_writing(make_project, cli, command):
    """W20: `run` exited 0 with an LF that raised on all 5,000 items, while `check` exited 1
    for it; a nightly script saw a green run of labels missing a whole LF."""
    root = make_project(lfs={"tickets": BROKEN})
    code, out = cli(command, "-p", str(root), *(["--no-report"] if command == "run" else []))
    assert code == 1, out
    assert "error: 1 LF raised on every item, so its votes are all abstains: 'broken'" in out
    if command == "run":
        (run_id,) = list_runs(root / "runs")  # written all the same, and said so
        assert (f"run {run_id} is written all the same ({root / 'runs' / run_id}), but as a "
                "failed run it is not runs/LATEST, nor the latest run export, train and "
                "review export take; fix or remove it (exit 1)") in out
        assert "warning: 1 LF raised on every item" not in out  # said once, as the error


@pytest.mark.parametrize("command", ["run", "analyze"])
def test_an_lf_raising_on_some_items_exits_0_unless_strict(make_project, cli, command):
    root = make_project(lfs={"tickets": SOME})
    extra = ["--no-report"] if command == "run" else []
    code, out = cli(command, "-p", str(root), *extra)
    assert code == 0, out
    assert "LF 'fragile' raised on" in out
    code, out = cli(command, "-p", str(root), "--strict", *extra)
    assert code == 1, out
    assert "error: --strict: 1 LF raised ('fragile')" in out
    code, out = cli(command, "-p", str(make_project(root=root.parent / "ok")), "--strict",
                    *extra)
    assert code == 0, out


def test_ctrl_c_says_what_was_kept(cli, monkeypatch):
    """Click catches Ctrl-C and returns 130: the log of an interrupted nightly job was empty."""
    import importlib

    module = importlib.import_module("labelwright.cli.entry")
    monkeypatch.setattr(module, "app", lambda standalone_mode: 130)
    code, out = cli("run")
    assert code == 130
    assert out.startswith("interrupted: labelwright writes each file whole or not at all")


def test_ctrl_c_in_an_lf_says_which_lf_and_item_it_stopped(make_project, cli):
    """A runaway regular expression: the user pressed Ctrl-C after two minutes and was told
    only that nothing half-written was kept, not which LF had hung on which item."""
    from labelwright.apply import core
    from ticket_data import TICKET_LFS

    core.INTERRUPTED.clear()
    root = make_project(lfs={"tickets": TICKET_LFS + '''

@labeling_function()
def hangs(item):
    if item.id == "t3":
        raise KeyboardInterrupt  # as Ctrl-C arrives while it runs
    return ABSTAIN
'''})
    code, out = cli("run", "-p", str(root), "--no-report", "--engine", "local")
    assert code == 130, out
    assert "interrupted: labelwright writes each file whole" in out
    assert ("it was running LF hangs (" in out and "tickets.py:" in out
            and "on item 't3'; an LF that takes too long on an item is stopped" in out), out
    core.INTERRUPTED.clear()


STOPS_AT_T3 = '''

@labeling_function()
def stops(item):
    if item.id == "t3" and os.path.exists(STOP):
        raise KeyboardInterrupt  # as Ctrl-C arrives while it runs
    return ABSTAIN
'''


@pytest.mark.parametrize("cache", [True, False], ids=["cache-on", "cache-off"])
def test_ctrl_c_says_the_finished_chunks_resume_only_when_the_cache_keeps_them(
        make_project, cli, tmp_path, cache):
    """W64: the interrupted line said only that nothing half-written was kept, read as
    "everything is lost", while the vote cache held every finished chunk and the same
    command resumed from them; with the cache off it must not say so."""
    from ticket_data import TICKET_LFS, TICKETS

    stop = tmp_path / "stop"  # outside the LF folder: not part of the LFs' cache keys
    stop.touch()
    source = (f"import os\nSTOP = {str(stop)!r}\n" + TICKET_LFS + STOPS_AT_T3)
    extra = f"\n[apply]\nchunk_size = 2\ncache = {str(cache).lower()}\n"
    root = make_project(lfs={"tickets": source}, extra=extra)
    code, out = cli("run", "-p", str(root), "--no-report", "--engine", "local")
    assert code == 130, out
    said = (f"the votes of 2 of the {len(TICKETS)} items (the chunks that finished) are kept "
            f"in the vote cache: running the same command again resumes from them and "
            f"applies the LFs to the other {len(TICKETS) - 2} items")
    assert (said in out) == cache, out
    assert cache or "vote cache" not in out, out
    stop.unlink()
    code, out = cli("run", "-p", str(root), "--no-report", "--engine", "local")
    assert code == 0, out
    if cache:
        from labelwright.runs.store import read_manifest

        run = root / "runs" / list_runs(root / "runs")[-1]
        computed = read_manifest(run)["apply"]["rows_computed"]
        assert set(computed.values()) == {len(TICKETS) - 2}, computed


def test_a_failed_run_is_recorded_so_and_is_not_the_latest(make_project, cli):
    """W63: a run that exited 1 (--strict with an LF raising) still became runs/LATEST, and
    its manifest did not say it failed: the nightly job's next step exported its labels."""
    import json

    from labelwright.runs.store import resolve_run

    root = make_project(lfs={"tickets": SOME})
    runs = root / "runs"
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    (good,) = list_runs(runs)
    code, out = cli("run", "-p", str(root), "--no-report", "--strict")
    assert code == 1, out
    failed = list_runs(runs)[-1]
    assert failed != good
    assert "error: --strict: 1 LF raised ('fragile'); run " in out
    assert (runs / "LATEST").read_text().strip() == good
    with pytest.warns(FailedRunsPassedOver, match=f"the newer run {failed} failed"):
        assert resolve_run(runs) == runs / good  # what export, train and review export take
    outcomes = [json.loads((runs / run / "manifest.json").read_text())["outcome"]
                for run in (good, failed)]
    assert outcomes == [
        {"status": "ok", "strict": False, "failed_because": None, "failed_lfs": []},
        {"status": "failed", "strict": True, "failed_because": "strict",
         "failed_lfs": ["fragile"]}]
    code, out = cli("export", "-p", str(root), "--out", str(root / "train.jsonl"))
    assert code == 0, out
    assert (f"warning: taking run {good} for the latest run: the newer run {failed} failed: "
            "--strict: 1 LF raised ('fragile')") in out  # UX41: the failed run passed over
    provenance = json.loads((root / "train.jsonl.provenance.json").read_text())
    assert provenance["run_id"] == good
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and ("failed runs, written but not taken for the latest run (runs/LATEST, "
                          f"export, train, review export): {failed}: --strict: 1 LF raised "
                          "('fragile')") in out, out
    assert cli("run", "-p", str(root), "--no-report")[0] == 0  # the next good run is the latest
    assert (runs / "LATEST").read_text().strip() == list_runs(runs)[-1] != failed


def test_only_failed_runs_leave_no_latest_run(make_project, cli):
    from labelwright.errors import RunError
    from labelwright.runs.store import resolve_run

    root = make_project(lfs={"tickets": BROKEN})
    assert cli("run", "-p", str(root), "--no-report")[0] == 1
    assert not (root / "runs" / "LATEST").exists()
    with pytest.raises(RunError, match="every run failed"):
        resolve_run(root / "runs")
    (run_id,) = list_runs(root / "runs")
    assert resolve_run(root / "runs", run_id) == root / "runs" / run_id  # named: read


def test_runs_diff_exit_code_and_runs_verify_say_trouble_with_2(make_project, cli):
    """W63: `runs diff --exit-code` and `runs verify` exited 1 for "differs" and for "cannot
    compare" alike, so a gate read a missing previous run as labels that changed. As
    diff(1): 0 the same, 1 different, 2 trouble."""
    root = make_project(lfs={"tickets": SOME})
    project = ["-p", str(root)]
    assert cli("run", *project, "--no-report")[0] == 0
    code, out = cli("runs", "diff", "--exit-code", *project)  # no previous run
    assert code == 2 and out.startswith("error: "), out
    code, out = cli("runs", "diff", *project)  # without --exit-code, as every command
    assert code == 1 and out.startswith("error: "), out
    assert cli("run", *project, "--no-report")[0] == 0
    assert cli("runs", "diff", "--exit-code", *project)[0] == 0  # the same labels
    code, out = cli("runs", "diff", "--exit-code", "20000101", *project)
    assert code == 2 and "no run matching '20000101'" in out, out
    assert cli("runs", "verify", *project)[0] == 0
    code, out = cli("runs", "verify", "20000101", *project)
    assert code == 2 and "no run matching '20000101'" in out, out
    (root / "labelwright.toml").write_text("[project\n")  # a broken config
    for args in (["runs", "diff", "--exit-code"], ["runs", "verify"]):
        code, out = cli(*args, *project)
        assert code == 2 and "invalid TOML" in out, (args, out)


def test_every_list_of_exit_codes_in_the_readme_names_the_busy_one():
    """`runs prune` and `erase` beside a run being written exit 75: the README's lists of
    exit codes a scheduled job gates on left it out."""
    from pathlib import Path

    from labelwright.errors import BUSY_EXIT

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lists = [part.split("\n- **", 1)[0].split("\n\n", 1)[0]
             for part in readme.split("Exit codes")[1:]]
    assert len(lists) >= 2 and all(f" {BUSY_EXIT} " in " ".join(text.split())
                                   for text in lists), lists
