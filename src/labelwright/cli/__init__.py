"""The ``labelwright`` command: a thin layer over the library's functions.

:data:`app` is the typer application; :func:`main` runs it (the script's entry point is
:func:`labelwright.__main__.main`, which loads the commands inside its Ctrl-C handler).
"""

from __future__ import annotations

from labelwright.__main__ import main
from labelwright.cli.app import app

__all__ = ["app", "main"]
