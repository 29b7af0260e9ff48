"""The Warnings the comparison with the previous run brings, as true when the page is made.

A run records the comparison's warnings in its manifest's ``run_warnings`` (a fall in
accuracy on held-out gold, items of the previous run gone, or a previous run it could not
compare with). A report rebuilt later (``labelwright report``) compares again: a previous
run whose manifest was mended since compares now, and the run-time "not compared" warning
had stood above a Changes section that showed the comparison. So the recorded comparison
warnings give way to the comparison made now; those made when the run was made are kept
only while the comparison still fails, and each says when it was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.project.since_previous import (
    ITEMS_GONE_START,
    NOT_COMPARED_START,
    since_warnings,
)
from labelwright.report.times import readable_time

#: the words before the time a page made after its run says it was made at
MADE_NOW = "as this report was made"
#: that time as :func:`comparison_warnings` gives it, after :data:`MADE_NOW`
_MADE_AT = re.compile(re.escape(MADE_NOW) + r"(, | \()\d{4}-\d\d-\d\d \d\d:\d\d UTC")

#: the start of the fall-in-accuracy warning
#: (:func:`~labelwright.runs.diff.lines.accuracy_drop_warning`)
_DROP = re.compile(r"since run [^:\s]+: accuracy on held-out gold ")


def is_comparison_warning(text: str) -> bool:
    """Whether a recorded run warning is one the comparison with the previous run made
    (:func:`~labelwright.project.since_previous.since_warnings`): told by how each starts
    (a previous run not compared, items of it gone, a fall in accuracy)."""
    return (text.startswith(NOT_COMPARED_START) or ITEMS_GONE_START.match(text) is not None
            or _DROP.match(text) is not None)


@dataclass(frozen=True)
class ComparisonWarnings:
    """The recorded run warnings split: ``others`` as recorded, ``shown`` the comparison's
    warnings true now (each saying when it was made, on a page made after the run),
    ``dropped`` a note on the recorded ones left out (empty: none)."""

    others: list[str]
    shown: list[str] = field(default_factory=list)
    dropped: str = ""


def comparison_warnings(manifest: dict[str, Any], changes: Any, problem: str | None, *,
                        built_at: datetime | None) -> ComparisonWarnings:
    """The run's recorded warnings, and the comparison's as true now: ``changes`` and
    ``problem`` are the comparison made for this page (:func:`~labelwright.report.
    report_changes`). ``built_at``: when a page made after its run is made (None: the page
    is made with the run, from the comparison the run recorded: shown as recorded)."""
    recorded = [str(w) for w in manifest.get("run_warnings") or []]
    others = [w for w in recorded if not is_comparison_warning(w)]
    then = [w for w in recorded if is_comparison_warning(w)]
    now = since_warnings(changes, problem)
    if built_at is None:
        return ComparisonWarnings(others, [*then, *(w for w in now if w not in then)])
    run_time, page_time = readable_time(manifest.get("finished_at")), readable_time(built_at)
    shown = [w + (f" (when the run was made, {run_time}, and again {MADE_NOW}, {page_time})"
                  if w in then else f" ({MADE_NOW}, {page_time})") for w in now]
    kept = [w for w in then if w not in now]
    if problem is not None:  # still not compared: what the run found stands beside it
        return ComparisonWarnings(
            others, [*shown, *(f"{w} (when the run was made, {run_time})" for w in kept)])
    dropped = ""
    if kept:
        dropped = (f"{len(kept)} warning(s) the comparison with the previous run gave when "
                   f"the run was made ({run_time}) no longer hold: compared again "
                   f"{MADE_NOW} ({page_time}), it gives what is above and in Changes.")
    return ComparisonWarnings(others, shown, dropped)


def now() -> datetime:
    """The time a page made after its run is made (a function, so tests can set it)."""
    return datetime.now(UTC)


def same_but_when_made(kept: Path, written: Path) -> bool:
    """Whether the report ``written`` says what the ``kept`` one it replaced said, but for
    the time each says it was made: a rebuild a minute later of a run whose comparison
    still fails changes only that, and a copy of each page in ``replaced/`` would only
    fill the disk (:func:`~labelwright.runs.replaced.write_replacing`)."""
    def said(page: Path) -> str:
        return _MADE_AT.sub(MADE_NOW, page.read_text(encoding="utf-8", errors="replace"))

    return said(kept) == said(written)
