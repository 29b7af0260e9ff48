"""The ``labelwright`` command: a thin layer over the library's functions."""

from __future__ import annotations

import sys

from labelwright.cli.app import app


def main() -> None:
    """Entry point of the ``labelwright`` script."""
    from labelwright.cli.app import run_app

    sys.exit(run_app())


__all__ = ["app", "main"]
