"""An item's fields as the LFs get them: a missing value is None, whatever the reader made of
it, and a column with no missing value is passed on as it is."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from labelwright.apply.chunks import Chunk
from labelwright.apply.item_fields import field_rows, missing_as_none_all


def test_every_kind_of_missing_value_is_none():
    column = ["a", None, math.nan, np.float64("nan"), pd.NA, pd.NaT, 0, "", False]
    assert missing_as_none_all(column) == ["a", None, None, None, None, None, 0, "", False]


def test_a_column_with_nothing_missing_is_passed_on_as_it_is():
    column = ["a", 0, 1.5, "", False, [1, 2], {"k": None}, (None,)]
    assert missing_as_none_all(column) is column


def test_rows_hold_none_where_a_cell_is_missing():
    chunk = Chunk(start=0, ids=["1", "2"], texts=["x", "y"],
                  fields={"stars": [5.0, math.nan], "plan": ["pro", "free"],
                          "tags": [[1, 2], [3, 4]]})
    assert field_rows(chunk) == [{"stars": 5.0, "plan": "pro", "tags": [1, 2]},
                                 {"stars": None, "plan": "free", "tags": [3, 4]}]
