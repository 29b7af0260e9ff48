"""``labelwright check`` reaching the Dask scheduler a run would use.

A run whose every vote is in the vote cache contacts no scheduler, so ``run --engine dask
--scheduler tcp://127.0.0.1:1`` exited 0 and a wrong address stayed unnoticed until the
night an LF changed. ``check`` connects with a short timeout (:data:`REACH_SECONDS`) and
says whether the scheduler answered and how many workers it has.
"""

from __future__ import annotations

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

    def line(self) -> str:
        """What ``check`` prints: reached with N workers, or the problem."""
        where = f"the Dask scheduler at {shown_address(self.address)!r}"
        if self.problem is not None:
            return (f"cannot reach {where} ([apply] scheduler or --scheduler; waited "
                    f"{REACH_SECONDS:g} s): {self.problem}; a run that must compute votes "
                    "would fail (one whose every vote is in the vote cache contacts no "
                    "scheduler)")
        if not self.workers:
            return (f"{where} answered but has no workers: a run that must compute votes "
                    f"would wait for one and stop; start one with `dask worker "
                    f"{shown_address(self.address)}`")
        return f"reached {where}: {self.workers} worker{'s' if self.workers != 1 else ''}"


def reach_scheduler(address: str, *, timeout: float = REACH_SECONDS) -> Reached:
    """Connect to the scheduler at ``address`` for at most ``timeout`` seconds and count
    its workers; a malformed address or a package missing is a problem too, as a run
    would meet it."""
    problem = address_form_problem(address)
    if problem is not None:
        return Reached(address, problem)
    try:
        from distributed import Client
    except ImportError:
        return Reached(address, "dask.distributed is not installed: pip install "
                                "'labelwright[dask]'")
    try:
        client = Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        return Reached(address, scrubbed(exc, address))
    try:
        workers = len(client.scheduler_info().get("workers") or {})
    finally:
        client.close()
    return Reached(address, workers=workers)
