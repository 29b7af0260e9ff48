"""The record of pruned runs: ``runs/PRUNED.jsonl``, one JSON object a line.

``labelwright runs prune`` (:mod:`~labelwright.runs.prune`) writes a line for a run before
it removes the run's folder: ``run_id``, ``manifest_sha256`` (of the run's
``manifest.json`` as it was), ``pruned_at`` (UTC, ISO 8601), ``command`` (what pruned it)
and ``bytes`` (what the folder took). The commands that trace runs (``runs verify``,
``explain``, naming a run) read it, so that a run pruned so is told apart from a folder
deleted by hand: the first is said to be pruned, and is no problem; the second still is.
A record counts only while the run's folder is gone (a folder restored is the run again).

``runs prune --keep-manifests`` keeps an archive of each run it removes: its
``manifest.json`` and ``sources/`` (the config, LF modules and glossaries it read) under
``runs/pruned/<run_id>/``, named in the record (``archive``), so the run stays a link of
the chain ``runs verify`` checks and its LFs' code and settings can still be read.

The runs folder's other records naming the run stay as written (each is a history, and a
sha256 kept of it must still match): ``runs/REPORTS.jsonl``'s lines of its report built
again (``labelwright report``) are named in its line (``report_lines``: their line
numbers), so a reader of that record finds why it names a run whose folder is gone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.runs.record_files import append_line, read_records
from labelwright.runs.run_folders import list_runs

#: the record's file name, in the runs folder
PRUNED_FILE = "PRUNED.jsonl"
#: the folder of the runs folder that holds the archives of pruned runs
ARCHIVE_FOLDER = "pruned"


@dataclass(frozen=True)
class PrunedRun:
    """One line of ``runs/PRUNED.jsonl``."""

    run_id: str
    manifest_sha256: str
    pruned_at: str  # ISO 8601, UTC
    command: str
    bytes: int = 0
    #: where its manifest and sources are kept, relative to the runs folder
    #: (``pruned/<run_id>``); "" when nothing was kept
    archive: str = ""
    #: the lines of ``runs/REPORTS.jsonl`` naming the run (its report built again), kept
    #: there as written: the record of what its report was (none: () )
    report_lines: tuple[int, ...] = ()

    def describe(self) -> str:
        """``pruned on 2026-12-04 by `labelwright runs prune --keep 5```."""
        return f"pruned on {self.pruned_at[:10]} by `{self.command}`"

    def to_json(self) -> str:
        return json.dumps({"run_id": self.run_id, "manifest_sha256": self.manifest_sha256,
                           "pruned_at": self.pruned_at, "command": self.command,
                           "bytes": self.bytes,
                           **({"archive": self.archive} if self.archive else {}),
                           **({"report_lines": list(self.report_lines)}
                              if self.report_lines else {})},
                          sort_keys=True)


def read_pruned(runs_dir: Path) -> dict[str, PrunedRun]:
    """The runs ``runs_dir/PRUNED.jsonl`` records as pruned whose folders are gone, by run
    id ({} without the file). A line that is not such a record is a :class:`RunError`
    naming the file and line: a record that cannot be read cannot vouch for a run."""
    records = read_records(
        runs_dir / PRUNED_FILE, _record, what="the record of pruned runs",
        expected="a record of a pruned run (a JSON object with run_id, manifest_sha256, "
                 "pruned_at and command, as `labelwright runs prune` writes it)")
    # a folder restored is the run again
    return {r.run_id: r for r in records if not (runs_dir / r.run_id).is_dir()}


def archived_runs(runs_dir: Path) -> list[PrunedRun]:
    """The pruned runs whose archive the record names, by run id."""
    return [r for _, r in sorted(read_pruned(runs_dir).items()) if r.archive]


def named_archive(runs_dir: Path, run: str) -> PrunedRun | None:
    """The archived pruned run ``run`` (an id or a unique prefix) names, when it names no
    run whose folder is there; None otherwise (the run is looked up as ever)."""
    if any(r.startswith(run) for r in list_runs(runs_dir)):
        return None
    found = [r for r in archived_runs(runs_dir) if r.run_id.startswith(run)]
    return found[0] if len(found) == 1 else None


def pruned_words(runs_dir: Path, record: PrunedRun) -> str:
    """What ``runs show`` and ``runs diff`` say of a run they read from its archive: when
    and by what it was pruned, and what went with its folder."""
    return (f"run {record.run_id} was {record.describe()}: read from its archive "
            f"{runs_dir / record.archive}, which keeps manifest.json and sources/ only; its "
            "labels, votes and other outputs went with its folder")


def pruned_note(runs_dir: Path, prefix: str) -> str:
    """``: run X was pruned on <date> by `...` (its manifest had sha256 ...)`` for the runs
    the record names whose ids start with ``prefix`` ("" for none): what a command that
    finds no run by that id adds."""
    pruned = [r for run_id, r in sorted(read_pruned(runs_dir).items())
              if run_id.startswith(prefix)]
    return "".join(f": run {r.run_id} was {r.describe()} (its manifest had sha256 "
                   f"{r.manifest_sha256[:12]})" + archive_note(runs_dir, r)
                   for r in pruned[:3])


def archive_note(runs_dir: Path, record: PrunedRun) -> str:
    """``; its manifest and sources are kept in <folder> ...`` for a run pruned with its
    archive, "" for one without: what can still be read of it, and what cannot."""
    if not record.archive:
        return ""
    return (f"; its manifest and sources are kept in {runs_dir / record.archive} (`labelwright "
            f"runs verify {record.run_id}` checks them; its LFs' code, glossaries and "
            "settings are there, its labels and votes went with its folder)")


def _record(data: dict[str, Any]) -> PrunedRun | None:
    fields = [data.get(k) for k in ("run_id", "manifest_sha256", "pruned_at", "command")]
    strings = [value for value in fields if isinstance(value, str) and value]
    if len(strings) != len(fields):
        return None
    size = data.get("bytes", 0)
    archive = data.get("archive", "")
    lines = data.get("report_lines", [])
    if not isinstance(lines, list) or not all(isinstance(n, int) and not isinstance(n, bool)
                                              and n > 0 for n in lines):
        return None  # a record naming lines it cannot: not as prune writes it
    run_id, sha, when, command = strings
    return PrunedRun(run_id, sha, when, command, size if isinstance(size, int) else 0,
                     archive if isinstance(archive, str) else "", tuple(lines))


def append_pruned(runs_dir: Path, record: PrunedRun) -> None:
    """Add ``record`` to ``runs_dir/PRUNED.jsonl``, on disk (fsync) before the caller
    removes the folder: a prune stopped half way leaves a record whose folder is still
    there, which counts for nothing, never a folder gone without one."""
    append_line(runs_dir / PRUNED_FILE, record.to_json())
