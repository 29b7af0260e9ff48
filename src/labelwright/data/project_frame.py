"""A pandas DataFrame read as a project's items (``run_project(path, data=df)``), with its
``[data]`` columns: here, not with the apply, so that the commands that only read items
(``review import``, ``review stats``) do not import spaCy for it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from labelwright.config.data_override import FRAME_SOURCE
from labelwright.data.dataset import Dataset, dataset_from_frame
from labelwright.data.frame_hash import frame_sha256

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config import ProjectConfig


def frame_dataset(frame: pd.DataFrame, config: ProjectConfig,
                  labels: Sequence[str] | None = None) -> Dataset:
    """``frame`` as the project's items: its ``[data]`` id, text and gold columns and
    ``bad_rows`` and ``duplicate_rows``, its labels (or ``labels``: a run's); its hash
    :func:`~labelwright.data.frame_hash.frame_sha256` of the frame as given."""
    data = config.data
    return dataset_from_frame(frame, id_column=data.id_column, text_column=data.text_column,
                              gold_column=data.gold_column, gold_values=data.gold_values,
                              labels=config.labels if labels is None else labels,
                              source=FRAME_SOURCE, sha256=frame_sha256(frame),
                              bad_rows=data.bad_rows, duplicate_rows=data.duplicate_rows,
                              hints="config")
