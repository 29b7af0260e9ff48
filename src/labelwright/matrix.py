"""The label matrix: one row per item, one column per LF, -1 where the LF abstained."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.errors import RunError
from labelwright.short_repr import ShortRepr

ABSTAIN = -1
#: the column of item ids in ``label_matrix.parquet`` (so no LF may have this name)
ID_COLUMN = "id"


def vote_dtype(n_labels: int) -> np.dtype:
    """The smallest signed int type that holds every label index and -1."""
    return np.dtype(np.int8 if n_labels <= 127 else np.int16)


@dataclass(repr=False)
class LabelMatrix(ShortRepr):
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

    @property
    def shape(self) -> tuple[int, int]:
        return self.votes.shape  # type: ignore[return-value]

    def summary(self) -> dict[str, object]:
        return {"items": len(self.item_ids), "lfs": self.lf_names, "labels": self.labels}

    def column(self, lf_name: str) -> np.ndarray:
        return self.votes[:, self.lf_names.index(lf_name)]

    def columns(self, lf_names: list[str]) -> LabelMatrix:
        """The matrix of the LFs ``lf_names`` only, in that order."""
        index = [self.lf_names.index(name) for name in lf_names]
        return LabelMatrix(self.votes[:, index], list(lf_names), self.item_ids, self.labels)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.votes, columns=self.lf_names)
        frame.insert(0, ID_COLUMN, self.item_ids)
        return frame

    def to_table(self) -> pa.Table:
        arrays = [pa.array(self.item_ids, type=pa.string())]
        arrays += [pa.array(self.votes[:, j]) for j in range(len(self.lf_names))]
        meta = {b"labelwright.labels": json.dumps(list(self.labels)).encode()}
        schema = pa.schema(
            [pa.field(ID_COLUMN, pa.string())]
            + [pa.field(name, arrays[j + 1].type) for j, name in enumerate(self.lf_names)],
            metadata=meta,
        )
        return pa.Table.from_arrays(arrays, schema=schema)

    def write_parquet(self, path: Path) -> None:
        pq.write_table(self.to_table(), path)

    @classmethod
    def read_parquet(cls, path: Path) -> LabelMatrix:
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
