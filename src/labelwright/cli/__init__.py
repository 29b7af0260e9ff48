"""The ``labelwright`` command: a thin layer over the library's functions.

The typer application is :data:`labelwright.cli.app.app`; :func:`main` runs it.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``labelwright`` script."""
    try:  # Ctrl-C while the commands load (half a second) ends the command like later ones
        from labelwright.cli.app import run_app
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(run_app())


__all__ = ["main"]
