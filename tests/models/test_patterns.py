"""Vote patterns: compressed and chunked paths give identical results."""

from __future__ import annotations

import numpy as np

from labelwright.models import break_ties
from labelwright.models.patterns import blocks, class_vote_counts, map_patterns


def test_map_patterns_same_with_and_without_compression():
    rng = np.random.default_rng(0)
    repeated = rng.integers(-1, 2, size=(5000, 3))  # few patterns: compressed
    unique = rng.integers(-1, 5, size=(5000, 12))  # rows barely repeat: chunked

    def fn(v):
        return class_vote_counts(v, 5) + 1.0

    for L in (repeated, unique):
        np.testing.assert_array_equal(map_patterns(L, fn, 5, chunk_rows=700), fn(L))


def test_blocks_keep_counts_and_gold():
    L = np.array([[0, 1], [0, 1], [1, -1], [0, 1]])
    y = np.array([-1, 1, -1, -1])
    out = list(blocks(L, y))
    total = sum(b.weights.sum() for b in out)
    assert total == 4
    gold = [(tuple(v), g, c) for b in out for v, g, c in zip(b.votes, b.gold, b.weights)]
    assert ((0, 1), 1, 1.0) in gold and ((0, 1), -1, 2.0) in gold


def test_gold_classes_past_int8_survive_votes_that_fit_int8():
    # class 150 was wrapped to -106 next to int8 votes, and its gold rows read as unlabeled
    L = np.tile(np.array([[0, 1], [2, -1], [1, 1]]), (40, 1))  # repeats: compressed blocks
    y = np.full(len(L), -1)
    y[:60] = np.repeat([150, 3000], 30)
    seen = np.concatenate([b.gold for b in blocks(L, y)])
    assert sorted(set(seen.tolist())) == [-1, 150, 3000]
    assert sum(b.weights[b.gold == 150].sum() for b in blocks(L, y)) == 30


def test_random_tie_break_matches_snorkel():
    from snorkel.utils import probs_to_preds

    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(3), 300)
    probs[::3] = 1 / 3
    probs[1::3, :2] = probs[1::3, :2].sum(axis=1, keepdims=True) / 2
    np.testing.assert_array_equal(break_ties(probs, "random"), probs_to_preds(probs, "random"))
    np.testing.assert_array_equal(break_ties(probs, "abstain"), probs_to_preds(probs, "abstain"))


def test_unique_rows_by_key_match_sorting_rows():
    from labelwright.models.patterns import _unique_rows

    rng = np.random.default_rng(1)
    a = rng.integers(-1, 3, size=(4000, 6)).astype(np.int8)
    uniq, inverse, counts = _unique_rows(a)
    np.testing.assert_array_equal(uniq[inverse], a)
    assert counts.sum() == len(a) and len(uniq) == len(np.unique(a, axis=0))
    np.testing.assert_array_equal(counts, np.bincount(inverse))


def test_worth_compressing_counts_distinct_rows_of_the_probe():
    from labelwright.models.patterns import MAX_UNIQUE_SHARE, worth_compressing

    probe = 2000
    limit = int(MAX_UNIQUE_SHARE * probe)
    digits = 3 ** np.arange(9)
    for distinct, expected in ((limit, True), (limit + 1, False), (1, True)):
        codes = np.arange(probe) % distinct  # rows 0..distinct-1, repeated
        rows = (codes[:, None] // digits % 3 - 1).astype(np.int8)  # distinct codes, rows
        L = np.vstack([rows, np.zeros((500, 9), np.int8)])  # rows past the probe: ignored
        assert worth_compressing(L, probe_rows=probe) is expected


def test_rows_taken_out_of_a_matrix_keep_its_random_tie_breaks():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(3), 200)
    probs[::2] = 1 / 3
    rows = rng.choice(200, 60, replace=False)
    whole = break_ties(probs, "random", seed=4)
    np.testing.assert_array_equal(break_ties(probs[rows], "random", seed=4, row_ids=rows),
                                  whole[rows])
    # without the row ids the subset gets other coin flips
    assert (break_ties(probs[rows], "random", seed=4) != whole[rows]).any()
