"""Counts as the terminal says them: ``1 item``, ``2 items``, never ``1 items``.

The CLI and the lines it prints from the library (``runs diff``) share this one rule, so a
count of one reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence


def counted(n: object, noun: str, plural: str | None = None) -> str:
    """``n`` with ``noun`` in agreement: ``1 glossary``, ``3 glossaries`` (``plural`` when
    it is not ``noun + "s"``). ``n`` may be a manifest's ``"?"``, which takes the plural."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def some_of(names: Sequence[object], shown: int = 5) -> str:
    """The first ``shown`` of ``names``, comma-separated, and ``and N more`` when there are
    more: how every message lists the items, rows or runs a problem concerns."""
    more = len(names) - shown
    return ", ".join(map(str, names[:shown])) + (f" and {more} more" if more > 0 else "")
