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


#: two small parts of three billing/technical items, for tests of items moving between them
P1 = "id,text,gold\na1,refund please,billing\na2,app crashes,technical\n"
P2 = "id,text,gold\na3,charged twice,billing\n"


def two_parts_project(root: Path, extra: str = "") -> tuple[Path, Path]:
    """The project at ``root`` reading ``data/parts`` (:data:`P1` as p1.csv, :data:`P2` as
    p2.csv; ``data/items.csv`` left in place), ``extra`` written after the config's data
    path (more ``[data]`` settings): the project root and the parts folder."""
    folder = root / "data" / "parts"
    folder.mkdir()
    (folder / "p1.csv").write_text(P1, encoding="utf-8")
    (folder / "p2.csv").write_text(P2, encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"',
                                                 f'path = "data/parts"{extra}'))
    return root, folder
