"""``python -m labelwright`` and the ``labelwright`` script.

The commands load inside :func:`main`'s Ctrl-C handler: an interrupt in their first half
second ends the command as a later one does (exit 130), not with a traceback. SIGTERM (what
a scheduler, ``timeout`` or Kubernetes sends) is handled as Ctrl-C is: the command stops
where it is, a run removes its staging folder, the ``interrupted:`` line is printed, and the
exit code is 143 (128 + SIGTERM's 15), as for a process the signal ended.

Before any command, large freed blocks are set to go back to the system
(:func:`~labelwright.large_blocks.return_large_blocks`, glibc only): else a run's freed
per-item arrays stayed in the process as free heap, a tenth of its peak.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from labelwright.errors import TERMINATED_EXIT, Terminated
from labelwright.large_blocks import return_large_blocks

#: the exit code of a command stopped by SIGTERM
TERMINATED = TERMINATED_EXIT


def main() -> None:
    """Entry point of the ``labelwright`` script."""
    return_large_blocks()  # before the commands' imports and reads allocate
    terminated: list[int] = []

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if terminated:  # a second one must not cut the clean-up of the first short
            return
        terminated.append(signum)
        raise Terminated  # a KeyboardInterrupt, unwound as Ctrl-C is: every clean-up runs

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, on_sigterm)
    try:
        from labelwright.cli.entry import run_app
    except KeyboardInterrupt:
        sys.exit(TERMINATED if terminated else 130)
    code = run_app()
    sys.exit(TERMINATED if terminated and code == 130 else code)


if __name__ == "__main__":
    main()
