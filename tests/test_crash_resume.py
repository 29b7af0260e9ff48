"""A run killed with SIGKILL resumes from its finished chunks and never looks complete."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.store import MANIFEST, OWNER, list_runs, read_manifest, remove_stale_staging
from labelwright.scaffold import init_project

N_ITEMS = 2000
CHUNK = 100

# The LF sleeps only when LABELWRIGHT_TEST_SLOW is set, so the killed run is slow enough
# to kill half way while the reference runs are fast; the env var is read as the LF
# runs, not into a global (whose value would be in the LF's cache key), so the key and
# the votes are the same either way.
SLOW_LFS = '''
import os
import time

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def slow_star(item):
    pause = float(os.environ.get("LABELWRIGHT_TEST_SLOW", "0"))
    if pause:
        time.sleep(pause)
    return "positive" if "5 stars" in item.text else ABSTAIN
'''

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    init_project(root)
    template = pd.read_csv(root / "data" / "reviews.csv", dtype=str, keep_default_na=False)
    rows = []
    for i in range(N_ITEMS):
        row = template.iloc[i % len(template)]
        rows.append({"id": f"r{i:05d}", "text": f"{row['text']} (#{i})",
                     "verified": row["verified"], "gold": row["gold"]})
    with open(root / "data" / "reviews.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "verified", "gold"])
        writer.writeheader()
        writer.writerows(rows)
    (root / "labeling_functions" / "slow.py").write_text(SLOW_LFS, encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f"\n[apply]\nengine = \"local\"\nchunk_size = {CHUNK}\n",
                      encoding="utf-8")
    return root


def _shards(root: Path) -> list[Path]:
    return list((root / ".labelwright" / "cache" / "votes").glob("*.parts/*.npz"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _kill_during_apply(root: Path) -> None:
    env = {**os.environ, "LABELWRIGHT_TEST_SLOW": "0.003"}
    child = subprocess.Popen(
        [sys.executable, "-m", "labelwright", "run", "--project", str(root), "--engine", "local",
         "--no-report"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        # every chunk writes one shard per LF; wait for a few chunks of the slow LF
        while len(_shards(root)) < 5 * 3 and child.poll() is None:
            if time.monotonic() > deadline:
                pytest.fail("no chunk reached the vote cache")
            time.sleep(0.01)
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_a_killed_run_resumes_from_finished_chunks(project: Path):
    _kill_during_apply(project)
    runs = project / "runs"
    assert list_runs(runs) == []
    if runs.is_dir():  # nothing that looks like a finished run; at most a staging folder
        for path in runs.iterdir():
            assert path.name.startswith(".") or (path / MANIFEST).is_file(), path
    kept_shards = len(_shards(project))
    assert kept_shards > 0

    # a staging folder left by a process that is gone, and one being written right now
    runs.mkdir(exist_ok=True)
    stale = runs / ".20200101-000000-000000.partial"
    live = runs / ".20200101-000000-000001.partial"
    for folder, pid in ((stale, _dead_pid()), (live, os.getpid())):
        folder.mkdir()
        (folder / "labels.parquet").write_bytes(b"half written")
        (folder / OWNER).write_text(f"{socket.gethostname()}\n{pid}\n", encoding="utf-8")

    resumed = run_project(project, engine="local", report=False)
    assert not stale.exists()
    assert live.exists()  # its writer (this process) is alive
    computed = read_manifest(resumed.run_dir)["apply"]["rows_computed"]
    assert 0 < computed["slow_star"] < N_ITEMS
    assert computed == resumed.applied.computed
    assert _shards(project) == []  # folded into the cache entries

    clean = run_project(project, engine="local", cache=False, report=False)
    assert clean.applied.computed["slow_star"] == N_ITEMS
    assert resumed.applied.matrix.lf_names == clean.applied.matrix.lf_names
    np.testing.assert_array_equal(resumed.applied.matrix.votes, clean.applied.matrix.votes)
    pd.testing.assert_frame_equal(pd.read_parquet(resumed.run_dir / "label_matrix.parquet"),
                                  pd.read_parquet(clean.run_dir / "label_matrix.parquet"))
    pd.testing.assert_frame_equal(resumed.applied.term_hits, clean.applied.term_hits)
    assert not (resumed.run_dir / OWNER).exists()

    again = run_project(project, engine="local", report=False)  # everything cached now
    assert set(again.applied.computed.values()) == {0}
    np.testing.assert_array_equal(again.applied.matrix.votes, clean.applied.matrix.votes)
    pd.testing.assert_frame_equal(again.applied.term_hits, clean.applied.term_hits)


def test_only_staging_folders_of_gone_writers_are_removed(tmp_path: Path):
    runs = tmp_path / "runs"
    folders = {}
    for name, owner in {"dead": f"{socket.gethostname()}\n{_dead_pid()}\n",
                        "alive": f"{socket.gethostname()}\n{os.getpid()}\n",
                        "other_host": f"not-{socket.gethostname()}\n{_dead_pid()}\n",
                        "unowned_new": None, "unowned_old": None}.items():
        folders[name] = runs / f".{name}.partial"
        folders[name].mkdir(parents=True)
        if owner is not None:
            (folders[name] / OWNER).write_text(owner, encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(folders["unowned_old"], (old, old))
    assert sorted(remove_stale_staging(runs)) == [".dead.partial", ".unowned_old.partial"]
    assert sorted(p.name for p in runs.iterdir()) == [
        ".alive.partial", ".other_host.partial", ".unowned_new.partial"]


def test_a_run_stopped_between_a_chunks_writes_resumes_with_every_glossary_hit(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    """A chunk writes its glossary hits and its votes to the cache separately; the cached
    votes mark the chunk done. A run stopped between the two writes must not resume
    without that chunk's hits (glossary_hits.csv had silently undercounted)."""
    from labelwright.apply.cache import VoteCache

    real_hits = VoteCache.store_hits_chunk
    written = {"hits": 0}

    class Stop(Exception):
        pass

    def store_hits_chunk(self, *args, **kwargs):
        written["hits"] += 1
        if written["hits"] == 3:  # the third chunk: stop between its two writes
            raise Stop
        return real_hits(self, *args, **kwargs)

    monkeypatch.setattr(VoteCache, "store_hits_chunk", store_hits_chunk)
    with pytest.raises(Stop):
        run_project(project, engine="local", report=False)
    monkeypatch.setattr(VoteCache, "store_hits_chunk", real_hits)
    resumed = run_project(project, engine="local", report=False)
    assert 0 < resumed.applied.computed["slow_star"] < N_ITEMS
    clean = run_project(project, engine="local", cache=False, report=False)
    assert clean.applied.term_hits["hits"].sum() > 0
    pd.testing.assert_frame_equal(resumed.applied.term_hits, clean.applied.term_hits)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _cache_files(root: Path) -> set[str]:
    return {str(p) for p in (root / ".labelwright").rglob("*") if p.is_file()}


