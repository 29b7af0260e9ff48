"""Property-based tests of the label matrix and every label model (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from labelwright.matrix import LabelMatrix
from labelwright.models import available_models, get_model

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None)
MODELS = [name for name in available_models() if name != "snorkel"]
EXTRA = {"snorkel": {"n_epochs": 5}}


@st.composite
def vote_matrices(draw, max_items: int = 12, max_lfs: int = 5):
    """(L, cardinality): small int8 matrices of votes in -1..k-1."""
    k = draw(st.integers(2, 4))
    shape = (draw(st.integers(1, max_items)), draw(st.integers(1, max_lfs)))
    L = draw(hnp.arrays(np.int8, shape, elements=st.integers(-1, k - 1)))
    return L, k


def _model(name: str, k: int, **params):
    return get_model(name, cardinality=k, random_state=0, **{**EXTRA.get(name, {}), **params})


def check_probabilities(probs: np.ndarray, n: int, k: int) -> None:
    assert probs.shape == (n, k)
    assert np.isfinite(probs).all()
    assert ((probs >= -1e-9) & (probs <= 1 + 1e-9)).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("name", MODELS)
@FAST
@given(data=vote_matrices())
def test_probabilities_sum_to_one(name, data):
    L, k = data
    model = _model(name, k).fit(L)
    check_probabilities(model.predict_proba(L), len(L), k)
    predicted = model.predict(L)
    assert predicted.shape == (len(L),)
    assert ((predicted >= -1) & (predicted < k)).all()


@pytest.mark.parametrize("name", MODELS)
@FAST
@given(data=vote_matrices(), seed=st.integers(0, 2**16))
def test_permuting_rows_permutes_outputs(name, data, seed):
    L, k = data
    perm = np.random.default_rng(seed).permutation(len(L))
    probs = _model(name, k, tie_break="first").fit(L).predict_proba(L)
    model = _model(name, k, tie_break="first").fit(L[perm])
    permuted = model.predict_proba(L[perm])
    np.testing.assert_allclose(permuted, probs[perm], atol=1e-6)
    # with a deterministic tie-break, predictions follow the rows as well
    clear = np.sort(probs, axis=1)[:, -1] - np.sort(probs, axis=1)[:, -2] > 1e-4
    assert (model.predict(L[perm])[clear[perm]] == probs.argmax(axis=1)[perm][clear[perm]]).all()


@pytest.mark.parametrize("name", MODELS)
@FAST
@given(data=vote_matrices(), abstaining=st.integers(1, 4))
def test_all_abstain_rows_are_handled(name, data, abstaining):
    L, k = data
    L = np.vstack([L, np.full((abstaining, L.shape[1]), -1, dtype=L.dtype)])
    model = _model(name, k).fit(L)
    probs = model.predict_proba(L)
    check_probabilities(probs, len(L), k)
    # an item no LF voted on gets the same probabilities as every other such item
    np.testing.assert_allclose(probs[-abstaining:], probs[-1:].repeat(abstaining, 0), atol=1e-9)


@pytest.mark.parametrize("name", MODELS)
def test_a_matrix_where_every_lf_abstains_everywhere(name):
    L = np.full((5, 3), -1, dtype=np.int8)
    check_probabilities(_model(name, 3).fit(L).predict_proba(L), 5, 3)


@SLOW
@given(data=vote_matrices(max_items=8, max_lfs=3))
def test_snorkel_probabilities_sum_to_one(data):
    pytest.importorskip("snorkel")
    L, k = data
    check_probabilities(_model("snorkel", k).fit(L).predict_proba(L), len(L), k)


BAD_MATRICES = [
    (np.array([[0, 2]]), "out of range"),  # a vote >= cardinality
    (np.array([[0, -2]]), "out of range"),  # below abstain
    # a float matrix of whole numbers is read (votes after a pandas NaN); a fraction is not
    (np.array([[0.5, 1.0]]), "whole numbers"),
    (np.array([[True, False]]), "integers"),
    (np.array([0, 1, -1]), "2-D"),
    (np.zeros((0, 3), dtype=int), "0 items"),
    (np.zeros((3, 0), dtype=int), "0 labeling functions"),
    (np.array([["a", "b"]]), "integers"),
]


@pytest.mark.parametrize("name", MODELS + ["snorkel"])
@pytest.mark.parametrize(("L", "message"), BAD_MATRICES)
def test_bad_matrices_are_rejected_with_a_clear_error(name, L, message):
    with pytest.raises(ValueError, match=message):
        _model(name, 2).fit(L)


@pytest.mark.parametrize("name", MODELS)
@FAST
@given(L=hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.integers(-3, 4)))
def test_any_array_is_accepted_or_rejected_with_a_value_error(name, L):
    try:
        model = _model(name, 2).fit(L)
    except ValueError as exc:
        assert str(exc)
        return
    assert L.ndim == 2 and L.size and L.min() >= -1 and L.max() <= 1
    check_probabilities(model.predict_proba(L), len(L), 2)


# -- the label matrix ------------------------------------------------------------------------


@FAST
@given(data=vote_matrices())
def test_label_matrix_parquet_round_trip(tmp_path, data):
    L, k = data
    labels = tuple(f"label{j}" for j in range(k))
    names = [f"lf{j}" for j in range(L.shape[1])]
    ids = [f"item{i}" for i in range(L.shape[0])]
    path = tmp_path / "m.parquet"
    LabelMatrix(L, names, ids, labels).write_parquet(path)
    back = LabelMatrix.read_parquet(path)
    assert (back.lf_names, back.item_ids, back.labels) == (names, ids, labels)
    np.testing.assert_array_equal(back.votes, L)
    pd_frame = back.to_frame()
    assert list(pd_frame.columns) == ["id", *names] and len(pd_frame) == len(L)


@FAST
@given(data=vote_matrices(), extra=st.integers(1, 3))
def test_label_matrix_rejects_a_shape_mismatch(data, extra):
    L, k = data
    with pytest.raises(ValueError, match="expected"):
        LabelMatrix(L, [f"lf{j}" for j in range(L.shape[1] + extra)],
                    [f"i{i}" for i in range(len(L))], tuple(map(str, range(k))))
