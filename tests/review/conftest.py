"""A small project with one finished run, shared by the review tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from csv_rows import rewrite_rows
from labelwright.project import run_project
from labelwright.review.queue.export import read_review
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


#: the project seed whose audit draw (by item id) picked t6 when the audit drew gold items
#: too; kept, as the review tests' runs were made with it
AUDIT_T6_SEED = 2


def _audits_t6(root: Path) -> Path:
    """``root``'s project (from ``make_project``) whose one-item audit is t6, the one
    accepted item whose label is wrong (the LFs say technical; it is a billing ticket): the
    review tests review it. The audit leaves items with a gold label out, so t6 has none
    here (t1-t4, accepted too, keep theirs): the audit draws it whatever the seed."""
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "seed = 0\n", f"seed = {AUDIT_T6_SEED}\n"), encoding="utf-8")
    rewrite_rows(root / "data" / "items.csv",
                 lambda row: {**row, "gold": ""} if row["id"] == "t6" else row)
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

