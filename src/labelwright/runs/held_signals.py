"""Ctrl-C and SIGTERM held over a step that must not stop half-way, then acted on.

A run publishes in two moves: its folder renamed into place, then ``runs/LATEST`` pointed
at it (:meth:`~labelwright.runs.run_writer.RunWriter.publish`). SIGTERM between the two
(``labelwright``'s entry point raises :class:`~labelwright.errors.Terminated` where the
command is) left a whole run that ``runs/LATEST`` did not name: export, train and review
export took the run before it. Held over both moves, a signal that arrives then is acted
on once they are done: the run is complete and the latest, and the command stops after.

Only Python-level handlers are held (the CLI's, and Python's own for Ctrl-C): a signal
left to the system's default still ends the process at once, as it did. Handlers can be
set from the main thread only: elsewhere nothing is held (and no handler raises there).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: the signals held: Ctrl-C, and SIGTERM where the system has it
HELD = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


@contextmanager
def signals_held() -> Iterator[None]:
    """Inside, Ctrl-C and SIGTERM are noted, not acted on; on leaving, each signal's own
    handler is put back and called for the first that arrived (raising its
    ``KeyboardInterrupt`` or ``Terminated`` there, after the step)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[tuple[int, FrameType | None]] = []

    def note(signum: int, frame: FrameType | None) -> None:
        arrived.append((signum, frame))

    kept: dict[int, Callable[[int, FrameType | None], Any]] = {}
    for signum in HELD:
        handler = signal.getsignal(signum)
        if callable(handler):
            kept[signum] = handler
    for signum in kept:
        signal.signal(signum, note)
    try:
        yield
    finally:
        for signum, handler in kept.items():
            signal.signal(signum, handler)
        if arrived:
            signum, frame = arrived[0]
            kept[signum](signum, frame)
