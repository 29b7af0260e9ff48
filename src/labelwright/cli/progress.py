"""How `run` and `analyze` show their progress: a bar on a terminal, and lines now and then
in a log file or a batch job's output."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from labelwright.durations import span_text

#: what a step's progress counts, where it is not items (the review ranking's end-model folds)
UNITS = {"review ranking": "folds"}


def progress_bar(err: Console) -> Progress:
    """The apply's bar, on ``err`` (off when it is no terminal: :func:`reporter` writes lines
    then)."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def reporter(bar: Progress, err: Console) -> BarProgress | LogProgress:
    """The bar on a terminal; without one (a log file, a batch job), a line now and then,
    on ``err``. Has ``stage(name)`` too: the steps after the apply, which have no item
    count."""
    if err.is_terminal:
        return BarProgress(bar)
    return LogProgress(lambda line: err.print(line, highlight=False, soft_wrap=True))


class BarProgress:
    """The apply's bar, then one line per later step, with its elapsed time, until the next
    one starts (the bar is transient: all of it goes when the command ends)."""

    def __init__(self, bar: Progress) -> None:
        self._bar, self._advance = bar, _advance(bar)
        self._stage: TaskID | None = None

    def __call__(self, step: str, k: int, total: int) -> None:
        self._advance(step, k, total)

    def stage(self, name: str) -> None:
        if self._stage is not None:
            self._bar.update(self._stage, total=1, completed=1)
        self._stage = self._bar.add_task(name, total=None, rate="")


class LogProgress:
    """Progress as plain lines, for output that is no terminal: one at most every
    ``interval`` seconds (``step: 120,000 / 1,000,000 items (12%), 8,400 items/s, about 1 min 45 s
    left``) and, if any was written, one when the step is done and two per later step (the
    step before done, ``reviews: done in 4 s``, then ``label model ...``), and those too
    once the run has taken ``interval`` (a fast apply from the cache wrote none, and a run's later
    steps went on for a minute without a word). A short run writes nothing. The first
    report of a step (the items a cache had done) counts as done but not in the rate, as
    on the bar."""

    def __init__(self, write, *, interval: float = 30.0,  # type: ignore[no-untyped-def]
                 clock=time.monotonic) -> None:
        self._write, self._interval, self._clock = write, interval, clock
        self._steps: dict[str, _Step] = {}
        self._wrote = False
        self._stage: tuple[str, float] | None = None
        self._start = clock()

    def _line(self, line: str) -> None:
        self._wrote = True
        self._write(line)

    def __call__(self, step: str, k: int, total: int) -> None:
        now = self._clock()
        if step not in self._steps:
            self._steps[step] = _Step(done=k, began=now, last=now)
            return
        state = self._steps[step]
        state.done += k
        if state.clock is None:  # the first finished chunk: the rate's clock starts
            state.clock = now
        else:
            state.computed += k
        done, unit = state.done, UNITS.get(step, "items")
        # the done line: after lines of the step, or a step that took the interval (one
        # chunk of slow LFs reports once, at its end)
        if done >= total and (state.last > state.began or now - state.began >= self._interval):
            self._line(f"{step}: {total:,} {unit} done in {span_text(now - state.began)}")
        elif done < total and now - state.last >= self._interval:
            state.last = now
            rate = state.computed / (now - state.clock) if now > state.clock else 0.0
            left = f", about {span_text((total - done) / rate)} left" if rate else ""
            if unit != "items":  # a few long parts: which one is done, and the time left
                self._line(f"{step}: {unit[:-1]} {done} of {total} done{left}")
            else:  # no rate at the first chunk
                self._line(f"{step}: {done:,} / {total:,} items ({100 * done / total:.0f}%)"
                           + (f", {rate:,.{1 if rate < 10 else 0}f} items/s{left}"
                              if now > state.clock else ""))

    def stage(self, name: str) -> None:
        """The step before is done (``review ranking: done in 7 s``, its time on its own line, with
        its own name: ``triage ... (review ranking: 7 s)`` read as the triage's time), and
        ``name`` starts (``triage ...``)."""
        now = self._clock()
        if self._wrote or now - self._start >= self._interval:
            if self._stage:
                self._line(f"{self._stage[0]}: done in {span_text(now - self._stage[1])}")
            self._line(f"{name} ...")
        self._stage = (name, now)


@dataclass
class _Step:
    """Where a step's reports stand: items (or folds) done, those counted in the rate since
    its clock started (None until the first finished chunk), the step's start and its
    last line's time."""

    done: int
    began: float
    last: float
    computed: int = 0
    clock: float | None = None


def _advance(bar: Progress):  # type: ignore[no-untyped-def]
    tasks: dict[str, TaskID] = {}

    def advance(step: str, k: int, total: int) -> None:
        if step not in tasks:
            # the first report starts the bar without a speed sample: it is what a cache
            # or the first chunk had done, and would inflate the rate and the time left
            tasks[step] = bar.add_task(step, total=total, completed=k, rate="")
            return
        task = tasks[step]
        bar.advance(task, k)
        speed = bar.tasks[task].speed  # from the first advance on (the first chunk's end)
        bar.update(task, rate=f"{speed:,.0f} items/s" if speed and step not in UNITS else "")

    return advance
