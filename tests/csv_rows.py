"""Rewrite a test project's CSV data row by row (gold labels changed, a row's gold
blanked), keeping its columns."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path


def rewrite_rows(path: Path, change: Callable[[dict[str, str]], dict[str, str]]) -> None:
    """Write each row of the CSV file at ``path`` as ``change(row)``."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames or [], list(reader)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(change(row) for row in rows)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Write ``rows`` (dicts with the same keys) as a CSV file with a header."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
