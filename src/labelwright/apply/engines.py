"""Where chunks run: in this process, in a process pool, or on a Dask cluster.

Every engine maps chunks to :class:`ChunkResult` objects *in chunk order* with a bounded
number of chunks in flight, so a stream of chunks never piles up in memory and every
engine gives the same label matrix. Workers build their :class:`ChunkRunner` once (a
per-process global), never per chunk. The Dask engine is in
:mod:`labelwright.apply.dask_engine`; :func:`make_engine` builds any of the three.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.apply.chunks import Chunk, ChunkResult
from labelwright.apply.core import ChunkRunner
from labelwright.apply.worker_checks import (
    ClientState,
    check_code,
    check_project,
    check_session_code,
    client_state,
    load_on_worker,
    worker_name,
)
from labelwright.apply.worker_lifetime import end_with_parent
from labelwright.errors import ConfigError, RunError, both_spellings

if TYPE_CHECKING:
    from labelwright.apply.doc_cache import DocCache
    from labelwright.apply.scheduler_address import Scheduler

ENGINES = ("local", "processes", "dask")


@dataclass(frozen=True)
class RunnerSpec:
    """How a worker process builds its runner: from a project folder, or a runner sent as is.

    ``root`` reloads the project with :func:`labelwright.project.load_project` (what Dask
    workers and spawned processes do: LFs from a project module cannot be pickled by
    reference); ``runner`` is used directly (forked workers inherit it). ``doc_cache``
    is the parent's Doc cache, for spawned workers on the same disk (not for Dask).
    """

    key: str
    root: str | None = None
    fail_fast: bool = False
    lf_names: tuple[str, ...] = ()
    runner: ChunkRunner | None = None
    lf_timeout: float | None = None
    doc_cache: DocCache | None = None
    reads_parse: tuple[bool, ...] | None = None  # the parent's decision, per LF

    #: what the client loaded, which a worker that loads the project compares with what
    #: it loads (:mod:`labelwright.apply.worker_checks`); None: not compared
    expected: ClientState | None = None

    def build(self) -> ChunkRunner:
        if self.runner is not None:
            return self.runner
        if self.root is None:
            raise ConfigError("this engine needs a project folder to load the LFs in each worker")
        if self.expected is None:
            from labelwright.project import load_project

            project = load_project(self.root)
        else:  # another labelwright may load the project otherwise: checked first
            check_code(self.expected)
            project = load_on_worker(self.root)
            check_project(self.expected, project, self.root)
        names = tuple(lf.name for lf in project.lfs)
        if self.lf_names and names != self.lf_names:
            raise ConfigError(f"{self.root}: {worker_name()} loaded LFs {list(names)}, "
                              f"expected {list(self.lf_names)}; did the project change "
                              "during the run?")
        return ChunkRunner(project.lfs, project.labels, nlp=project.nlp,
                           glossaries=project.glossaries,
                           batch_size=project.config.nlp.batch_size, fail_fast=self.fail_fast,
                           lf_timeout=self.lf_timeout, doc_cache=self.doc_cache,
                           reads_parse=self.reads_parse, lf_folder=project.config.lf_path)


_RUNNERS: dict[str, ChunkRunner] = {}  # per worker process, by RunnerSpec.key
_BUILDING = threading.Lock()  # a worker with several threads builds a runner once


#: keys of runs that ended, per worker process: a task of theirs that Dask could not stop
#: (cancelled while it ran, e.g. after another task failed fast) must not build the runner
#: again once it was dropped, or the worker would keep it for its whole life
_FINISHED: set[str] = set()


def _runner(spec: RunnerSpec) -> ChunkRunner:
    runner = _RUNNERS.get(spec.key)
    if runner is None:
        with _BUILDING:
            runner = _RUNNERS.get(spec.key)
            if runner is None:
                if spec.key in _FINISHED:
                    raise RunError("this run has ended; its task was cancelled")
                runner = _RUNNERS[spec.key] = spec.build()
    return runner


def _forget_runner(key: str) -> None:
    """Drop a finished run's runner from a worker that outlives the run."""
    with _BUILDING:
        _FINISHED.add(key)
        _RUNNERS.pop(key, None)


def _built(key: str) -> bool:
    """Whether this worker built the runner of the run ``key`` (so passed its checks)."""
    return key in _RUNNERS


def _init_worker(spec: RunnerSpec, parent: int) -> None:
    end_with_parent(parent)
    _runner(spec)


def _run_in_worker(key: str, chunk: Chunk) -> ChunkResult:
    return _RUNNERS[key].run(chunk)


class Engine:
    name = "engine"

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def workers_seen(self) -> list[str] | None:
        """The workers that ran tasks of this engine, where that is worth recording (a
        cluster's); None elsewhere."""
        return None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class LocalEngine(Engine):
    """Runs chunks one after another in this process."""

    name = "local"

    def __init__(self, runner: ChunkRunner) -> None:
        self.runner = runner

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield self.runner.run(chunk)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


#: how often a process pool waiting on a result checks that its workers are alive
WORKER_CHECK_SECONDS = 1.0
#: how long closing a pool one of whose workers ended waits for the pool to wind down
BROKEN_POOL_SECONDS = 5.0
WORKER_DIED = ("an LF or a library it calls crashed the interpreter, called os._exit(), or "
               "the system stopped the worker for lack of memory; "
               + both_spellings("`--engine local`", "engine='local'") + " runs the LFs in this "
               "process, where the crash shows itself, and "
               + both_spellings("`--fail-fast`", "fail_fast=True") + " stops at an LF's first "
               "error")


