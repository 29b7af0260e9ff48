"""A run's steps, timed back to back: each step ends where the next one starts, so the
manifest's ``timings_seconds`` add up to the run's time (``started_at`` to ``finished_at``)
and nothing the run does between two named steps goes unrecorded."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Stage = Callable[[str], None]  # a step without an item count starts: "label model", ...


class Steps:
    """The seconds each step of a run took (``seconds``, in the order the steps ran), and
    ``stage`` told of each step's start under the name the run's progress shows.

    ``clock``: seconds of a monotonic clock (a test passes its own)."""

    def __init__(self, stage: Stage | None = None, *,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.seconds: dict[str, float] = {}
        self.stage: Stage = stage or (lambda name: None)
        self._clock = clock
        self.started_at = datetime.now(UTC)
        self._origin = self._now = clock()
        self._step: str | None = None

    def start(self, step: str, shown: str | None = None) -> None:
        """End the step under way and start ``step`` (its seconds add up if it ran before);
        ``shown``: the name the progress shows it under (None: not announced, as the apply,
        which reports its items)."""
        self._end()
        self._step = step
        if shown is not None:
            self.stage(shown)

    def stop(self) -> datetime:
        """End the step under way; the moment, on the wall clock ``started_at`` was read
        from (read with the step's end: the steps' seconds add up to the time between)."""
        self._end()
        return datetime.now(UTC)

    def elapsed(self) -> float:
        """Seconds since the first step started."""
        return self._clock() - self._origin

    def _end(self) -> None:
        now = self._clock()
        if self._step is not None:
            self.seconds[self._step] = self.seconds.get(self._step, 0.0) + now - self._now
        self._step, self._now = None, now
