import numpy as np
import pytest

from labelwright.models.one_sided import one_sided, several_sided


def scan_per_class(L, k):
    """The LFs voting one class, found by scanning ``L`` once per class."""
    voted = np.stack([(L == c).any(axis=0) for c in range(k)], axis=1)
    lfs = np.flatnonzero(voted.sum(axis=1) == 1)
    return lfs, voted[lfs].argmax(axis=1)


def random_votes(rng, n, m, k, dtype):
    """Votes with some one-sided columns, some all-abstain columns and some that vote
    every class (or two of them)."""
    L = np.where(rng.random((n, m)) < rng.uniform(0.01, 0.5), rng.integers(0, k, (n, m)), -1)
    for j in rng.choice(m, size=m // 3, replace=False):
        L[:, j] = np.where(L[:, j] >= 0, rng.integers(0, k), -1)
    L[:, rng.choice(m, size=max(m // 6, 1), replace=False)] = -1
    return L.astype(dtype)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("k", [2, 3, 16])
def test_one_sided_matches_a_scan_per_class(dtype, k):
    rng = np.random.default_rng(k * 10 + np.dtype(dtype).itemsize)
    for _ in range(20):
        n, m = int(rng.integers(1, 60)), int(rng.integers(1, 12))
        L = random_votes(rng, n, m, k, dtype)
        for layout in (L, np.asfortranarray(L), L[::-1, ::-1], L[::2]):
            lfs, classes = one_sided(layout)
            want_lfs, want_classes = scan_per_class(layout, k)
            np.testing.assert_array_equal(lfs, want_lfs)
            np.testing.assert_array_equal(classes, want_classes)
            assert classes.dtype == want_classes.dtype
            voted = np.stack([(layout == c).any(axis=0) for c in range(k)], axis=1)
            np.testing.assert_array_equal(several_sided(layout),
                                          np.flatnonzero(voted.sum(axis=1) >= 2))


def test_one_sided_reads_abstains_and_single_votes():
    L = np.array([[-1, 2, 0, -1, 1],
                  [-1, 2, 1, -1, -1],
                  [-1, -1, 0, 0, 1]], dtype=np.int16)
    lfs, classes = one_sided(L)
    # column 0 never votes, column 2 votes two classes
    assert lfs.tolist() == [1, 3, 4]
    assert classes.tolist() == [2, 0, 1]


def test_one_sided_without_abstains_in_an_unsigned_matrix():
    L = np.array([[1, 0], [1, 1]], dtype=np.uint8)
    lfs, classes = one_sided(L)
    assert lfs.tolist() == [0]
    assert classes.tolist() == [1]
