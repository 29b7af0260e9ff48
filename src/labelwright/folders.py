"""The folders a project names and the folders a run writes to, checked before any work.

A folder the config names that is not there, or a file where a run must make a folder, is
a :class:`~labelwright.errors.ConfigError` naming the config key, raised by ``check`` and
before a run applies its first LF, not a traceback once every LF has been applied.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.caches import CacheOption, cache_use
from labelwright.config import STATE_DIR, ProjectConfig
from labelwright.errors import ConfigError

if TYPE_CHECKING:
    from labelwright.runs.run_writer import RunWriter


def file_in_the_way(folder: Path) -> Path | None:
    """The file that keeps ``folder`` from being made (it, or a folder on the way to it, is
    a file), or None. ``exists()`` is False below a file, so each parent is looked at."""
    for path in (folder, *folder.parents):
        if path.is_dir():
            return None
        if path.exists() or path.is_symlink():
            return path
    return None


def check_folders(config: ProjectConfig) -> None:
    """A folder the config names that does not exist is an error: a typo in
    ``[project] labeling_functions`` dropped every Python LF without a word. (The default
    folders may be missing: a project of glossaries only has no ``labeling_functions``.)"""
    for key, value, default, folder in (
            ("labeling_functions", config.lf_dir, "labeling_functions", config.lf_path),
            ("glossaries", config.glossary_dir, "glossaries", config.glossary_path)):
        if value != default and not folder.is_dir():
            raise ConfigError(f"{config.where(('project', key))}: [project] {key} = "
                              f"{value!r}, but {folder} is no folder; create it, fix the "
                              f"name, or leave the key out for {default!r}")
    runs = config.runs_path
    if runs.resolve() == config.root.resolve() or not config.runs_dir.strip():
        raise ConfigError(f"{config.where(('project', 'runs'))}: [project] runs = "
                          f"{config.runs_dir!r} is the project folder itself: run folders "
                          "would lie among the project's files; name a folder of their own "
                          "(default 'runs')")
    for problem in folder_problems(config, cache=False):  # the state folder: when applying
        raise ConfigError(problem)


def written_folders(config: ProjectConfig, *, runs: bool = True, cache: CacheOption = None
                    ) -> list[tuple[Path, Callable[[str], str]]]:
    """The folders a run writes to, each with how to say what is wrong with it: the runs
    folder and, when votes are cached (``cache``, else ``[apply] cache``), the state folder.
    A file where one of them (or a folder on the way to it) should be passed ``check`` and
    failed the run with a traceback once every LF had been applied."""
    out: list[tuple[Path, Callable[[str], str]]] = [(config.runs_path, lambda why: (
        f"{config.where(('project', 'runs'))}: [project] runs = {config.runs_dir!r}, but "
        f"{why}; runs are written to a folder: make it one this user can write to "
        "(move what is in its way), or name another"))] if runs else []
    if cache_use(config, cache)[0]:
        state = config.root / STATE_DIR
        out.append((state, lambda why: (
            f"{config.where(('apply', 'cache'))}: [apply] cache keeps the vote and Doc caches "
            f"in {state}, but {why}; make it one this user can write to (move what is "
            f"in its way), or set [apply] cache = false (cache=False "
            "from Python)")))
    return out


def folder_problems(config: ProjectConfig, *, runs: bool = True, cache: CacheOption = None
                    ) -> list[str]:
    """What is wrong with the folders :func:`written_folders` names: a file in the way."""
    return [problem(f"{blocked} is a file")
            for folder, problem in written_folders(config, runs=runs, cache=cache)
            if (blocked := file_in_the_way(folder)) is not None]


def make_folders(config: ProjectConfig, *, runs: bool = True, cache: CacheOption = None
                 ) -> None:
    """Make the folders a run (``runs``) or an apply writes to before any work, so that one
    that cannot be made, or that this user cannot write to, is an error naming it and its
    config key, not a traceback once every LF has been applied."""
    for folder, problem in written_folders(config, runs=runs, cache=cache):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            blocked = file_in_the_way(folder)
            why = f"{blocked} is a file" if blocked is not None else \
                f"it cannot be made: {exc.strerror or exc}"
            raise ConfigError(problem(why)) from None
    for unwritable in unwritable_folders(config, runs=runs, cache=cache):
        raise ConfigError(unwritable)


def unwritable_folders(config: ProjectConfig, *, runs: bool = True, cache: CacheOption = None
                       ) -> list[str]:
    """What is wrong with the folders :func:`written_folders` names that this user cannot
    write to, or, not made yet, cannot make (a read-only runs folder failed a run once it
    was all done, and ``check`` said ok; so did a runs folder not made yet under a folder
    this user cannot write to)."""
    out = []
    for folder, problem in written_folders(config, runs=runs, cache=cache):
        nearest = _nearest_folder(folder)
        if nearest is None or os.access(nearest, os.W_OK | os.X_OK):
            continue
        out.append(problem(f"{folder} cannot be written to ({why_unwritable(folder)})"
                           if nearest == folder else
                           f"it cannot be made: {nearest} cannot be written to "
                           f"({why_unwritable(nearest)})"))
    return out


def _nearest_folder(folder: Path) -> Path | None:
    """``folder`` if it is one, else the nearest of its parents that is: where making it
    starts. None when a file is in the way (:func:`folder_problems` names that)."""
    for path in (folder, *folder.parents):
        if path.is_dir():
            return path
        if path.exists() or path.is_symlink():
            return None
    return None


def why_unwritable(folder: Path) -> str:
    """Why ``folder`` cannot be written to, as far as the system says (the review ledger's
    error says it the same way)."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    return "permission denied; fix its permissions"


def start_run(config: ProjectConfig) -> RunWriter:
    """The run's staging folder ``runs/.<run_id>.partial/``, made before the run reads its
    data (:class:`~labelwright.runs.run_writer.RunWriter`); a runs folder it cannot be made in
    is a :class:`ConfigError` naming ``[project] runs``, before any LF is applied."""
    from labelwright.runs.run_writer import RunWriter

    try:
        return RunWriter(config.runs_path)
    except OSError as exc:
        runs = written_folders(config, cache=False)[0][1]
        raise ConfigError(runs(f"a run cannot be staged in it: {exc.strerror or exc} "
                               f"({exc.filename or config.runs_path}); fix its permissions "
                               "or free space")) from None
