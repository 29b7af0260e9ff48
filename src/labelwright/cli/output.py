"""Consoles for the CLI: what users wrote is printed as written.

Texts, ids, LF tracebacks and error messages hold square brackets (``[triage]``, a
``[/b]`` in a review, ``TABLE[item.id]``); with rich's markup on they were read as style
tags, which hid them or crashed the command. Every console here has markup off, and
labelwright's own styling goes through :class:`rich.text.Text`, which is never parsed.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text


def make_console(**kwargs: Any) -> Console:
    return Console(markup=False, **kwargs)


def styled(text: object, style: str) -> Text:
    return Text(str(text), style=style)


def tagged(console: Console, tag: str, style: str, message: object) -> None:
    """``tag: message`` with the tag styled, e.g. ``error:`` in red; not wrapped, so the
    paths in it stay whole for copying."""
    console.print(Text.assemble((f"{tag}:", style), " ", str(message)), highlight=False,
                  soft_wrap=True)


def error(console: Console, message: object) -> None:
    tagged(console, "error", "red", message)


def warning(console: Console, message: object) -> None:
    tagged(console, "warning", "yellow", message)
