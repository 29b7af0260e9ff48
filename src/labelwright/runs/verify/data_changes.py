"""The dataset's part of ``runs verify --inputs`` (:func:`~labelwright.runs.verify.inputs.
input_changes`): the data's hash now against the run's, for a file, a dataset in many files
(each part changed, added or gone), a file given with ``--data`` and a pandas DataFrame, and
what in how the file is read changed when its bytes did not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config import DataConfig, ProjectConfig
from labelwright.config.data_override import FRAME
from labelwright.data.data_hash import dataset_sha256, read_delimiter
from labelwright.runs.manifest import project_path
from labelwright.runs.run_data import other_data_file
from labelwright.runs.verify.data import VERIFY_DATA
from labelwright.runs.verify.inputs import InputChange, hash_prefix, named_changes

if TYPE_CHECKING:
    from labelwright.runs.verify.inputs import InputCheck, ProjectInputs


def data_change(manifest: dict[str, Any], inputs: ProjectInputs, config: ProjectConfig,
                 check: InputCheck) -> None:
    """The dataset: its hash (of the file, and of ``[data] quoting`` and ``columns`` when
    either is set) against the run's, naming the file the run read when ``[data] path``
    now names another."""
    data = manifest.get("data") or {}
    then = data.get("sha256")
    if not then:  # not recorded: nothing to compare with
        return
    if data.get("path_from") == FRAME:
        _frame_change(data, then, inputs, check)
        return
    if inputs.frame_sha256 is not None:
        check.notes.append("data: the run read a file, not a DataFrame: compared with its "
                           "file, not with the frame given (data=)")
    # (a folder of parts is said as one: "data file" named the folder a file)
    check.checked.append("data parts" if data.get("parts") else "data file")
    current = project_path(inputs.data_path, config.root)
    if config.data.path_from == VERIFY_DATA:
        _given_data_change(data, then, current, inputs, config, check)
        return
    if data.get("path_from"):  # not [data] path: the run was given its file
        current += f" (given to the run with {data['path_from']})"
    if inputs.data_unread is not None:  # there, but its parts cannot be told now
        check.problems.append(f"{'data folder' if data.get('parts') else 'data file'} "
                              f"{current}: cannot be hashed now: "
                              f"{inputs.data_unread}")
        return
    read = other_data_file(manifest, inputs.data_path, config)
    if read is None:
        if then != inputs.data and _part_changes(data, inputs, config, check):
            return
        if then != inputs.data:
            check.changes.append(InputChange(
                "data file", current, then, inputs.data,
                _read_otherwise(data, config) if inputs.data is not None else ""))
        return
    read = project_path(Path(read), config.root)
    if then == inputs.data:
        check.notes.append(f"data file: the run read {read}; [data] path now names {current}, "
                           "which holds the same data")
    else:
        check.changes.append(InputChange(
            "data file", read, then, inputs.data,
            f"[data] path now names {current} (the second hash is of it)"
            if inputs.data is not None else f"[data] path now names {current}, not there"))


def _part_changes(data: dict[str, Any], inputs: ProjectInputs, config: ProjectConfig,
                  check: InputCheck) -> bool:
    """For a run of a dataset in many files, each part changed, added or gone since, by
    its path in the project; False (nothing said) when the run or the data now is one
    file, or the parts are each as they were (read in another order, or with other
    ``[data]`` settings: the data's change says it)."""
    if not data.get("parts") or inputs.data_parts is None:
        return False
    then = {project_path(Path(p["path"]), config.root): p.get("sha256")
            for p in data["parts"]}
    now = {project_path(Path(p), config.root): sha for p, sha in inputs.data_parts.items()}
    if then == now:
        return False
    named_changes(check, "data part", then, now)
    return True


def _given_data_change(data: dict[str, Any], then: str, given: str, inputs: ProjectInputs,
                       config: ProjectConfig, check: InputCheck) -> None:
    """The data of a run compared with the file ``given`` to ``runs verify --data`` (read
    with the run's settings): the run's data exactly when its hash is the run's."""
    read = project_path(Path(str(data.get("path"))), config.root) if data.get("path") \
        else "a file whose path it did not record"
    given += f" (given with {VERIFY_DATA})"
    if then == inputs.data:
        check.notes.append(f"data file: compared with {given}, which holds the data the run "
                           f"read from {read}")
        return
    check.changes.append(InputChange(
        "data file", given, then, inputs.data,
        f"not the data the run read from {read} (the first hash is the run's; the file "
        "was hashed with the [data] settings the run recorded)" if inputs.data is not None
        else f"not there; the run read {read}"))


def _frame_change(data: dict[str, Any], then: str, inputs: ProjectInputs,
                  check: InputCheck) -> None:
    """The data of a run that read a pandas DataFrame: compared with the frame given to
    ``verify_runs(..., data=df)``; without one, a note that it cannot be (a frame lives in
    the session that made the run, not on disk)."""
    shape = (data.get("frame") or {}).get("shape") or []
    had = f"{shape[0]} rows x {shape[1]} columns" if len(shape) == 2 else "a shape not recorded"
    if inputs.frame_sha256 is None:
        check.notes.append(
            f"data: the run read a pandas DataFrame ({had}, sha256 {hash_prefix(then)}), not a "
            "file: there is no file to hash, so the data is not compared (from Python, "
            "labelwright.verify_runs(path, run, inputs=True, data=df) compares a frame you "
            "still have)")
        return
    check.checked.append("DataFrame")
    if inputs.frame_sha256 != then:
        rows, columns = inputs.frame_shape or (0, 0)
        check.changes.append(InputChange(
            "DataFrame", "given with data=", then, inputs.frame_sha256,
            f"the run's had {had}, this one {rows} rows x {columns} columns"))


def _read_otherwise(data: dict[str, Any], config: ProjectConfig) -> str:
    """What changed in how the file is read, when ``[data] quoting`` or ``columns`` is not
    what the run read it with (the hash covers them: the same bytes read otherwise are
    other items), and whether the bytes are still the run's; "" when the settings are the
    run's (the file itself changed)."""
    then = replace(config.data, quoting=str(data.get("quoting", "auto")),
                   columns=None if data.get("columns") is None else tuple(data["columns"]),
                   delimiter=data.get("delimiter"))
    moved = [f"{key} {shown(then)} -> {shown(config.data)}"
             for key, shown in (("quoting", lambda d: d.quoting), ("columns", _columns),
                                ("delimiter", _delimiter))
             if shown(then) != shown(config.data)]
    if not moved:
        return ""
    try:  # hashed with the run's settings, the file now gives the run's hash: same bytes
        same = dataset_sha256(then) == data.get("sha256")
    except OSError:
        same = False
    return (f"{'the same bytes, read' if same else 'and read'} with other [data] settings "
            f"({', '.join(moved)}), which the data hash covers")


def _delimiter(config: DataConfig) -> str:
    """``[data] delimiter`` as ``runs verify --inputs`` names it."""
    delimiter = read_delimiter(config)
    return "the format's own" if delimiter is None else repr(delimiter)


def _columns(data: DataConfig) -> str:
    return "from the header row" if data.columns is None else "[" + ", ".join(data.columns) + "]"
