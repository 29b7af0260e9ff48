"""Two runs of a project whose later run's report, built again, differs from the page the
run built: for tests of a report written again on record (``runs/REPORTS.jsonl``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.file_hashes import file_sha256
from labelwright.project import run_project


def runs_whose_report_rebuilds_otherwise(make_project: Any) -> tuple[Path, Any, str]:
    """``(root, run, built)``: a project's two runs, the first without a report and its
    ``labels.parquet`` reordered since, so that the second's report (sha256 ``built`` as
    the run wrote it), compared with the first, comes out another page when built again."""
    import pandas as pd

    root = make_project()
    before = run_project(root, report=False)
    run = run_project(root)
    built = file_sha256(run.run_dir / "report.html")
    labels = before.run_dir / "labels.parquet"
    pd.read_parquet(labels).iloc[::-1].to_parquet(labels)
    return root, run, built
