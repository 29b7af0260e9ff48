"""Fixtures: synthetic run folders (see report_runs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_runs import make_pair


@pytest.fixture
def run_pair(tmp_path: Path) -> tuple[Path, Path]:
    return make_pair(tmp_path)


@pytest.fixture(scope="session")
def shared_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A run pair shared by tests that only read it (rendering takes a second or two)."""
    return make_pair(tmp_path_factory.mktemp("shared"))
