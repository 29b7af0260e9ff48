"""What the vote cache holds of the last apply in this process, for a command cut short.

An apply keeps each finished chunk's votes in the vote cache as the chunk comes back, so
a run stopped half-way (Ctrl-C, SIGTERM) resumes from those chunks when it runs again.
The ``interrupted:`` line had said only that nothing half-written was kept, which users
read as all the work being lost: :mod:`labelwright.cli.entry` reads :func:`last_apply`
to say how many items' votes are kept and that the same command resumes from them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class KeptVotes:
    """One apply with a vote cache, as it goes: the items whose votes the cache holds."""

    items: int  # all the apply's items
    #: the items whose votes the cache holds: those it held when the apply started, then
    #: each finished chunk's as it is stored
    kept: int
    #: the apply computes every vote again (``--no-cache``): the next run that reads the
    #: cache resumes from the kept chunks; another refresh computes them all again
    refresh: bool


_LAST: list[KeptVotes] = []  # at most one: the last apply with a vote cache


def start_apply(items: int, cached: int, *, refresh: bool) -> KeptVotes:
    """Record an apply of ``items`` items, ``cached`` of which the vote cache holds."""
    _LAST[:] = [KeptVotes(items, cached, refresh)]
    return _LAST[0]


def last_apply() -> KeptVotes | None:
    """The last apply with a vote cache in this process; None: none had one."""
    return _LAST[0] if _LAST else None


def forget_apply() -> None:
    """Forget the last apply: one without a vote cache follows it."""
    _LAST.clear()
