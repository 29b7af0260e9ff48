"""Counts as the terminal says them: ``1 item``, ``2 items``, never ``1 items``, and
``199,800 items`` with its thousands separated, as the lines beside them say theirs.

The CLI and the lines it prints from the library (``runs diff``) share this one rule, so a
count of one reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral


def number(n: object) -> str:
    """``n`` as a count is written: a whole number with its thousands separated
    (``199,800``), anything else (a manifest's ``"?"``) as it is."""
    return f"{n:,}" if isinstance(n, Integral) and not isinstance(n, bool) else str(n)


def counted(n: object, noun: str, plural: str | None = None) -> str:
    """``n`` with ``noun`` in agreement: ``1 glossary``, ``3 glossaries`` (``plural`` when
    it is not ``noun + "s"``). ``n`` may be a manifest's ``"?"``, which takes the plural.
    A whole number has its thousands separated: ``199,800 items``."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def some_of(names: Sequence[object], shown: int = 5, *, total: int | None = None,
            clauses: bool = False) -> str:
    """The first ``shown`` of ``names``, comma-separated, and ``and N more`` when there are
    more: how every message lists the items, rows or runs a problem concerns. ``total``:
    how many there are when ``names`` holds only the first of them. ``clauses``: each name
    is a clause holding commas itself (``line 3, row 2: ...``), so they are separated by
    ``; `` and so is ``and N more``, which would else read as part of the last. The names
    are written as given (ids, row numbers); ``N`` has its thousands separated."""
    listed = names[:shown]
    more = (len(names) if total is None else total) - len(listed)
    sep, last = ("; ", ";") if clauses else (", ", "")
    return sep.join(map(str, listed)) + (f"{last} and {number(more)} more" if more > 0 else "")


#: an LF that votes more labels than this shows their count as its polarity
POLARITY_SHOWN = 3


def labels_counted(polarity: str, labels: Sequence[str] | None) -> str | None:
    """An LF's polarity (the labels it voted, joined by ", ", in the project's order) as
    their count, ``14 labels (all)`` or ``9 of 14 labels``, when it votes more than
    :data:`POLARITY_SHOWN` of the project's ``labels`` (one LF of a law firm voting its 14
    labels made the LF table 430 columns wide); None to show it as written: few labels, no
    ``labels`` given, or labels that hold ", " themselves."""
    if labels is None or not polarity:
        return None
    voted = set(polarity.split(", "))
    in_order = [label for label in labels if label in voted]  # as the polarity lists them
    n = len(in_order)
    if n <= POLARITY_SHOWN or ", ".join(in_order) != polarity:
        return None
    return f"{n} labels (all)" if n == len(labels) else f"{n} of {len(labels)} labels"
