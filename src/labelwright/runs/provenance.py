"""Provenance: what a run's manifest records about where its labels came from.

The manifest (``runs/<run_id>/manifest.json``) already holds the LFs with their
source hashes and ``file:line``, the glossaries, the pipeline, the label model and
the package versions. This module adds what identifies the inputs beyond that: the
dataset's schema, the config file, and the state of the project's git repository. Each
function returns plain JSON-ready values and never raises on a missing tool: no git, or a
folder that is not a repository, gives ``None``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.config import STATE_DIR, DataConfig
from labelwright.config.data_override import FRAME
from labelwright.data.data_hash import read_delimiter
from labelwright.data.dataset import Dataset
from labelwright.file_hashes import file_sha256
from labelwright.review.decisions.ledger import LEDGER_SIDE_FILES
from labelwright.runs.manifest import project_path

GIT_TIMEOUT_SECONDS = 10


def git_output(root: Path, *args: str) -> str | None:
    """What ``git -C root <args>`` prints, or None when git is missing, fails, or takes
    longer than :data:`GIT_TIMEOUT_SECONDS` (no locks taken, C locale)."""
    git = shutil.which("git")
    if git is None:
        return None
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [git, "-C", str(root), *args], capture_output=True, text=True,
            timeout=GIT_TIMEOUT_SECONDS, env=env, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def config_fingerprint(config_file: Path, root: Path) -> dict[str, str] | None:
    """The config file's path (relative to the project) and sha256; ``None`` without one
    (a config built in Python)."""
    if not config_file.is_file():
        return None
    return {"path": project_path(config_file, root), "sha256": file_sha256(config_file)}


def git_state(root: str | Path, *, ignore: Sequence[str] = ("runs",)) -> dict[str, Any] | None:
    """The commit and dirty flag of the git repository holding ``root``, or ``None``.

    ``None`` when git is not installed, ``root`` is not inside a repository, or the
    repository has no commit yet. ``dirty`` is true when ``git status --porcelain``
    lists anything under ``root`` (changed, staged or untracked files) outside the
    folders in ``ignore`` (the runs folder: a run must not make the next one dirty; relative
    to ``root`` or absolute, and left out only where they lie inside it),
    labelwright's cache, ``.labelwright/`` (the first run makes it, in projects whose
    ``.gitignore`` does not name it) and the review ledger's side files
    (:data:`LEDGER_SIDE_FILES`); ``changed`` counts those files and ``changed_files`` names
    the first :data:`CHANGED_SHOWN` as git does (``M labeling_functions/x.py``, ``??`` for
    untracked), so a dirty run says what it was dirty with (the review ledger, most often).
    """
    ignore = (*ignore, STATE_DIR, *LEDGER_SIDE_FILES)
    root = Path(root)
    if not root.is_dir():
        return None
    commit = git_output(root, "rev-parse", "HEAD")
    if commit is None or not commit.strip():
        return None
    status = git_output(root, "status", "--porcelain", "--", ".",
                        *(f":(exclude){folder}" for folder in _inside(root, ignore)))
    changed = [line for line in (status or "").splitlines() if line.strip()]
    return {
        "commit": commit.strip(),
        "dirty": bool(changed) if status is not None else None,
        "changed": len(changed) if status is not None else None,
        "changed_files": [line.strip() for line in changed[:CHANGED_SHOWN]]
        if status is not None else None,
    }


#: changed files a run's git record names (``changed`` counts them all)
CHANGED_SHOWN = 20


def _inside(root: Path, folders: Sequence[str]) -> list[str]:
    """The ``folders`` (relative to ``root``, or absolute) that lie inside ``root``, as
    paths relative to it: git refuses a pathspec outside the repository (a runs folder
    such as ``../runs``), and what lies outside ``root`` is not in its status anyway."""
    base = root.resolve()
    inside = []
    for folder in folders:
        try:
            inside.append((root / folder).resolve().relative_to(base).as_posix())
        except ValueError:
            continue
    return inside


#: the dtype a column of Python values is named by, from what pandas infers of all of them
#: (JSONL fields are kept as the JSON gave them, in object columns)
_INFERRED = {"string": "string", "empty": "string", "integer": "int64", "boolean": "bool",
             "floating": "float64", "mixed-integer-float": "float64"}


def _dtype_name(values: Any) -> str:
    dtype = str(values.dtype)
    if dtype == "object":
        return _INFERRED.get(pd.api.types.infer_dtype(values, skipna=True), "object")
    return "string" if dtype in ("str", "string") else dtype


def data_schema(dataset: Dataset, config: DataConfig | None = None) -> list[dict[str, str]]:
    """Column names and dtypes of the dataset, id and text first, then the fields.

    Without ``config`` the id and text columns are listed as ``"id"`` and ``"text"``;
    the gold column (when the project has one) is listed under its own name.
    """
    id_column = config.id_column if config else "id"
    text_column = config.text_column if config else "text"
    schema = [{"name": id_column, "dtype": "string"}, {"name": text_column, "dtype": "string"}]
    if config is not None and config.gold_column:
        schema.append({"name": config.gold_column, "dtype": "string"})
    for column in dataset.fields.columns:
        schema.append({"name": str(column), "dtype": _dtype_name(dataset.fields[column])})
    return schema


def data_fingerprint(dataset: Dataset, config: DataConfig | None = None) -> dict[str, Any]:
    """Hash, row count and schema of the dataset: enough to tell two inputs apart. A file
    read with ``[data] quoting``, ``columns`` or ``delimiter`` set has them recorded too
    (its hash is of the file and them when they read its bytes as other items, ``quoting =
    "none"``, ``columns`` or a delimiter not the format's own:
    :func:`~labelwright.data.data_hash.dataset_sha256`). A file given with ``--data`` in
    place of ``[data] path`` is recorded with ``path_from: "--data"``, so the manifest
    says the config was overridden; a pandas DataFrame (``run_project(path, data=df)``) with
    ``path_from: "DataFrame"`` and ``frame``, its shape and columns as given. A dataset in
    many files lists each in ``parts`` (path, sha256, rows, and the bad rows ``skipped``),
    in reading order; its ``sha256`` is one digest of them
    (:func:`~labelwright.data.part_files.parts_sha256`)."""
    fingerprint = {
        "path": dataset.source,
        "sha256": dataset.sha256,
        "rows": len(dataset),
        "gold_rows": dataset.n_gold,
        "schema": data_schema(dataset, config),
        "warnings": list(dataset.warnings),
    }
    if dataset.parts:  # a dataset in many files: each file, its hash and its items
        fingerprint["parts"] = [part.record(str(part.path)) for part in dataset.parts]
    if config is not None and config.path_from is not None:  # not [data] path: the option
        fingerprint["path_from"] = config.path_from
    if config is not None and config.path_from == FRAME:  # no file, no file settings
        fingerprint["frame"] = {"shape": [len(dataset) + len(dataset.skipped_rows),
                                          len(dataset.columns)],
                                "columns": list(dataset.columns)}
        return fingerprint
    delimiter = read_delimiter(config) if config is not None else None
    if config is not None and (config.quoting != "auto" or config.columns is not None
                               or delimiter is not None):
        fingerprint["quoting"] = config.quoting
        fingerprint["columns"] = None if config.columns is None else list(config.columns)
        if delimiter is not None:  # only one the format does not read with anyway
            fingerprint["delimiter"] = delimiter
    return fingerprint
