"""What a run says of its comparison with the previous run: a fall in accuracy on gold,
or why the previous run could not be compared (``run_project``, and ``run --no-report``,
which compares after the run)."""

from __future__ import annotations

from typing import Any


def since_warnings(changes: Any, not_compared: str | None) -> list[str]:
    """The warnings the comparison with the previous run brings, made after the run is
    published (the diff needs the run's labels written): a fall in accuracy on gold, or why
    the previous run could not be compared (else the "since run" line and the drop check
    vanish unsaid). ``run_project`` and ``run --no-report`` (which compares after the run,
    having no report to do it) both say them through here, so the two say the same."""
    if not_compared is not None:
        return [not_compared_warning(not_compared)]
    if changes is None:  # no previous run
        return []
    from labelwright.runs.diff.lines import accuracy_drop_warning

    drop = accuracy_drop_warning(changes)
    return [drop] if drop else []


def not_compared_warning(why: str) -> str:
    """What a run says when the previous run could not be compared with it (``why``, which
    names that run): there is no "since run" line, and accuracy was not checked for a fall
    since (the report says so too)."""
    return (f"not compared with the previous run, so nothing says what changed since it (no "
            f"'since run' line, no check for a fall in accuracy on gold): {why}")