def _default_sigint() -> None:
    """In the run's process before it starts: Ctrl-C as a terminal gives it. A test runner
    started in the background (`nohup`, `cmd &` in a script) ignores SIGINT, its children
    inherit that, and Python then leaves SIGINT ignored: the run went on to its end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _signal_during_apply(root: Path, signum: int, *, group: bool = False,
                         extra: tuple[str, ...] = (), stdout: Path | None = None
                         ) -> tuple[subprocess.Popen, str, list[int]]:
    """Start `labelwright run --engine processes` (with ``extra`` options), send ``signum``
    once its pool has done a chunk (each takes its worker some 3 seconds: a worker left
    running would go on for that long), to the run's process or, with ``group``, to every
    process of the command (a terminal's Ctrl-C, `timeout`'s SIGTERM); the ended process,
    its stderr and its pool workers' ids. ``stdout``: a file for its stdout (else none)."""
    env = {**os.environ, "LABELWRIGHT_TEST_SLOW": "0.03"}
    # stderr to a file: a pipe would be read to its end, which the workers hold open
    log = root.parent / f"stderr-{signum}.txt"
    with open(log, "w", encoding="utf-8") as stderr, \
            open(stdout or os.devnull, "w", encoding="utf-8") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "labelwright", "run", "--project", str(root), "--engine",
             "processes", "--no-report", *extra], env=env, stdout=out,
            stderr=stderr, start_new_session=group, preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 120
        while len(_shards(root)) < 3 and child.poll() is None:
            if time.monotonic() > deadline:
                pytest.fail("no chunk reached the vote cache")
            time.sleep(0.01)
        time.sleep(0.5)  # the chunk's other shards: a chunk is kept once all are written
        assert child.poll() is None, log.read_text(encoding="utf-8")
        workers = _children(child.pid)
        assert workers, "the run started no pool worker"
        if group:
            os.killpg(child.pid, signum)
        else:
            os.kill(child.pid, signum)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child, log.read_text(encoding="utf-8"), workers


