"""Spans of time as labelwright says them, on the terminal, in errors and in the report:
to the two largest units a person would name (``45 s``, ``12 min 5 s``, ``3 h 5 min``,
``2 days 4 h``). The progress lines (``about 4 min 20 s left``), a staging folder's age
(``made 3 h ago``) and the report's times (``2 h 5 min after it started``) all say it so."""

from __future__ import annotations


def span_text(seconds: float) -> str:
    """How long ``seconds`` is, to the two largest units a person would name: ``45 s``,
    ``12 min 5 s``, ``3 h 5 min``, ``2 days 4 h``; a unit that is 0 is not named
    (``1 day``, not ``1 day 0 h``), and a negative span reads ``0 s``."""
    whole = max(0, round(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = [(days, "day" if days == 1 else "days"), (hours, "h"), (minutes, "min"),
             (secs, "s")]
    first = next((k for k, (n, _) in enumerate(units) if n), len(units) - 1)
    shown = [f"{n} {unit}" for n, unit in units[first:first + 2] if n]
    return " ".join(shown) or "0 s"
