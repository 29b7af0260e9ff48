"""Which file and row of the data a run's item came from, told from what the run keeps.

A run writes no file or row per item; it does not need to. ``labels.parquet`` holds the
items in the order the run read them, and the manifest's ``data.parts`` lists a dataset in
many files in that order with the items read from each (``rows``): the item at position
``i`` is in the part whose running total of ``rows`` first passes ``i``, as the
``i - start``-th item read from it. Rows left out as bad (``[data] bad_rows = "skip"``)
are in ``skipped_rows.jsonl`` with their file and 1-based row; counting them back gives the
item's row in its file as the run's own messages number it (1-based, the header not
counted). A run of one file is the same with a single part; a run on a DataFrame has no
file, and a manifest whose parts do not add up to its rows (edited), or a
``skipped_rows.jsonl`` that does not hold as many rows as the manifest counts (deleted or
edited), places no item.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
from labelwright.json_lines import jsonl_lines


@dataclass(frozen=True)
class ItemOrigin:
    """The file an item came from (its path as the manifest names it), its 1-based row
    there, and for a dataset in many files which part it is (``part`` of ``parts``) and
    the sha256 the run recorded of that part."""

    file: str
    row: int
    part: int = 0
    parts: int = 0
    sha256: str = ""
    #: the file as shown: relative to the project folder the run recorded when it lay
    #: inside it ("" to show ``file``)
    shown: str = ""

    def __str__(self) -> str:
        shown = f"{self.shown or self.file} row {self.row:,}"
        return shown + (f" (data part {self.part} of {self.parts})" if self.parts else "")


def item_origin(run_dir: Path, manifest: dict[str, Any], position: int) -> ItemOrigin | None:
    """Where the item at ``position`` of the run's ``labels.parquet`` came from; None when
    the run read a DataFrame or its manifest cannot place the item (see the module)."""
    data = manifest.get("data") or {}
    parts = counted_parts(manifest, data.get("rows"))
    counts = [int(p["rows"]) for p in parts or []]
    if not parts or not 0 <= position < sum(counts):
        return None
    ends = list(itertools.accumulate(counts))
    k = next(j for j, end in enumerate(ends) if position < end)
    part, start = parts[k], ends[k] - counts[k]
    many = bool(data.get("parts"))
    skipped_rows = _skipped_rows(run_dir, str(part["path"]) if many else None)
    if len(skipped_rows) != _skipped_count(data, part if many else None):
        return None  # skipped_rows.jsonl gone or edited: counting back would misplace it
    row = position - start + 1
    for skipped in skipped_rows:
        if skipped <= row:
            row += 1
    return ItemOrigin(str(part["path"]), row, k + 1 if many else 0,
                      len(parts) if many else 0, str(part.get("sha256") or ""),
                      in_project(str(part["path"]), manifest))


def in_project(file: str, manifest: dict[str, Any]) -> str:
    """``file`` (an absolute path the manifest records) relative to the project folder
    the run recorded (``project.root``), when it lay inside it; else as it is. A project
    moved or copied since would otherwise show the data's old absolute path."""
    root = (manifest.get("project") or {}).get("root")
    if not isinstance(root, str) or not Path(file).is_absolute():
        return file
    try:
        return Path(file).relative_to(root).as_posix()
    except ValueError:
        return file


def counted_parts(manifest: dict[str, Any], n: Any) -> list[dict[str, Any]] | None:
    """The files a run read, in reading order, each with the items read from it
    (``rows``): the manifest's ``data.parts``, or its one file as a single part; None for
    a run on a DataFrame, or when the counts are not whole numbers adding up to ``n`` (the
    run's items: an edited manifest would place them in the wrong part)."""
    data = manifest.get("data") or {}
    parts = data.get("parts") or ([{"path": data["path"], "rows": data.get("rows"),
                                    "sha256": data.get("sha256") or ""}]
                                  if data.get("path") and not data.get("frame") else [])
    counts = [p.get("rows") for p in parts]
    if not parts or not all(isinstance(c, int) and c >= 0 for c in counts) \
            or sum(counts) != n:
        return None
    return list(parts)


def part_of_each(manifest: dict[str, Any], n: int) -> list[str] | None:
    """The part (its path as the manifest names it) each of a run's ``n`` items came from,
    in ``labels.parquet``'s order; None for a run of one file or a DataFrame, or when the
    manifest cannot place them (:func:`counted_parts`)."""
    parts = counted_parts(manifest, n) if (manifest.get("data") or {}).get("parts") else None
    if parts is None:
        return None
    return [str(p["path"]) for p in parts for _ in range(int(p["rows"]))]


def _skipped_count(data: dict[str, Any], part: dict[str, Any] | None) -> int:
    """How many rows the manifest says the run left out as bad: of ``part`` (a dataset in
    many files), else of the one file read."""
    if part is not None:
        return int(part.get("skipped") or 0)
    record = data.get("skipped_rows")
    return int(record.get("count") or 0) if isinstance(record, dict) else 0


def _skipped_rows(run_dir: Path, file: str | None) -> list[int]:
    """The 1-based rows of ``file`` (None: the one file read) the run left out as bad, in
    order; [] when it left none out or its record cannot be read."""
    try:
        text = (run_dir / SKIPPED_ROWS_FILE).read_text(encoding="utf-8")
    except OSError:
        return []
    rows = []
    for line in jsonl_lines(text):
        try:
            record = json.loads(line) if line.strip() else None
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("file") == file \
                and isinstance(record.get("row"), int):
            rows.append(int(record["row"]))
    return sorted(rows)
