"""Nested LFs: an LF voting only where another votes the same label is found (whatever the
blocks), named once per pair, and not when it is a copy, a near-copy, too rare or merely
correlated; the run's warning names both with the counts and what to do."""

import numpy as np
import pytest

from labelwright.models import duplicate_lfs
from labelwright.models.duplicate_lfs import copy_of
from labelwright.models.duplicate_warnings import duplicate_lf_warnings
from labelwright.models.nested_lfs import MIN_NESTED_VOTES, NESTED_SHARE, Nested, nested_lfs


def broad_and_inner(n=2000, seed=0, outside=0):
    """A broad LF voting label 1 on ~30% of items, an LF voting 1 on a third of those (and
    on ``outside`` items the broad one abstains on), and an unrelated LF."""
    rng = np.random.default_rng(seed)
    broad = np.where(rng.random(n) < 0.3, 1, -1)
    inner = np.where((broad == 1) & (rng.random(n) < 0.33), 1, -1)
    inner[np.flatnonzero(broad < 0)[:outside]] = 1
    other = np.where(rng.random(n) < 0.2, rng.integers(0, 2, n), -1)
    return np.stack([broad, inner, other], axis=1)


def test_an_lf_voting_only_inside_another_is_found_with_its_counts():
    L = broad_and_inner()
    inner_votes, broad_votes = int((L[:, 1] >= 0).sum()), int((L[:, 0] >= 0).sum())
    assert nested_lfs(L, 2) == [Nested(1, 0, inner_votes, inner_votes, broad_votes)]


def test_a_few_votes_outside_still_nest_and_more_do_not():
    L = broad_and_inner(outside=3)
    (found,) = nested_lfs(L, 2)
    assert (found.inner, found.outer, found.votes - found.same) == (1, 0, 3)
    votes = int((broad_and_inner()[:, 1] >= 0).sum())
    too_many = int((1 - NESTED_SHARE) * votes / NESTED_SHARE) + 2
    assert nested_lfs(broad_and_inner(outside=too_many), 2) == []


def test_another_label_on_the_same_items_is_not_nested():
    L = broad_and_inner()
    L[:, 1] = np.where(L[:, 1] >= 0, 0, -1)  # votes 0 where the broad LF votes 1
    assert nested_lfs(L, 2) == []


def test_rare_lfs_copies_and_near_copies_are_not_called_nested():
    L = broad_and_inner()
    rare = np.full(len(L), -1)
    rare[np.flatnonzero(L[:, 0] == 1)[:MIN_NESTED_VOTES - 1]] = 1
    copy = L[:, 0].copy()
    near = L[:, 0].copy()
    near[np.flatnonzero(near >= 0)[:3]] = -1
    Lx = np.column_stack([L, rare, copy, near])
    pairs = [(p.inner, p.outer) for p in nested_lfs(Lx, 2, apart=[(0, 5)])]
    # the inner LF sits in the near-copy too; not the rare one, the copy (4 = 0), nor the
    # near-copy pair (warned of as such)
    assert pairs == [(1, 0), (1, 5)]
    assert copy_of(Lx)[4] == 0


def brute_nested(L, share, min_votes):
    first = copy_of(L)
    found = {}
    for a in range(L.shape[1]):
        for b in range(L.shape[1]):
            votes = int((L[:, a] >= 0).sum())
            if a == b or first[a] != a or first[b] != b or votes < min_votes:
                continue
            same = int(((L[:, a] == L[:, b]) & (L[:, a] >= 0)).sum())
            if same >= share * votes:
                found[(a, b)] = (same, votes, int((L[:, b] >= 0).sum()))
    totals = (L >= 0).sum(axis=0)
    return [Nested(a, b, *v) for (a, b), v in found.items()
            if not ((b, a) in found and (totals[b], b) < (totals[a], a))]


@pytest.mark.parametrize("seed", range(4))
def test_nested_pairs_match_comparing_every_pair(monkeypatch, seed):
    """The count filter and the early drop (here over blocks of 40 rows) lose no pair."""
    monkeypatch.setattr(duplicate_lfs, "BLOCK_ROWS", 40)
    rng = np.random.default_rng(seed)
    base = rng.integers(-1, 3, (300, 4))
    extra = []
    for j in range(4):  # a subset of each LF, with 0-6 votes changed
        col = np.where(rng.random(300) < 0.6, base[:, j], -1)
        rows = rng.choice(300, rng.integers(0, 7), replace=False)
        col[rows] = rng.integers(-1, 3, len(rows))
        extra.append(col)
    L = np.hstack([base, np.stack(extra, axis=1)])
    for share in (0.9, NESTED_SHARE, 1.0):
        assert nested_lfs(L, 3, share=share, min_votes=10) == brute_nested(L, share, 10)


def test_two_lfs_nested_in_each_other_are_named_once():
    L = broad_and_inner()
    both = L[:, 0].copy()
    both[np.flatnonzero(both >= 0)[:1]] = -1
    Lx = np.column_stack([L[:, 0], both])
    # 1 vote apart: each is >= 95% inside the other; named once, the smaller one inside
    assert [(p.inner, p.outer) for p in nested_lfs(Lx, 2)] == [(1, 0)]


def test_the_warning_names_both_lfs_the_counts_and_what_to_do():
    L = broad_and_inner()
    said = duplicate_lf_warnings(L, ["glossary:billing_terms", "billing_on_paid_plan", "x"], 2,
                                 model="dawid_skene", once=True)
    votes, broad = int((L[:, 1] >= 0).sum()), int((L[:, 0] >= 0).sum())
    assert said == [said[0]]
    assert said[0].startswith(
        "1 LF votes only where another LF votes the same label (at least 95% of its votes; "
        f"nested LFs): billing_on_paid_plan inside glossary:billing_terms ({votes} of its "
        f"{votes} votes on items where glossary:billing_terms votes the same label; "
        f"glossary:billing_terms votes on {broad})")
    assert "counts twice" in said[0]
    assert "Merge each pair into one LF, or make the inner one vote where the outer" in said[0]
