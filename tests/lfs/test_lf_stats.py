import numpy as np
import pytest

from labelwright.lfs.stats import coverage, label_distribution, lf_summary, vote_counts
from labelwright.matrix import LabelMatrix

LABELS = ("a", "b", "c")
#          lf0 lf1 lf2
VOTES = [[0, 0, -1],   # agree
         [0, 1, -1],   # conflict
         [-1, 1, 2],   # conflict
         [-1, -1, 2],  # alone
         [-1, -1, -1]]  # uncovered
GOLD = [0, 0, 2, -1, 1]


def matrix():
    votes = np.array(VOTES, dtype=np.int8)
    return LabelMatrix(votes, ["lf0", "lf1", "lf2"], [str(i) for i in range(5)], LABELS)


def test_vote_counts():
    assert vote_counts(np.array(VOTES, dtype=np.int8), 3).tolist() == [
        [2, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 0]]


def test_summary_values():
    table = lf_summary(matrix(), gold=np.array(GOLD), failures={"lf1": 3},
                       kinds=["python", "python", "glossary"])
    assert table["lf"].tolist() == ["lf0", "lf1", "lf2"]
    assert table["polarity"].tolist() == ["a", "a, b", "c"]
    assert table["coverage"].tolist() == pytest.approx([2 / 5, 3 / 5, 2 / 5])
    assert table["overlaps"].tolist() == pytest.approx([2 / 5, 3 / 5, 1 / 5])
    assert table["conflicts"].tolist() == pytest.approx([1 / 5, 2 / 5, 1 / 5])
    # gold: lf0 votes a on items 0 (gold a), 1 (gold a) -> 2 correct
    # lf1 votes a on 0 (a), b on 1 (a), b on 2 (c) -> 1 correct, 2 incorrect
    # lf2 votes c on 2 (c), c on 3 (no gold) -> 1 correct, 0 incorrect
    assert table["correct"].tolist() == [2, 1, 1]
    assert table["incorrect"].tolist() == [0, 2, 0]
    assert table["emp_accuracy"].tolist() == pytest.approx([1.0, 1 / 3, 1.0])
    assert table["failures"].tolist() == [0, 3, 0]
    assert table["kind"].tolist() == ["python", "python", "glossary"]


def test_mixed_polarity():
    votes = np.array([[0], [2], [-1]], dtype=np.int8)
    table = lf_summary(LabelMatrix(votes, ["x"], ["1", "2", "3"], LABELS))
    assert table["polarity"].tolist() == ["a, c"]
    assert "correct" not in table.columns and "failures" not in table.columns


def test_no_gold_means_no_accuracy_columns():
    table = lf_summary(matrix(), gold=np.full(5, -1))
    assert "emp_accuracy" not in table.columns


def test_accuracy_nan_when_lf_never_votes_on_gold():
    votes = np.array([[0, -1], [-1, 1]], dtype=np.int8)
    table = lf_summary(LabelMatrix(votes, ["x", "y"], ["1", "2"], LABELS),
                       gold=np.array([0, -1]))
    assert table["emp_accuracy"].iloc[0] == 1.0
    assert np.isnan(table["emp_accuracy"].iloc[1])


def test_coverage_and_distribution():
    assert coverage(matrix()) == pytest.approx(4 / 5)
    dist = label_distribution(LABELS, ["b", "a", None, "b"])
    assert dist.to_dict() == {"a": 1, "b": 2, "(none)": 1}
    assert list(dist.index) == ["a", "b", "(none)"]
