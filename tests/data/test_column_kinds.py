"""A field column holding numbers in some rows and text in others (4 and "4") is named in a
dataset warning; missing values are neither."""

import json

import numpy as np
import pandas as pd

from labelwright.config import DataConfig
from labelwright.data import read_dataset
from labelwright.data.column_kinds import ColumnCounts, ColumnNotes

LABELS = ("billing", "technical")


def test_a_column_of_numbers_and_text_is_named(tmp_path, make_project):
    """Parts of a review dataset written with other types, merged: ``"stars": 4`` in the
    first rows and ``"stars": "4"`` in later ones. An LF comparing the column sees two
    values where there is one, and nothing said the column mixed them."""
    from labelwright.project.check import check_project

    rows = [{"id": str(k), "text": "t", "stars": k % 5, "flag": k % 2 == 0, "score": 0.5,
             "code": f"c{k}"} for k in range(5)]
    rows[2]["stars"] = None  # missing: neither kind
    rows[1]["score"] = None
    rows[3]["code"] = 7
    rows += [{"id": str(k), "text": "t", "stars": str(k % 5), "flag": "yes", "code": f"c{k}"}
             for k in range(5, 8)]
    path = tmp_path / "reviews.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    data = read_dataset(DataConfig(path=path, id_column="id", text_column="text"), LABELS)
    said = [w for w in data.warnings if "holds numbers in" in w]
    assert said == [
        f"{path}: column 'stars' holds numbers in 4 rows and text in 3 rows (first text: row 6, "
        "'0'): an LF sees a number and the same number written as text (4 and '4') as "
        "different values, never equal, and ordering one by the other raises; write the "
        "column with one type in every part, or convert it in the LF (int(...), str(...))",
        f"{path}: column 'code' holds numbers in 1 row and text in 7 rows (first a number: row "
        "4, 7): an LF sees a number and the same number written as text (4 and '4') as "
        "different values, never equal, and ordering one by the other raises; write the "
        "column with one type in every part, or convert it in the LF (int(...), str(...))",
    ], said  # flag holds bools and text, score numbers and a gap: neither is named
    root = make_project(gold=None)
    assert said[0] in check_project(root, data=path).warnings


def _counts(column: pd.Series) -> ColumnCounts:
    return ColumnNotes.of([("c", column)], heads=("c",)).columns["c"]


def test_text_and_numbers_are_counted_over_every_row():
    """Bools are no numbers and None, NaN are missing; the first of each kind is found
    however late it comes."""
    column = pd.Series([1, True, None, np.nan, 2.5, np.int64(3)] * 400 + ["a"], dtype=object)
    found = _counts(column)
    assert found.holds_text() == "some"
    assert (found.texts, found.numbers, found.first_text, found.first_number) == (
        1, 1200, (2400, 2400, "a"), (0, 0, 1))
    assert [value for _, _, value in found.head] == ["a"]
    no_text = _counts(pd.Series([1, True] * 10, dtype=object))
    assert no_text.holds_text() == "" and (no_text.texts, no_text.numbers) == (0, 10)
    assert _counts(pd.Series(["a", None] * 10)).holds_text() == "all"
    assert _counts(pd.Series(["a", "b"], dtype="category")).holds_text() == "all"
    assert _counts(pd.Series([1.5, np.nan])).holds_text() == ""
    assert _counts(pd.Series([1, "a"], dtype="category")).holds_text() == "some"
