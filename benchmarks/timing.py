"""The timing every benchmark here reports: the median of repeated calls of one step (one
slow call from another job on the machine moves a median less than a mean), with what the
last call returned, for the script to check or print. Imported by name, as ``uci_data``
is: the scripts run from this folder."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def median_seconds(call: Callable[[], T], repeat: int, *,
                   collect: bool = False) -> tuple[float, T]:
    """The median wall seconds of ``repeat`` (1 or more) calls of ``call``, and what the
    last one returned; ``collect``: collect garbage before each call, so one call's
    leftovers are not collected in the next one's time."""
    (wall, _), result = median_wall_and_cpu(call, repeat, collect=collect)
    return wall, result


def median_wall_and_cpu(call: Callable[[], T], repeat: int, *,
                        collect: bool = False) -> tuple[tuple[float, float], T]:
    """The median wall and CPU seconds of ``repeat`` (1 or more) calls of ``call`` (CPU
    time moves less than wall time on a machine shared with other jobs), and what the
    last one returned."""
    if repeat < 1:
        raise ValueError(f"repeat must be 1 or more, got {repeat}")
    wall, cpu = [], []
    for _ in range(repeat):
        if collect:
            gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = call()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return (statistics.median(wall), statistics.median(cpu)), result
