"""The items an import checks its rows against: the project's data (its ``[data] path``,
the file ``--data`` names, or a pandas DataFrame given as ``data=``), or, for rows exported
by runs that read a DataFrame no file holds, those runs' own records.

A row is checked for an item the data has, and its text for the one the item has now. A
run on a DataFrame (``run_project(path, data=df)``) leaves no file to read: given the frame
again, the import reads it as the run did; without it, the ids of the runs the rows name
(their ``labels.parquet``) are the items, and the texts are those the runs exported for
review (a text edited since cannot be told: :attr:`ImportItems.note` says so).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig
from labelwright.config.data_override import DATA_OPTION, ran_on_frame, with_data
from labelwright.data.dataset import read_dataset
from labelwright.data.part_files import many_files
from labelwright.data.project_frame import frame_dataset
from labelwright.errors import RunError
from labelwright.review.imports.readers import Row
from labelwright.runs.store import read_manifest, run_labels


@dataclass
class ImportItems:
    """Item ids and their texts now (None: not known), and the hash of the data read
    (None for runs' records)."""

    ids: list[str]
    texts: list[str | None]
    sha256: str | None
    #: said in the import's notes when the items are runs' records, not data
    note: str | None = None


def import_items(config: ProjectConfig, rows: Sequence[Row], data: Any,
                 run_ids: set[str]) -> ImportItems:
    """The items ``rows`` are checked against (``data``: as :func:`with_data` reads it)."""
    config, frame = with_data(config, data, "import_file")
    on_frames = {} if data is not None or config.data.path.is_file() or many_files(
        config.data) else _frame_runs(
        config, rows, run_ids)
    if not on_frames:
        dataset = (read_dataset(config.data, config.labels) if frame is None
                   else frame_dataset(frame, config))
        return ImportItems(list(dataset.ids), list(dataset.texts), dataset.sha256)
    ids: dict[str, None] = {}
    for run_id, manifest in on_frames.items():
        ids.update(dict.fromkeys(run_labels(config.runs_path / run_id, manifest, ["id"])["id"]
                                 .astype(str)))
    return ImportItems(list(ids), [None] * len(ids), None, note=(
        f"run(s) {', '.join(on_frames)} read a pandas DataFrame: the rows were checked "
        "against the items those runs labelled and the texts they exported; give the frame "
        "(import_file(..., data=df)) to check them against the texts it holds"))


def _frame_runs(config: ProjectConfig, rows: Sequence[Row], run_ids: set[str]
                ) -> dict[str, dict[str, Any]]:
    """The runs ``rows`` name that read a DataFrame, oldest first, with their manifests."""
    named = sorted({str(row.run_id) for row in rows if row.run_id} & run_ids)
    found = {}
    for run_id in named:
        try:
            manifest = read_manifest(config.runs_path / run_id)
        except RunError:
            continue
        if ran_on_frame(manifest):
            found[run_id] = manifest
    return found


def shown_file(path: Path) -> str:
    """A data file as a line shows it for ``--data``, which is relative to the current
    folder: relative to it when inside it, else absolute."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def data_option_reader(config: ProjectConfig, data: Any) -> Callable[[str], str | None]:
    """``read_with_data(run_id)``: the file a run read with ``--data`` (as :func:`shown_file`
    shows it), when that is not the file this import reads (``data``: as
    :func:`with_data` reads it); None for a run that read ``[data] path`` or the same file.
    A row of a run made with ``run --data data/batch2.csv`` imported without ``--data`` was
    called "deleted from the data since?", though the manifest records where its item
    came from."""
    now = with_data(config, data, "import_file")[0].data.path
    cache: dict[str, str | None] = {}

    def read_with_data(run_id: str) -> str | None:
        if run_id not in cache:
            try:
                recorded = read_manifest(config.runs_path / run_id).get("data") or {}
            except RunError:
                recorded = {}
            path = recorded.get("path")
            cache[run_id] = (shown_file(Path(path)) if recorded.get("path_from") == DATA_OPTION
                             and isinstance(path, str) and Path(path) != now else None)
        return cache[run_id]

    return read_with_data
