"""Duplicate LFs: exact copies and near-copies found, and the default model counting a
group of copies once (its probabilities do not move with the copies, where counting each
copy's votes would), saved models round-tripping."""

import json

import numpy as np
import pytest

from labelwright.models import duplicate_lfs
from labelwright.models.dawid_skene import DawidSkene
from labelwright.models.duplicate_lfs import (
    NEAR_SHARE,
    copy_of,
    evidence_shares,
    exact_groups,
    near_copies,
)
from labelwright.models.registry import default_model, get_model, model_from_dict


def noisy_lfs(n=1500, m=5, k=3, seed=0, coverage=0.4):
    """Votes of ``m`` LFs of accuracies 0.6-0.9 on ``n`` items of ``k`` classes, and the
    items' classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    L = np.full((n, m), -1, dtype=np.int64)
    for j, acc in enumerate(np.linspace(0.9, 0.6, m)):
        on = rng.random(n) < coverage
        right = rng.random(n) < acc
        L[on, j] = np.where(right[on], y[on], rng.integers(0, k, int(on.sum())))
    return L, y


def with_copies(L, j, copies):
    return np.hstack([L] + [L[:, [j]]] * copies)


# -- finding them ------------------------------------------------------------------------------
def test_exact_copies_are_grouped_and_silent_lfs_are_nobodys_copy():
    L, _ = noisy_lfs(m=4)
    L = np.hstack([L, L[:, [2]], np.full((len(L), 2), -1), L[:, [0]], L[:, [2]]])
    first = copy_of(L)
    assert first.tolist() == [0, 1, 2, 3, 2, 5, 6, 0, 2]
    assert exact_groups(first) == [[0, 7], [2, 4, 8]]
    assert evidence_shares(first).tolist() == pytest.approx(
        [1 / 2, 1, 1 / 3, 1, 1 / 3, 1, 1, 1 / 2, 1 / 3])
    assert evidence_shares(np.arange(5)) is None  # no copies: the model computes as before


def test_a_shared_fingerprint_is_compared_in_full(monkeypatch):
    """Sample keys and fingerprints only propose copies: columns whose keys and
    fingerprints all collide but differ stay apart, and copies among them are found."""
    monkeypatch.setattr(duplicate_lfs, "_sample_keys", lambda votes: [b""] * votes.shape[1])
    monkeypatch.setattr(duplicate_lfs, "_fingerprints", lambda votes, columns: (
        np.zeros(len(columns), np.uint64), np.ones(len(columns), bool)))
    L, _ = noisy_lfs(m=4)
    assert copy_of(L).tolist() == [0, 1, 2, 3]
    assert copy_of(np.hstack([L, L[:, [1, 3, 1]]])).tolist() == [0, 1, 2, 3, 1, 3, 1]


def test_rare_lfs_that_abstain_on_the_sample_are_told_apart_in_full(monkeypatch):
    """LFs voting on a few items each abstain on every sampled row: candidates, compared
    by their whole columns."""
    monkeypatch.setattr(duplicate_lfs, "SAMPLE_ROWS", 8)
    L = np.full((1000, 4), -1)
    L[[3, 500], 0] = 1
    L[[3, 500], 1] = 1
    L[[3, 501], 2] = 1
    L[[3, 500], 3] = 0
    assert copy_of(L).tolist() == [0, 0, 2, 3]


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int64])
def test_copies_are_found_across_blocks_and_in_any_int_type(monkeypatch, dtype):
    """Blocks of 64 rows (the last one short, padded), every LF a candidate (a sample of
    one row where none votes): a copy that differs in one row of the last block is none."""
    monkeypatch.setattr(duplicate_lfs, "BLOCK_ROWS", 64)
    monkeypatch.setattr(duplicate_lfs, "TRANSPOSE_ROWS", 16)
    monkeypatch.setattr(duplicate_lfs, "SAMPLE_ROWS", 1)
    L, _ = noisy_lfs(n=201, m=3)
    L = with_copies(L, 1, 2).astype(dtype)
    L[0] = -1
    L[197, 4] = 2 if L[197, 4] != 2 else 0
    assert copy_of(L).tolist() == [0, 1, 2, 1, 4]


def test_a_near_copy_is_found_and_measured():
    L, _ = noisy_lfs(n=1000, m=3)
    near = L[:, 0].copy()
    voted = np.flatnonzero(near >= 0)
    near[voted[:5]] = -1  # 5 of ~400 items: still 98.8% the same
    near[voted[5:8]] = (near[voted[5:8]] + 1) % 3
    L = np.hstack([L, near[:, None]])
    either = int(((L[:, 0] >= 0) | (L[:, 3] >= 0)).sum())
    assert near_copies(L, 3) == [duplicate_lfs.NearCopy(0, 3, either - 8, either)]
    assert (either - 8) / either >= NEAR_SHARE


def test_near_copies_fire_on_neither_exact_copies_nor_lfs_correlated_the_normal_way():
    """Two LFs firing together on most of their items (each also fires alone) are
    correlated, not copies; an exact copy is warned of as one, not as a near-copy."""
    rng = np.random.default_rng(3)
    n = 2000
    a = np.where(rng.random(n) < 0.3, 1, -1)
    b = np.where((a == 1) & (rng.random(n) < 0.85) | (rng.random(n) < 0.03), 1, -1)
    L = np.stack([a, b, a], axis=1)
    share = ((L[:, 0] == L[:, 1]) & (L[:, 0] >= 0)).sum() / ((L[:, :2] >= 0).any(axis=1)).sum()
    assert 0.7 < share < NEAR_SHARE  # correlated: most votes shared
    assert near_copies(L, 2) == []


def brute_near_copies(L, share):
    first = copy_of(L)
    found = []
    for a in range(L.shape[1]):
        for b in range(a + 1, L.shape[1]):
            if first[a] != a or first[b] != b:
                continue
            either = int(((L[:, a] >= 0) | (L[:, b] >= 0)).sum())
            same = int(((L[:, a] == L[:, b]) & (L[:, a] >= 0)).sum())
            if 0 < either - same <= (1 - share) * either:
                found.append((a, b, same, either))
    return found


@pytest.mark.parametrize("seed", range(4))
def test_near_copies_match_comparing_every_pair(monkeypatch, seed):
    """The count filter and the early drop (here over blocks of 50 rows) lose no pair."""
    monkeypatch.setattr(duplicate_lfs, "BLOCK_ROWS", 50)
    rng = np.random.default_rng(seed)
    L, _ = noisy_lfs(n=333, m=4, seed=seed)
    extra = []
    for j in range(4):  # a copy of each LF with 0-12 votes changed
        col = L[:, j].copy()
        rows = rng.choice(len(col), rng.integers(0, 13), replace=False)
        col[rows] = rng.integers(-1, 3, len(rows))
        extra.append(col)
    L = np.hstack([L, np.stack(extra, axis=1)])
    for share in (0.9, NEAR_SHARE, 0.99):
        got = [(p.a, p.b, p.same, p.either) for p in near_copies(L, 3, share=share)]
        assert got == brute_near_copies(L, share)


# -- the default model ------------------------------------------------------------------------
@pytest.mark.parametrize("abstain", ["fit_only", "informative", "ignore"])
@pytest.mark.parametrize("k", [2, 3])
def test_the_default_models_probabilities_do_not_move_with_copies(abstain, k):
    """An LF copied 1, 2 and 3 times: the default model's probabilities are those of the
    matrix without copies. Counting each copy's votes (majority vote; Dawid-Skene's own
    tables without the shares) moves them."""
    L, _ = noisy_lfs(k=k, seed=k)
    alone = default_model(k, abstain=abstain).fit(L)
    before = alone.predict_proba(L)
    for copies in (1, 2, 3):
        Lc = with_copies(L, 1, copies)
        model = default_model(k, abstain=abstain).fit(Lc)
        assert model.copy_of_.tolist() == [0, 1, 2, 3, 4] + [1] * copies
        assert np.abs(model.predict_proba(Lc) - before).max() < 1e-9
        assert model.confusion_[5:] == pytest.approx(model.confusion_[[1] * copies])
        counted = independent_lfs_proba(model, Lc)
        assert np.abs(counted - before).max() > 0.05
        majority = get_model("majority", k).fit(Lc).predict_proba(Lc)
        assert np.abs(majority - get_model("majority", k).fit(L).predict_proba(L)).max() > 0.05


def independent_lfs_proba(model, L):
    """What the fitted model's confusion matrices give when every LF counts in full, as
    snorkel's LabelModel and Dawid-Skene before copies were found count them (abstains
    left out, as fit_only and ignore predict)."""
    log_conf = np.log(np.maximum(model.confusion_[:, :, 1:], 1e-300))
    joint = np.tile(np.log(model.class_balance_), (len(L), 1))
    for j in range(L.shape[1]):
        voted = L[:, j] >= 0
        joint[voted] += log_conf[j][:, L[voted, j]].T
    joint -= joint.max(axis=1, keepdims=True)
    p = np.exp(joint)
    return p / p.sum(axis=1, keepdims=True)


def test_copies_that_part_on_new_items_each_keep_their_share():
    """Two copies of an LF: both voting move an item's log-odds as far as the LF alone
    does in a model fit without the copy; one of them voting, half as far."""
    L, _ = noisy_lfs(k=2, seed=5)
    model = default_model(2).fit(with_copies(L, 0, 1))
    rows = np.full((3, 6), -1)
    rows[1, [0, 5]] = 1
    rows[2, 5] = 1
    p = model.predict_proba(rows)
    logit = np.log(p[:, 1] / p[:, 0])
    alone = default_model(2).fit(L).predict_proba(rows[:2, :5])
    shift = np.log(alone[1, 1] / alone[1, 0]) - np.log(alone[0, 1] / alone[0, 0])
    assert shift > 0.5
    assert logit[1] - logit[0] == pytest.approx(shift)
    assert logit[2] - logit[0] == pytest.approx(shift / 2)


def test_a_saved_model_keeps_its_copies_and_an_older_one_loads_without():
    L, _ = noisy_lfs(k=3, seed=7)
    Lc = with_copies(L, 2, 2)
    model = default_model(3).fit(Lc)
    doc = json.loads(json.dumps(model.to_dict()))
    again = model_from_dict(doc)
    assert again.copy_of_.tolist() == model.copy_of_.tolist()
    assert np.array_equal(again.predict_proba(Lc), model.predict_proba(Lc))
    del doc["learned"]["copy_of_"]  # saved before copies were found: each LF its own
    old = model_from_dict(doc)
    assert old.copy_of_.tolist() == list(range(7))
    assert np.abs(old.predict_proba(Lc) - model.predict_proba(Lc)).max() > 0.01
    assert json.loads(json.dumps(old.to_dict()))["learned"]["copy_of_"]["data"] == list(range(7))


@pytest.mark.parametrize("value", [[0, 1, 2, 3, 4, 9, 2], [0, 1, 2, 3, 4, 2, 5],
                                   [0, 1, 2, 3, 4, 2, -1]])
def test_a_saved_model_whose_copies_point_nowhere_is_an_error(value):
    L, _ = noisy_lfs(k=3, seed=7)
    doc = default_model(3).fit(with_copies(L, 2, 2)).to_dict()
    doc["learned"]["copy_of_"]["data"] = value
    with pytest.raises(ValueError, match="copy_of_"):
        DawidSkene.from_dict(doc, where="model.json")
