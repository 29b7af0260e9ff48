"""The runs the runs folder's records of rewritten files name whose folders are gone by hand:
a line of ``runs/REPORTS.jsonl`` (``labelwright report``) or ``runs/ERASURES.jsonl``
(``labelwright erase``) naming a run that has no folder and that ``runs/PRUNED.jsonl`` does
not record as pruned. ``runs verify --all`` adds a check for each that nothing else names
as gone (a later run's ``previous_run``, ``runs/LATEST``): of two runs in a row deleted,
the older, whose only link went with the newer's manifest, had passed unseen."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from labelwright.errors import RunError
from labelwright.runs.erase.records import ERASURES_FILE, ErasureLog
from labelwright.runs.manifest_chain import is_gone
from labelwright.runs.pruned import PRUNED_FILE
from labelwright.runs.report_record import REPORTS_FILE, report_lines
from labelwright.runs.verify.run_check import Finding, RunCheck


def _lines(numbers: Collection[int]) -> str:
    """``line 3`` or ``lines 3, 5``."""
    return f"line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, sorted(numbers)))}"


def recorded_gone(runs_dir: Path, erasures: ErasureLog, named: Collection[str]
                  ) -> list[RunCheck]:
    """A check for each run the runs folder's records name that is gone by hand
    (:func:`~labelwright.runs.manifest_chain.is_gone`) and not among ``named`` (the runs
    another check names as gone already), its one problem on the record that names it.
    A record that cannot be read names nothing here (each run's check says why)."""
    named_by: dict[str, dict[str, set[int]]] = {}
    try:
        for run_id, numbers in report_lines(runs_dir, None).items():
            named_by.setdefault(run_id, {})[REPORTS_FILE] = set(numbers)
    except RunError:
        pass
    try:
        for erasure in erasures.records():
            for file in erasure.files:
                if file.run_id:
                    named_by.setdefault(file.run_id, {}).setdefault(
                        ERASURES_FILE, set()).add(erasure.line)
    except RunError:
        pass
    checks = []
    for run_id in sorted(named_by):
        if run_id in named or not is_gone(runs_dir, run_id):
            continue
        where = named_by[run_id]
        records = " and ".join(f"runs/{name} ({_lines(where[name])})" for name in sorted(
            where, key=lambda name: name != REPORTS_FILE))
        first = next(iter(sorted(where, key=lambda name: name != REPORTS_FILE)))
        rewrites = sum(map(len, where.values()))
        message = (f"run {run_id} is missing: {records} "
                   f"{'names' if len(where) == 1 else 'name'} it as the run of "
                   f"{'files' if rewrites > 1 else 'a file'} rewritten there, but its "
                   f"folder is gone from the runs folder and runs/{PRUNED_FILE} does not "
                   "record it as pruned (deleted or moved by hand?); put the folder back "
                   "to trace what it made")
        checks.append(RunCheck(runs_dir / run_id, readable=False,
                               problems=[Finding(f"runs/{first}", message, run_id)]))
    return checks
