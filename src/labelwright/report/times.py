"""Times as the report shows them: ``2026-12-07 06:49 UTC`` for the manifest's ISO stamp
(``2026-12-07T06:49:37.123456+00:00`` had been printed as recorded), and spans between two
of them as a person says them (``2 h 5 min``, :func:`labelwright.durations.span_text`,
which still imports from here).

The page keeps the stamp as recorded in each ``<time datetime=...>``, so nothing is lost
to the rounding to the minute."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.durations import span_text
from labelwright.report import html


def parse_time(stamp: Any) -> datetime | None:
    """The manifest's ISO time as a datetime; None when it is missing or does not parse."""
    if stamp is None:
        return None
    try:
        return datetime.fromisoformat(str(stamp))
    except ValueError:
        return None


def readable_time(stamp: Any, *, seconds: bool = False) -> str:
    """``2026-12-07 06:49 UTC`` (with ``seconds``: ``06:49:37``) for a manifest's ISO time,
    in UTC whatever offset it was recorded with; a time without an offset says its zone is
    not recorded, and one that does not parse is shown as recorded (``?`` when missing)."""
    when = parse_time(stamp)
    if when is None:
        return str(stamp or "?")
    shape = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    if when.tzinfo is None:
        return when.strftime(shape) + " (time zone not recorded)"
    return when.astimezone(UTC).strftime(shape) + " UTC"


def time_html(stamp: Any, *, seconds: bool = False) -> str:
    """:func:`readable_time` as HTML: a ``<time>`` element holding the stamp as recorded,
    shown also when the pointer rests on it."""
    shown = html.esc(readable_time(stamp, seconds=seconds))
    if parse_time(stamp) is None:
        return shown
    recorded = html.esc(stamp)
    return f'<time datetime="{recorded}" title="{recorded}">{shown}</time>'


def span_between(earlier: Any, later: Any) -> str | None:
    """:func:`span_text` from one manifest time to another; None when either does not
    parse, or one has an offset and the other not (the span cannot be told)."""
    start, end = parse_time(earlier), parse_time(later)
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return None
    return span_text((end - start).total_seconds())


def previous_start(run_dir: Path, manifest: dict[str, Any], compared_with: str | None
                   ) -> tuple[str, Any] | None:
    """The run before this one and when it started (None: its manifest cannot be read now;
    ``""``: it records no start):
    the run the comparison was made with (``compared_with``), else the one the manifest's
    ``previous_run`` names; None for a first run, or one recorded before runs named it."""
    from labelwright.errors import RunError
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.manifest_chain import PREVIOUS_RUN

    link = manifest.get(PREVIOUS_RUN)
    run_id = compared_with or (link.get("run_id") if isinstance(link, dict) else None)
    if not run_id:
        return None
    try:
        return str(run_id), read_manifest(run_dir.parent / str(run_id)).get("started_at") or ""
    except RunError:
        return str(run_id), None


def time_rows(manifest: dict[str, Any], previous: tuple[str, Any] | None
              ) -> list[tuple[str, html.Markup]]:
    """The Summary's rows of when the run ran: started, finished (and how long it took),
    and the run before it, started how long before this one."""
    started, finished = manifest.get("started_at"), manifest.get("finished_at")
    took = span_between(started, finished)
    rows = [("started", html.Markup(time_html(started))),
            ("finished", html.Markup(time_html(finished)
                                     + (f", {html.esc(took)} after it started" if took else "")))]
    if previous is not None:
        run_id, when = previous
        before = span_between(when, started)
        rows.append(("previous run", html.Markup(
            f"<code>{html.esc(run_id)}</code>"
            + (": its manifest cannot be read now, so when it started is not known"
               if when is None else f", started {time_html(when)}"
               + (f": {html.esc(before)} before this one" if before else "")))))
    return rows
