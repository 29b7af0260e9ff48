"""The runs folder's record files (``PRUNED.jsonl``, ``EXPORTED.jsonl``,
``REVIEW_EXPORTS.jsonl``): one JSON object a line, appended and synced to disk, read whole
with an error for a line that is no record."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from labelwright.errors import RunError
from labelwright.json_lines import jsonl_lines

Record = TypeVar("Record")


def append_line(path: Path, line: str) -> None:
    """Add ``line`` to ``path``, on disk (fsync) when this returns."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_records(path: Path, parse: Callable[[dict[str, Any]], Record | None], *,
                 what: str, expected: str, lines: list[int] | None = None) -> list[Record]:
    """The records of ``path`` in file order ([] without the file): ``parse`` makes one of
    a line's JSON object, or None when the object is no such record. ``what`` names the
    file's contents ("the record of pruned runs"), ``expected`` what a line should be.
    A line that is not a record is a :class:`RunError` naming the file and line: a
    record that cannot be read must not count as absent. ``lines`` gains the line number
    of each record returned, in the same order."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise RunError(f"{path}: cannot read {what}: {exc}") from None
    found = []
    # an erasure's reason or an item id is written as it is, U+2028 and all
    for number, line in enumerate(jsonl_lines(text), start=1):
        if not line.strip():
            continue
        try:
            data: Any = json.loads(line)
        except ValueError:
            data = None
        record = parse(data) if isinstance(data, dict) else None
        if record is None:
            raise RunError(f"{path}:{number}: not {expected}; fix or remove the line")
        found.append(record)
        if lines is not None:
            lines.append(number)
    return found
