"""Gold labels given as a pandas Series indexed by item id are read by id, whatever the
frame's row order; by position they would score other items' labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.lfs.stats import lf_summary
from labelwright.matrix import LabelMatrix
from labelwright.models.registry import get_model

LABELS = ("ham", "spam")
IDS = [f"m{k}" for k in range(8)]
# one LF right on every item, one wrong on every item it votes on
VOTES = np.array([[0, 1], [1, 0], [0, -1], [1, -1], [0, 1], [1, 0], [0, -1], [1, -1]])
GOLD = ["ham", "spam", "ham", "spam", "ham", "spam", "ham", "spam"]


def _matrix() -> LabelMatrix:
    return LabelMatrix(VOTES, ["right", "wrong"], IDS, LABELS)


def _shuffled_by_id() -> pd.Series:
    frame = pd.DataFrame({"id": IDS, "gold": GOLD}).sample(frac=1, random_state=3)
    assert frame["id"].tolist() != IDS  # another order than the matrix's
    return frame.set_index("id")["gold"]


def test_lf_summary_reads_a_series_indexed_by_item_id_by_id():
    in_order = lf_summary(_matrix(), gold=pd.Series(GOLD))
    by_id = lf_summary(_matrix(), gold=_shuffled_by_id())
    pd.testing.assert_frame_equal(by_id, in_order)
    assert by_id.set_index("lf").loc["right", "emp_accuracy"] == 1.0
    assert by_id.set_index("lf").loc["wrong", "emp_accuracy"] == 0.0


def test_class_indices_indexed_by_id_are_read_by_id_too():
    indices = pd.Series([LABELS.index(g) for g in GOLD], index=IDS).sample(frac=1,
                                                                           random_state=4)
    summary = lf_summary(_matrix(), gold=indices).set_index("lf")
    assert summary.loc["right", "emp_accuracy"] == 1.0


def test_a_models_score_reads_a_series_indexed_by_item_id_by_id():
    model = get_model("majority", cardinality=2).fit(_matrix().votes[:, :1])
    matrix = LabelMatrix(VOTES[:, :1], ["right"], IDS, LABELS)
    assert model.score(matrix, pd.Series(GOLD)) == 1.0
    assert model.score(matrix, _shuffled_by_id()) == 1.0


def test_a_series_with_other_keys_is_read_by_position():
    shuffled = pd.Series(GOLD[::-1], index=[f"x{k}" for k in range(8)])
    summary = lf_summary(_matrix(), gold=shuffled).set_index("lf")
    assert summary.loc["right", "emp_accuracy"] == 0.0  # positions, as given
