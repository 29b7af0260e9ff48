"""Click's exception classes by name, of the installed click and of the copy newer typer
releases carry (``typer._click``), which is the one they raise: a command catches both."""

from __future__ import annotations

import importlib
from typing import Any


def click_classes(name: str) -> tuple[Any, ...]:
    """The class ``name`` of ``click.exceptions`` and of ``typer._click.exceptions``, each
    where it is installed (typed Any: the two share no class)."""
    kinds: list[Any] = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            kinds.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(kinds)
