"""The data ``runs verify`` reads: a file given with ``runs verify --data PATH`` in place of
the one a run read, and each data file hashed, and its items' texts hashed, once.

A project's data file grows (tonight's rows appended), so a run made before cannot be
compared with it any more, nor recomputed. Keeping the day's file and giving it back with
``--data`` does both: the file is read with the ``[data]`` settings the run recorded
(``quoting``, ``columns``, ``delimiter``: the data hash covers them), so it is the run's data
exactly when its hash is the one the run recorded (:func:`given_data_config`).

``runs verify --all --inputs`` compares many runs with one file: :class:`DataReads` keeps
the file's hash and its items' text hashes, keyed by the file's path and state (size,
modification and change times, inode: :data:`~labelwright.caches.FileState`) and the
settings it is read with, so each is computed once, not once per run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.caches import file_state
from labelwright.config import DataConfig, ProjectConfig

if TYPE_CHECKING:
    import pandas as pd

#: ``path_from`` of the data a run is compared with when given to ``runs verify --data``
VERIFY_DATA = "runs verify --data"


def given_data_config(config: ProjectConfig, manifest: dict[str, Any], path: Path
                      ) -> ProjectConfig:
    """``config`` reading the file ``path`` (given to ``runs verify --data``) as the run of
    ``manifest`` read its data: its ``quoting``, ``columns`` and ``delimiter`` as recorded
    (a manifest from before they were recorded read with the defaults)."""
    data = manifest.get("data") or {}
    columns = data.get("columns")
    return replace(config, data=replace(
        config.data, path=path, parts=None, path_from=VERIFY_DATA,
        quoting=str(data.get("quoting", "auto")),
        columns=None if columns is None else tuple(columns),
        delimiter=data.get("delimiter")))


class DataReads:
    """Data files hashed, and their items' texts hashed, once per file as it is on disk
    (path, size, modification time) and the settings it is read with; a DataFrame once per
    frame given."""

    def __init__(self) -> None:
        self._done: dict[tuple[Any, ...], Any] = {}

    def _once(self, what: str, key: tuple[Any, ...] | None, compute: Callable[[], Any]) -> Any:
        if key is None:  # no file to key by: computed each time
            return compute()
        key = (what, *key)
        if key not in self._done:
            self._done[key] = compute()
        return self._done[key]

    @staticmethod
    def _file_key(data: DataConfig) -> tuple[Any, ...] | None:
        """The file's state, or for a dataset in many files each part's (a part changed
        in place leaves the folder's own state as it was)."""
        from labelwright.data.part_files import many_files, part_files
        from labelwright.errors import DataError

        try:
            files = part_files(data) if many_files(data) else [data.path]
            states = [(str(path), *file_state(os.stat(path))) for path in files]
        except (OSError, DataError):
            return None
        return (replace(data, path_from=None), *states)

    def sha256(self, data: DataConfig, compute: Callable[[], str | None]) -> str | None:
        """The data hash of the file ``data`` reads (``compute`` it when not yet)."""
        return self._once("sha256", self._file_key(data), compute)

    def item_hashes(self, data: DataConfig, labels: tuple[str, ...],
                    frame: pd.DataFrame | None, compute: Callable[[], pd.DataFrame]
                    ) -> pd.DataFrame:
        """Each item's id and text hash in the data ``data`` (or ``frame``) gives
        (``compute`` them when not yet): the caller must not change the frame returned."""
        key = ((id(frame), data.id_column, data.text_column) if frame is not None
               else self._file_key(data))
        return self._once("texts", None if key is None else (*key, labels), compute)


def given_data(config: ProjectConfig, data: pd.DataFrame | str | Path | None
               ) -> tuple[Path | None, pd.DataFrame | None]:
    """``verify_runs``' ``data=`` as ``(file, frame)``: a path (relative to the current
    folder) as the file it names, a :class:`~labelwright.errors.DataError` naming it when
    no file is there; a DataFrame as the frame."""
    from labelwright.config.data_override import with_data_path

    if isinstance(data, (str, Path)):
        return with_data_path(config, data).data.path, None
    return None, data
