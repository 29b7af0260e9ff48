"""The label matrix: one row per item, one column per LF, -1 where the LF abstained."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.lib.mixins import NDArrayOperatorsMixin

from labelwright.errors import RunError
from labelwright.short_repr import ShortRepr

ABSTAIN = -1
#: the column of item ids in ``label_matrix.parquet`` (so no LF may have this name)
ID_COLUMN = "id"


def vote_dtype(n_labels: int) -> np.dtype:
    """The smallest signed int type that holds every label index and -1."""
    return np.dtype(np.int8 if n_labels <= 127 else np.int16)


@dataclass(repr=False, eq=False)
class LabelMatrix(NDArrayOperatorsMixin, ShortRepr):
    """The LFs' votes on the items: what ``apply_project`` gives as ``applied.matrix`` and
    a run writes as ``label_matrix.parquet`` (:meth:`read_parquet` reads it back).

    Where numpy or snorkel read an array it reads as :attr:`votes`: ``np.asarray(matrix)``,
    ``matrix == -1``, ``matrix + 1`` and ``matrix[:, j]`` are those of the votes (plain
    arrays, not LabelMatrix), so ``LFAnalysis(L=matrix)`` and a label model's ``fit(matrix)``
    take it as they take the votes. (``==`` is the votes', as an array's is, not a
    comparison of two matrices.)

    Attributes
    ----------
    votes
        ``(n_items, n_lfs)`` small signed ints (:func:`vote_dtype`): ``votes[i, j]`` is LF
        ``j``'s label index on item ``i`` (``labels[k]`` names index ``k``), -1 an abstain.
        What a label model's ``fit`` and ``predict_proba`` take.
    lf_names
        The LF of each column, in the project's order (Python LFs, then glossaries'
        ``glossary:<name>``).
    item_ids
        The item of each row, as text (``dataset.ids``), in the dataset's order.
    labels
        The project's labels, in the order of their indices.
    """

    votes: np.ndarray  # (n_items, n_lfs), small signed ints, -1 abstain
    lf_names: list[str]
    item_ids: list[str]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.votes.shape != (len(self.item_ids), len(self.lf_names)):
            raise ValueError(f"votes have shape {self.votes.shape}, expected "
                             f"({len(self.item_ids)}, {len(self.lf_names)})")
        if ID_COLUMN in self.lf_names:
            raise ValueError(f"no LF may be named {ID_COLUMN!r}: the label matrix keeps the "
                             "item ids under that name")

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """:attr:`votes`, for ``np.asarray(matrix)`` and whatever reads an array so."""
        if copy:
            return np.array(self.votes, dtype=dtype, copy=True)
        return np.asarray(self.votes, dtype=dtype)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any,
                        **kwargs: Any) -> Any:
        """numpy's functions and operators on the matrix are those on its votes; what they
        give is a plain array (a sum or a mask of votes is no label matrix)."""
        inputs = tuple(x.votes if isinstance(x, LabelMatrix) else x for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(x.votes if isinstance(x, LabelMatrix) else x
                                  for x in kwargs["out"])
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        """``matrix[i, j]``: :attr:`votes`' (a view or a value, as numpy indexes them);
        ``matrix["says_lol"]``, an LF's name, is :meth:`column`'s (numpy's own error for a
        name, "only integers, slices ...", said nothing of the LFs)."""
        if isinstance(key, str):
            return self.column(key)
        return self.votes[key]

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_items, n_lfs)``."""
        return self.votes.shape  # type: ignore[return-value]

    @property
    def ndim(self) -> int:
        """2, as the votes' (code that reads an array asks)."""
        return int(self.votes.ndim)

    @property
    def dtype(self) -> np.dtype:
        """The votes' dtype (:func:`vote_dtype`)."""
        return self.votes.dtype

    def flatten(self) -> np.ndarray:
        """The votes in one row, as ``votes.flatten()`` (snorkel's ``LFAnalysis`` calls it)."""
        return self.votes.flatten()

    def summary(self) -> dict[str, object]:
        """What its one-line repr shows: the number of items, the LFs and the labels."""
        return {"items": len(self.item_ids), "lfs": self.lf_names, "labels": self.labels}

    def column(self, lf_name: str) -> np.ndarray:
        """The votes of the LF ``lf_name`` (one per item, -1 an abstain): a view of
        :attr:`votes`, not a copy; a name that is no LF is a KeyError listing them."""
        if lf_name not in self.lf_names:
            raise KeyError(f"no LF {lf_name!r} in the label matrix; its LFs: "
                           f"{', '.join(self.lf_names)}")
        return self.votes[:, self.lf_names.index(lf_name)]

    def columns(self, lf_names: list[str]) -> LabelMatrix:
        """The matrix of the LFs ``lf_names`` only, in that order."""
        index = [self.lf_names.index(name) for name in lf_names]
        return LabelMatrix(self.votes[:, index], list(lf_names), self.item_ids, self.labels)

    def to_frame(self, *, names: bool = False) -> pd.DataFrame:
        """The votes as a DataFrame, as ``label_matrix.parquet`` holds them: an ``id``
        column (:attr:`item_ids`), then one column of label indices per LF (-1 an abstain),
        rows in the dataset's order. ``names=True``: each vote as its label's name, missing
        (``pd.isna``) for an abstain, to read in a notebook
        (``to_frame(names=True).set_index("id")``); a label model takes the indices."""
        if names:
            if not self.labels:
                raise ValueError("to_frame(names=True): this matrix names no labels; give "
                                 "them, LabelMatrix(votes, lf_names, item_ids, labels)")
            named = np.asarray([*self.labels, None], dtype=object)
            frame = pd.DataFrame(named[self.votes], columns=self.lf_names)  # -1: the last, None
        else:
            frame = pd.DataFrame(self.votes, columns=self.lf_names)
        frame.insert(0, ID_COLUMN, self.item_ids)
        return frame

    def to_table(self) -> pa.Table:
        """:meth:`to_frame` as an Arrow table, the labels in its schema's metadata."""
        arrays = [pa.array(self.item_ids, type=pa.string())]
        arrays += [pa.array(self.votes[:, j]) for j in range(len(self.lf_names))]
        meta = {b"labelwright.labels": json.dumps(list(self.labels)).encode()}
        schema = pa.schema(
            [pa.field(ID_COLUMN, pa.string())]
            + [pa.field(name, arrays[j + 1].type) for j, name in enumerate(self.lf_names)],
            metadata=meta,
        )
        return pa.Table.from_arrays(arrays, schema=schema)

    def write_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_table` to ``path``, as a run writes ``label_matrix.parquet``."""
        pq.write_table(self.to_table(), path)

    @classmethod
    def read_parquet(cls, path: str | os.PathLike[str]) -> LabelMatrix:
        """The matrix a run wrote (``run_dir / "label_matrix.parquet"``, or
        :func:`~labelwright.apply.apply_file`'s ``out``), labels from its metadata; a file
        that is no label matrix is a :class:`RunError` naming it."""
        try:
            table = pq.read_table(path)
        except Exception as exc:
            raise RunError(f"{path}: cannot read the label matrix: {exc}") from None
        meta = table.schema.metadata or {}
        labels = tuple(json.loads(meta.get(b"labelwright.labels", b"[]")))
        names = [n for n in table.column_names if n != ID_COLUMN]
        dtype = vote_dtype(len(labels) or 2)
        votes = np.empty((table.num_rows, len(names)), dtype=dtype)
        for j, name in enumerate(names):
            votes[:, j] = table.column(name).to_numpy()
        return cls(votes, names, table.column(ID_COLUMN).to_pylist(), labels)
