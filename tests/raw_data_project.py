"""A test project whose data file is written as given, rows that cannot be read and copies
of a row too, with ``[data]`` settings of its own: for tests of the rows a run leaves out
as it reads its data (``bad_rows``, ``duplicate_rows``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def project_with_data(make_project: Callable[..., Path], data: str, settings: str) -> Path:
    """A project (``make_project``) whose ``data/items.csv`` is ``data`` as written and
    whose ``[data]`` table begins with ``settings`` (lines of TOML)."""
    root = make_project()
    (root / "data" / "items.csv").write_text(data, encoding="utf-8")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[data]\n", f"[data]\n{settings}\n"))
    return root