class ProcessEngine(Engine):
    """A pool of worker processes, each with its own runner built once.

    On platforms with ``fork`` the workers inherit this process's runner; elsewhere
    each worker loads the project from ``spec.root``.
    """

    name = "processes"

    def __init__(self, spec: RunnerSpec, *, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and spec.runner is not None:
            context: Any = multiprocessing.get_context("fork")
        else:
            context = multiprocessing.get_context("spawn")
            spec = RunnerSpec(spec.key, spec.root, spec.fail_fast, spec.lf_names,
                              lf_timeout=spec.lf_timeout, doc_cache=spec.doc_cache,
                              reads_parse=spec.reads_parse)
        self._key = spec.key
        self._pool = context.Pool(self.workers, initializer=_init_worker,
                                  initargs=(spec, os.getpid()))
        self._pids = self._worker_pids()
        self._broken = False  # a worker ended while applying the LFs (see close)

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        pending: deque[tuple[Chunk, Any]] = deque()
        limit = 2 * self.workers
        for chunk in chunks:
            task = self._pool.apply_async(_run_in_worker, (self._key, chunk))
            pending.append((chunk, task))
            if len(pending) >= limit:
                yield self._result(*pending.popleft())
        while pending:
            yield self._result(*pending.popleft())

    def _worker_pids(self) -> set[int]:
        return {p.pid for p in getattr(self._pool, "_pool", [])}

    def _result(self, chunk: Chunk, task: Any) -> ChunkResult:
        """The chunk's result. A worker that dies (a crash in C code, ``os._exit``, the
        out-of-memory killer) takes its task with it and the pool starts another worker:
        waiting on would never end, so a new worker is an error naming the chunk."""
        while True:
            try:
                return task.get(timeout=WORKER_CHECK_SECONDS)
            except multiprocessing.TimeoutError:
                if self._worker_pids() != self._pids:
                    self._broken = True
                    first = chunk.ids[0] if chunk.ids else "?"
                    raise RunError(
                        f"a worker process ended while applying the LFs (to the chunk of "
                        f"{len(chunk.ids)} items from item {first!r}, or another in flight): "
                        f"{WORKER_DIED}") from None

    def close(self) -> None:
        if not self._broken:
            self._pool.terminate()
            self._pool.join()
            return
        # A worker ended in a task: the pool's terminate can wait for ever on its task
        # queue's lock (held by a worker blocked reading it: the test of a dying worker hung
        # about one run in five), so the workers are ended here and terminate is given a
        # few seconds in a thread of its own, left to end with the process if it hangs
        for process in getattr(self._pool, "_pool", []):
            with contextlib.suppress(OSError):
                process.kill()
        ending = threading.Thread(target=self._pool.terminate, daemon=True)
        ending.start()
        ending.join(BROKEN_POOL_SECONDS)


def make_engine(name: str, runner: ChunkRunner, *, root: str | Path | None = None,
                workers: int | None = None, scheduler: Scheduler | None = None,
                chunks: int | None = None, lf_state: Mapping[str, str] | None = None
                ) -> Engine:
    """Build the engine called ``name`` (one of :data:`ENGINES`). With ``chunks`` (how
    many there will be), a process pool starts no more workers than that: each worker
    loads the project, and one with no chunk to work on is all cost. Dask workers that
    load the project from ``root`` compare what they load with what ``runner`` holds and
    with ``lf_state``, the LF folder's files when its LFs were imported
    (:mod:`~labelwright.apply.worker_checks`)."""
    if name not in ENGINES:
        raise unknown_engine(name)
    if name == "local":
        return LocalEngine(runner)
    if chunks is not None and name == "processes":
        workers = max(1, min(workers or default_workers(), chunks))
    expected = client_state(runner, lf_state) if name == "dask" and root is not None else None
    if expected is not None:  # refused before the cluster is contacted
        check_session_code(expected, runner.lf_folder)
    # a worker's runner is kept by this key (each Dask engine makes its own unique:
    # DaskEngine._start)
    key = f"{id(runner)}-{os.getpid()}"
    spec = RunnerSpec(key=key, root=str(root) if root is not None else None,
                      fail_fast=runner.fail_fast,
                      lf_names=tuple(lf.name for lf in runner.lfs), runner=runner,
                      lf_timeout=runner.lf_timeout, doc_cache=runner.doc_cache,
                      reads_parse=tuple(runner.reads_parse), expected=expected)
    if name == "processes":
        return ProcessEngine(spec, workers=workers)
    from labelwright.apply.dask_engine import DaskEngine  # it imports this module

    return DaskEngine(spec, workers=workers, scheduler=scheduler)


def unknown_engine(name: str) -> ConfigError:
    from labelwright.spelling import did_you_mean

    return ConfigError(f"unknown apply engine {name!r}; {did_you_mean(name, ENGINES)}"
                       f"available: {', '.join(ENGINES)}")


SMALL_RUN = 5_000  # items; below this a pool's start-up costs more than it saves


def resolve_engine(requested: str | None, n_items: int | None = None) -> str:
    """The engine to use: the one asked for, else ``processes`` on a multi-core machine.

    Small runs (fewer than :data:`SMALL_RUN` items) default to ``local``.
    """
    if requested is not None:
        if requested not in ENGINES:
            raise unknown_engine(requested)
        return requested
    if default_workers() > 1 and (n_items is None or n_items >= SMALL_RUN):
        return "processes"
    return "local"
