"""What changed since the previous run in the same ``runs/`` folder.

The comparison is ``runs diff``'s (:func:`labelwright.runs.diff.compare.diff_runs`): every input the
manifests record, and the labels joined on item id, from the previous run
(:func:`~labelwright.runs.run_folders.run_before`: for a run still being written, the
newest finished one before it that did not fail).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.report.data import EXAMPLES
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.result import RunDiff
from labelwright.runs.run_folders import earlier_failed_text, failed_between, run_before
from labelwright.runs.store import other_project, read_manifest


def compare_runs(run_dir: Path, manifest: dict[str, Any], *,
                 examples: int = EXAMPLES) -> RunDiff | None:
    """Changes from the previous run to this one, or None when there is no previous run;
    a :class:`RunError` when that run was made by another project (copied in: the changes
    from it are no one's), or when every run before this one failed (it is no first run,
    and the user saw those fail: :func:`earlier_failed_text` says so)."""
    run_id = str(manifest.get("run_id") or run_dir.name)
    previous = run_before(run_dir, run_id)
    if previous is None:
        failed = earlier_failed_text(run_dir.parent, run_id)
        if failed is not None:
            raise RunError(failed)
        return None
    try:
        problem = other_project(previous, read_manifest(previous), manifest.get("project"))
        if problem is None:
            d = diff_runs(previous, run_dir, max_examples=examples, manifest_b=manifest)
            d.failed_between = failed_between(run_dir.parent, previous.name, run_id)
            return d
    except RunError as exc:  # its manifest or labels cannot be read: named by run
        raise RunError(f"run {previous.name}, the run before this one: {exc}") from None
    raise RunError(f"{previous}, the run before this one: {problem}")
