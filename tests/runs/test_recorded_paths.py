"""Where a file the runs folder's records name is now, in a project that may have moved."""

from __future__ import annotations

import json
from pathlib import Path

from labelwright.runs.recorded_paths import RecordedPaths, recorded_path

RUN = "20261206-010203-000001"


def _project(tmp_path: Path, old_root: Path) -> Path:
    """A project folder whose one run's manifest records ``old_root`` as its folder."""
    root = tmp_path / "now"
    (root / "runs" / RUN).mkdir(parents=True)
    (root / "runs" / RUN / "manifest.json").write_text(
        json.dumps({"run_id": RUN, "project": {"root": str(old_root)}}), encoding="utf-8")
    return root


def test_a_file_inside_the_project_is_recorded_relative_to_it(tmp_path):
    root = tmp_path / "p"
    assert recorded_path(root / "review" / "q.csv", root) == "review/q.csv"
    assert recorded_path(tmp_path / "shared.csv", root) == str((tmp_path / "shared.csv")
                                                               .resolve())


def test_each_kind_of_record_is_located(tmp_path):
    old = tmp_path / "then"
    root = _project(tmp_path, old)
    paths = RecordedPaths(root, root / "runs")
    here = root.resolve()
    relative = paths.locate("review/q.csv")
    assert relative.path == here / "review" / "q.csv" and not relative.outside
    moved = paths.locate(str(old / "review" / "q.csv"))
    assert moved.path == here / "review" / "q.csv" and moved.moved_from == old / "review" / "q.csv"
    # a run folder's file, wherever the runs folder was
    in_run = paths.locate(f"/elsewhere/runs/{RUN}/review-csv.csv", RUN)
    assert in_run.path == root / "runs" / RUN / "review-csv.csv"
    shared = paths.locate(str(tmp_path / "shared" / "erin.csv"))
    assert shared.path == tmp_path / "shared" / "erin.csv" and shared.outside
    escaping = paths.locate("../then/review/q.csv")  # a hand-edited relative path
    assert escaping.outside
