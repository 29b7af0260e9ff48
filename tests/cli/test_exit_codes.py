"""Exit codes a script can gate on: an LF that raised on every item is a failed run (as
`check` calls it), `--strict` fails on any raise, and Ctrl-C says what was kept."""

from __future__ import annotations

import pytest

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
        assert len(list_runs(root / "runs")) == 1  # written all the same, and said so
        assert "is written all the same; fix or remove it (exit 1)" in out


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
