"""The sha256 of a run's ``report.html``, on record from the run's end, so ``runs verify``
can tell the page the run built (or a command rewrote since) from one edited by hand.

The report is built from the manifest, so the run hashes it once it is built and adds
``report`` (``{"sha256": ...}``; null when the run built none) to the manifest before the
run folder is put in place: the manifest's sha256, which the next run, each export and a
hash kept elsewhere vouch for, covers the report's hash too. Nothing rewrites a manifest
afterwards, so the commands that write the report again record the change in the runs
folder, each line with the report's sha256 before and after: ``labelwright report``
(:func:`record_rebuilt_report`) in ``runs/REPORTS.jsonl``, ``labelwright erase`` in
``runs/ERASURES.jsonl`` (its files' ``sha256_before`` and ``sha256_after``). A report is
the run's when it is a page ``labelwright report`` built (which checks the run's files
first, so whatever page it replaced, deleted or edited by hand), or when those lines lead
to its sha256 now from the manifest's hash or such a page (:func:`report_check`). Runs
from before the record have no ``report`` key: their report is listed as not hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.errors import LabelwrightWarning
from labelwright.file_hashes import file_sha256
from labelwright.runs.file_names import REPORT
from labelwright.runs.record_files import append_line, read_records
from labelwright.runs.run_folders import LATEST_FILE, is_runs_folder

#: the record of reports written again into their run's folder, in the runs folder
REPORTS_FILE = "REPORTS.jsonl"
#: what a line's ``command`` says
REBUILD_COMMAND = "labelwright report"


@dataclass(frozen=True)
class ReportStep:
    """One rewrite of a run's report on record: its sha256 ``before`` (None: the run
    folder held no report) and ``after``, and where the record says so."""

    before: str | None
    after: str | None
    where: str
    #: a page ``labelwright report`` built from the run's files, checked first: the run's
    #: whatever it replaced (a page deleted, or edited by hand, as verify advises)
    rebuilt: bool = False


def report_sha256(run_dir: Path) -> str | None:
    """The sha256 of the run's ``report.html`` now (None: there is none)."""
    path = run_dir / REPORT
    return file_sha256(path) if path.is_file() else None


def report_entry(run_dir: Path) -> dict[str, str] | None:
    """The manifest's ``report`` of the run folder (staged or in place) as its report is
    now: None when it holds no report."""
    sha = report_sha256(run_dir)
    return None if sha is None else {"sha256": sha}


class ReportNotRecorded(LabelwrightWarning):
    """A run's report was written again in a folder that is no runs folder (a run folder
    copied elsewhere): no ``REPORTS.jsonl`` was written beside it, and the message says so."""


def _projects_runs_folder(run_dir: Path) -> bool:
    """Whether the run folder's parent is the runs folder of a project's config (one that
    lost its marker files is still a runs folder)."""
    from labelwright.review.targets import run_project_config

    return run_project_config(run_dir) is not None


