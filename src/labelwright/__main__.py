"""``python -m labelwright`` and the ``labelwright`` script.

The commands load inside :func:`main`'s Ctrl-C handler: an interrupt in their first half
second ends the command as a later one does (exit 130), not with a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``labelwright`` script."""
    try:
        from labelwright.cli.app import run_app
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(run_app())


if __name__ == "__main__":
    main()
