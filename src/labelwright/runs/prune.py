"""Removing old runs: ``labelwright runs prune --keep N`` as data.

:func:`~labelwright.runs.prune_plan.plan_prune` (:mod:`~labelwright.runs.prune_plan`)
decides which run folders go and why each other stays (the newest ``keep``, ``runs/LATEST``,
the runs reviews, training sets and review files awaiting import are traced to, the run
that fit a label model a kept run reused; never a folder that is no finished run of this
project).

:func:`prune_runs` removes the others, each after a line for it is on disk in
``runs/PRUNED.jsonl`` (:mod:`~labelwright.runs.pruned`), so ``runs verify``, ``explain`` and
a command naming the run say it was pruned, when and by what, rather than that its folder is
gone. With ``caches`` it also removes the cache entries nothing used lately
(:mod:`~labelwright.caches`). It refuses while a run is being written. The plan's names
still import from here (an earlier import path).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from labelwright.errors import ProjectBusy

# which runs go and why each other stays, in their own module; the earlier path still
# imports them
from labelwright.runs.prune_plan import PrunedFolder as PrunedFolder
from labelwright.runs.prune_plan import PruneResult as PruneResult
from labelwright.runs.prune_plan import folder_bytes as folder_bytes
from labelwright.runs.prune_plan import plan_prune as plan_prune
from labelwright.runs.pruned import PrunedRun, append_pruned
from labelwright.runs.run_writer import latest_lock
from labelwright.runs.staging import being_written, ended_staging, staging_folders
from labelwright.runs.store import MANIFEST

#: the days a cache entry nothing used since the newest run started is kept by default
CACHE_DAYS = 7
#: the options that keep runs beyond the newest ones, each on by default, in the order the
#: record of a prune names those turned off
KEEP_OPTIONS = ("keep_review_sources", "keep_export_sources", "keep_review_exports")


def prune_command(keep: int, *, keep_review_sources: bool = True,
                  keep_export_sources: bool = True, keep_review_exports: bool = True,
                  cli: bool = False, partial: bool = False,
                  keep_manifests: bool = False) -> str:
    """How ``runs/PRUNED.jsonl`` names what pruned the runs: the call, or with ``cli`` the
    command, with ``keep`` and the :data:`KEEP_OPTIONS` turned off:
    ``prune_runs(keep=1, keep_review_sources=False)``, ``labelwright runs prune --keep 1
    --no-keep-review-sources``."""
    on = (keep_review_sources, keep_export_sources, keep_review_exports)
    off = [option for option, kept in zip(KEEP_OPTIONS, on, strict=True) if not kept]
    if cli:
        return f"labelwright runs prune --keep {keep}" + "".join(
            f" --no-{option.replace('_', '-')}" for option in off) + (
            " --partial" if partial else "") + (" --keep-manifests" if keep_manifests else "")
    return f"prune_runs(keep={keep}" + "".join(f", {option}=False" for option in off) + (
        ", partial=True" if partial else "") + (
        ", keep_manifests=True" if keep_manifests else "") + ")"


def prune_runs(project: str | Path = ".", keep: int = 10, *,
               keep_review_sources: bool = True, keep_export_sources: bool = True,
               keep_review_exports: bool = True, dry_run: bool = False, caches: bool = True,
               cache_days: float = CACHE_DAYS, partial: bool = False,
               command: str | None = None, keep_manifests: bool = False) -> PruneResult:
    """Remove the project's run folders but the newest ``keep``, the run ``runs/LATEST``
    names, (``keep_review_sources``) the runs reviews are traced to and
    (``keep_export_sources``) the runs training sets and WRENCH files still in place were
    exported from (:mod:`~labelwright.runs.exported`) and (``keep_review_exports``) the
    runs review files awaiting import were exported from
    (:mod:`~labelwright.runs.review_exports`), as ``labelwright runs prune --keep N`` does;
    with ``caches``, also the vote and Doc cache entries that nothing read or wrote since
    the newest run started nor in the last ``cache_days`` days.
    ``dry_run``: remove nothing, say what would go. ``command``: what the record in
    ``runs/PRUNED.jsonl`` says pruned the runs (default: this call). A
    :class:`~labelwright.errors.ProjectBusy` (a RunError) while a run is being written
    (``runs/.<id>.partial/``): its manifest may name a run this would remove.
    ``partial``: first remove the staging folders no live process of this machine writes
    (:func:`~labelwright.runs.staging.ended_staging`: those of killed runs, and those
    written from other machines, however recent); the others are in ``partial_left``.
    ``keep_manifests``: keep each removed run's ``manifest.json`` and ``sources/`` in
    ``runs/pruned/<run_id>/`` (:mod:`~labelwright.runs.pruned`), so ``runs verify`` still
    checks it as a link of the chain."""
    from labelwright.config import load_config

    config = load_config(project)
    ended = [(staging, folder_bytes(staging.path))
             for staging in ended_staging(config.runs_path)] \
        if partial else []
    gone = {staging.path for staging, _ in ended}
    writing = being_written(config.runs_path, "prune when it has finished (its manifest "
                            "may name a run this would remove)", skip=gone)
    if writing and not dry_run:
        raise ProjectBusy(writing)
    if not dry_run:
        for path in gone:
            shutil.rmtree(path, ignore_errors=True)
    result = plan_prune(project, keep, keep_review_sources=keep_review_sources,
                        keep_export_sources=keep_export_sources,
                        keep_review_exports=keep_review_exports)
    result.dry_run = dry_run
    result.partial_removed = ended
    result.partial_left = [staging for staging in staging_folders(config.runs_path)
                           if staging.path not in gone]
    if caches:
        from labelwright.caches import prune_caches

        result.caches = prune_caches(config, days=cache_days, dry_run=dry_run)
    if dry_run:
        return result
    runs_dir = result.runs_dir
    for left in runs_dir.glob(".*.pruning"):  # what a prune stopped half way left
        shutil.rmtree(left, ignore_errors=True)
    if not result.removed:
        return result
    command = command or prune_command(keep, keep_review_sources=keep_review_sources,
                                       keep_export_sources=keep_export_sources,
                                       keep_review_exports=keep_review_exports,
                                       keep_manifests=keep_manifests)
    with latest_lock(runs_dir):  # no run publishes meanwhile
        for folder in result.removed:
            _remove(runs_dir, folder, command, archive=keep_manifests,
                    report_lines=result.report_lines.get(folder.run_id, []))
    return result


def _remove(runs_dir: Path, folder: PrunedFolder, command: str, *,
            archive: bool = False, report_lines: list[int] | None = None) -> None:
    """Record the run as pruned, with the lines of ``runs/REPORTS.jsonl`` naming it
    (``report_lines``, kept there as written), then remove its folder (first renamed to a
    hidden name, so that a removal stopped half way leaves no run folder without its
    manifest); with ``archive``, first keep its manifest and sources (:func:`_archive`)."""
    run_dir = runs_dir / folder.run_id
    sha = hashlib.sha256((run_dir / MANIFEST).read_bytes()).hexdigest()
    kept = _archive(runs_dir, folder.run_id) if archive else ""
    append_pruned(runs_dir, PrunedRun(folder.run_id, sha,
                                      datetime.now(UTC).isoformat(timespec="seconds"),
                                      command, folder.bytes, kept,
                                      tuple(report_lines or ())))
    hidden = runs_dir / f".{folder.run_id}.pruning"
    os.rename(run_dir, hidden)
    shutil.rmtree(hidden)


def _archive(runs_dir: Path, run_id: str) -> str:
    """Copy the run's ``manifest.json`` and ``sources/`` to ``runs/pruned/<run_id>/``
    (staged under a hidden name, then renamed: a copy stopped half way is no archive);
    the archive's path relative to ``runs_dir``. The outputs are not kept: they are what
    pruning frees."""
    from labelwright.runs.pruned import ARCHIVE_FOLDER
    from labelwright.runs.sources import SOURCES

    run_dir, folder = runs_dir / run_id, runs_dir / ARCHIVE_FOLDER
    staged, final = folder / f".{run_id}.archiving", folder / run_id
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    shutil.copy2(run_dir / MANIFEST, staged / MANIFEST)
    if (run_dir / SOURCES).is_dir():
        shutil.copytree(run_dir / SOURCES, staged / SOURCES, symlinks=True)
    shutil.rmtree(final, ignore_errors=True)  # a run pruned before, restored, pruned again
    os.rename(staged, final)
    return f"{ARCHIVE_FOLDER}/{run_id}"
