"""An LF's failure told in one line: the exception's type and the first line of its
message, from the traceback an apply keeps (spaCy's errors run over several lines, the
last of which is a link)."""

from __future__ import annotations

#: the longest message :func:`error_line` shows whole
MAX_MESSAGE = 200


def error_line(traceback: str, limit: int = MAX_MESSAGE) -> str:
    """``Type: first line of the message`` of the exception a traceback ends with (of the
    last one, when exceptions are chained), cut after ``limit`` characters; "?" without
    a traceback."""
    lines = traceback.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (")]
    last = lines[starts[-1] + 1:] if starts else lines
    # frames and their code are indented; the exception's first line is not
    line = next((line for line in last if line.strip() and not line[:1].isspace()),
                lines[-1] if lines else "?")
    line = line.rstrip().removesuffix(":")  # a message whose next line was to go on
    return line if len(line) <= limit else line[:limit].rstrip() + " ..."


def mostly_failing(count: int, items: int, of: str = "items") -> str:
    """What an LF that raised on ``count`` of ``items`` (half or more) is."""
    return (f"it fails on {100 * count // items}% of {of}: it is broken, not a rule that "
            "abstains")
