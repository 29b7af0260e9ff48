"""What :func:`~labelwright.lfs.stats.lf_summary` is given, checked: the label matrix and
the known labels per item (``gold``, ``queue``), each turned into what the statistics
count or refused with an error that says what was expected, before any is counted.

A notebook holds gold labels as names (``df["gold"]``, ``None`` or NaN where there is
none) as often as class indices; both are read, the names by the matrix's own labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.matrix import LabelMatrix
from labelwright.short_repr import type_name


def checked_matrix(matrix: Any) -> LabelMatrix:
    """``matrix`` when it is a :class:`LabelMatrix`; a TypeError saying where one comes
    from otherwise (a votes array alone has no LF names, ids or labels)."""
    if isinstance(matrix, LabelMatrix):
        return matrix
    raise TypeError(
        f"lf_summary: matrix must be a LabelMatrix, got {type_name(matrix)}: use "
        "applied.matrix (from apply_project), LabelMatrix.read_parquet(run_dir / "
        "'label_matrix.parquet'), or, "
        "for an array of votes alone, LabelMatrix(votes, lf_names, item_ids, labels) from "
        "labelwright.matrix")


def class_indices(values: Any, matrix: LabelMatrix, name: str, who: str = "lf_summary"
                  ) -> np.ndarray | None:
    """``values`` (one per item of ``matrix``, in its ``item_ids`` order) as class indices,
    -1 where there is no label; None stays None.

    Taken: class indices (``0..k-1``, -1 for none; whole floats, NaN for none, as a pandas
    column with a missing value holds them), or label names of ``matrix.labels`` (``None``,
    NaN and ``""`` for none). A length other than the matrix's items, an index out of
    range or an unknown name is a ValueError naming the position; a value of another kind
    (a bool, a list) is a TypeError. ``who``: the function the messages name."""
    if values is None:
        return None
    array = in_item_order(values, matrix)
    if array.ndim == 1 and len(array) != len(matrix.item_ids):
        raise ValueError(f"{who}: {name} has {len(array)} values, the label matrix "
                         f"{len(matrix.item_ids)} items: give one per item, in "
                         "matrix.item_ids order")
    return label_indices(array, matrix.labels, name, who)


def label_indices(array: np.ndarray, labels: tuple[str, ...], name: str, who: str
                  ) -> np.ndarray:
    """``array`` (1-D: a label name or class index per item) as class indices of
    ``labels``, -1 for none, read as :func:`class_indices` reads its values (the end
    model's ``fit(texts, y)`` and ``score`` read ``y`` so too)."""
    n = len(array)
    valid = (f"class indices 0..{len(labels) - 1} (-1 for none) or label names "
             f"({', '.join(map(repr, labels))}; None for none)")
    if array.ndim != 1:
        raise ValueError(f"{who}: {name} must be 1-D, one value per item, got shape "
                         f"{array.shape}")
    if array.dtype == bool:
        raise TypeError(f"{who}: {name} holds booleans; expected {valid}")
    if np.issubdtype(array.dtype, np.integer):
        return _in_range(array.astype(np.int64), labels, name, who)
    if np.issubdtype(array.dtype, np.floating):
        whole = np.isnan(array) | (array == np.round(array))
        if not whole.all():
            position = int(np.flatnonzero(~whole)[0])
            raise ValueError(f"{who}: {name}[{position}] is {float(array[position])!r}; "
                             f"expected {valid}")
        return _in_range(np.where(np.isnan(array), -1, array).astype(np.int64), labels, name,
                         who)
    index = {label: k for k, label in enumerate(labels)}
    out = np.empty(n, dtype=np.int64)
    for position, value in enumerate(array.tolist()):
        if isinstance(value, str) and value in index:
            out[position] = index[value]
        elif value is None or (isinstance(value, str) and not value) or _is_nan(value):
            out[position] = -1
        elif isinstance(value, str):
            raise ValueError(f"{who}: {name}[{position}] is {value!r}, not one of the "
                             f"labels ({', '.join(map(repr, labels))})")
        elif isinstance(value, int | np.integer) and not isinstance(value, bool):
            out[position] = int(value)
        else:
            raise TypeError(f"{who}: {name}[{position}] is {value!r} (type "
                            f"{type(value).__name__}); expected {valid}")
    return _in_range(out, labels, name, who)


def in_item_order(values: Any, matrix: LabelMatrix) -> np.ndarray:
    """``values`` as an array in ``matrix.item_ids`` order: a pandas Series whose index holds
    exactly the matrix's item ids (``df.set_index("id")["gold"]``, in any row order) is read
    by id; anything else by position, as given."""
    if not hasattr(values, "to_numpy"):  # a list, a tuple, an array: by position
        return np.asarray(values)
    index, array = getattr(values, "index", None), values.to_numpy()
    if index is None or callable(index) or array.ndim != 1 or len(index) != len(
            matrix.item_ids):
        return array
    keys = [str(key) for key in index]
    ids = [str(item) for item in matrix.item_ids]
    if keys == ids or set(keys) != set(ids) or len(set(keys)) != len(keys):
        return array
    position = {key: k for k, key in enumerate(keys)}
    return array[[position[item] for item in ids]]


def _in_range(indices: np.ndarray, labels: tuple[str, ...], name: str, who: str
              ) -> np.ndarray:
    bad = (indices < -1) | (indices >= len(labels))
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{who}: {name}[{position}] is {int(indices[position])}, out "
                         f"of range: class indices are 0..{len(labels) - 1} "
                         f"({', '.join(map(repr, labels))}) and -1 for none")
    return indices


def _is_nan(value: Any) -> bool:
    """NaN or ``pd.NA`` (a missing value of a pandas column)."""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return type(value).__name__ == "NAType"