def record_rebuilt_report(run_dir: Path, page: str) -> Path | None:
    """Add the line of ``labelwright report`` writing ``page`` as the run's report again
    to ``runs/REPORTS.jsonl`` (on disk when this returns; called before the page is
    written, as erase records before it writes): the report's sha256 before (None: there
    was none) and after. Returns the record it was added to; None when nothing was added:
    the page is the report's bytes already, or the run folder is not in a runs folder
    (:func:`~labelwright.runs.run_folders.is_runs_folder`, nor the runs folder of the
    project whose config is above it or recorded in its manifest: a run folder copied
    elsewhere, whose parent may be any folder), when a :class:`ReportNotRecorded` warning
    says no record was kept. A relative ``run_dir`` (``"."`` from inside the run folder) is
    taken from the working folder, and a symbolic link to the run folder (``current``) is
    followed: the line goes beside the run folder itself, under its name, not beside the
    link under the link's."""
    run_dir = Path(os.path.realpath(run_dir))
    before = report_sha256(run_dir)
    after = hashlib.sha256(page.encode("utf-8")).hexdigest()
    if before == after:
        return None  # the same bytes: nothing to vouch for
    record = run_dir.parent / REPORTS_FILE
    if not is_runs_folder(run_dir.parent) and not _projects_runs_folder(run_dir):
        warnings.warn(ReportNotRecorded(
            f"{run_dir}: no record of its report written again was kept: {run_dir.parent} is "
            f"no runs folder (it holds no {LATEST_FILE}), so no {REPORTS_FILE} was "
            f"written there; `runs verify` and check_run.py take the new page (sha256 "
            f"{after[:12]}) as the run's only where the runs folder's own {REPORTS_FILE} "
            f"records it: rebuild it in the project's runs folder (`labelwright report "
            f"{run_dir.name}`) to keep the record"), stacklevel=2)
        return None
    line = {"run_id": run_dir.name, "name": REPORT,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": REBUILD_COMMAND, "sha256_before": before, "sha256_after": after}
    append_line(record, json.dumps(line, sort_keys=True))
    return record


def _rebuild(data: dict[str, Any]) -> tuple[str, str | None, str | None, str] | None:
    run_id, before, after, at = (data.get(k) for k in ("run_id", "sha256_before",
                                                       "sha256_after", "built_at"))
    if not isinstance(run_id, str) or not isinstance(at, str) \
            or not all(v is None or isinstance(v, str) for v in (before, after)):
        return None
    return run_id, before, after, at


def _rebuilds(runs_dir: Path) -> list[tuple[int, tuple[str, str | None, str | None, str]]]:
    """The lines of ``runs/REPORTS.jsonl`` with their line numbers (a line that is no such
    record is a :class:`~labelwright.errors.RunError` naming the file and line)."""
    lines: list[int] = []
    records = read_records(runs_dir / REPORTS_FILE, _rebuild, what="the record of reports "
                           "built again", expected="a record of a report built again (a "
                           "JSON object with run_id, built_at, sha256_before and "
                           "sha256_after, as `labelwright report` writes it)", lines=lines)
    return list(zip(lines, records, strict=True))


def rebuilt_steps(runs_dir: Path, run_id: str) -> list[ReportStep]:
    """The rebuilds of the run's report ``runs/REPORTS.jsonl`` records (a line that is no
    such record is a :class:`~labelwright.errors.RunError` naming the file and line)."""
    return [ReportStep(before, after, f"`{REBUILD_COMMAND}` on {at[:10]} "
                                      f"({REPORTS_FILE} line {n})", rebuilt=True)
            for n, (rid, before, after, at) in _rebuilds(runs_dir) if rid == run_id]


def report_lines(runs_dir: Path, run_ids: set[str] | None) -> dict[str, list[int]]:
    """The lines of ``runs/REPORTS.jsonl`` naming each of ``run_ids`` (those it names no
    line of left out; None: every run it names): ``runs prune`` keeps them as written and
    records them with the run (:class:`~labelwright.runs.pruned.PrunedRun`'s
    ``report_lines``). A line that is no such record is a
    :class:`~labelwright.errors.RunError` naming the file and line."""
    found: dict[str, list[int]] = {}
    for n, (run_id, *_) in _rebuilds(runs_dir):
        if run_ids is None or run_id in run_ids:
            found.setdefault(run_id, []).append(n)
    return found


def erased_steps(erasures: Any, run_id: str) -> list[ReportStep]:
    """The rewrites of the run's report ``runs/ERASURES.jsonl`` records (``erasures``:
    its records, :func:`~labelwright.runs.erase.records.read_erasures`)."""
    return [ReportStep(f.sha256_before, f.sha256_after,
                       f"`labelwright erase` on {e.erased_at[:10]} (ERASURES.jsonl line "
                       f"{e.line})")
            for e in erasures for f in e.files if f.run_id == run_id and f.name == REPORT]


@dataclass(frozen=True)
class ReportCheck:
    """What :func:`report_check` found: ``problem`` ("" when none) or ``how`` the report
    now is the run's ("" when the run built none and none is there)."""

    problem: str = ""
    how: str = ""


def report_check(run_dir: Path, manifest: dict[str, Any], steps: list[ReportStep]
                 ) -> ReportCheck | None:
    """The run's ``report.html`` against the manifest's ``report`` and the rewrites on
    record (``steps``); None for a run from before the record (no ``report`` key)."""
    if "report" not in manifest:
        return None
    record = manifest["report"]
    start = record["sha256"] if isinstance(record, dict) else None
    now = report_sha256(run_dir)
    reached: dict[str | None, str] = {start: "as the run built it"}
    # a page `labelwright report` built is the run's whatever it replaced (it checks the
    # files it reads first); an erasure's rewrite is, where it leads from one of those
    for step in steps:
        if step.rebuilt and step.after not in reached:
            reached[step.after] = f"as {step.where} wrote it"
    frontier = list(reached)
    while frontier:  # every hash the erasures lead to from those
        at = frontier.pop()
        for step in steps:
            if step.before == at and step.after not in reached:
                reached[step.after] = f"as {step.where} wrote it"
                frontier.append(step.after)
    if now in reached:
        return ReportCheck(how="" if now is None else f"its {REPORT} is {reached[now]}")
    if now is None:
        return ReportCheck(problem=f"missing; the run built it (sha256 {start[:12]})"
                           if start is not None else "missing")
    if start is None:
        return ReportCheck(problem=(
            f"the run built none (its manifest records none), and no line of runs/"
            f"{REPORTS_FILE} (`labelwright report`) records the one there now (sha256 "
            f"{now[:12]}): put there by hand; trust no copy of it, and build it again from "
            f"the run's files with `labelwright report {run_dir.name}`"))
    return ReportCheck(problem=(
        f"changed since the run built it (sha256 {start[:12]} -> {now[:12]}), and no line "
        f"of runs/{REPORTS_FILE} (`labelwright report`) or runs/ERASURES.jsonl (`labelwright "
        "erase`) leads from the hash the manifest records to it: edited or replaced by "
        "hand; trust no copy of it, and build it again from the run's files with "
        f"`labelwright report {run_dir.name}`"))
