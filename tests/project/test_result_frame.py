"""``result.frame(ids)``: the probabilities and labels of a run, indexed by the ids as the
user's frame has them (the run reads every id as text: aligning ``result.labels`` by a
frame's int index matched nothing, silently)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelwright import run_project
from ticket_data import TICKETS


@pytest.fixture
def int_run(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    frame["id"] = np.arange(len(frame), dtype=np.int64)[::-1] * 7 + 100  # int ids
    frame.loc[:2, "gold"] = None
    return frame, run_project(root, data=frame, report=False)


def test_frame_is_indexed_by_the_ids_as_given(int_run):
    frame, result = int_run
    shuffled = frame.sample(frac=1, random_state=0).set_index("id")
    out = result.frame(shuffled.index)
    assert list(out.index) == list(shuffled.index) and out.index.dtype == np.int64
    assert list(out.columns) == ["billing", "technical", "label", "confidence"]
    by_id = result.labels.set_index("id")
    for item_id, row in out.iterrows():
        run_row = by_id.loc[str(item_id)]
        assert str(row["label"]) == str(run_row["label"])  # <NA> where neither has one
        assert row["billing"] == pytest.approx(run_row["prob_billing"])
    # a column of ids works as the index does, and keeps its name
    assert result.frame(frame["id"]).index.name == "id"
    assert list(result.frame(frame["id"]).index) == list(frame["id"])


def test_frame_without_ids_is_the_runs_order_with_ids_as_text(int_run):
    frame, result = int_run
    out = result.frame()
    assert list(out.index) == [str(i) for i in frame["id"]] and out.index.name == "id"
    model = result.frame(model=True)
    assert np.allclose(model[["billing", "technical"]].to_numpy(), result.probs)
    assert list(model["label"].fillna("-")) == list(result.labels["model_label"].fillna("-"))


def test_an_id_the_run_does_not_have_is_named(int_run):
    _, result = int_run
    with pytest.raises(KeyError, match=r"1 of the ids given are no item of run .*'5'.*"
                                       r"matched as text"):
        result.frame([100, 5])


def test_a_frames_default_index_is_told_to_give_its_id_column(int_run):
    """README's ``result.frame(df.index)`` on a frame whose ids are a column: the index is
    0..n-1, no id of the run; the error says which column to pass instead."""
    frame, result = int_run
    with pytest.raises(KeyError, match=r"no item of run .*a frame's own index 0\.\.n-1: "
                                       r"if its ids are in a column, pass that column, as "
                                       r"df\['id'\]"):
        result.frame(frame.index)


def test_the_row_numbers_of_concatenated_frames_are_told_to_give_the_id_column(int_run):
    """Frames joined with pd.concat keep each one's 0..n-1: an index of repeated row
    numbers, no RangeIndex, so the pointer to the id column was not given."""
    frame, result = int_run
    joined = pd.concat([part.reset_index(drop=True) for part in (frame.iloc[:3], frame.iloc[3:])])
    assert not isinstance(joined.index, pd.RangeIndex)
    with pytest.raises(KeyError, match=r"no item of run .*a frame's own row numbers "
                                       r"\(pd\.concat keeps each part's 0\.\.n-1\): if its "
                                       r"ids are in a column, pass that column, as df\['id'\]"):
        result.frame(joined.index)


def test_a_frame_given_is_read_by_its_id_column_and_keeps_its_index(int_run):
    """result.frame(df) read the frame's column names as ids (a KeyError naming 'id',
    'text', ...); the labels now line up with the frame's rows, df.join(result.frame(df))."""
    frame, result = int_run
    rows = frame.iloc[::-1].set_axis([f"row{i}" for i in range(len(frame))])
    out = result.frame(rows)
    assert list(out.index) == list(rows.index)
    expected = result.frame(rows["id"])
    assert out["label"].tolist() == expected["label"].tolist()
    assert np.allclose(out["billing"], expected["billing"])
    assert rows.join(result.frame(rows, model=True)).shape == (len(frame), len(frame.columns)
                                                                 + 4)
    with pytest.raises(KeyError, match=r"no id column 'id' \(\[data\] id_column.*columns "
                                       r"present: ticket, text"):
        result.frame(rows.rename(columns={"id": "ticket"}))
