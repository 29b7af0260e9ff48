"""The items a run labeled, read again by the commands that use its outputs with their
texts (``export``, ``train``).

A run's ``labels.parquet`` holds ids and labels, not texts: the texts come from the data
the run read, which must still be that data (its hash in the manifest), under the same id
and text columns, or labels would be paired with other texts in silence. A run given its
file with ``--data`` is read from that file; a run given a pandas DataFrame
(``run_project(path, data=df)``) from the frame handed over again (``data=df``), compared
by its content hash. The gold labels are read with the run's labels
(:mod:`labelwright.runs.label_set`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config.data_override import ran_on_frame, run_data_config, with_frame
from labelwright.errors import RunError, UnknownGoldError
from labelwright.runs.label_set import labels_differ, run_label_set, run_reading_labels
from labelwright.runs.run_data import check_run_data

if TYPE_CHECKING:  # the data readers import pandas
    import pandas as pd

    from labelwright.config import ProjectConfig
    from labelwright.data.dataset import Dataset


def read_run_items(config: ProjectConfig, manifest: dict[str, Any], run_dir: Path,
                   command: str, frame: pd.DataFrame | None = None
                   ) -> tuple[ProjectConfig, Dataset]:
    """The project's config as the run read its data (its ``--data`` file, or ``frame``),
    and the run's items read from that data; a :class:`RunError` when the data is not what
    the run read. ``command``: what is asked (``train``, ``export``), named in messages.
    ``frame``: the DataFrame of a run that read one; refused for a run that read a file."""
    config = run_data_config(config, manifest)
    if frame is None and not ran_on_frame(manifest):
        dataset = _read_with_run_labels(config, manifest, run_dir, command,
                                        lambda labels: _file_items(config, labels))
        check_run_data(run_dir, manifest, config.data.path, dataset.sha256,
                       _GERUNDS.get(command, command), config.data_columns, project=config)
        return config, dataset
    if frame is None:
        raise RunError(f"run {run_dir.name} read its items from a pandas DataFrame "
                       f"({_frame_shape(manifest)}), not a file, and {command} needs their "
                       f"texts: from Python, give that frame again ("
                       f"{_CALLS.get(command, command + '(..., data=df)')}); a run on a file "
                       "(`labelwright run`) can be used from the command line")
    config = frame_config(config, manifest, run_dir, command)
    dataset = _read_with_run_labels(config, manifest, run_dir, command,
                                    lambda labels: frame_items(config, frame, labels, command))
    expected = (manifest.get("data") or {}).get("sha256")
    if expected != dataset.sha256:
        raise RunError(f"the DataFrame given (data=, {len(frame)} rows x "
                       f"{len(frame.columns)} columns, sha256 {dataset.sha256[:12]}) is not "
                       f"the one run {run_dir.name} read ({_frame_shape(manifest)}, sha256 "
                       f"{str(expected)[:12]}): its labels would go with other texts; give "
                       f"the run's frame, or run the project on this one first "
                       f"(labelwright.run_project(path, data=df))")
    check_run_data(run_dir, manifest, config.data.path, dataset.sha256,
                   _GERUNDS.get(command, command), config.data_columns)
    return config, dataset


#: the verb of each command in "run `labelwright run` again before ..."
_GERUNDS = {"train": "training", "export": "exporting", "export --format wrench": "exporting",
            "review stats": "reading review stats"}
#: how each command is given a frame from Python
_CALLS = {"train": "labelwright.train_run(path, run, data=df)",
          "export": "labelwright.export_training_set(path, run=run, data=df)",
          "export --format wrench": "labelwright.review.wrench_export.export_wrench(path, "
                                    "run=run, data=df)",
          "review stats": "labelwright.review.review_stats(path, run, data=df)"}


def _frame_shape(manifest: dict[str, Any]) -> str:
    """``6 rows x 6 columns`` of the frame a run read, as its manifest records it."""
    shape = ((manifest.get("data") or {}).get("frame") or {}).get("shape")
    if isinstance(shape, list) and len(shape) == 2:
        return f"{shape[0]} rows x {shape[1]} columns"
    return "its shape not recorded"


def _file_items(config: ProjectConfig, labels: Sequence[str]) -> Dataset:
    from labelwright.data.dataset import read_dataset

    return read_dataset(config.data, tuple(labels))


def frame_config(config: ProjectConfig, manifest: dict[str, Any], run_dir: Path,
                 command: str) -> ProjectConfig:
    """``config`` reading a DataFrame given to ``command`` for the run of ``manifest``; a
    :class:`RunError` when that run read a file (``command`` reads that file)."""
    if not ran_on_frame(manifest):
        raise RunError(f"run {run_dir.name} read its items from the file "
                       f"{(manifest.get('data') or {}).get('path')}, not a DataFrame: "
                       f"{command} reads that file; leave out data=")
    return with_frame(config)


def frame_items(config: ProjectConfig, frame: pd.DataFrame, labels: Sequence[str],
                command: str) -> Dataset:
    """``frame`` read as the run read its DataFrame (``config``: :func:`frame_config`'s),
    its gold labels as ``labels``; a TypeError for anything but a DataFrame."""
    import pandas as pd

    from labelwright.data.project_frame import frame_dataset

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{command}: data is a {type(frame).__name__}; give the pandas "
                        "DataFrame the run read")
    return frame_dataset(frame, config, labels)


def _read_with_run_labels(config: ProjectConfig, manifest: dict[str, Any], run_dir: Path,
                          command: str, read: Callable[[Sequence[str]], Dataset]) -> Dataset:
    """The data ``read`` with the gold labels read as the run's labels: under the run's
    own names (data not rewritten since), else with each label renamed since under its
    current name (``[project] renamed``; data whose gold column was rewritten to the new
    names), in the run's order either way; a :class:`RunError` naming the run, its labels
    and the project's when a gold label is neither."""
    own = run_label_set(config, manifest)
    readings = list(dict.fromkeys([own, run_reading_labels(config, manifest)]))
    for k, reading in enumerate(readings):
        try:
            return read(reading)
        except UnknownGoldError as exc:
            if k + 1 < len(readings):
                continue
            differ = labels_differ(config, {**manifest, "run_id": run_dir.name})
            if differ is None:
                raise
            first = str(exc).splitlines()[0]
            renamed = ("" if reading == own else
                       f" (read as {', '.join(reading)} too, with [project] renamed)")
            raise RunError(f"{differ}, and the data's gold column has a label the run did "
                           f"not have{renamed}: {first}; {command} reads a run's outputs with "
                           "its own labels: use a run made with the current labels "
                           "(`labelwright run` makes one), or, where a label was renamed, "
                           "name it in [project] renamed = { old = \"new\" }") from None
    raise AssertionError("unreachable")  # the loop returns or raises
