"""``runs verify`` of a pruned run whose archive was kept (``runs prune --keep-manifests``):
its ``manifest.json`` against the sha256 ``runs/PRUNED.jsonl`` recorded when it was pruned
and the one the run after it recorded (``previous_run``), and its kept sources against the
manifest. Its outputs went with its folder, and are not checked."""

from __future__ import annotations

from pathlib import Path

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256
from labelwright.runs.manifest import MANIFEST, read_manifest
from labelwright.runs.manifest_chain import PREVIOUS_RUN
from labelwright.runs.pruned import PrunedRun

# where a command finds a pruned run's archive, beside the record; these paths still import
from labelwright.runs.pruned import archived_runs as archived_runs
from labelwright.runs.pruned import named_archive as named_archive
from labelwright.runs.run_folders import list_runs
from labelwright.runs.sources import kept_copies, source_problems
from labelwright.runs.verify.run_check import Finding, RunCheck, finding_of


def archive_check(runs_dir: Path, record: PrunedRun) -> RunCheck:
    """Check the archive of the pruned run ``record`` (see the module docstring)."""
    folder = runs_dir / record.archive
    check = RunCheck(folder, archive=record.archive)
    check.notes.append(f"{record.describe()}; its archive keeps manifest.json and sources/ "
                       "only: its labels, votes and other outputs went with its folder")
    if record.report_lines:
        check.notes.append(f"runs/REPORTS.jsonl line{'s' * (len(record.report_lines) > 1)} "
                           f"{', '.join(map(str, record.report_lines))}: its report built "
                           "again, kept as written (its report went with its folder)")
    if not (folder / MANIFEST).is_file():
        check.readable = False
        check.problems.append(Finding(str(folder), f"no {MANIFEST}: the archive of the run "
                                      "runs/PRUNED.jsonl records was deleted or moved"))
        return check
    sha = file_sha256(folder / MANIFEST)
    if sha != record.manifest_sha256:
        check.problems.append(Finding(MANIFEST, (
            f"sha256 {sha}, not the {record.manifest_sha256} runs/PRUNED.jsonl recorded when "
            "the run was pruned: the archived manifest was edited or replaced since")))
    try:
        manifest = read_manifest(folder)
    except RunError as exc:
        check.problems.append(finding_of(str(exc), [str(folder / MANIFEST)]))
        return check
    later = _later_record(runs_dir, record.run_id)
    if later is not None:
        run_id, recorded = later
        if recorded == sha:
            check.linked_by = run_id
        else:
            check.problems.append(Finding(MANIFEST, (
                f"sha256 {sha}, not the {recorded} run {run_id}, made after it, recorded of "
                "it: the archived manifest was edited or replaced since")))
    copies = kept_copies(manifest)
    check.sources_hashed = len(copies)
    check.problems += [finding_of(problem, list(copies))
                       for problem in source_problems(folder, manifest)]
    return check


def _later_record(runs_dir: Path, run_id: str) -> tuple[str, str] | None:
    """The first run after ``run_id`` (its folder there, or archived) whose manifest
    records a ``previous_run`` naming it, and the sha256 it recorded; None when none does."""
    folders = {r: runs_dir / r for r in list_runs(runs_dir) if r > run_id}
    folders.update({r.run_id: runs_dir / r.archive for r in archived_runs(runs_dir)
                    if r.run_id > run_id})
    for name in sorted(folders):
        try:
            link = read_manifest(folders[name]).get(PREVIOUS_RUN)
        except RunError:
            continue
        if isinstance(link, dict):
            if link.get("run_id") != run_id:
                return None
            return name, str(link.get("manifest_sha256"))
    return None
