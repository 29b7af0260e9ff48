"""``--data PATH``: the dataset file of one command in place of ``[data] path``.

A scheduled job points a fixed project at today's file without editing its config: the
path is taken relative to the current folder (as a shell names files) and tidied as ``[data]
path`` is (:func:`~labelwright.config.data_table.tidy_path`), the format from
``[data] format`` or the file's suffix, the other ``[data]`` settings as written. The
config then records where its path came from (``DataConfig.path_from``), a run's manifest
says so (``data.path_from``), and the commands that check a run against its data
(``runs verify``, ``train``, ``explain``) read the file the run read
(:func:`run_data_config`).

A pandas DataFrame given to ``run_project(path, data=df)`` is the same override without a
file: the config then reads :data:`FRAME_SOURCE` (no path on disk), with ``path_from =
"DataFrame"`` (:data:`FRAME`), and the commands that would read the run's data say they
cannot (:func:`ran_on_frame`).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from labelwright.config.data_table import tidy_path
from labelwright.config.schema import DATA_MANY_FILES, DATA_SUFFIXES, ProjectConfig
from labelwright.errors import DataError

#: the option that names the file, as a config and a manifest record it
DATA_OPTION = "--data"
#: ``path_from`` of a run whose items came from a pandas DataFrame (``data=df``), and the
#: path its config and manifest name in place of a file
FRAME = "DataFrame"
FRAME_SOURCE = "<DataFrame>"


def not_one_file(path: Path, many: str = DATA_MANY_FILES) -> tuple[str, str | None] | None:
    """Why a dataset path (``[data] path``, ``--data``, a streamed file) names no file, and
    what to do when that is a dataset in many files (``many``: for a folder of parts, or a
    name with a wildcard, which is not expanded); None when it is a file."""
    if path.is_dir():
        parts = (" (a folder of parts, as Spark and Dask write a dataset)"
                 if DATA_SUFFIXES.get(path.suffix.lower()) else "")
        return f"is a folder{parts}, not a file", many
    if path.exists():  # a file, or a pipe a shell gives as one (<(zcat ...))
        return None
    if _WILDCARD.search(str(path)):
        return ("dataset file not found; the name holds a wildcard (*, ? or [), which is not "
                "expanded"), many
    return "dataset file not found", None


_WILDCARD = re.compile(r"[*?\[]")


def with_data_path(config: ProjectConfig, path: str | Path) -> ProjectConfig:
    """``config`` reading its items from ``path`` (relative to the current folder);
    a :class:`DataError` naming the path, and the folder it was taken in, when no file is
    there (:func:`not_one_file`)."""
    given = Path(path).expanduser()
    # tidied as [data] path is, so messages and records name it alike; and a ".." after a
    # symbolic link leads where the shell takes it, not to the link's own folder
    absolute = tidy_path(Path.cwd() / given)
    if absolute.is_dir() or (_WILDCARD.search(str(absolute)) and not absolute.exists()):
        # a dataset in many files, as [data] path takes one (its parts are found when read)
        return replace(config, data=replace(config.data, path=absolute, parts=None,
                                            path_from=DATA_OPTION))
    problem = not_one_file(absolute)
    if problem is not None:
        what, many = problem
        relative = "" if given.is_absolute() else f", relative to the current folder {Path.cwd()}"
        raise DataError(f"{DATA_OPTION} {path}: {what} ({absolute}{relative}); "
                        + (many or f"give the dataset file to read in place of [data] path "
                                   f"({config.data.path})"))
    return replace(config, data=replace(config.data, path=absolute, parts=None,
                                        path_from=DATA_OPTION))


def run_data_config(config: ProjectConfig, manifest: dict[str, Any]) -> ProjectConfig:
    """``config`` reading the file the run of ``manifest`` read, when that run was given
    it with ``--data`` (its ``[data] path`` never named it); else ``config`` as it is."""
    data = manifest.get("data") or {}
    if data.get("path_from") != DATA_OPTION or not isinstance(data.get("path"), str):
        return config
    return replace(config, data=replace(config.data, path=Path(data["path"]), parts=None,
                                        path_from=DATA_OPTION))


def with_frame(config: ProjectConfig) -> ProjectConfig:
    """``config`` reading its items from a DataFrame (``run_project(path, data=df)``): its
    ``[data]`` columns, ``bad_rows`` and ``duplicate_rows`` as written, no file."""
    return replace(config, data=replace(config.data, path=Path(FRAME_SOURCE), parts=None,
                                        path_from=FRAME))


def with_data(config: ProjectConfig, data: Any, caller: str) -> tuple[ProjectConfig, Any]:
    """``config`` reading ``data`` in place of ``[data] path``, and the frame to read: a
    file path (``--data``, :func:`with_data_path`; no frame), a pandas DataFrame
    (:func:`with_frame`; the frame) or None (``config`` as it is). The one way the
    functions that take ``data=`` read it; a TypeError names anything else (and
    ``caller``, the function given it)."""
    if data is None:
        return config, None
    if isinstance(data, (str, os.PathLike)):
        return with_data_path(config, Path(data)), None
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        from labelwright.data.required import data_type_error

        raise data_type_error(caller, data)
    return with_frame(config), data


def ran_on_frame(manifest: dict[str, Any]) -> bool:
    """Whether the run of ``manifest`` read its items from a DataFrame, not a file."""
    data = manifest.get("data") or {}
    return data.get("path_from") == FRAME
