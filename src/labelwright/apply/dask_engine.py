"""The Dask engine: chunks, or other tasks, on a ``dask.distributed`` cluster.

A :class:`DaskEngine` runs on a LocalCluster or on a scheduler the run names (an address,
or a ``distributed.Client`` of the session, used as it is and left open). Its workers
build their runner once, as a process pool's do (:mod:`labelwright.apply.engines`), and
it also runs other tasks with that runner (:meth:`DaskEngine.map_tasks`): a worker that
reads its own part of a file. ``dask`` is imported when an engine starts, not with this
module.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from labelwright.apply.chunks import Chunk, ChunkResult
from labelwright.apply.core import ChunkRunner
from labelwright.apply.dask_results import TaskResult, no_result_from_sync
from labelwright.apply.engines import (
    WORKER_DIED,
    Engine,
    RunnerSpec,
    _built,
    _forget_runner,
    _runner,
    default_workers,
)
from labelwright.apply.scheduler_address import (
    Scheduler,
    address_form_problem,
    is_client,
    scheduler_text,
    scrubbed,
    shown_address,
)
from labelwright.errors import ConfigError, LFFailure, RunError, both_spellings

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


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
#: the same for tasks that keep nothing of what finished (``apply_file``'s partitions)
CLUSTER_STOPPED_NO_RESUME = ("the cluster stopped the run, not an LF; nothing of the parts "
                             "that finished is kept (apply_file does not use the vote "
                             "cache), so the same command computes them all again")


class DaskEngine(Engine):
    """Tasks on a ``dask.distributed`` cluster: a LocalCluster, or ``scheduler`` (an
    address, or a ``distributed.Client`` used as it is: closing the engine leaves it open).

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
    _own_client = True  # made here, so closed here (a Client given is the caller's)

    def __init__(self, spec: RunnerSpec, *, workers: int | None = None,
                 scheduler: Scheduler | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("the dask engine needs dask.distributed: "
                              "pip install 'labelwright[dask]'") from None
        self._cluster = None
        self._address = scheduler_text(scheduler) if scheduler is not None else None
        if is_client(scheduler):  # the session's: used as it is, left open
            assert not isinstance(scheduler, str | None)
            self.where = f"the Dask scheduler at {shown_address(scheduler)!r}"
            if scheduler.status != "running":
                raise ConfigError(f"the Dask client given (scheduler=) is not connected "
                                  f"(status {scheduler.status!r}): pass a connected Client "
                                  "or the scheduler's address")
            self._client = scheduler
            self._own_client = False
        elif isinstance(scheduler, str) and scheduler:
            problem = address_form_problem(scheduler)
            if problem is not None:  # said before Dask tries it, and fails to say why
                raise ConfigError(problem)
            self.where = f"the Dask scheduler at {shown_address(scheduler)!r}"
            try:
                self._client = Client(scheduler)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(f"cannot reach {self.where} "
                                  f"({both_spellings('--scheduler', 'scheduler=')} or [apply] "
                                  f"scheduler): {scrubbed(exc, scheduler)}") from None
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
                           f"{scrubbed(exc, self._address or '')}") from None

    def map_tasks(self, task: Callable[[ChunkRunner, T], R], items: Iterable[T], *,
                  stopped: str = CLUSTER_STOPPED_NO_RESUME) -> Iterator[R]:
        """``task(runner, item)`` on the workers for each item, results in item order.

        ``task`` must be a module-level function the workers can import. At most two
        tasks per worker are in flight, so ``items`` may be a long stream. ``stopped``:
        what a message of a cluster that stopped the run says of running it again (the
        default: nothing finished is kept, as for ``apply_file``; :meth:`map`'s chunks
        reach the vote cache).
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
                    yield self._result(waiting, waited, stopped)
            while pending:
                waiting, waited = pending.popleft()
                yield self._result(waiting, waited, stopped)
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
                raise self._scheduler_lost(waiting, stopped) from None
            # e.g. the workers holding what the task reads all ended
            raise RunError(f"{self.where} gave the task up ({self._shown(exc)}) while the "
                           f"LFs were applied to {_work(waiting)}: {stopped}") from None
        finally:  # a task failed or the caller stopped: the rest need not run
            if pending and not self._lost:
                self._client.cancel([future for _, future in pending])

    def _result(self, item: Any, future: Any, stopped: str) -> Any:
        """The task's result. A worker that dies takes its task with it and Dask runs the
        task on another, or on the worker its nanny starts again; a cluster with no worker
        left would keep the task waiting for ever, so one empty for :func:`dask_wait_seconds`
        is an error naming the scheduler (``stopped``: as :meth:`map_tasks` says it). The
        cluster is looked at between slices of the wait for the result
        (:class:`~labelwright.apply.dask_results.TaskResult`)."""
        from distributed.comm.core import CommClosedError

        empty_since: float | None = None
        task = TaskResult(future)
        while True:
            if task.ended(CLUSTER_CHECK_SECONDS):
                try:
                    return task.result()
                except UnboundLocalError as exc:
                    if not no_result_from_sync(exc):
                        raise  # not distributed's wait: the error of a task is its own
                    raise RunError(
                        f"{self.where} did not hand back the result of the LFs applied to "
                        f"{_work(item)}: distributed's Future.result ended with neither a "
                        "result nor an error (the client's fetch of results was cancelled, "
                        "as a Future.result(timeout=...) that runs out while it fetches "
                        f"leaves it, for every later result); {stopped}") from None
                except OSError as exc:  # the scheduler went while it sent the result, or
                    # the task's own OSError (a worker that cannot read its part of a file)
                    if isinstance(exc, CommClosedError) or self._client.status != "running":
                        raise self._scheduler_lost(item, stopped) from None
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
                    f"nanny is started again; one without is not); {stopped} once "
                    "the cluster has workers again")

    def _scheduler_lost(self, item: Any, stopped: str) -> RunError:
        self._lost = True
        return RunError(f"lost the connection to {self.where} while the LFs were applied to "
                        f"{_work(item)}: {stopped}")

    def _n_workers(self) -> int:
        """The cluster's workers now, asking the scheduler for no worker's details (an
        older ``distributed`` that sends them all anyway is counted by them)."""
        info = self._client.scheduler_info(n_workers=0)
        count = info.get("n_workers")
        return int(count) if count is not None else len(info.get("workers") or {})

    def _shown(self, text: object) -> str:
        return scrubbed(text, self._address) if self._address else str(text)

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        return self.map_tasks(_run_chunk, chunks, stopped=CLUSTER_STOPPED)

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
            if self._own_client:
                self._client.close()
        finally:
            if self._cluster is not None:
                with _quiet_kill_at_close():
                    self._cluster.close()


#: the start of the warning a nanny logs when the worker it closes has not ended after 4
#: seconds (Dask's own wait, which a LocalCluster's close does not let us set)
_STILL_ALIVE = "Worker process still alive after"


class _StillAliveAtClose(logging.Filter):
    """Drops the nanny's "still alive ... killing" warning, and no other record."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(_STILL_ALIVE):
            self.dropped += 1
            return False
        return True


@contextlib.contextmanager
def _quiet_kill_at_close() -> Iterator[None]:
    """While labelwright closes the LocalCluster it started, after every task's result is
    in: a worker process takes more than the nanny's 4 seconds to end (its interpreter
    freeing the pipeline's memory, longer on a busy machine), and the nanny's warning that
    it kills it was printed twice in the middle of a run's progress lines, though nothing
    was lost. Other records of the nanny (a worker that died or ran out of memory during
    the run) are logged as before, and this one is kept at debug level."""
    nanny = logging.getLogger("distributed.nanny")
    quiet = _StillAliveAtClose()
    nanny.addFilter(quiet)
    try:
        yield
    finally:
        nanny.removeFilter(quiet)
        if quiet.dropped:
            log.debug("closing the LocalCluster killed %d worker process(es) that had not "
                      "ended after Dask's 4 seconds", quiet.dropped)
