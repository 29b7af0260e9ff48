"""A test project's data split into part files (a folder the config names), for tests of
runs over a dataset in many files."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path


def split_into_parts(root: Path, parts: Mapping[str, Sequence[Mapping[str, object]]]) -> Path:
    """Write each of ``parts`` (file name -> rows) under ``root/data/parts`` and point the
    project's config at that folder in place of ``data/items.csv``."""
    folder = root / "data" / "parts"
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in parts.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'path = "data/items.csv"', 'path = "data/parts"'), encoding="utf-8")
    (root / "data" / "items.csv").unlink()
    return folder
