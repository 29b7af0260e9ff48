"""``[apply] lf_timeout``: an LF stuck on one item is stopped, counted, and the run goes on."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from labelwright.apply import Applier
from labelwright.apply.core import LFTimeout
from labelwright.config import parse_config
from labelwright.data.dataset import read_dataset
from labelwright.errors import ConfigError, LFFailure
from labelwright.project import load_project, run_project

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")

STUCK_LFS = '''
import time

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def stuck_on_t3(item):
    if item.id == "t3":
        time.sleep(5)
    return "billing" if "refund" in item.text else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text else ABSTAIN
'''

ROWS = [{"id": f"t{i}", "text": text} for i, text in enumerate(
    ["refund please", "the app crashes", "refund or crash", "refund now", "hello",
     "it crashes on refund"])]


@pytest.fixture
def root(make_project) -> Path:
    return make_project(labels=["billing", "technical"], rows=ROWS, lfs={"stuck": STUCK_LFS},
                        glossaries={}, gold=None)


def _dataset(project):
    return read_dataset(project.config.data, project.labels)


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_an_lf_over_the_limit_fails_on_that_item_only(root, engine):
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp, engine=engine, workers=2,
                      chunk_size=2, lf_timeout=0.2)
    result = applier.apply(_dataset(project))
    failure = result.failures["stuck_on_t3"]
    assert failure.count == 1
    assert failure.item_ids == ["t3"]
    assert "LFTimeout" in failure.traceback
    assert "longer than the 0.2 s limit" in failure.traceback
    assert "crashes" not in result.failures
    votes = result.matrix.to_frame()  # id + one column per LF
    stuck = dict(zip(votes["id"], votes["stuck_on_t3"]))
    assert stuck == {"t0": 0, "t1": -1, "t2": 0, "t3": -1, "t4": -1, "t5": 0}
    assert dict(zip(votes["id"], votes["crashes"]))["t2"] == 1  # the other LF still voted


def test_without_a_limit_the_lf_is_not_wrapped(root):
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp)
    assert applier.runner.lf_timeout is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_fail_fast_names_the_lf_item_and_limit(root):
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp, fail_fast=True,
                      lf_timeout=0.1)
    with pytest.raises(LFFailure, match=r"stuck_on_t3.*'t3'.*0.1 s limit") as info:
        applier.apply(_dataset(project))
    # where it was stopped: the sleep inside the LF, not the timer's own code
    stopped = next(lf for lf in project.lfs if lf.name == "stuck_on_t3")
    assert f"raised on item 't3' at {stopped.file}:{stopped.line + 3}: LFTimeout" \
        in str(info.value)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL  # the handler is put back


def test_the_dask_engine_refuses_a_limit(root):
    project = load_project(root)
    with pytest.raises(ConfigError, match="main thread"):
        Applier(project.lfs, project.labels, nlp=project.nlp, engine="dask", lf_timeout=1)


def test_a_limit_in_a_thread_says_why_it_cannot_work(root):
    import threading

    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp, lf_timeout=1)
    caught: list[BaseException] = []

    def target() -> None:
        try:
            applier.apply(_dataset(project))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            caught.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    assert len(caught) == 1 and isinstance(caught[0], ConfigError)
    assert "local and processes engines" in str(caught[0])


def test_timeout_is_a_timeout_error():
    assert issubclass(LFTimeout, TimeoutError)


BASE = {"project": {"labels": ["a", "b"]}, "data": {"path": "items.csv"}}


def _apply_config(apply: dict):
    return parse_config(dict(BASE, apply=apply), root=Path("/p"),
                        file=Path("/p/labelwright.toml")).apply


def test_config_reads_the_limit():
    assert _apply_config({}).lf_timeout is None
    assert _apply_config({"lf_timeout": 2}).lf_timeout == 2.0
    assert _apply_config({"lf_timeout": 0.25}).lf_timeout == 0.25


@pytest.mark.parametrize(("value", "message"), [
    (0, "lf_timeout must be a number of seconds > 0"),
    (-1.5, "lf_timeout must be a number of seconds > 0"),
    ("5s", "lf_timeout must be int or float"),
    (True, "lf_timeout must be a number"),
])
def test_config_rejects_bad_limits(value, message):
    with pytest.raises(ConfigError, match=message):
        _apply_config({"lf_timeout": value})


@pytest.mark.parametrize(("apply", "why"), [
    ('engine = "dask"', r'\[apply\] engine = "dask" chooses'),
    # a scheduler with no engine named means dask: check said ok, every run failed
    ('scheduler = "tcp://h:8786"', r"\[apply\] scheduler chooses")])
def test_a_limit_on_dask_is_an_error_of_the_runs_that_use_dask(make_project, apply, why):
    """The limit was refused when the config was read, so even `--engine local`, which can
    keep it, failed with "cannot be enforced on the dask engine"."""
    from labelwright.project.check import check_project

    root = make_project(labels=["billing", "technical"], rows=ROWS, lfs={"stuck": STUCK_LFS},
                        glossaries={}, gold=None,
                        extra=f"[apply]\n{apply}\nlf_timeout = 0.2\n")
    project = load_project(root)
    with pytest.raises(ConfigError, match=r"labelwright\.toml:\d+: \[apply\] lf_timeout cannot "
                                          rf"be enforced on the dask engine, which {why}"):
        project.applier()
    with pytest.raises(ConfigError, match=r"--engine dask \(engine='dask' from Python\) "
                                          "chooses"):
        project.applier(engine="dask")
    for engine in ("local", "processes"):
        assert project.applier(engine=engine).runner.lf_timeout == 0.2
    result = run_project(root, project=project, report=False, cache=False, engine="local")
    assert result.applied.failures["stuck_on_t3"].item_ids == ["t3"]  # the limit held
    problems = check_project(root).problems
    assert [p for p in problems if "lf_timeout cannot be enforced" in p]


def test_a_project_run_with_the_limit_finishes(make_project):
    root = make_project(labels=["billing", "technical"], rows=ROWS, lfs={"stuck": STUCK_LFS},
                        glossaries={}, gold=None,
                        extra='[apply]\nengine = "local"\nlf_timeout = 0.2\n')
    project = load_project(root)
    assert project.applier().runner.lf_timeout == 0.2
    result = run_project(root, project=project, report=False, cache=False)
    assert result.applied.failures["stuck_on_t3"].count == 1
    assert result.applied.failures["stuck_on_t3"].item_ids == ["t3"]


def test_the_limit_is_part_of_the_cache_key(root):
    project = load_project(root)
    cache = root / ".labelwright" / "cache"
    data = _dataset(project)

    def run(limit):
        return Applier(project.lfs, project.labels, nlp=project.nlp, cache_dir=cache,
                       lf_timeout=limit).apply(data)

    assert run(0.1).failures["stuck_on_t3"].count == 1
    again = run(0.1)  # the same limit: every vote from the cache
    assert set(again.computed.values()) == {0}
    assert again.failures["stuck_on_t3"].item_ids == ["t3"]
    assert run(0.15).computed["stuck_on_t3"] == len(data)  # a new limit: computed again


def test_a_timeouts_traceback_shows_the_lfs_frames_only(root):
    """The traceback showed labelwright's own frames (lf_calls.py ``timed``,
    ``raise_timeout``) and a second traceback it was raised from."""
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp, engine="local",
                      lf_timeout=0.2)
    told = applier.apply(_dataset(project)).failures["stuck_on_t3"].traceback
    assert told.count("Traceback (most recent call last):") == 1, told
    assert "lf_calls.py" not in told and "core.py" not in told, told
    assert "stuck.py" in told and "in stuck_on_t3" in told, told
    assert told.rstrip().splitlines()[-1].startswith("labelwright.apply.lf_calls.LFTimeout: "
                                                     "labeling function 'stuck_on_t3'"), told
