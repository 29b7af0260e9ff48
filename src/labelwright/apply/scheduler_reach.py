"""``labelwright check`` reaching the Dask scheduler a run would use.

A run whose every vote is in the vote cache contacts no scheduler, so ``run --engine dask
--scheduler tcp://127.0.0.1:1`` exited 0 and a wrong address stayed unnoticed until the
night an LF changed. ``check`` connects with a short timeout (:data:`REACH_SECONDS`) and
says whether the scheduler answered and how many workers it has.

The wait is one deadline over the whole attempt, whatever answers: a peer that is not a
Dask scheduler (a web server, say) made Dask's handshake hang for minutes or allocate a
buffer sized by the bytes it read back, so the attempt asks the scheduler's ``identity``
over one comm inside :func:`asyncio.wait_for`, in a daemon thread joined for the same time.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from labelwright.apply.scheduler_address import address_form_problem, scrubbed, shown_address

#: how long ``check`` waits for the scheduler: a run waits Dask's connect timeout (30 s)
REACH_SECONDS = 5.0


@dataclass(frozen=True)
class Reached:
    """What ``check`` found at a scheduler address: ``problem`` (it could not connect: why),
    else ``workers`` (how many it has now)."""

    address: str
    problem: str | None = None
    workers: int = 0
    #: where the address came from, as the problem line names it
    source: str = "[apply] scheduler or --scheduler"
    #: the seconds the attempt was given, as the problem line says them (0: no connection
    #: was tried -- the address's form, or Dask missing -- and the line says no wait)
    waited: float = REACH_SECONDS

    def line(self) -> str:
        """What ``check`` prints: reached with N workers, or the problem."""
        where = f"the Dask scheduler at {shown_address(self.address)!r}"
        if self.problem is not None:
            waited = f"; waited {self.waited:g} s" if self.waited else ""
            return (f"cannot reach {where} ({self.source}{waited}): {self.problem}; a run "
                    "that must compute votes would fail (one whose every vote is in the "
                    "vote cache contacts no scheduler)")
        if not self.workers:
            return (f"{where} answered but has no workers: a run that must compute votes "
                    f"would wait for one and stop; start one with `dask worker "
                    f"{shown_address(self.address)}`")
        return f"reached {where}: {self.workers} worker{'s' if self.workers != 1 else ''}"


def reach_scheduler(address: str, *, timeout: float = REACH_SECONDS,
                    source: str = "[apply] scheduler or --scheduler") -> Reached:
    """Ask the scheduler at ``address`` for its workers, giving up after ``timeout``
    seconds whatever the peer does; a malformed address, a package missing or a peer that
    is not a Dask scheduler is a problem too, as a run would meet it. ``source`` names the
    option or setting the address came from."""
    # neither tries a connection, so the line says no wait; the package first, as the
    # address's form is read with Dask's settings
    try:
        import distributed.comm  # noqa: F401
    except ImportError:
        return Reached(address, "dask.distributed is not installed: pip install "
                                "'labelwright[dask]'", source=source, waited=0)
    problem = address_form_problem(address)
    if problem is not None:
        return Reached(address, problem, source=source, waited=0)
    outcome: list[int | str] = []
    attempt = threading.Thread(target=_attempt, args=(address, timeout, outcome),
                               name="labelwright-reach-scheduler", daemon=True)
    attempt.start()
    attempt.join(timeout + 1.0)  # asyncio.wait_for ends it first; this bounds the rest
    if not outcome:
        outcome.append(f"no answer within {timeout:g} s")
    [found] = outcome[:1]
    if isinstance(found, str):
        return Reached(address, scrubbed(found, address), source=source, waited=timeout)
    return Reached(address, workers=found, source=source, waited=timeout)


def _attempt(address: str, timeout: float, outcome: list[int | str]) -> None:
    """The thread's body: the worker count, or why there is none, into ``outcome``; any
    exception is an answer (a peer speaking another protocol raises whatever it raises)."""
    try:
        outcome.append(asyncio.run(asyncio.wait_for(_workers(address, timeout), timeout)))
    except TimeoutError:
        outcome.append(f"no Dask scheduler answered within {timeout:g} s (is it another "
                       "service on that port?)")
    except BaseException as exc:  # noqa: BLE001 -- any failure is the answer to report
        outcome.append(str(exc) or type(exc).__name__)


async def _workers(address: str, timeout: float) -> int:
    """How many workers the scheduler at ``address`` has, from its ``identity`` reply."""
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        reply = await comm.read()
    finally:
        await comm.close()
    if not isinstance(reply, dict) or "workers" not in reply:
        raise ValueError(f"the peer answered but not as a Dask scheduler: {reply!r:.80}")
    return len(reply.get("workers") or {})
