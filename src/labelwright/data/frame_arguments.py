"""What :func:`~labelwright.data.dataset.dataset_from_frame` checks before it reads a row:
its arguments (the settings, the frame, the labels) and the frame's columns (the id, text
and gold columns named, none of them shared or missing, no name twice).

Each problem here is raised at once, naming the argument or the column: the rows' problems,
said together in one error, are :mod:`~labelwright.data.frame_rows`'.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from labelwright.config import label_problem, shared_column
from labelwright.config.data_override import FRAME_SOURCE
from labelwright.data.bad_rows import check_bad_rows
from labelwright.data.missing_columns import missing_column
from labelwright.data.read_problems import UnreadRows
from labelwright.data.required import frame_hint
from labelwright.data.row_copies import check_duplicate_rows
from labelwright.data.text_checks import check_unique_columns
from labelwright.errors import DataError
from labelwright.short_repr import type_name


def checked_arguments(frame: pd.DataFrame, labels: Sequence[str], *, bad_rows: str,
                      duplicate_rows: str, hints: str) -> tuple[str, ...]:
    """``labels`` as a tuple, once the settings (``bad_rows``, ``duplicate_rows``,
    ``hints``), ``frame`` (a DataFrame) and ``labels`` (as ``[project] labels`` must be;
    an array, Index or Series of them taken as its list) are found to be what
    :func:`~labelwright.data.dataset.dataset_from_frame` takes; else the error naming the
    one that is not."""
    check_bad_rows(bad_rows)
    check_duplicate_rows(duplicate_rows)
    if hints not in ("python", "config"):
        raise ValueError(f"dataset_from_frame: hints must be 'python' or 'config', got {hints!r}")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"dataset_from_frame: frame must be a pandas DataFrame, got "
                        f"{type_name(frame)}{frame_hint(frame)}")
    if isinstance(labels, np.ndarray | pd.Index | pd.Series):  # frame.gold.unique()
        labels = labels.tolist()
    problem = label_problem(labels, "labels")
    if problem is not None:
        raise (TypeError if problem.wrong_type else ValueError)(
            f"dataset_from_frame: {problem.message}")
    return tuple(labels)


def named_columns(frame: pd.DataFrame, source: str, unread: UnreadRows | None, *,
                  id_column: str, text_column: str, gold_column: str | None,
                  hints: str) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with its column names as text (``0`` and ``"0"`` are one name in a file)
    and its index dropped, and those names in order, once the id, text and gold columns
    are found among them: an id or text column that is no name, a column given two roles,
    a name twice or a column missing is an error (for a missing one, the error of the
    rows that could not be read, ``unread``, which may hold it, its hint said as ``hints``
    asks)."""
    for name, value in (("id_column", id_column), ("text_column", text_column)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"dataset_from_frame: {name} must name a column of the frame (a "
                            f"non-empty string), got {value!r}")
    shared = shared_column(id_column, text_column, gold_column)  # as [data] refuses it
    if shared is not None:
        raise DataError(f"{source}: {shared[2]}")
    columns = [str(c) for c in frame.columns]
    check_unique_columns(columns, source, as_text=True)
    frame = frame.set_axis(columns, axis=1)
    for role, column in (("id", id_column), ("text", text_column), ("gold", gold_column)):
        if column is not None and column not in columns:
            if unread is not None:  # the column may be in the rows that cannot be read
                raise unread.error(source, hints)
            raise missing_column(source, role, column, columns,
                                 row_index=frame.attrs.get("row_index"),
                                 delimiter=frame.attrs.get("delimiter", ","),
                                 index=[str(n) for n in frame.index.names
                                        if n is not None],
                                 frame_index=source == FRAME_SOURCE,
                                 whole="part_of" not in frame.attrs)
    return frame.reset_index(drop=True), columns