def _kept_items(err: str) -> int:
    """The items the ``interrupted:`` lines say the vote cache keeps (0: none said)."""
    found = re.search(r"the votes of ([\d,]+) of the ([\d,]+) items \(the chunks that "
                      r"finished\) are kept in the vote cache", err)
    if found is None:
        return 0
    assert int(found[2].replace(",", "")) == N_ITEMS, err
    return int(found[1].replace(",", ""))


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
@pytest.mark.parametrize("group", [False, True], ids=["to-the-run", "to-every-process"])
def test_sigterm_stops_a_run_as_ctrl_c_does_and_its_workers_with_it(project: Path,
                                                                     group: bool):
    """SIGTERM (a scheduler's, `timeout`'s) ended a run with exit 143 and no word, and the
    process pool's workers went on applying LFs and writing cache files for seconds."""
    child, err, workers = _signal_during_apply(project, signal.SIGTERM, group=group)
    assert child.returncode == 143, err
    assert err.count("interrupted:") == 1 and "Traceback" not in err, err
    assert 0 < _kept_items(err) < N_ITEMS, err
    assert not [pid for pid in workers if _running(pid)]
    runs = project / "runs"
    assert not runs.is_dir() or not list(runs.glob(".*.partial"))
    cached = _cache_files(project)
    time.sleep(1.5)  # a worker left running would write its chunk's Doc cache shard
    assert _cache_files(project) == cached


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_sigterm_of_run_json_prints_its_error_object(project: Path):
    """A nightly script reading `run --json`'s stdout read nothing of a run SIGTERM
    stopped."""
    out = project.parent / "stdout.json"
    child, err, _ = _signal_during_apply(project, signal.SIGTERM, extra=("--json",),
                                         stdout=out)
    assert child.returncode == 143, err
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert (record["status"], record["exit_code"], record["interrupted"]) == (
        "error", 143, "SIGTERM"), record


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_pool_workers_end_when_the_run_is_killed(project: Path):
    child, _, workers = _signal_during_apply(project, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 1.0
    while [pid for pid in workers if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _running(pid)]
    cached = _cache_files(project)
    time.sleep(1.5)
    assert _cache_files(project) == cached


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_ctrl_c_stops_a_pool_run_with_one_line_and_it_resumes(project: Path):
    """A terminal's Ctrl-C reaches the pool's workers as well as the run: each worker
    printed a 20-line `Process ForkPoolWorker-1: Traceback ... KeyboardInterrupt` before
    the run's own line, and that line read as if the finished chunks were lost."""
    child, err, workers = _signal_during_apply(project, signal.SIGINT, group=True)
    assert child.returncode == 130, err
    assert err.count("interrupted:") == 1, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert not [pid for pid in workers if _running(pid)]
    cached = _cache_files(project)
    time.sleep(1.5)  # a worker left running would write its chunk's shards
    assert _cache_files(project) == cached
    kept = _kept_items(err)
    assert 0 < kept < N_ITEMS and "running the same command again resumes from them" in err

    resumed = run_project(project, engine="local", report=False)
    assert resumed.applied.computed["slow_star"] == N_ITEMS - kept


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_a_refresh_cut_short_says_a_run_without_no_cache_resumes(project: Path):
    """--no-cache stores the votes it computes: a run that reads the cache resumes from
    them, while the same --no-cache command would compute them all again."""
    child, err, _ = _signal_during_apply(project, signal.SIGINT, group=True,
                                         extra=("--no-cache",))
    assert child.returncode == 130, err
    kept = _kept_items(err)
    assert 0 < kept < N_ITEMS and "running it again without --no-cache resumes" in err
    resumed = run_project(project, engine="local", report=False)
    assert resumed.applied.computed["slow_star"] == N_ITEMS - kept
