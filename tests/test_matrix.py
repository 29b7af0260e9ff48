import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from labelwright.errors import RunError
from labelwright.matrix import LabelMatrix, vote_dtype


def test_parquet_round_trip(tmp_path):
    votes = np.array([[0, -1, 2], [-1, -1, -1], [1, 1, 0]], dtype=np.int8)
    matrix = LabelMatrix(votes, ["a", "glossary:money", "c"], ["x", "y", "z"],
                         ("l0", "l1", "l2"))
    path = tmp_path / "m.parquet"
    matrix.write_parquet(path)
    back = LabelMatrix.read_parquet(path)
    np.testing.assert_array_equal(back.votes, votes)
    np.testing.assert_array_equal(LabelMatrix.read_parquet(str(path)).votes, votes)
    assert back.votes.dtype == np.int8
    assert back.lf_names == ["a", "glossary:money", "c"]
    assert back.item_ids == ["x", "y", "z"]
    assert back.labels == ("l0", "l1", "l2")
    table = pq.read_table(path)
    assert table.column_names == ["id", "a", "glossary:money", "c"]
    assert table.schema.metadata[b"labelwright.labels"] == b'["l0", "l1", "l2"]'
    assert str(table.schema.field("a").type) == "int8"


def test_frame_and_column():
    votes = np.array([[0, -1], [1, 0]], dtype=np.int8)
    matrix = LabelMatrix(votes, ["a", "b"], ["x", "y"], ("n", "p"))
    assert matrix.column("b").tolist() == [-1, 0]
    frame = matrix.to_frame()
    assert frame.columns.tolist() == ["id", "a", "b"]
    assert frame["id"].tolist() == ["x", "y"]


def test_a_frame_of_label_names_to_read_in_a_notebook():
    """Reading the votes in pandas took a .map(dict(enumerate(labels))) per LF column."""
    votes = np.array([[0, -1], [1, 0]], dtype=np.int8)
    matrix = LabelMatrix(votes, ["a", "b"], ["x", "y"], ("n", "p"))
    named = matrix.to_frame(names=True)
    assert named[["id", "a"]].to_dict("list") == {"id": ["x", "y"], "a": ["n", "p"]}
    assert pd.isna(named.loc[0, "b"]) and named.loc[1, "b"] == "n"  # an abstain: missing
    assert matrix.to_frame()["a"].tolist() == [0, 1]  # the indices, as before
    with pytest.raises(ValueError, match=r"names no labels"):
        LabelMatrix(votes, ["a", "b"], ["x", "y"], ()).to_frame(names=True)


def test_shape_checked():
    with pytest.raises(ValueError, match=r"expected \(3, 2\)"):
        LabelMatrix(np.zeros((2, 2), dtype=np.int8), ["a", "b"], ["x", "y", "z"], ("n", "p"))


def test_vote_dtype():
    assert vote_dtype(2) == np.int8 and vote_dtype(127) == np.int8
    assert vote_dtype(128) == np.int16


def test_unreadable(tmp_path):
    path = tmp_path / "m.parquet"
    path.write_text("nope")
    with pytest.raises(RunError, match="cannot read the label matrix"):
        LabelMatrix.read_parquet(path)


def test_an_unknown_lf_name_is_a_key_error_listing_the_lfs():
    matrix = LabelMatrix(np.array([[0, -1]], dtype=np.int8), ["a", "b"], ["x"], ("n", "p"))
    with pytest.raises(KeyError, match=r"no LF 'c' in the label matrix; its LFs: a, b"):
        matrix.column("c")


def test_a_name_as_index_is_that_lfs_column():
    """``matrix["says_lol"]`` gave numpy's bare IndexError, which named no LF."""
    matrix = LabelMatrix(np.array([[0, -1], [1, 1]], dtype=np.int8), ["a", "b"], ["x", "y"],
                         ("n", "p"))
    assert matrix["b"].tolist() == [-1, 1]
    assert matrix[:, 1].tolist() == [-1, 1]  # numpy's indexing as before
    with pytest.raises(KeyError, match=r"no LF 'c' in the label matrix; its LFs: a, b"):
        matrix["c"]


def test_the_documented_members_have_docstrings():
    # the README's Python API sends notebook users to help(LabelMatrix) and its methods
    assert "Attributes" in LabelMatrix.__doc__ and "item_ids" in LabelMatrix.__doc__
    for member in (LabelMatrix.column, LabelMatrix.columns, LabelMatrix.to_frame,
                   LabelMatrix.read_parquet):
        assert member.__doc__, member.__name__


def _small() -> LabelMatrix:
    votes = np.array([[0, -1, 1], [1, 1, -1], [-1, -1, 0], [0, 0, 0]], dtype=np.int8)
    return LabelMatrix(votes, ["a", "b", "c"], ["1", "2", "3", "4"], ("ham", "spam"))


def test_numpy_reads_a_label_matrix_as_its_votes():
    """np.asarray(applied.matrix) had shape () (an object array holding the matrix)."""
    matrix = _small()
    assert np.asarray(matrix).shape == (4, 3)
    np.testing.assert_array_equal(np.asarray(matrix), matrix.votes)
    assert np.asarray(matrix, dtype=np.int64).dtype == np.int64
    copied = np.array(matrix, copy=True)
    copied[0, 0] = 1
    assert matrix.votes[0, 0] == 0  # a copy asked for is one
    assert np.unique(matrix).tolist() == [-1, 0, 1]
    # operators and indexing are the votes', as plain arrays
    assert isinstance(matrix == -1, np.ndarray)
    assert (matrix == -1).sum(axis=0).tolist() == [1, 2, 1]
    assert (matrix + 1).min() == 0 and (matrix != -1).all(axis=1).tolist() == [
        False, False, False, True]
    assert matrix[:, 1].tolist() == [-1, 1, -1, 0] and matrix[3, 2] == 0
    assert matrix.flatten().tolist() == matrix.votes.flatten().tolist()
    assert (matrix.ndim, matrix.dtype) == (2, np.dtype(np.int8))


def test_snorkels_lf_analysis_reads_a_label_matrix_as_its_votes():
    analysis = pytest.importorskip("snorkel.labeling").LFAnalysis
    matrix, gold = _small(), np.array([0, 1, 0, 1])
    pd.testing.assert_frame_equal(analysis(L=matrix).lf_summary(gold),
                                  analysis(L=matrix.votes).lf_summary(gold))
    np.testing.assert_array_equal(analysis(L=matrix).lf_empirical_probs(gold, 2),
                                  analysis(L=matrix.votes).lf_empirical_probs(gold, 2))
