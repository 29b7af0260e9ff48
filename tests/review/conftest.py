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


#: the project seed whose audit draw (by item id) picks t6, the one accepted item whose label
#: is wrong (its gold is billing, the LFs say technical): the review tests review it
AUDIT_T6_SEED = 2


def _audits_t6(root: Path) -> Path:
    """``root``'s project (from ``make_project``) with the seed whose one-item audit is t6,
    in the tickets and in the tickets with a negated glossary term."""
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "seed = 0\n", f"seed = {AUDIT_T6_SEED}\n"), encoding="utf-8")
    return root


@pytest.fixture
def audits_t6() -> Callable[[Path], Path]:
    """:func:`_audits_t6`, for tests that make their own project."""
    return _audits_t6


@pytest.fixture(scope="session")
def _reviewed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review-template") / "project"


@pytest.fixture
def reviewed_project(make_project: Callable[..., Path], _reviewed_template: Path,
                     tmp_path: Path) -> Reviewed:
    """The conftest ticket project after one run, copied fresh for each test (runs once)."""
    if not (_reviewed_template / "runs").is_dir():
        run_project(_audits_t6(make_project(root=_reviewed_template)))
    root = tmp_path / "project"
    shutil.copytree(_reviewed_template, root)
    (run_id,) = list_runs(root / "runs")
    return Reviewed(root=root, run_dir=root / "runs" / run_id)

