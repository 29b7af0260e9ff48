"""A run is visible as live from its start (its staging folder), so that ``erase`` and
``runs prune`` wait for it, and a run that an erasure overtook is not published."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

import labelwright.project.run as run_module
from kept_bytes import files_holding
from labelwright.errors import ConfigError, ProjectBusy, RunError
from labelwright.project import run_project
from labelwright.project.check import check_project
from labelwright.runs.erase.items import erase_items
from labelwright.runs.erase.records import ERASURES_FILE
from labelwright.runs.prune import prune_runs
from labelwright.runs.store import (
    OWNER,
    STALE_OTHER_HOST_SECONDS,
    being_written,
    list_runs,
    owner_text,
    remove_stale_staging,
    staging_folders,
)
from ticket_data import TICKETS

SECRET = "Zelda Quixote"
ROWS = [*TICKETS, {"id": "t7", "text": f"My name is {SECRET} and I was charged twice",
                   "plan": "pro", "gold": ""}]


def _delete_row(root, item_id):
    path = root / "data" / "items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if line.split(",")[0] != item_id),
                    encoding="utf-8")


def _during_the_run(monkeypatch, action):
    """Call ``action()`` once the run has read its data and applied its LFs (when it reads
    the review ledger), as a user's command run beside it would; returns what it gave or
    raised."""
    seen = []
    real = run_module.project_reviews

    def reviews(*args, **kwargs):
        try:
            seen.append(action())
        except Exception as exc:  # what the user's command said
            seen.append(exc)
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, "project_reviews", reviews)
    return seen


def test_erase_and_prune_refuse_while_a_run_applies_its_lfs(make_project, monkeypatch):
    """The staging folder used to be made only once every step before the outputs was
    done: an erase then succeeded mid-run, and the run published the erased text."""
    root = make_project(rows=ROWS)
    first = run_project(root)

    def erase():
        _delete_row(root, "t7")
        return erase_items(root, ["t7"], reviewer="ops", reason="erasure test")

    seen = _during_the_run(monkeypatch, erase)
    second = run_project(root)
    assert isinstance(seen[0], ProjectBusy), seen
    assert "a run is being written now" in str(seen[0])
    assert "process" in str(seen[0]) and "this machine" in str(seen[0])
    assert not (root / "runs" / ERASURES_FILE).exists()
    assert list_runs(root / "runs") == [first.run_id, second.run_id]

    seen = _during_the_run(monkeypatch, lambda: prune_runs(root, 1, caches=False))
    run_project(root)
    assert isinstance(seen[0], ProjectBusy) and "a run is being written now" in str(seen[0])
    assert len(list_runs(root / "runs")) == 3


def test_a_run_an_erasure_overtook_is_not_published(make_project, monkeypatch):
    """An erasure recorded while the run ran (here: one that took the run's folder for a
    killed run's) may name items the run read before their rows were deleted: the run
    stops rather than publish their texts again."""
    import labelwright.runs.staging as staging

    root = make_project(rows=ROWS)
    first = run_project(root)
    real_reviews = run_module.project_reviews

    def erase():
        _delete_row(root, "t7")
        with monkeypatch.context() as patch:
            patch.setattr(staging, "being_written", lambda *args: None)
            return erase_items(root, ["t7"], reviewer="ops", reason="erasure test")

    seen = _during_the_run(monkeypatch, erase)
    with pytest.raises(RunError, match=r"erased 1 item \('t7'\) while this run ran.*then "
                                       r"`labelwright run`"):
        run_project(root)
    assert seen[0].written, seen
    assert list_runs(root / "runs") == [first.run_id]
    assert not list((root / "runs").glob(".*.partial"))
    assert files_holding(root / "runs", SECRET) == []
    assert files_holding(root, SECRET) == []  # erased after the apply: no cache holds it
    monkeypatch.setattr(run_module, "project_reviews", real_reviews)
    again = run_project(root)  # the data no longer holds the item
    assert files_holding(root / "runs", SECRET) == []
    assert "t7" not in set(again.labels["id"])


def test_a_run_a_rater_erasure_overtook_says_so_in_words_for_raters(make_project,
                                                                     monkeypatch):
    """A rater's names replaced while the run ran stop it too (its files would name the
    rater): said as that, not as items erased that should be erased again."""
    import labelwright.runs.staging as staging
    from labelwright.runs.erase.raters import erase_rater_names
    from review_csv import review_items

    root = make_project(rows=ROWS)
    first = run_project(root)
    review_items(root, {"t1": "billing"}, run_id=first.run_id, rater="dana")

    def erase():
        with monkeypatch.context() as patch:
            patch.setattr(staging, "being_written", lambda *args: None)
            return erase_rater_names(root, ["dana"], reviewer="ops", reason="request")

    seen = _during_the_run(monkeypatch, erase)
    with pytest.raises(RunError) as raised:
        run_project(root)
    said = str(raised.value)
    assert seen[0].written, seen
    assert ("`labelwright erase` replaced a rater's names (`--rater`), now 'erased-rater-1', "
            "while this run ran" in said), said
    assert "item" not in said and "`labelwright run` again" in said, said
    assert list_runs(root / "runs") == [first.run_id]


def test_an_erasure_recorded_before_the_run_started_does_not_stop_it(make_project):
    root = make_project(rows=ROWS)
    run_project(root)
    _delete_row(root, "t7")
    assert erase_items(root, ["t7"], reviewer="ops", reason="erasure test").written
    assert run_project(root).run_dir.is_dir()


def test_a_runs_folder_that_cannot_be_written_fails_before_any_lf(make_project, monkeypatch):
    """It failed with a PermissionError traceback once every LF had been applied."""
    import labelwright.runs.store as store

    root = make_project()
    (root / "runs").mkdir()

    real_mkdir = store.Path.mkdir

    def refused(self, *args, **kwargs):  # the runs folder is there; nothing made in it
        if self.parent == root / "runs":
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    def no_apply(*args, **kwargs):
        raise AssertionError("the LFs were applied")

    monkeypatch.setattr(run_module, "apply_lfs", no_apply)
    with monkeypatch.context() as patch:
        patch.setattr(store.Path, "mkdir", refused)
        with pytest.raises(ConfigError, match=r"\[project\] runs = 'runs', but a run cannot "
                                              r"be staged in it: Permission denied"):
            run_project(root)
    with monkeypatch.context() as patch:  # a read-only folder (root may write to any)
        patch.setattr(run_module.make_folders.__globals__["os"], "access",
                      lambda path, mode: path != root / "runs")
        with pytest.raises(ConfigError, match=r"runs cannot be written to \(permission "
                                              r"denied; fix its permissions\)"):
            run_project(root)
        problems = check_project(root).problems
        assert any("runs cannot be written to" in p for p in problems), problems
    assert list((root / "runs").iterdir()) == []
    assert not check_project(root).problems


@pytest.mark.parametrize("runs", ["out/runs", "runs"])
def test_a_runs_folder_not_made_yet_under_an_unwritable_folder_is_a_check_problem(
        make_project, monkeypatch, runs):
    """W63: `check` said ok when the runs folder was not there yet and its parent could not
    be written to, then `run` failed; the nearest folder that is there is tested."""
    root = make_project()
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("[project]\n", f"[project]\nruns = {runs!r}\n"))
    parent = root / "out" if runs == "out/runs" else root
    parent.mkdir(exist_ok=True)
    real_access = os.access
    monkeypatch.setattr(run_module.make_folders.__globals__["os"], "access",
                        lambda path, mode: Path(path) != parent and real_access(path, mode))
    problems = check_project(root).problems
    assert [p for p in problems if "[project] runs" in p] == [
        f"{config}:2: [project] runs = {runs!r}, but it cannot be made: {parent} cannot be "
        "written to (permission denied; fix its permissions); runs are written to a folder: "
        "make it one this user can write to (move what is in its way), or name another"]
    monkeypatch.undo()
    assert not check_project(root).problems


def _staged(runs, name, owner, *, age=0.0):
    """A staging folder ``runs/.<name>.partial`` with ``owner`` as its owner file (None:
    none), made ``age`` seconds ago."""
    import time

    folder = runs / f".{name}.partial"
    folder.mkdir(parents=True)
    (folder / "labels.parquet").write_bytes(b"half written")
    if owner is not None:
        (folder / OWNER).write_text(owner, encoding="utf-8")
    then = time.time() - age
    for path in (folder, folder / OWNER):
        if path.exists():
            os.utime(path, (then, then))
    return folder


@pytest.fixture
def other_process():
    """A live process of this machine that is no run (as one given a killed run's id)."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child.pid
    child.kill()
    child.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_a_staging_folder_whose_process_id_was_used_again_is_stale(tmp_path, other_process):
    """A killed run's process id taken by a later process (containers reuse low ids) kept
    its folder live for good, and erase and prune refused for good."""
    host = socket.gethostname()
    runs = tmp_path / "runs"
    old_owner = _staged(runs, "20261201-000000-000001", f"{host}\n{other_process}\n",
                        age=2 * 86400)  # an owner file without the start
    other_start = _staged(runs, "20261201-000000-000002",
                          f"{host}\n{other_process}\nboot:12345\n")
    recorded = owner_text().split("\n")[2]  # this process's start, as the process's own
    assert recorded != "-"
    its_own = _staged(runs, "20261201-000000-000003", f"{host}\n{os.getpid()}\n{recorded}\n")
    alive = _staged(runs, "20261201-000000-000004", f"{host}\n{other_process}\n")  # just now
    assert {s.path: s.live for s in staging_folders(runs)} == {
        old_owner: False, other_start: False, its_own: True, alive: True}
    assert remove_stale_staging(runs) == [old_owner.name, other_start.name]


def test_another_machines_staging_folder_is_live_for_a_day(tmp_path):
    runs = tmp_path / "runs"
    fresh = _staged(runs, "20261201-000000-000001", "ci-runner-7f9c\n1288\n-\n", age=3 * 3600)
    old = _staged(runs, "20261201-000000-000002", "ci-runner-0a1b\n1288\n-\n",
                  age=STALE_OTHER_HOST_SECONDS + 60)
    refusal = being_written(runs, "wait")
    assert refusal is not None and fresh.name in refusal and old.name not in refusal
    assert "process 1288 on ci-runner-7f9c" in refusal and "made 3 h ago" in refusal
    # the day said as every span is (durations.span_text), not "24 hours" beside "3 h"
    assert "taken for running for 1 day after it was made" in refusal, refusal
    assert "is taken for a live one for 1 day: if it has ended" in refusal, refusal
    assert "`labelwright runs prune --keep N --partial` removes its folder" in refusal
    assert remove_stale_staging(runs) == [old.name]
    assert fresh.is_dir()


def test_prune_partial_removes_the_folders_of_ended_runs_only(make_project, cli,
                                                              other_process):
    """A CI job killed mid-run on a runner since gone left a folder no later run removed
    (another machine's), and prune refused with `a run is being written now`."""
    root = make_project()
    run_project(root)
    runs = root / "runs"
    host = socket.gethostname()
    foreign = _staged(runs, "20261201-000000-000001", "ci-runner-7f9c\n1288\n-\n", age=3 * 3600)
    code, out = cli("runs", "prune", "--keep", "1", "-p", str(root))
    # busy, not a problem to fix: a scheduled prune retries on 75
    assert code == 75 and "a run is being written now" in out and "--partial" in out, out
    dead = _staged(runs, "20261201-000000-000002", f"{host}\n{2**22 + 17}\n-\n")
    code, out = cli("runs", "prune", "--keep", "1", "--partial", "--dry-run", "-p", str(root))
    assert code == 0, out
    assert f"would remove {foreign}" in out and f"would remove {dead}" in out, out
    assert foreign.is_dir() and dead.is_dir()

    live = _staged(runs, "20261201-000000-000003", f"{host}\n{other_process}\n")
    code, out = cli("runs", "prune", "--keep", "1", "--partial", "-p", str(root))
    assert code == 75 and live.name in out and "running" in out, out
    assert foreign.is_dir() and dead.is_dir() and live.is_dir()  # refused: nothing removed

    shutil.rmtree(live)
    code, out = cli("runs", "prune", "--keep", "1", "--partial", "-p", str(root))
    assert code == 0, out
    assert f"removed {foreign}" in out and "process 1288 on ci-runner-7f9c" in out, out
    assert f"removed {dead}" in out and not foreign.exists() and not dead.exists()
    assert len(list_runs(runs)) == 1


def test_half_written_runs_are_named_by_the_commands_that_list_runs(make_project, cli):
    """A killed run's folder (some 40 MB on a large project) was mentioned by no command:
    `runs list`, `runs verify --all` and `runs prune` passed over it, and `report` of its
    id said only that no run matched."""
    root = make_project()
    run_project(root)
    runs = root / "runs"
    host = socket.gethostname()
    dead = _staged(runs, "20261205-205822-103344", f"{host}\n{2**22 + 17}\n-\n", age=7200)
    recorded = owner_text().split("\n")[2]
    live = _staged(runs, "20261205-205900-000001", f"{host}\n{os.getpid()}\n{recorded}\n")

    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0, out
    assert f"(not listed: {dead}: process {2**22 + 17} on this machine, ended, made 2 h " \
           "ago: left by a run that ended before it finished" in out, out
    assert f"(not listed: {live}: process {os.getpid()} on this machine, running" in out, out
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0 and f"not verified: {dead}:" in out and f"not verified: {live}:" in out
    code, out = cli("report", "20261205-2058", "-p", str(root))
    assert code == 1 and "no run matching '20261205-2058'" in out, out
    assert f"{dead}: process" in out and "so no run" in out, out
    assert live.name not in out  # another id

    shutil.rmtree(live)
    code, out = cli("runs", "prune", "--keep", "1", "-p", str(root))
    assert code == 0, out
    assert f"left alone: {dead.name} (process {2**22 + 17} on this machine, ended" in out, out
    assert "`runs prune --partial` removes it" in out and dead.is_dir()


def test_erase_refused_beside_a_live_run_exits_busy(make_project, cli, other_process):
    """`erase` and `runs prune` exited 1 beside a run being written, as for a problem to fix:
    a scheduled job could not tell "try again" from "broken"."""
    root = make_project()
    run_project(root)
    _staged(root / "runs", "20261201-000000-000009", f"{socket.gethostname()}\n{other_process}\n")
    code, out = cli("erase", "--item", "t1", "--reviewer", "ops", "--reason", "request",
                    "-p", str(root))
    assert code == 75 and "a run is being written now" in out and "nothing erased" in out, out
