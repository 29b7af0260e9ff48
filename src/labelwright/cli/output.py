"""Consoles for the CLI: what users wrote is printed as written.

Texts, ids, LF tracebacks and error messages hold square brackets (``[triage]``, a
``[/b]`` in a review, ``TABLE[item.id]``); with rich's markup on they were read as style
tags, which hid them or crashed the command. Every console here has markup off, and
labelwright's own styling goes through :class:`rich.text.Text`, which is never parsed.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from labelwright.errors import ConfigErrors, LabelwrightError

#: characters of data that must not reach a terminal as they are: C0 controls but tab and
#: line feed (ESC starts sequences that hide text, erase lines or set the window title),
#: DEL, C1 controls, and the bidirectional embeddings, overrides and isolates (which reorder
#: the text that follows). Rich lays text out taking them as zero columns wide, so they are
#: removed (a visible stand-in would push table borders out of line); what follows an ESC
#: stays, as plain text.
UNSAFE = str.maketrans(dict.fromkeys(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + ["\x7f"]
    + [chr(c) for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]))


#: spaces at the end of a line (before the style codes that close it, if any): rich pads
#: every line of a table, and of its title, to the table's width
TRAILING_SPACES = re.compile(r" +((?:\x1b\[[0-9;]*m)*)\n")


class SafeConsole(Console):
    """A console that removes control and bidirectional-override characters from what it
    prints (see :data:`UNSAFE`): item texts, ids, field values and reviewer names come from
    data, and an escape sequence in them would otherwise act on the terminal. Rich's own
    styling is not text, so it is untouched. Lines end without trailing spaces (rich pads a
    table's rows to its widest line: a 700-column row padded every other one)."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return TRAILING_SPACES.sub(r"\1\n", super()._render_buffer(
            segment if segment.control else
            Segment(segment.text.translate(UNSAFE), segment.style, segment.control)
            for segment in buffer))


#: width of a console that writes to no terminal (a pipe, a file, a CI log), which rich
#: would take as 80 columns: tables cut their numbers to "100.…" there
LOG_WIDTH = 1000


def make_console(**kwargs: Any) -> Console:
    console = SafeConsole(markup=False, **kwargs)
    if "width" not in kwargs and not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = LOG_WIDTH
    return console


def styled(text: object, style: str) -> Text:
    return Text(str(text), style=style)


def tagged(console: Console, tag: str, style: str, message: object) -> None:
    """``tag: message`` with the tag styled, e.g. ``error:`` in red. A line wider than the
    console is wrapped between words, its next lines indented by two spaces; a word (a
    path) is never split, so one wider than the console has a line of its own, whole for
    copying."""
    lines = [wrapped for line in f"{tag}: {message}".split("\n")
             for wrapped in (textwrap.wrap(line, console.width, subsequent_indent="  ",
                                           break_long_words=False, break_on_hyphens=False)
                             if len(line) > console.width else [line])]
    console.print(Text.assemble((f"{tag}:", style), "\n".join(lines)[len(tag) + 1:]),
                  highlight=False, soft_wrap=True)


def error(console: Console, message: object) -> None:
    """``error: MESSAGE``; a config wrong in several tables, an ``error:`` line each."""
    for each in message.errors if isinstance(message, ConfigErrors) else [message]:
        tagged(console, "error", "red", each)


#: the exit code of an error in a command whose exit 1 says "differs" (``runs diff
#: --exit-code``, ``runs verify``): as diff(1), 0 same, 1 different, 2 trouble, so a script
#: that gates on 1 is not told "differs" of a run that could not be read; ``runs verify
#: --recompute`` adds 3, not recomputed (:data:`NOT_RECOMPUTED`)
TROUBLE = 2

#: the exit code of ``runs verify --recompute`` when nothing differs but a run's labels
#: could not be computed again (:attr:`~labelwright.runs.verify.run_check.RunCheck.
#: not_recomputed`): neither "same" (0) nor "differs" (1) nor trouble (2)
NOT_RECOMPUTED = 3


@contextmanager
def trouble_exits(console: Console, code: int = TROUBLE) -> Iterator[None]:
    """An error of labelwright's inside is said as ``error: ...`` on ``console`` and the
    command exits ``code`` (:data:`TROUBLE`), not the 1 every other command exits with."""
    import typer

    try:
        yield
    except LabelwrightError as exc:
        error(console, exc)
        raise typer.Exit(code) from None


def warning(console: Console, message: object) -> None:
    tagged(console, "warning", "yellow", message)


@contextmanager
def labelwright_warnings(console: Console) -> Iterator[None]:
    """Inside, a :class:`~labelwright.errors.LabelwrightWarning` the library gives is said
    as a ``warning: ...`` line on ``console`` (Python's own form takes two lines and names
    labelwright's source line), each once per command however many times it is given;
    other warnings are shown as Python shows them."""
    import warnings

    from labelwright.errors import LabelwrightWarning

    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any,
                 **kwargs: Any) -> None:
            if issubclass(category, LabelwrightWarning):
                warning(console, message)
            else:
                shown(message, category, *args, **kwargs)

        warnings.simplefilter("default", LabelwrightWarning)
        warnings.showwarning = show
        yield


def score_text(value: float | None) -> str:
    """A kappa, alpha or accuracy to three places; ``—`` for none (NaN: nothing to compare)."""
    return "—" if value is None or math.isnan(value) else f"{value:.3f}"
