"""Where chunks run: in this process, in a process pool, or on a Dask cluster.

Every engine maps chunks to :class:`ChunkResult` objects *in chunk order* with a bounded
number of chunks in flight, so a stream of chunks never piles up in memory and every
engine gives the same label matrix. Workers build their :class:`ChunkRunner` once (a
per-process global), never per chunk. The Dask engine also runs other tasks with that
runner (:meth:`DaskEngine.map_tasks`): a worker that reads its own part of a file.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from labelwright.apply.core import Chunk, ChunkResult, ChunkRunner
from labelwright.apply.doc_cache import DocCache
from labelwright.apply.worker_checks import (
    ClientState,
    check_code,
    check_project,
    client_state,
    load_on_worker,
    worker_name,
)
from labelwright.apply.worker_lifetime import end_with_parent
from labelwright.errors import ConfigError, LFFailure, RunError, both_spellings

ENGINES = ("local", "processes", "dask")
T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


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


def _run_chunk(runner: ChunkRunner, chunk: Chunk) -> ChunkResult:
    return runner.run(chunk)


def _run_task(spec: RunnerSpec, task: Callable[[ChunkRunner, T], R], item: T) -> R:
    try:
        return task(_runner(spec), item)
    except LFFailure as exc:
        message = str(exc)
    # raised outside the handler, so with no cause or context: those hold the LF's own
    # exception, maybe of a class the LF module defines, which Dask then fails to send (the
    # client got a bare Exception and a long traceback instead of the one-line error; the
    # message already names the LF's exception)
    raise LFFailure(message)


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


def _work(item: Any) -> str:
    """What a task was applying the LFs to: a chunk of items, or a file partition."""
    ids = getattr(item, "ids", None)
    if ids is not None:
        return f"the chunk of {len(ids)} items from item {ids[0]!r}" if ids else "a chunk"
    first, rows = getattr(item, "first_row", None), getattr(item, "rows", None)
    if isinstance(first, int) and isinstance(rows, int):
        line = getattr(item, "first_line", 0)
        shown = getattr(getattr(item, "file", None), "shown", "the file")
        return (f"items {first + 1}-{first + rows} of {shown}"
                + (f", from line {line}" if isinstance(line, int) and line > 0 else ""))
    return "a task"


def shown_address(address: str) -> str:
    """A scheduler address as messages and log lines show it: without the ``user:password@``
    or query string the manifest also leaves out (the manifest's own helper)."""
    from labelwright.runs.apply_record import scheduler_address

    return scheduler_address(address)


def _scrubbed(text: object, address: str) -> str:
    """``text`` (Dask's own message, which may repeat the address as given, with or without
    its scheme) with the address's credentials and query string taken out."""
    message = str(text)
    bare = address.partition("://")[2]
    for given in (address, bare):  # the longer first
        if given:
            message = message.replace(given, shown_address(given))
    credentials = bare.rpartition("@")[0]
    return message.replace(f"{credentials}@", "") if credentials else message


def dask_wait_seconds() -> float:
    """How long Dask waits to reach a scheduler (``distributed.comm.timeouts.connect``,
    30 s unless set): how long a cluster may also go without a worker before a run on it
    stops (a nanny restarting a worker takes a few seconds)."""
    import dask
    from dask.utils import parse_timedelta

    return float(parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s"))


#: how often a Dask engine waiting on a result checks that the cluster still has a worker
CLUSTER_CHECK_SECONDS = 1.0
CLUSTER_STOPPED = ("the cluster stopped the run, not an LF; the vote cache (when on) keeps "
                   "the votes of the chunks that finished, so the same command computes only "
                   "the rest")


class DaskEngine(Engine):
    """Tasks on a ``dask.distributed`` cluster: a LocalCluster, or ``scheduler``.

    Each task carries the runner spec when workers load the project from its folder (a
    few names), so any worker can run any task: one that joins late, or that its nanny
    started again after the worker died. A runner sent as is (LFs with no project folder)
    is scattered to the workers once instead. Each worker process builds its runner on
    the first task and keeps it (a per-process global), so LFs, glossaries and the
    pipeline load once per worker, not per task. Each engine has a key of its own, so
    workers of a long-lived cluster never reuse another run's runner; closing the engine
    drops the runner from such workers.

    A worker that dies is Dask's to handle: a nanny starts it again and Dask runs its
    tasks elsewhere, until a task has been on ``distributed.scheduler.allowed-failures``
    (3) + 1 workers that died (:class:`distributed.KilledWorker`: most likely the LF
    crashes the interpreter). A cluster left with no worker for
    :func:`dask_wait_seconds`, or a scheduler lost, stops the run.
    """

    name = "dask"
    where = "the Dask scheduler"  # as messages name it
    _address: str | None = None  # the scheduler address given, None for a LocalCluster
    _lost = False  # the connection to the scheduler: closing then asks it nothing more

    def __init__(self, spec: RunnerSpec, *, workers: int | None = None,
                 scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("the dask engine needs dask.distributed: "
                              "pip install 'labelwright[dask]'") from None
        self._cluster = None
        self._address = scheduler
        if scheduler:
            self.where = f"the Dask scheduler at {shown_address(scheduler)!r}"
            try:
                self._client = Client(scheduler)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(f"cannot reach {self.where} "
                                  f"({both_spellings('--scheduler', 'scheduler=')} or [apply] "
                                  f"scheduler): {_scrubbed(exc, scheduler)}") from None
        else:
            self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                         threads_per_worker=1, processes=True,
                                         dashboard_address=":0")
            self.where = f"the LocalCluster's scheduler at {self._cluster.scheduler_address!r}"
            self._client = Client(self._cluster)
        try:
            self._spec = self._start(spec)
        except BaseException:
            self._close_client()
            raise

    def _start(self, spec: RunnerSpec) -> Any:
        """The spec each task is given (see the class); a cluster with no worker is an
        error once Dask's wait is over, not a scatter that waits and fails in a traceback."""
        wait = dask_wait_seconds()
        try:
            self._client.wait_for_workers(1, timeout=wait)
        except TimeoutError:
            hint = (f"start one with `dask worker {shown_address(self._address)}`, or leave "
                    f"out {both_spellings('--scheduler', 'scheduler=')} and [apply] "
                    "scheduler for a LocalCluster on this machine" if self._address else
                    "its workers did not start (see the log lines above)")
            raise RunError(f"{self.where} has no workers (waited {wait:g} s, "
                           f"distributed.comm.timeouts.connect); {hint}") from None
        key = f"{spec.key}-{uuid.uuid4().hex}"
        self._key = key
        self.workers = max(1, self._n_workers())
        if spec.root is not None:  # workers reload the project rather than unpickle LFs
            return replace(spec, key=key, runner=None, doc_cache=None)
        try:
            return self._client.scatter(replace(spec, key=key, root=None, doc_cache=None),
                                        broadcast=True, hash=False)
        except TimeoutError as exc:  # the workers left in between
            raise RunError(f"{self.where} lost its workers before the run started: "
                           f"{_scrubbed(exc, self._address or '')}") from None

    def map_tasks(self, task: Callable[[ChunkRunner, T], R], items: Iterable[T]
                  ) -> Iterator[R]:
        """``task(runner, item)`` on the workers for each item, results in item order.

        ``task`` must be a module-level function the workers can import. At most two
        tasks per worker are in flight, so ``items`` may be a long stream.
        """
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        pending: deque[tuple[Any, Any]] = deque()  # (item, future), in item order
        limit = 2 * self.workers
        waiting: Any = None
        waited: Any = None  # its future
        try:
            for item in items:
                pending.append((item, self._client.submit(_run_task, self._spec, task, item,
                                                          pure=False)))
                if len(pending) >= limit:
                    waiting, waited = pending.popleft()
                    yield self._result(waiting, waited)
            while pending:
                waiting, waited = pending.popleft()
                yield self._result(waiting, waited)
        except KilledWorker as exc:  # workers died with one task, again and again: the
            # reason is most likely in the task. It names the task it gave up, which may be
            # any of those in flight, not the one waited on
            killed = getattr(exc, "task", None)
            given_up = [item for item, future in ((waiting, waited), *pending)
                        if killed is not None and getattr(future, "key", None) == killed]
            where = (_work(given_up[0]) if given_up
                     else f"{_work(waiting)}, or another in flight")
            raise RunError(f"a Dask task applying the LFs did not finish (to {where}): "
                           f"each worker it was on ended ({type(exc).__name__}: "
                           f"{self._shown(exc)}; Dask counts every task a worker held when it "
                           "ended, so the item that ended it may be in another chunk in "
                           f"flight); {WORKER_DIED}") from None
        except CancelledError as exc:  # the scheduler gave the task up, or was lost
            if getattr(exc, "reason", "") == "scheduler-connection-lost":
                raise self._scheduler_lost(waiting) from None
            # e.g. the workers holding what the task reads all ended
            raise RunError(f"{self.where} gave the task up ({self._shown(exc)}) while the "
                           f"LFs were applied to {_work(waiting)}: {CLUSTER_STOPPED}") from None
        finally:  # a task failed or the caller stopped: the rest need not run
            if pending and not self._lost:
                self._client.cancel([future for _, future in pending])

    def _result(self, item: Any, future: Any) -> Any:
        """The task's result. A worker that dies takes its task with it and Dask runs the
        task on another, or on the worker its nanny starts again; a cluster with no worker
        left would keep the task waiting for ever, so one empty for :func:`dask_wait_seconds`
        is an error naming the scheduler."""
        from distributed.comm.core import CommClosedError

        empty_since: float | None = None
        while True:
            try:
                return future.result(timeout=CLUSTER_CHECK_SECONDS)
            except TimeoutError:
                pass
            except OSError as exc:  # the scheduler went while it sent the result, or the
                # task's own OSError (a worker that cannot read its part of a file)
                if isinstance(exc, CommClosedError) or self._client.status != "running":
                    raise self._scheduler_lost(item) from None
                raise
            if self._client.status != "running":  # reconnecting: Dask says when it gives up
                continue
            try:
                workers = self._n_workers()
            except (OSError, TimeoutError):
                continue  # the connection went: the future says so
            if workers:
                empty_since = None
                continue
            now = time.monotonic()
            empty_since = empty_since if empty_since is not None else now
            wait = dask_wait_seconds()
            if now - empty_since >= wait:
                raise RunError(
                    f"{self.where} has no worker left (none for {wait:g} s, "
                    f"distributed.comm.timeouts.connect) while the LFs were applied to "
                    f"{_work(item)}: the workers ended or were stopped (a worker with a "
                    f"nanny is started again; one without is not); {CLUSTER_STOPPED} once "
                    "the cluster has workers again")

    def _scheduler_lost(self, item: Any) -> RunError:
        self._lost = True
        return RunError(f"lost the connection to {self.where} while the LFs were applied to "
                        f"{_work(item)}: {CLUSTER_STOPPED}")

    def _n_workers(self) -> int:
        """The cluster's workers now, asking the scheduler for no worker's details (an
        older ``distributed`` that sends them all anyway is counted by them)."""
        info = self._client.scheduler_info(n_workers=0)
        count = info.get("n_workers")
        return int(count) if count is not None else len(info.get("workers") or {})

    def _shown(self, text: object) -> str:
        return _scrubbed(text, self._address) if self._address else str(text)

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        return self.map_tasks(_run_chunk, chunks)

    def workers_seen(self) -> list[str] | None:
        """The addresses of the workers that built this run's runner, so ran its tasks
        after they passed its checks (:mod:`~labelwright.apply.worker_checks`), sorted;
        None when the workers could not be asked (logged)."""
        try:
            built = self._client.run(_built, self._key)
        except Exception as exc:
            log.warning("could not ask the dask workers which ran this run: %s", exc)
            return None
        return sorted(address for address, done in built.items() if done)

    def close(self) -> None:
        try:
            if self._cluster is None and not self._lost:  # the workers outlive this run
                self._client.run(_forget_runner, self._key)
        except Exception as exc:  # the run's outcome stands; the worker keeps some memory
            log.warning("could not drop the runner from the dask workers: %s",
                        self._shown(exc))
        finally:
            self._close_client()

    def _close_client(self) -> None:
        try:
            self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def make_engine(name: str, runner: ChunkRunner, *, root: str | Path | None = None,
                workers: int | None = None, scheduler: str | None = None,
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
    key = f"{id(runner)}-{os.getpid()}"
    spec = RunnerSpec(key=key, root=str(root) if root is not None else None,
                      fail_fast=runner.fail_fast,
                      lf_names=tuple(lf.name for lf in runner.lfs), runner=runner,
                      lf_timeout=runner.lf_timeout, doc_cache=runner.doc_cache,
                      reads_parse=tuple(runner.reads_parse),
                      expected=client_state(runner, lf_state)
                      if name == "dask" and root is not None else None)
    if name == "processes":
        return ProcessEngine(spec, workers=workers)
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
