"""A small project with one finished run, shared by the review tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from labelwright.project import run_project
from labelwright.review.export import read_review
from labelwright.runs.store import list_runs


@dataclass
class Reviewed:
    root: Path
    run_dir: Path

    @property
    def run_id(self) -> str:
        return self.run_dir.name

    def queue(self) -> list[dict[str, Any]]:
        return read_review(self.run_dir)


@pytest.fixture(scope="session")
def _reviewed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review-template") / "project"


@pytest.fixture
def reviewed_project(make_project: Callable[..., Path], _reviewed_template: Path,
                     tmp_path: Path) -> Reviewed:
    """The conftest ticket project after one run, copied fresh for each test (runs once)."""
    if not (_reviewed_template / "runs").is_dir():
        run_project(make_project(root=_reviewed_template))
    root = tmp_path / "project"
    shutil.copytree(_reviewed_template, root)
    (run_id,) = list_runs(root / "runs")
    return Reviewed(root=root, run_dir=root / "runs" / run_id)

