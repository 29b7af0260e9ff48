"""An LF's failure told in one line: the exception's type and the first line of its
message, from the traceback an apply keeps (spaCy's errors run over several lines, the
last of which is a link)."""

from __future__ import annotations

import os
import re

#: the longest message :func:`error_line` shows whole
MAX_MESSAGE = 200
#: an exception's first line without its message: ``RuntimeError: `` (raised with "\n...")
_BARE_TYPE = re.compile(r"^[\w.]+:\s*$")


def error_line(traceback: str, limit: int = MAX_MESSAGE) -> str:
    """``Type: first line of the message`` of the exception a traceback ends with (of the
    last one, when exceptions are chained), cut after ``limit`` characters; "?" without
    a traceback."""
    lines = traceback.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (")]
    last = lines[starts[-1] + 1:] if starts else lines
    # frames and their code are indented; the exception's first line is not
    at = next((i for i, line in enumerate(last) if line.strip() and not line[:1].isspace()),
              None)
    line = last[at] if at is not None else lines[-1] if lines else "?"
    if at is not None and _BARE_TYPE.match(line):  # a message that starts with a new line
        line = line.rstrip() + " " + next((text.strip() for text in last[at + 1:]
                                           if text.strip()), "")
    line = line.rstrip().removesuffix(":")  # a message whose next line was to go on
    return line if len(line) <= limit else line[:limit].rstrip() + " ..."


#: the fewest items an LF must have raised on before it is called broken for raising on
#: most of them: one item that raised (one row a night added) says nothing of the rest
MOSTLY_FAILING_MIN = 2


def fails_mostly(count: int, items: int) -> bool:
    """Whether an LF that raised on ``count`` of ``items`` raised on half of them or more,
    and on :data:`MOSTLY_FAILING_MIN` or more, but not on every one (which is a failure of
    its own kind)."""
    return 0 < items <= 2 * count and MOSTLY_FAILING_MIN <= count < items


def mostly_failing(count: int, items: int, of: str = "items") -> str:
    """What an LF that raised on ``count`` of ``items`` (half or more) is."""
    return (f"it fails on {100 * count // items}% of {of}: it is broken, not a rule that "
            "abstains")


#: the missing file of a FileNotFoundError's first line
_MISSING = re.compile(r"^FileNotFoundError: \[Errno \d+\] [^:]*: '(.+)'$")


def relative_path_hint(missing: str | None, module: str | os.PathLike[str] | None = None) -> str:
    """For a file an LF or its module did not find by a relative path: that such a path is
    read from the current folder, wherever the module is, and the path by the module's
    folder that names it when it is there (the file ``module`` is, when known); "" for any
    other."""
    if not missing or os.path.isabs(missing):
        return ""
    folder = os.path.dirname(os.fspath(module)) if module is not None else None
    beside = next((name for name in (missing, os.path.basename(missing)) if folder
                   and os.path.isfile(os.path.join(folder, name))), None)
    use = (f"it is beside the module: use Path(__file__).parent / {beside!r}" if beside else
           "if the file is beside the module, use Path(__file__).parent / "
           f"{os.path.basename(missing)!r}")
    return (f" (a relative path in LF code is read from the current folder, {os.getcwd()}, "
            f"not from the module's: {use})")


def missing_file(line: str) -> str | None:
    """The file a FileNotFoundError's :func:`error_line` names, or None."""
    found = _MISSING.match(line)
    return found.group(1) if found else None
