"""Finding an item in a run's outputs for ``explain``: its row of ``labels.parquet`` (an
unknown id named with the ids that look like it) and of the label matrix, each file a
:class:`~labelwright.errors.RunError` saying it is missing when it is gone."""

from __future__ import annotations

import difflib
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from labelwright.errors import RunError, UnknownItemError

MAX_SUGGESTIONS = 5


def close_ids(item_id: str, ids: list[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """Ids that look like ``item_id``, closest first."""
    return difflib.get_close_matches(item_id, ids, n=n, cutoff=0.5)


def item_row(frame: pd.DataFrame, item_id: str, path: Path) -> dict[str, Any]:
    found = frame.index[frame["id"] == item_id]
    if len(found) == 0:
        ids = frame["id"].astype(str).tolist()
        near = close_ids(item_id, ids)
        hint = f"; did you mean {', '.join(_suggestion(i, item_id) for i in near)}?" if near \
            else (f"; ids look like {', '.join(repr(i) for i in ids[:3])}" if ids else "")
        raise UnknownItemError(f"{path}: no item with id {item_id!r} among {len(ids)} items{hint}")
    return frame.loc[found[0]].to_dict()


def _suggestion(near: str, item_id: str) -> str:
    """``near`` as a suggestion for the id ``item_id``, spelt out in code points when the two
    are the same letters in other Unicode code points ("ü" as one, or as "u" and a combining
    diaeresis): they print the same, and "did you mean 'ü'?" for 'ü' said nothing."""
    if unicodedata.normalize("NFC", near) != unicodedata.normalize("NFC", item_id):
        return repr(near)
    return (f"{near!r} (the same letters in other Unicode code points: {ascii(near)}, not "
            f"{ascii(item_id)})")


def run_file(run_dir: Path, name: str, what: str) -> Path:
    """The path of the run's output ``name``, or a :class:`RunError` saying it is missing
    (a bare "cannot read" naming the path did not say that the file was gone)."""
    path = run_dir / name
    if not path.is_file():
        raise RunError(f"{path}: missing (deleted or moved since the run wrote it), so the "
                       f"run's {what} cannot be shown; `labelwright runs verify` checks "
                       "the whole run")
    return path


def matrix_row(run_dir: Path, index: int, item_id: str) -> dict[str, Any]:
    """Row ``index`` of the run's label matrix (``{"id": ..., lf: vote code}``), which must
    be the item ``item_id``'s, as its row of ``labels.parquet`` says."""
    matrix_path = run_file(run_dir, "label_matrix.parquet", "votes")
    try:
        matrix: dict[str, Any] = pq.read_table(matrix_path).slice(index, 1).to_pylist()[0]
    except Exception as exc:
        raise RunError(f"{matrix_path}: cannot read the label matrix: {exc}") from None
    if matrix.get("id") != item_id:
        raise RunError(f"{matrix_path}: row {index + 1} holds item {matrix.get('id')!r}, "
                       f"expected {item_id!r}; the run folder is inconsistent")
    return matrix
