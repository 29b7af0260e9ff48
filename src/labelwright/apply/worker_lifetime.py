"""A process-pool worker that ends with the run's process: a run stopped by SIGTERM, or
killed, had left its workers applying LFs and writing cache entries for seconds; and one
that leaves Ctrl-C to that process: a terminal's Ctrl-C reaches every process of the
command, and each worker had printed a 20-line ``KeyboardInterrupt`` traceback over the
run's own ``interrupted:`` line. :mod:`labelwright.apply.engines` starts its pool's
workers with :func:`end_with_parent`."""

from __future__ import annotations

import os
import threading

#: how often a pool worker on a system without Linux's parent-death signal checks that the
#: process that started it is still there
PARENT_CHECK_SECONDS = 1.0


def end_with_parent(parent: int) -> None:
    """Make this pool worker end when ``parent``, the run's process, does: a run stopped
    by SIGTERM, or killed, left its workers applying LFs and writing cache entries for
    seconds. On Linux the kernel kills the worker when the parent ends (even by SIGKILL);
    elsewhere a thread checks every :data:`PARENT_CHECK_SECONDS`. SIGTERM (the pool's way
    of stopping a worker) ends the worker at once, whatever the parent's handler of it.
    SIGINT (Ctrl-C, which a terminal sends to the worker as well as to the parent) is
    ignored: the parent stops on it and ends its pool with SIGTERM, after keeping the
    chunks that finished in the vote cache."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # it ended before the signal was asked for
            os._exit(1)
        return

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="labelwright-parent-check", daemon=True).start()


def _parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent ends
    (``prctl(PR_SET_PDEATHSIG)``); False where that cannot be asked."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(1, signum, 0, 0, 0) == 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False
