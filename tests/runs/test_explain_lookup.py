"""explain reads an item's rows of labels.parquet and the label matrix batch by batch:
the same row, with the same values and types, as the files read whole give."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from labelwright.errors import RunError, UnknownItemError
from labelwright.project import run_project
from labelwright.runs.explain import lookup as explain_lookup
from labelwright.runs.explain.lookup import item_row, matrix_row


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def test_rows_read_in_batches_are_the_whole_reads(make_project: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explain_lookup, "BATCH_ROWS", 2)  # rows across several batches
    root = make_project(rows=[{"id": f"t{i}", "text": text, "plan": "pro", "gold": ""}
                              for i, text in enumerate(["refund me", "app crashes",
                                                        "hello there", "invoice error",
                                                        "nothing here", "charged twice",
                                                        "login fails"])])
    result = run_project(root, report=False)
    labels = result.run_dir / "labels.parquet"
    frame = pq.read_table(labels).to_pandas()
    matrix = pq.read_table(result.run_dir / "label_matrix.parquet").to_pylist()
    assert frame["label"].isna().any()  # an uncovered item: a missing label compared too
    for position, item_id in enumerate(frame["id"]):
        row, index = item_row(labels, item_id)
        whole = frame.iloc[position].to_dict()
        assert index == position and list(row) == list(whole)
        assert all(_same(whole[k], row[k]) for k in whole), (whole, row)
        assert matrix_row(result.run_dir, index, item_id) == matrix[position]
    with pytest.raises(UnknownItemError, match=r"no item with id 't70' among 7 items; did you "
                                               r"mean 't0'"):
        item_row(labels, "t70")


def test_a_matrix_without_the_row_is_inconsistent(make_project: Any) -> None:
    root = make_project()
    result = run_project(root, report=False)
    with pytest.raises(RunError, match=r"has no row 100, expected 't1'; the run folder is "
                                        "inconsistent"):
        matrix_row(Path(result.run_dir), 99, "t1")
