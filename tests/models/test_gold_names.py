"""Gold labels by name in ``fit(y_dev=...)`` and ``score(L, y)``: a notebook holds them as
names (``df["gold"]``, None where there is none), as ``lf_summary(matrix, gold=...)``
takes them; a LabelMatrix names its labels, so a model reads them by its labels too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelwright.matrix import LabelMatrix
from labelwright.models import get_model
from labelwright.models.synthetic import make_label_matrix

LABELS = ("ham", "spam")


def matrix_and_gold():
    L, y = make_label_matrix(300, np.linspace(0.65, 0.9, 6), cardinality=2, coverage=0.6,
                             random_state=0)
    matrix = LabelMatrix(L.astype(np.int8), [f"lf{j}" for j in range(L.shape[1])],
                         [f"i{i}" for i in range(len(L))], LABELS)
    y_dev = np.where(np.arange(len(y)) % 3 == 0, y, -1)
    names = pd.Series([LABELS[v] if v >= 0 else None for v in y_dev])
    return matrix, y_dev, names


@pytest.mark.parametrize("name", ["majority", "dawid_skene", "snorkel", "auto"])
def test_fit_reads_gold_names_as_the_matrix_labels(name):
    matrix, y_dev, names = matrix_and_gold()
    params = {"n_epochs": 20} if name == "snorkel" else {}
    by_name = get_model(name, 2, **params).fit(matrix, y_dev=names)
    by_index = get_model(name, 2, **params).fit(matrix, y_dev=y_dev)
    np.testing.assert_allclose(by_name.predict_proba(matrix), by_index.predict_proba(matrix))
    named = names.where(names.notna(), np.nan)  # NaN for none, as pandas holds a gap
    assert by_name.score(matrix, named) == by_index.score(matrix, y_dev)


def test_an_unknown_gold_name_is_named_with_its_position_and_the_labels():
    matrix, _, names = matrix_and_gold()
    names[3] = "spma"
    with pytest.raises(ValueError, match=r"fit: y_dev\[3\] is 'spma', not one of the "
                                         r"labels \('ham', 'spam'\)"):
        get_model("majority", 2).fit(matrix, y_dev=names)
    with pytest.raises(ValueError, match=r"score: y\[3\] is 'spma'"):
        get_model("majority", 2).fit(matrix).score(matrix, names)


def test_gold_names_beside_plain_votes_say_how_to_give_indices():
    matrix, _, names = matrix_and_gold()
    with pytest.raises(ValueError, match=r"y_dev must hold integers \(-1 = no gold\), got "
                                         r"dtype object; label names are read by a "
                                         r"LabelMatrix's labels \(applied\.matrix as L\)"):
        get_model("majority", 2).fit(matrix.votes, y_dev=names)


@pytest.mark.parametrize("as_matrix", [True, False], ids=["LabelMatrix", "votes"])
def test_indices_with_a_missing_value_for_none_are_gold_as_lf_summary_reads_them(as_matrix):
    """`df["gold"].map(index)` holds NaN (or <NA> as Int64) where a row has no gold:
    lf_summary took it, fit and score said "y_dev must hold whole numbers; got nan"."""
    matrix, y_dev, names = matrix_and_gold()
    L = matrix if as_matrix else matrix.votes
    mapped = names.map({label: k for k, label in enumerate(LABELS)})
    assert mapped.isna().any() and mapped.dtype == np.float64
    by_index = get_model("dawid_skene", 2).fit(L, y_dev=y_dev)
    for gold in (mapped, mapped.astype("Int64"), mapped.to_numpy()):
        by_nan = get_model("dawid_skene", 2).fit(L, y_dev=gold)
        np.testing.assert_allclose(by_nan.predict_proba(L), by_index.predict_proba(L))
        assert by_nan.score(L, gold) == by_index.score(L, y_dev)
    fraction = mapped.fillna(-1).to_numpy(copy=True)
    fraction[3] = 0.5
    with pytest.raises(ValueError, match=r"0\.5 at row 3"):
        get_model("dawid_skene", 2).fit(matrix.votes, y_dev=fraction)
