"""A Dask task's result, waited for a slice at a time so that the engine can watch its
cluster in between (:class:`~labelwright.apply.dask_engine.DaskEngine` stops a run on a
cluster left with no worker), and fetched without the timeout that spoils a client's later
fetches. ``distributed`` itself is not imported here."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

#: how often :func:`done_within` looks at a task's state (a task runs for seconds)
DONE_POLL_SECONDS = 0.02


def done_within(future: Any, seconds: float) -> bool:
    """Whether ``future`` finished (with a result, an error or cancelled) within
    ``seconds``. Not ``future.result(timeout=seconds)``: when that timeout runs out while the
    client fetches the result from a worker (a loaded machine makes a fetch slow), Dask
    cancels the fetch that the client shares among its waits and keeps it as pending, so
    every later ``result()`` of that client ends cancelled, without a result (raising
    ``UnboundLocalError`` from distributed's ``sync``): that ended ``run --engine dask`` on
    200,000 items in two of four runs on a loaded 2-core machine. Waiting on the state
    alone, then fetching with no timeout, cancels nothing."""
    deadline = time.monotonic() + seconds
    while not future.done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(DONE_POLL_SECONDS)
    return True


class TaskResult:
    """The result of one task: its state waited on (:func:`done_within`), then, once it is
    done, the result fetched by a daemon thread with no timeout, so that the engine goes on
    watching the cluster while it comes: a worker that held the result and ended before
    the fetch leaves the fetch waiting for a worker to compute it again, for ever on a
    cluster with no worker left. A daemon thread, as the fetch may never end: closing the
    client ends it, and a thread still waiting keeps no process from ending."""

    def __init__(self, future: Any) -> None:
        self._future = future
        self._fetching = False
        self._ended = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None

    def ended(self, seconds: float) -> bool:
        """Whether the result (or the task's error) is here: waits up to ``seconds`` for
        the task to finish, then, once it has, up to ``seconds`` for its fetch."""
        if not self._fetching:
            if not done_within(self._future, seconds):
                return False
            self._fetching = True
            threading.Thread(target=self._fetch, daemon=True,
                             name="labelwright-dask-fetch").start()
        return self._ended.wait(seconds)

    def result(self) -> Any:
        """The result fetched, or the error the fetch raised (once :meth:`ended`)."""
        if self._error is not None:
            raise self._error
        return self._value

    def _fetch(self) -> None:
        try:
            self._value = self._future.result()
        except BaseException as exc:  # handed to the engine's wait, which raises it there
            self._error = exc
        finally:
            self._ended.set()


def no_result_from_sync(exc: UnboundLocalError) -> bool:
    """Whether ``exc`` is distributed's ``sync`` ending without a result rather than an
    error of the task. Its wait keeps the result in a local that only the awaited
    coroutine sets, and catches ``Exception`` alone: when that coroutine ends cancelled
    (``asyncio.CancelledError``, no ``Exception``: a fetch of results another wait
    cancelled, see :func:`done_within`), ``sync`` returns the unset local and raises
    ``UnboundLocalError`` from its own frame. A task's own ``UnboundLocalError`` (a bug in
    code it runs) comes back from the worker with the task's frames last, so it is told
    apart by the innermost frame."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return code.co_name == "sync" and Path(code.co_filename).parts[-2:] == ("distributed",
                                                                             "utils.py")
