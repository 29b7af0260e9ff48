"""``model.predict_frame(L)``: the probabilistic labels as a DataFrame without a run, one
row per item indexed by its id, a column per label, then ``label`` and ``confidence``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.matrix import LabelMatrix
from labelwright.models import get_model

LABELS = ("ham", "spam")
VOTES = np.array([[1, 1, -1], [0, -1, 0], [0, 1, -1], [-1, -1, -1]], dtype=np.int8)


def matrix() -> LabelMatrix:
    return LabelMatrix(VOTES, ["a", "b", "c"], ["c1", "c2", "c3", "c4"], LABELS)


def test_a_label_matrix_gives_label_names_and_item_ids():
    model = get_model("majority", 2, tie_break="abstain").fit(matrix())
    frame = model.predict_frame(matrix())
    assert list(frame.columns) == ["ham", "spam", "label", "confidence"]
    assert frame.index.name == "id" and list(frame.index) == ["c1", "c2", "c3", "c4"]
    np.testing.assert_array_equal(frame[["ham", "spam"]].to_numpy(),
                                  model.predict_proba(matrix()))
    # the tied and the unvoted item get no label under tie_break="abstain", confidence 0
    assert frame["label"].tolist() == ["spam", "ham", None, None]
    assert frame["confidence"].tolist() == [1.0, 1.0, 0.0, 0.0]


def test_the_labels_are_predicts_under_every_tie_break():
    for tie_break in ("random", "first"):
        model = get_model("dawid_skene", 2, tie_break=tie_break).fit(matrix())
        frame = model.predict_frame(matrix())
        names = np.array(LABELS)[model.predict(matrix())]
        assert frame["label"].tolist() == names.tolist()
        probs = model.predict_proba(matrix())
        np.testing.assert_allclose(frame["confidence"], probs.max(axis=1))


def test_plain_votes_give_class_indices_and_a_frame_keeps_its_index():
    model = get_model("majority", 2, tie_break="abstain").fit(VOTES)
    frame = model.predict_frame(VOTES)
    assert list(frame.columns) == [0, 1, "label", "confidence"]
    assert frame["label"].tolist() == [1, 0, -1, -1]
    assert isinstance(frame.index, pd.RangeIndex)
    votes = pd.DataFrame(VOTES, index=[10, 20, 30, 40])
    assert list(model.predict_frame(votes).index) == [10, 20, 30, 40]


def test_a_label_named_as_an_added_column_is_refused_not_overwritten():
    import pytest

    named = LabelMatrix(VOTES, ["a", "b", "c"], ["c1", "c2", "c3", "c4"], ("ham", "label"))
    model = get_model("majority", 2).fit(named)
    with pytest.raises(ValueError, match=r"label 'label' has the name of a column.*predict_proba"):
        model.predict_frame(named)


def test_the_probabilities_are_computed_once(monkeypatch):
    """predict_frame called predict_proba, then predict, which called it again: every
    item's probabilities were computed twice."""
    from labelwright.models.base import LabelModel

    model = get_model("dawid_skene", 2, tie_break="random").fit(matrix())
    calls = []
    original = LabelModel.predict_proba

    def counting(self, L):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, L)

    monkeypatch.setattr(LabelModel, "predict_proba", counting)
    frame = model.predict_frame(matrix())
    assert len(calls) == 1
    names = np.array(LABELS)[model.predict(matrix())]
    assert frame["label"].tolist() == names.tolist()


def test_a_model_that_decides_otherwise_is_asked_for_its_labels():
    """auto's labels weigh probabilities of their own (decision weights): not the argmax
    of predict_proba, so predict_frame asks its predict."""
    from labelwright.models.majority import MajorityVote

    class Contrary(MajorityVote):
        def predict(self, L, *, row_ids=None):  # type: ignore[no-untyped-def]
            return np.zeros(len(np.asarray(L)), dtype=np.int64)

    model = Contrary(2).fit(VOTES)
    assert model.predict_frame(VOTES)["label"].tolist() == [0, 0, 0, 0]
