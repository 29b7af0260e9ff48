"""What changed since the previous run in the same ``runs/`` folder.

The comparison is ``runs diff``'s (:func:`labelwright.runs.diff.diff_runs`): every input the
manifests record, and the labels joined on item id. This module finds the previous run,
which for a run still being written is the newest finished one before it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.report.data import EXAMPLES
from labelwright.runs.diff import RunDiff, diff_runs
from labelwright.runs.store import (
    MANIFEST,
    RUN_ID,
    no_manifest,
    other_project,
    read_manifest,
    runs_being_written,
)


def previous_run(run_dir: Path, run_id: str) -> Path | None:
    """The newest finished run next to ``run_dir`` whose id sorts before ``run_id``. A run
    folder between them that lost its manifest is not stepped over: a :class:`RunError`
    says so (the changes would otherwise be counted from an older run without a word)."""
    parent = run_dir.parent
    if not parent.is_dir():
        return None
    earlier = sorted(p.name for p in parent.iterdir()
                     if p.is_dir() and not p.name.startswith(".") and p.name < run_id
                     and ((p / MANIFEST).is_file() or RUN_ID.fullmatch(p.name)))
    writing = [r for r in runs_being_written(parent) if r < run_id]
    if writing and (not earlier or writing[-1] > earlier[-1]):
        # two runs at once: the earlier one is not in place yet, and it is the previous run
        raise RunError(f"run {writing[-1]}, the run before this one, was still being written "
                       "when this report was made; `labelwright report` compares with it "
                       "once it is done")
    if not earlier:
        return None
    if not (parent / earlier[-1] / MANIFEST).is_file():
        raise no_manifest(parent, earlier[-1])
    return parent / earlier[-1]


def compare_runs(run_dir: Path, manifest: dict[str, Any], *,
                 examples: int = EXAMPLES) -> RunDiff | None:
    """Changes from the previous run to this one, or None when there is no previous run;
    a :class:`RunError` when that run was made by another project (copied in: the changes
    from it are no one's)."""
    run_id = str(manifest.get("run_id") or run_dir.name)
    previous = previous_run(run_dir, run_id)
    if previous is None:
        return None
    problem = other_project(previous, read_manifest(previous), manifest.get("project"))
    if problem is not None:
        raise RunError(f"{previous}, the run before this one: {problem}")
    return diff_runs(previous, run_dir, max_examples=examples, manifest_b=manifest)
