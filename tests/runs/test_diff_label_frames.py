"""A comparison's labels: Python strings as before, one per label shared by its items."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from labelwright.config import NO_LABEL
from labelwright.runs.diff.label_frames import _label_frame


def _as_before(labels: pd.Series) -> pd.Series:
    """What the comparison made of a run's labels before they were shared."""
    return labels.astype("object").where(labels.notna(), NO_LABEL)


def test_labels_read_from_a_run_are_the_strings_they_were() -> None:
    table = pa.table({"id": ["a", "b", "c", "d", "e"],
                      "label": pa.array(["spam", None, "ham", "spam", "ünï"], pa.string())})
    frame = table.to_pandas()
    before = _as_before(frame["label"].copy())
    labels = _label_frame(frame)["label"]
    pd.testing.assert_series_equal(labels, before)
    assert labels.tolist() == ["spam", NO_LABEL, "ham", "spam", "ünï"]
    assert labels.iloc[0] is labels.iloc[3]  # one string for the label's items


def test_a_run_without_labels_and_an_empty_one() -> None:
    frame = pd.DataFrame({"label": pd.array([None, None], dtype="string")})
    assert _label_frame(frame)["label"].tolist() == [NO_LABEL, NO_LABEL]
    empty = pa.table({"label": pa.array([], pa.string())}).to_pandas()
    labels = _label_frame(empty)["label"]
    assert len(labels) == 0 and labels.dtype == object
