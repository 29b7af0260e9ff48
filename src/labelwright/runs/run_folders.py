"""Which folders of a project's ``runs/`` are finished runs, and which run a name (a run
id or a unique prefix, or none: the latest) means. A folder without a manifest, a copy
named for another run or another project's run is never quietly taken for a run."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.counts import counted, some_of
from labelwright.errors import FailedRunsPassedOver, RunError
from labelwright.runs.manifest import (
    MANIFEST,
    misnamed,
    other_project,
    project_record,
    read_manifest,
)

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig


#: a run's folder name: its start time (``RunWriter``), e.g. ``20261202-053724-907816``
RUN_ID = re.compile(r"\d{8}-\d{6}-\d{6}")


def _folders(runs_dir: Path, *, run_named: bool, with_manifest: bool) -> list[str]:
    """Folders of ``runs_dir`` (not hidden: ``.<id>.partial`` ones are being staged),
    sorted, that are (or are not) named like a run id and have (or lack) a manifest."""
    if not runs_dir.is_dir():
        return []
    return sorted(p.name for p in runs_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(".")
                  and bool(RUN_ID.fullmatch(p.name)) == run_named
                  and (p / MANIFEST).is_file() == with_manifest)


def list_runs(runs_dir: str | os.PathLike[str]) -> list[str]:
    """Finished runs, oldest first: folders named like a run id, with a manifest (staged,
    unfinished runs are not listed, nor copies under other names: sorted by name, a copy
    named ``baseline`` would pass for the newest run)."""
    return _folders(Path(runs_dir), run_named=True, with_manifest=True)


def foreign_runs(runs_dir: Path) -> list[str]:
    """Folders with a manifest that are not named like a run id (a run copied or renamed
    by hand): not runs labelwright reads, so ``runs list`` names them."""
    return _folders(runs_dir, run_named=False, with_manifest=True)


def folders_without_manifest(runs_dir: Path) -> list[str]:
    """Folders named like a run (not a ``.<id>.partial`` being staged, nor a folder of
    exports such as ``runs/exports``) with no ``manifest.json``: a finished run whose
    manifest was deleted."""
    return _folders(runs_dir, run_named=True, with_manifest=False)


#: how many of the finished runs :func:`no_manifest` names, the newest first
RUNS_NAMED = 5


def no_manifest(runs_dir: Path, name: str, *, instead: bool = False) -> RunError:
    """The error for the run folder ``runs_dir/name`` that has no manifest; ``instead``
    (a command that needs a run, and was given or would take this one): naming the
    finished runs there are to read in its place (:func:`runs_to_name`)."""
    return RunError(f"{runs_dir / name}: no {MANIFEST}, so it is no run labelwright can read "
                    "or vouch for (a finished run always has one: was it deleted?); restore "
                    f"it, or {runs_to_name(runs_dir) if instead else 'name another run'}")


def runs_to_name(runs_dir: Path) -> str:
    """What to name instead of a run that cannot be read: the newest
    :data:`RUNS_NAMED` finished runs of ``runs_dir``, newest first, a failed one said so
    (it is read when named, never taken for the latest), and how to list them all; or,
    with none, the command that makes one."""
    runs = list_runs(runs_dir)
    if not runs:
        return (f"run `labelwright run` for a new one ({runs_dir} holds no finished run "
                "to name)")
    newest = [f"{run} (failed)" if failed_run(runs_dir / run) else run
              for run in reversed(runs[-RUNS_NAMED:])]
    shown = ", ".join(newest)
    if len(runs) == 1:
        return f"name the one finished run there is: {shown}"
    which = "newest first" if len(runs) <= RUNS_NAMED else (
        f"the newest {RUNS_NAMED} of {len(runs)}, newest first")
    return (f"name a finished run: {shown} ({which}; `labelwright runs list` lists "
            "them)")


def not_latest(run_dir: Path, project: dict[str, Any] | None) -> str | None:
    """Why the run folder ``run_dir`` is not to be taken for the latest run of ``project``
    (a :func:`project_record`): a copy, named for another run (:func:`misnamed`) or from
    another project (:func:`other_project`); None when it is the run it seems, or its
    manifest cannot be read (whatever reads it next says so)."""
    try:
        manifest = read_manifest(run_dir)
    except RunError:
        return None
    return misnamed(run_dir, manifest) or other_project(run_dir, manifest, project)


def failed_run(run_dir: Path) -> bool:
    """Whether the run in ``run_dir`` failed (:mod:`~labelwright.runs.outcome`): it is not
    taken for the latest run. An unreadable manifest: no (whatever reads it next says so)."""
    from labelwright.runs.outcome import failed

    try:
        return failed(read_manifest(run_dir))
    except RunError:
        return False


def run_before(run_dir: Path, run_id: str) -> Path | None:
    """The newest finished run next to ``run_dir`` whose id sorts before ``run_id`` and
    that did not fail (:func:`failed_run`: written for a look, not handed on, as
    ``runs/LATEST`` and :func:`resolve_run` skip it; :func:`failed_between` names the runs
    stepped over). A run folder between them that lost its manifest is not stepped over: a
    :class:`RunError` says so (the changes would otherwise be counted from an older run
    without a word)."""
    from labelwright.runs.staging import runs_being_written

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
    for name in reversed(earlier):
        if not (parent / name / MANIFEST).is_file():
            raise no_manifest(parent, name)
        if not failed_run(parent / name):
            return parent / name
    return None


def failed_between(parent: Path, run_a: str, run_b: str) -> list[str]:
    """The failed runs in ``parent`` whose ids sort between ``run_a`` and ``run_b``: those
    :func:`run_before` stepped over to reach ``run_a``, which the "since run" line names
    (else the changes read as made since the failed run, the one the user saw last)."""
    if not parent.is_dir():
        return []
    return sorted(p.name for p in parent.iterdir()
                  if p.is_dir() and run_a < p.name < run_b and (p / MANIFEST).is_file()
                  and failed_run(p))


def earlier_failed_text(parent: Path, run_id: str) -> str | None:
    """``2 earlier runs failed (<ids>), and none is compared`` when every finished run
    before ``run_id`` in ``parent`` failed, None when there is none before it (a first
    run): where :func:`run_before` finds nothing, what is said must not call the run the
    first when the runs before it failed."""
    failed = failed_between(parent, "", run_id)
    if not failed:
        return None
    return (f"{counted(len(failed), 'earlier run')} failed ({some_of(failed)}), and none is "
            "compared (a failed run is not handed on)")


def previous_run(runs_dir: str | os.PathLike[str], run_dir: Path, *,
                 project: ProjectConfig | None = None) -> Path:
    """The finished run before ``run_dir`` (:func:`run_before`): what ``runs diff``
    compares the latest run with when it is given no run; a :class:`RunError` when there
    is none, or (with ``project``) when that run is a copy or another project's, as
    :func:`resolve_run` refuses such a latest run."""
    before = run_before(run_dir, run_dir.name)
    if before is None:
        failed = earlier_failed_text(run_dir.parent, run_dir.name)
        raise RunError(f"{Path(runs_dir)}: no finished run that did not fail before "
                       f"{run_dir.name} to compare it with"
                       + (f" ({failed})" if failed else "")
                       + "; name two runs (`labelwright runs list` lists them)")
    problem = not_latest(before, project_record(project)) if project is not None else None
    if problem is not None:
        raise RunError(f"{before}: {problem}; it is not taken for the run before "
                       f"{run_dir.name} (name two runs to compare)")
    return before


def _staging_note(runs_dir: Path, run: str) -> str:
    """``; <staging folder>: ...`` for each staging folder of an id starting with ``run``
    (:func:`~labelwright.runs.staging.staging_lines`), "" when there is none: a run being
    written, or the folder a killed run left, is why no finished run has that id."""
    from labelwright.runs.staging import staging_lines

    return "".join(f"; {line}" for line in staging_lines(runs_dir, run))


def is_run_path(run: str) -> bool:
    """Whether ``run`` is given as a path (``runs/<id>``, ``./runs/<id>/``, an absolute
    path) rather than a run id or prefix, which never holds a path separator."""
    return "/" in run or os.sep in run or bool(os.altsep and os.altsep in run) \
        or run in (".", "..") or run.startswith("~")


def run_named_by_path(runs_dir: Path, run: str) -> str:
    """The run id a path to a run folder names (relative to the current folder, as every
    path given on the command line): the folder's name, when the folder is in ``runs_dir``
    (compared resolved, so ``./runs/<id>/``, an absolute path and a symlinked project all
    name it); a :class:`RunError` naming both folders when it is not."""
    given = Path(run).expanduser()
    folder = given.resolve()
    if folder.parent == runs_dir.resolve() and not folder.name.startswith("."):
        return folder.name
    where = "is not there" if not given.exists() else (
        "is not a folder" if not given.is_dir() else "is not in it")
    raise RunError(f"{run}: not a run folder of this project's runs folder {runs_dir} "
                   f"({folder} {where}); give a run id, a unique prefix of one, or the path "
                   f"of a folder in {runs_dir}")


def _newest_not_failed(runs_dir: Path, runs: list[str]) -> Path:
    """The newest of ``runs`` that did not fail (as ``runs/LATEST`` names it): a failed run
    (an LF raised on every item, or on any under ``--strict``) is written for a look, not
    handed on. Newer runs folders that lost their manifest were refused before. Newer
    failed runs passed over are said (:func:`passed_over_text`, as a
    :class:`~labelwright.errors.FailedRunsPassedOver` warning): a user whose last run
    failed would else read an older run's results as those of the run they just made."""
    for i in range(len(runs) - 1, -1, -1):
        if not failed_run(runs_dir / runs[i]):
            if runs[i + 1:]:
                warnings.warn(FailedRunsPassedOver(
                    passed_over_text(runs_dir, runs[i], runs[i + 1:])), stacklevel=3)
            return runs_dir / runs[i]
    raise RunError(f"{runs_dir}: every run failed (the newest, {runs[-1]}, as its manifest's "
                   "outcome says), so none is taken for the latest run; fix what failed and "
                   "run again, or name a run to read it")


def passed_over_text(runs_dir: Path, taken: str, failed: list[str]) -> str:
    """One line: run ``taken`` is the latest run, the newer runs ``failed`` (oldest first)
    failed and were passed over, and why the newest of them failed (the first line of
    :func:`~labelwright.runs.outcome.failure_text`)."""
    from labelwright.runs.outcome import OUTCOME_KEY, failure_text

    try:
        why = failure_text(read_manifest(runs_dir / failed[-1]).get(OUTCOME_KEY) or {})
    except RunError:
        why = ""
    why = why.splitlines()[0] if why else "its manifest's outcome says it failed"
    newer = (f"the newer run {failed[0]} failed" if len(failed) == 1 else
             f"the {len(failed)} newer runs {some_of(failed)} failed (the newest, {failed[-1]})")
    return (f"taking run {taken} for the latest run: {newer}: {why}; name a failed run to "
            "read it")


def resolve_run(runs_dir: str | os.PathLike[str], run: str | None = None, *,
                project: ProjectConfig | None = None) -> Path:
    """The folder of ``run`` (an id, a unique prefix, or the path of a run folder in
    ``runs_dir``: :func:`run_named_by_path`), or of the latest run: the newest
    run folder (run ids sort by time; ``runs/LATEST`` is for scripts, and names the same
    run unless folders were added or removed by hand).

    A run folder without a manifest is never stepped over: naming it, or its being newer
    than every finished run (the latest), is an error that says so -- otherwise commands
    on "the latest run" would quietly read an older one. Nor is a newest folder whose
    manifest names another run (:func:`misnamed`) taken for the latest run; named, it is
    read (``runs verify`` names the problem). With ``project`` (the commands that build on
    a run pass theirs), a run another project made (:func:`other_project`) is refused,
    named or the latest."""
    runs_dir = Path(runs_dir)
    record = project_record(project) if project is not None else None
    runs = list_runs(runs_dir)
    broken = folders_without_manifest(runs_dir)
    if run is None:
        if broken and (not runs or broken[-1] > runs[-1]):
            raise no_manifest(runs_dir, broken[-1], instead=True)
        if not runs:
            raise RunError(f"{runs_dir}: no finished runs; run `labelwright run` first"
                           + _staging_note(runs_dir, ""))
        latest = _newest_not_failed(runs_dir, runs)
        problem = not_latest(latest, record)
        if problem is not None:
            raise RunError(f"{latest}: {problem}; it is not taken for the latest run (name "
                           "a run to read another)")
        return latest
    exact = is_run_path(run)  # a folder's path names its run whole, not a prefix
    if exact:
        run = run_named_by_path(runs_dir, run)
    matches = [r for r in runs if (r == run if exact else r.startswith(run))]
    if len(matches) != 1:
        unreadable = [r for r in broken if (r == run if exact else r.startswith(run))]
        if not matches and len(unreadable) == 1:
            raise no_manifest(runs_dir, unreadable[0], instead=True)
        if not matches:
            from labelwright.runs.pruned import pruned_note

            raise RunError(f"no run matching {run!r} in {runs_dir}"
                           + pruned_note(runs_dir, run) + _staging_note(runs_dir, run)
                           + f"; runs: {', '.join(runs[-10:]) or '(none)'}")
        raise RunError(f"{len(matches)} runs matching {run!r} in {runs_dir}: "
                       f"{some_of(matches, 10)}; give more of the id")
    found = runs_dir / matches[0]
    if record is not None:
        problem = other_project(found, read_manifest(found), record)
        if problem is not None:
            raise RunError(f"{found}: {problem}; nothing is built on it here (`labelwright "
                           "runs show` still shows it)")
    return found


#: the file in a runs folder naming its latest run (``runs/LATEST``)
LATEST_FILE = "LATEST"
#: the lock ``runs/LATEST`` is written under (:func:`~labelwright.runs.run_writer.latest_lock`)
LATEST_LOCK = ".latest.lock"


def is_runs_folder(path: Path) -> bool:
    """Whether ``path`` is a runs folder: it holds the run store's marker files,
    :data:`LATEST_FILE` (the latest run, written as each run is put in place) or
    :data:`LATEST_LOCK` (the lock that is written under). A run folder copied into any
    other folder has neither beside it."""
    return (path / LATEST_FILE).is_file() or (path / LATEST_LOCK).is_file()


def read_latest(runs_dir: Path) -> str | None:
    """The run ``runs/LATEST`` names, as written (None: no such file, an empty one, or one
    that cannot be read)."""
    try:
        return (runs_dir / LATEST_FILE).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None
