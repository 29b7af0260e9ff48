"""Dawid–Skene: EM recovers LF confusion matrices; gold, abstain options, sampling, sanity."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import DawidSkene, MajorityVote
from labelwright.models.convergence import convergence_warning
from labelwright.models.synthetic import make_label_matrix, one_sided_votes


@pytest.mark.parametrize("abstain", ["ignore", "informative", "fit_only"])
@pytest.mark.parametrize("k", [2, 4])
def test_recovers_known_accuracies(abstain, k):
    acc = np.array([0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.7, 0.6])
    L, y = make_label_matrix(30000, acc, cardinality=k, coverage=0.5, random_state=k)
    model = DawidSkene(k, abstain=abstain, learn_class_balance=True).fit(L)
    assert np.abs(model.accuracies_ - acc).max() < 0.03
    np.testing.assert_allclose(model.class_balance_, np.full(k, 1 / k), atol=0.02)
    assert model.n_iter_ >= 2


def test_learns_class_balance_when_asked():
    acc = np.full(6, 0.8)
    L, _ = make_label_matrix(20000, acc, coverage=0.7, class_balance=[0.8, 0.2],
                             random_state=0)
    model = DawidSkene(2, learn_class_balance=True).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.8, 0.2], atol=0.03)
    assert model.balance_learned_
    fixed = DawidSkene(2, learn_class_balance=False).fit(L)  # not learned without gold
    np.testing.assert_allclose(fixed.class_balance_, [0.5, 0.5])
    assert not fixed.balance_learned_


def test_informative_abstains_identify_one_sided_lfs():
    # every LF only ever votes one class; only its abstain rate tells the classes apart
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 4000)
    cols = []
    for target in (0, 0, 1, 1, 1):
        fires = (y == target) & (rng.random(4000) < 0.6) | (y != target) & (rng.random(4000) < 0.05)
        cols.append(np.where(fires, target, -1))
    L = np.column_stack(cols)
    fit_only = DawidSkene(2, abstain="fit_only").fit(L)
    covered = (L >= 0).any(axis=1)
    assert (fit_only.predict(L)[covered] == y[covered]).mean() > 0.9


def one_sided_sparse(k: int, n: int, seed: int, per_class: int = 3, share=None):
    """Sparse multi-class votes of one-sided LFs (each votes one class only, like keyword
    LFs): LF for class c fires on 15-35% of class-c items and on 0.5-3% of the others."""
    rng = np.random.default_rng(seed)
    y = rng.choice(k, size=n, p=share)
    cols = []
    for c in range(k):
        for _ in range(per_class):
            hit, miss = rng.uniform(0.15, 0.35), rng.uniform(0.005, 0.03)
            fires = rng.random(n) < np.where(y == c, hit, miss)
            cols.append(np.where(fires, c, -1))
    return np.column_stack(cols), y


@pytest.mark.parametrize(("k", "share"), [(5, None), (10, None),
                                          (4, [0.55, 0.25, 0.15, 0.05])])
def test_default_does_not_collapse_on_sparse_one_sided_lfs(k, share):
    # plain EM (abstains ignored, class balance learned) used to put every item in one
    # class here: one-sided LFs carry no information once abstains are ignored
    L, y = one_sided_sparse(k, 6000, seed=k, share=share)
    covered = (L >= 0).any(axis=1)
    mv = MajorityVote(k, tie_break="first").fit(L).predict(L)
    model = DawidSkene(k, tie_break="first").fit(L)
    pred = model.predict(L)
    assert len(np.unique(pred[covered])) == k
    assert (pred[covered] == y[covered]).mean() >= (mv[covered] == y[covered]).mean() - 0.02
    assert model.class_balance_.min() > 0.5 / k


def test_ignoring_abstains_with_a_learned_balance_no_longer_collapses():
    # with abstains ignored, one-sided LFs' rows fit on the data said nothing, and a learned
    # balance decided every item (accuracy < 0.5 here); their rows are now held at
    # prior_accuracy, so the votes decide
    L, y = one_sided_sparse(5, 6000, seed=5)
    covered = (L >= 0).any(axis=1)
    plain = DawidSkene(5, abstain="ignore", learn_class_balance=True, monotone=False,
                       tie_break="first").fit(L)
    mv = MajorityVote(5, tie_break="first").fit(L).predict(L)
    plain_acc = (plain.predict(L)[covered] == y[covered]).mean()
    assert plain_acc >= (mv[covered] == y[covered]).mean() - 0.02
    assert len(np.unique(plain.predict(L)[covered])) == 5


def test_votes_count_against_their_own_class_only_where_gold_shows_it():
    # LF 2 votes 1 mostly on items EM puts in class 0 (a one-sided LF with a skewed fit);
    # without gold its vote must not push an item away from class 1
    rng = np.random.default_rng(3)
    n = 3000
    y = rng.integers(0, 2, n)
    good = [np.where(rng.random(n) < 0.8, y, 1 - y) for _ in range(3)]
    odd = np.where((y == 0) & (rng.random(n) < 0.5), 1, -1)  # votes 1, fires on class 0
    L = np.column_stack([*good, odd])
    model = DawidSkene(2).fit(L)
    assert model.prior_votes_[3, 1] and not model.prior_votes_[:3].any()
    only_odd = np.array([[-1, -1, -1, 1]])
    assert model.predict_proba(only_odd)[0, 1] > 0.5
    # with gold, gold can show an LF is worse than chance: EM's estimate is kept
    gold = DawidSkene(2).fit(L, y_dev=np.where(np.arange(n) % 5 == 0, y, -1))
    assert not gold.prior_votes_.any()
    assert gold.predict_proba(only_odd)[0, 1] < 0.5
    free = DawidSkene(2, monotone=False).fit(L)
    assert free.predict_proba(only_odd)[0, 1] < 0.5
    # a few gold rows that say nothing about that LF leave the rule in place: one reviewed
    # label had switched it off for every LF
    few = np.full(n, -1)
    few[:3] = y[:3]
    assert (L[:3, 3] == -1).all()
    some = DawidSkene(2).fit(L, y_dev=few)
    assert some.prior_votes_[3, 1] and some.predict_proba(only_odd)[0, 1] > 0.5


def test_gold_shows_a_vote_against_its_class_only_with_enough_rows():
    from labelwright.models.base import MIN_GOLD_VOTES
    from labelwright.models.monotone import gold_shows_against

    # LF 0 votes 1 on class-0 gold rows; LF 1 votes 1 on class-1 rows; LF 2 votes 0 on
    # fewer class-1 rows than it takes
    n_gold = MIN_GOLD_VOTES
    y = np.array([0] * n_gold + [1] * n_gold + [-1] * 4)
    L = np.full((len(y), 3), -1)
    L[:n_gold, 0] = 1
    L[n_gold:2 * n_gold, 1] = 1
    L[n_gold:2 * n_gold - 1, 2] = 0
    shown = gold_shows_against(L, y, 2)
    assert shown.tolist() == [[False, True], [False, False], [False, False]]
    assert not gold_shows_against(L, None, 2).any()
    # class 1 has no gold row: nothing can be shown about votes for it
    only_zero = np.where(y == 1, -1, y)
    assert not gold_shows_against(L, only_zero, 2).any()


def test_gold_shows_a_vote_against_its_class_only_beyond_sampling_noise():
    from labelwright.models.monotone import gold_shows_against

    # an LF voting 0 on about a third of every class's gold rows: class 1's share a little
    # higher (21/56 against 60/179) is noise, and the rule stays
    y = np.array([0] * 179 + [1] * 56)
    L = np.full((len(y), 1), -1)
    L[:60, 0] = 0
    L[179:179 + 21, 0] = 0
    assert not gold_shows_against(L, y, 2).any()
    # the same LF firing on 45 of the 56 class-1 rows shows it
    L[179:179 + 45, 0] = 0
    assert gold_shows_against(L, y, 2).tolist() == [[True, False]]


@pytest.mark.parametrize(("on_other", "on_own", "shown"), [(34, 22, False), (36, 23, True)])
def test_gold_lifts_the_rule_at_196_standard_errors_not_below(on_other, on_own, shown):
    """The threshold itself: 100 gold rows of each class, an LF voting 0 on ``on_own`` of
    class 0's and ``on_other`` of class 1's, a difference of 1.89 and of 2.02 standard
    errors. The rule was tested only far from 1.96 (it passed at 0.6 or at 5.0)."""
    from labelwright.models.monotone import GOLD_AGAINST_Z, gold_shows_against

    n = 100
    pooled = (on_other + on_own) / (2 * n)
    z = (on_other - on_own) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    assert (1.85 < z < 1.93) if not shown else (1.99 < z < 2.05)
    assert GOLD_AGAINST_Z == 1.96
    y = np.array([0] * n + [1] * n)
    L = np.full((2 * n, 1), -1)
    L[:on_own, 0] = 0
    L[n:n + on_other, 0] = 0
    assert gold_shows_against(L, y, 2).tolist() == [[shown, False]]


def test_gold_rows_are_clamped_and_help():
    acc = np.array([0.3, 0.3, 0.3, 0.9])  # most LFs worse than chance: EM alone is fooled
    L, y = make_label_matrix(3000, acc, coverage=0.9, random_state=1)
    blind = DawidSkene(2).fit(L)
    y_dev = np.where(np.arange(3000) % 10 == 0, y, -1)
    guided = DawidSkene(2, gold_weight=5.0).fit(L, y_dev=y_dev)
    assert (guided.predict(L) == y).mean() > (blind.predict(L) == y).mean() + 0.1


@pytest.mark.parametrize("abstain", ["ignore", "fit_only"])
def test_sampled_fit_matches_full_fit(abstain):
    acc = np.linspace(0.6, 0.9, 12)
    L, y = make_label_matrix(60000, acc, cardinality=3, coverage=0.3, random_state=4)
    y_dev = np.where(np.arange(60000) % 50 == 0, y, -1)
    full = DawidSkene(3, abstain=abstain, sample_rows=None).fit(L, y_dev=y_dev)
    sampled = DawidSkene(3, abstain=abstain, sample_rows=5000).fit(L, y_dev=y_dev)
    assert sampled.n_iter_ > full.n_iter_ - 10  # it did run on the sample first
    np.testing.assert_allclose(sampled.confusion_, full.confusion_, atol=2e-3)
    assert np.mean(sampled.predict(L) == full.predict(L)) > 0.999
    again = DawidSkene(3, abstain=abstain, sample_rows=5000).fit(L, y_dev=y_dev)
    np.testing.assert_array_equal(again.confusion_, sampled.confusion_)


def test_repeated_rows_fit_like_weighted_patterns():
    # tripling every row triples the evidence against the same prior: close, not equal
    acc = np.array([0.7, 0.8, 0.9, 0.75])
    L, _ = make_label_matrix(5000, acc, coverage=0.6, random_state=2)
    a = DawidSkene(2, sample_rows=None).fit(L)
    b = DawidSkene(2, sample_rows=None).fit(np.repeat(L, 3, axis=0))
    np.testing.assert_allclose(a.accuracies_, b.accuracies_, atol=0.01)


def test_unknown_abstain_option():
    with pytest.raises(ValueError, match="unknown abstain 'skip'; valid: ignore"):
        DawidSkene(2, abstain="skip").fit(np.array([[0, 1]]))


@pytest.mark.parametrize("abstain", ["ignore", "informative", "fit_only"])
def test_predictions_follow_the_confusion_matrices(abstain):
    # the sparse tables give the textbook posterior, computed here item by item
    acc = np.array([0.6, 0.7, 0.8, 0.9, 0.65])
    L, _ = make_label_matrix(2000, acc, cardinality=3, coverage=0.5, random_state=6)
    model = DawidSkene(3, abstain=abstain, learn_class_balance=True).fit(L)
    assert not model.prior_votes_.any()
    probs = model.predict_proba(L[:40])
    for row, p in zip(L[:40], probs, strict=True):
        joint = model.class_balance_.copy()
        for j, v in enumerate(row):
            if v >= 0:
                joint *= model.confusion_[j, :, v + 1]
            elif abstain == "informative":
                joint *= model.confusion_[j, :, 0]
        np.testing.assert_allclose(p, joint / joint.sum(), rtol=1e-9)


def test_same_fit_when_blocks_are_rebuilt_each_pass_and_on_threads(monkeypatch):
    import labelwright.models.vote_blocks as module

    acc = np.linspace(0.6, 0.9, 8)
    L, _ = make_label_matrix(3 * module.BLOCK_ROWS + 123, acc, coverage=0.3, random_state=5)
    cached = DawidSkene(2, n_threads=1).fit(L)
    threaded = DawidSkene(2, n_threads=2).fit(L)
    np.testing.assert_array_equal(threaded.confusion_, cached.confusion_)
    monkeypatch.setattr(module, "CACHE_VOTES", 0)
    streamed = DawidSkene(2, n_threads=2).fit(L)
    np.testing.assert_array_equal(streamed.confusion_, cached.confusion_)
    assert streamed.n_iter_ == cached.n_iter_


def test_a_warm_start_on_a_row_sample_ends_at_the_full_data_fit():
    """The sample only warms EM up: the full rounds have their own budget and converge."""
    from labelwright.models import DawidSkene
    from labelwright.models.synthetic import make_label_matrix

    rng = np.random.default_rng(4)
    L, _ = make_label_matrix(20_000, rng.uniform(0.55, 0.9, 12), coverage=0.3,
                             random_state=4)
    full = DawidSkene(2, max_iter=40, tol=1e-9).fit(L)
    warm = DawidSkene(2, max_iter=40, tol=1e-9, sample_rows=1_000).fit(L)
    assert warm.n_iter_ > full.n_iter_ - 5  # it did run sample rounds, then full ones
    np.testing.assert_allclose(warm.confusion_, full.confusion_, atol=2e-4)
    assert abs(warm.log_likelihood_ - full.log_likelihood_) < 1e-6
    # a sample that uses up max_iter still leaves the full rounds their own max_iter
    capped = DawidSkene(2, max_iter=10, tol=0.0, sample_rows=1_000).fit(L)
    assert capped.n_iter_ == 10 + 10


def test_a_document_saved_before_the_monotone_rule_loads_predicts_and_saves(tmp_path):
    """Documents without prior_votes_ predict with every vote's own evidence, as they did."""
    from labelwright.models import load_model

    rng = np.random.default_rng(3)
    n = 2000
    y = rng.integers(0, 2, n)
    good = [np.where(rng.random(n) < 0.8, y, 1 - y) for _ in range(3)]
    L = np.column_stack([*good, np.where((y == 0) & (rng.random(n) < 0.5), 1, -1)])
    model = DawidSkene(2).fit(L)
    assert model.prior_votes_.any()
    doc = model.to_dict()
    del doc["learned"]["prior_votes_"]
    older = DawidSkene.from_dict(doc)
    assert older.prior_votes_.shape == (4, 2) and not older.prior_votes_.any()
    unreplaced = model.to_dict()
    unreplaced["learned"]["prior_votes_"] = {"dtype": "bool", "shape": [4, 2], "data": [False] * 8}
    np.testing.assert_allclose(older.predict_proba(L),
                               DawidSkene.from_dict(unreplaced).predict_proba(L))
    older.save(tmp_path / "again.json")
    np.testing.assert_allclose(load_model(tmp_path / "again.json").predict_proba(L),
                               older.predict_proba(L))


def textbook_em(L, k, abstain, rounds, y_dev=None, gold_weight=1.0, learn=False,
                a0=0.7, strength=10.0):
    """Dawid-Skene EM written out densely, one (item, LF, vote) array: the confusion
    matrices after ``rounds`` rounds (the first from majority vote shares)."""
    n, m = L.shape
    onehot = np.stack([L == v for v in range(k)], axis=2).astype(float)  # (i, j, v)
    voted = onehot.sum(axis=2)
    counts = onehot.sum(axis=1)
    total = counts.sum(axis=1, keepdims=True)
    post = np.where(total > 0, counts / np.maximum(total, 1), 1.0 / k)
    gold = np.zeros(n, dtype=bool) if y_dev is None else y_dev >= 0
    w = np.where(gold, gold_weight, 1.0)
    balance = np.full(k, 1.0 / k)
    if gold.sum() >= 20:  # the gold class balance, add-one smoothed
        balance = np.bincount(y_dev[gold], minlength=k) + 1.0
        balance /= balance.sum()
    coverage = np.clip(voted.sum(axis=0) / n, 1.0 / (n + 1), 1.0)
    v0 = strength / k
    prior = np.empty((m, k, k + 1))
    prior[:, :, 1:] = v0 * (1 - a0) / (k - 1)
    prior[:, np.arange(k), np.arange(k) + 1] = v0 * a0
    prior[:, :, 0] = (v0 * (1 - coverage) / coverage)[:, None]
    conf = None
    for r in range(rounds):
        if r > 0:
            with np.errstate(divide="ignore"):
                log_conf = np.maximum(np.log(conf), -1e4)
            joint = np.log(balance) + np.einsum("ijv,jyv->iy", onehot, log_conf[:, :, 1:])
            if abstain != "ignore":
                joint += (1 - voted) @ log_conf[:, :, 0]
            joint -= joint.max(axis=1, keepdims=True)
            post = np.exp(joint) / np.exp(joint).sum(axis=1, keepdims=True)
        if gold.any():
            post[gold] = np.eye(k)[y_dev[gold]]
        weighted = post * w[:, None]
        stats = prior.copy()
        stats[:, :, 1:] += np.einsum("iy,ijv->jyv", weighted, onehot)
        if abstain == "ignore":
            stats[:, :, 0] = 0.0
        else:  # class mass among the items each LF abstained on
            stats[:, :, 0] += (1 - voted).T @ weighted
        conf = stats / stats.sum(axis=2, keepdims=True)
        if learn:
            mass = weighted.sum(axis=0)
            balance = (mass + 1.0) / (mass.sum() + k)
    return conf, balance


@pytest.mark.parametrize("abstain", ["ignore", "informative", "fit_only"])
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize(("gold_weight", "learn"), [(None, False), (1.0, True), (4.0, False)])
def test_em_rounds_are_the_textbook_rounds(monkeypatch, abstain, k, gold_weight, learn):
    # sums run against class 0 (k-1 columns), rows of a block are reordered and blocks are
    # made on threads: none of it may change a round. Rows barely repeat (no compression),
    # some are all-abstain, several blocks spread over two threads
    import labelwright.models.vote_blocks as module

    monkeypatch.setattr(module, "BLOCK_ROWS", 3000)
    acc = np.random.default_rng(k).uniform(0.5, 0.9, 24)
    L, y = make_label_matrix(24000, acc, cardinality=k, coverage=0.3, random_state=k)
    L[::97] = -1
    y_dev = None if gold_weight is None else np.where(np.arange(len(L)) % 9 == 0, y, -1)
    model = DawidSkene(k, abstain=abstain, learn_class_balance=learn, max_iter=4, tol=0.0,
                       gold_weight=gold_weight or 1.0, n_threads=2)
    model.fit(L, y_dev=y_dev)
    assert model.n_iter_ == 4
    conf, balance = textbook_em(L, k, abstain, 4, y_dev, gold_weight or 1.0, learn)
    np.testing.assert_allclose(model.confusion_, conf, rtol=1e-9, atol=1e-12)
    if learn:
        np.testing.assert_allclose(model.class_balance_, balance, rtol=1e-9)


def test_blocks_are_even_in_number_and_size():
    from labelwright.models.vote_blocks import BLOCK_ROWS
    from labelwright.models.vote_blocks import block_bounds as _block_bounds

    for n in (1, 7, BLOCK_ROWS, BLOCK_ROWS + 1, 15 * BLOCK_ROWS + 100, 10**7):
        bounds = _block_bounds(n)
        sizes = [stop - start for start, stop in bounds]
        assert bounds[0][0] == 0 and bounds[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        assert max(sizes) <= BLOCK_ROWS and max(sizes) - min(sizes) <= 1
        assert len(bounds) == 1 if n <= BLOCK_ROWS else len(bounds) % 2 == 0


def test_kept_blocks_are_allocated_on_the_fitting_thread(monkeypatch):
    # blocks are made on pool threads, but what they keep comes from the caller's memory
    # arena, which the caller reuses after the fit; a worker's arena would hold on to it
    import threading

    import labelwright.models.vote_blocks as module

    monkeypatch.setattr(module, "BLOCK_ROWS", 2000)
    where, made = [], []
    real_storage, real_order = module.storage, module.order_rows

    def storage(*args, **kwargs):
        where.append(threading.get_ident())
        return real_storage(*args, **kwargs)

    def order_rows(*args, **kwargs):
        made.append(threading.get_ident())
        return real_order(*args, **kwargs)

    monkeypatch.setattr(module, "storage", storage)
    monkeypatch.setattr(module, "order_rows", order_rows)
    L, _ = make_label_matrix(30000, np.linspace(0.6, 0.9, 30), coverage=0.3, random_state=7)
    DawidSkene(2, n_threads=2).fit(L)
    assert len(where) == 16 and set(where) == {threading.get_ident()}
    assert threading.get_ident() not in made


def test_no_prior_and_a_class_count_of_exactly_zero_give_no_nan():
    # class 0's counts are derived from sums; rounding could leave -1e-16 where the true
    # count is 0, and with no prior pseudo-count log() of it made the whole model nan
    rng = np.random.default_rng(1)
    L = rng.integers(-1, 3, (3000, 6))
    L[:, 0] = -1
    no_zero = (L[:, 1:] != 0).all(axis=1) & (L[:, 1:] >= 1).any(axis=1)
    L[no_zero & (rng.random(3000) < 0.7), 0] = 1
    for strength in (0.0, 1e-12):
        model = DawidSkene(3, prior_strength=strength).fit(L)
        assert (model.confusion_ >= 0).all()
        assert np.isfinite(model.predict_proba(L)).all()


def test_thread_count_does_not_change_a_fit_of_rows_that_do_not_repeat():
    # without a pool, a multi-threaded BLAS summed (u, 1) columns in an order that depends
    # on its own thread count; fits with 1 and 2 threads must be identical
    L, _ = make_label_matrix(200_000, np.linspace(0.6, 0.9, 25), coverage=0.25,
                             random_state=11)
    one = DawidSkene(2, n_threads=1).fit(L)
    two = DawidSkene(2, n_threads=2).fit(L)
    assert np.array_equal(one.confusion_, two.confusion_)
    assert one.log_likelihood_ == two.log_likelihood_


def test_unsigned_votes_with_gold_rows():
    # uint8 votes (no abstains) with y_dev: gold -1 must not wrap to 255 next to them
    rng = np.random.default_rng(0)
    L = rng.integers(0, 2, (1000, 5))
    y_dev = np.full(1000, -1)
    y_dev[:50] = rng.integers(0, 2, 50)
    unsigned = DawidSkene(2).fit(L.astype(np.uint8), y_dev=y_dev)
    signed = DawidSkene(2).fit(L.astype(np.int8), y_dev=y_dev)
    np.testing.assert_allclose(unsigned.confusion_, signed.confusion_)


def test_ignore_abstains_with_one_sided_lfs_and_no_gold_warns(caplog):
    # each LF votes one class: with abstains ignored its vote is the same under every class
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    L = np.full((500, 4), -1)
    L[:, 0] = np.where((y == 1) & (rng.random(500) < 0.6), 1, -1)
    L[:, 1] = np.where((y == 0) & (rng.random(500) < 0.6), 0, -1)
    L[:, 2:] = np.where(rng.random((500, 2)) < 0.5, y[:, None], -1)  # two-sided
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        DawidSkene(2, abstain="ignore").fit(L)
    assert "2 of 4 LFs vote a single class" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        DawidSkene(2, abstain="fit_only").fit(L)
        DawidSkene(2, abstain="ignore").fit(L, y_dev=np.where(np.arange(500) < 50, y, -1))
    assert "single class" not in caplog.text


@pytest.mark.parametrize("abstain", ["ignore", "fit_only"])
def test_no_prior_and_a_class_no_lf_votes_give_no_nan(abstain, tmp_path):
    """prior_strength=0 left 0 / 0 in the confusion of a class nothing counted for: NaN
    probabilities, "accepted" with confidence nan, and a saved file that was not JSON."""
    from labelwright.models import load_model

    rng = np.random.default_rng(0)
    L = rng.integers(-1, 2, size=(120, 4))  # classes 0 and 1 only; k = 3
    model = DawidSkene(3, abstain=abstain, prior_strength=0.0).fit(L)
    probs = model.predict_proba(np.vstack([L, [[2, -1, -1, -1]]]))
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    model.save(tmp_path / "m.json")
    assert "NaN" not in (tmp_path / "m.json").read_text()
    np.testing.assert_allclose(load_model(tmp_path / "m.json").predict_proba(L),
                               probs[:-1])


def test_em_that_stops_at_max_iter_says_so_and_records_it(caplog, tmp_path):
    acc = np.array([0.55, 0.6, 0.65, 0.7, 0.75, 0.8])
    L, _ = make_label_matrix(5000, acc, cardinality=3, coverage=0.6, random_state=3)
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        full = DawidSkene(3).fit(L)
    assert full.converged_ is True and 2 < full.n_iter_ < 100
    assert "max_iter" not in caplog.text
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        cut = DawidSkene(3, max_iter=2).fit(L)
    assert cut.converged_ is False and cut.n_iter_ == 2
    # the fit logs the run's warning, word for word
    assert [r.getMessage() for r in caplog.records] == [
        "the label model (dawid_skene) stopped EM at max_iter = 2 rounds before it converged "
        "(the mean log-likelihood still moved by more than tol = 1e-06 in its last round): "
        "labels may still move; to give it more rounds, write max_iter = 10 under "
        "[label_model], or from Python pass max_iter=10 to the model"]
    assert caplog.records[0].getMessage() == convergence_warning(cut)
    # kept through save / load; a file saved before it was recorded reads as unknown
    path = tmp_path / "ds.json"
    cut.save(path)
    assert DawidSkene.load(path).converged_ is False
    doc = full.to_dict()
    del doc["learned"]["converged_"]
    assert DawidSkene.from_dict(doc).converged_ is None


def test_the_max_iter_warning_is_logged_and_silenced_as_readme_says(caplog):
    """README: a logging warning under labelwright.models (warnings.catch_warnings does not
    see it), silenced by that logger's level."""
    import logging
    import warnings

    L, _ = make_label_matrix(2000, np.full(5, 0.7), coverage=0.6, random_state=1)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level("WARNING"):
        warnings.simplefilter("always")
        DawidSkene(2, max_iter=2).fit(L)
    assert not [w for w in caught if "max_iter" in str(w.message)]
    assert [r.name for r in caplog.records if "max_iter" in r.getMessage()] == [
        "labelwright.models.dawid_skene"]
    caplog.clear()
    logger = logging.getLogger("labelwright.models")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with caplog.at_level("WARNING"):
            model = DawidSkene(2, max_iter=2).fit(L)
    finally:
        logger.setLevel(level)
    assert model.converged_ is False and "max_iter" not in caplog.text


def test_fits_made_only_to_be_scored_do_not_warn(caplog):
    from labelwright.models.base import fit_warnings_left_to_caller

    L, _ = make_label_matrix(2000, np.full(5, 0.7), coverage=0.6, random_state=1)
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        with fit_warnings_left_to_caller():
            model = DawidSkene(2, max_iter=2).fit(L)
    assert model.converged_ is False and caplog.text == ""


def test_ignoring_abstains_keeps_one_sided_lfs_when_given_gold():
    # with abstains ignored, a one-sided LF's P(vote | y) fit on the data is 1 for every
    # class, and the gold rows' (skewed) class balance then put nearly every item in the
    # largest class; its rows are held at its accuracy on the gold rows instead
    k = 8
    share = [0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.03, 0.02]
    L, y = one_sided_sparse(k, 6000, seed=11, share=share)
    rng = np.random.default_rng(0)
    y_dev = np.where(rng.random(len(y)) < 0.2, y, -1)
    held_out = (L >= 0).any(axis=1) & (y_dev < 0)
    mv = MajorityVote(k, tie_break="first").fit(L).predict(L)
    model = DawidSkene(k, abstain="ignore", tie_break="first").fit(L, y_dev=y_dev)
    pred = model.predict(L)
    assert len(np.unique(pred[held_out])) == k
    mv_acc = (mv[held_out] == y[held_out]).mean()
    assert (pred[held_out] == y[held_out]).mean() >= mv_acc


def test_ignoring_abstains_holds_one_sided_lfs_at_their_gold_accuracy():
    # an LF right on 9 of its 10 gold votes (prior 0.7, worth 10 votes: 0.8): a lone vote
    # of it gives its class a posterior of 0.8, whatever the class balance
    L = np.full((200, 3), -1)
    L[:100, 0] = 0  # LF 0 votes class 0 only
    L[100:150, 1] = 1
    L[150:, 2] = 2
    L[150:160, 1] = 1  # LF 1 and 2 overlap, so the class balance has something to do
    y_dev = np.full(200, -1)
    y_dev[:10] = [0] * 9 + [1]
    y_dev[100:130] = 1
    y_dev[150:180] = 2
    model = DawidSkene(3, abstain="ignore").fit(L, y_dev=y_dev)
    lone = model.predict_proba(np.array([[0, -1, -1]]))[0]
    assert lone[0] == pytest.approx((9 + 7) / (10 + 10))


def test_a_given_rare_class_balance_keeps_the_rare_class():
    """One-sided LFs, 5% spam, the true balance given: the prior's pseudo-votes were the same
    for every class's row, so the 50 spam items' row was mostly prior (abstaining as often as
    the LF does over all items), EM read every spam LF as firing on ham as often as on spam,
    and no item was labelled spam. Spread by the balance, the spam LFs keep their reading."""
    rng = np.random.default_rng(0)
    n = 1000
    y = (rng.random(n) < 0.05).astype(np.int64)
    # (class voted, P(fires | that class), P(fires | the other))
    lfs = [(1, 0.7, 0.003), (1, 0.3, 0.01), (0, 0.35, 0.02), (0, 0.35, 0.005), (0, 0.1, 0.0)]
    L = np.full((n, len(lfs)), -1, dtype=np.int64)
    for j, (c, on, off) in enumerate(lfs):
        L[rng.random(n) < np.where(y == c, on, off), j] = c
    model = DawidSkene(2, monotone=True).fit(L, class_balance=[0.95, 0.05])
    pred = model.predict(L)
    covered_spam = (y == 1) & (L >= 0).any(axis=1)
    assert (pred[covered_spam] == 1).mean() > 0.8
    assert ((pred == 1) & (y == 0)).sum() < 10
    assert model.accuracies_[0] > 0.6  # the precise spam LF (was read at 0.14)
    # at equal classes the prior is what it was: every class's row gets the same share
    flat = DawidSkene(2, monotone=True).fit(L)
    assert flat.class_balance_.tolist() == [0.5, 0.5]


def confusable_three_classes(seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """3 classes 55/27/18%, 8 LFs that vote any class (right 55-85% of the time, 60% of
    their errors on the class paired with the true one), 5,000 items."""
    acc = np.array([0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.6])
    coverage = np.array([0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.2])
    return make_label_matrix(5000, acc, cardinality=3, coverage=coverage,
                             class_balance=[6 / 11, 3 / 11, 2 / 11], confusable=0.6,
                             random_state=seed)


def covered_accuracy(model, L, y):
    covered = (L >= 0).any(axis=1)
    return float((model.fit(L).predict(L)[covered] == y[covered]).mean())


def test_auto_learns_the_balance_from_lfs_voting_several_classes():
    L, y = confusable_three_classes()
    auto = DawidSkene(3)
    assert auto.learn_class_balance == "auto"
    fixed = covered_accuracy(DawidSkene(3, learn_class_balance=False), L, y)
    majority = covered_accuracy(MajorityVote(3), L, y)
    learned = covered_accuracy(auto, L, y)
    assert fixed < majority  # equal classes bend the confusion matrices: the failure
    assert learned > majority + 0.01
    assert auto.balance_learned_
    np.testing.assert_allclose(auto.class_balance_, [6 / 11, 3 / 11, 2 / 11], atol=0.05)


def test_auto_changes_nothing_with_one_sided_lfs():
    rng = np.random.default_rng(0)
    y = rng.choice(4, 3000, p=[0.55, 0.25, 0.12, 0.08])
    L = one_sided_votes(y, 4, random_state=1)
    auto = DawidSkene(4).fit(L)
    fixed = DawidSkene(4, learn_class_balance=False).fit(L)
    assert not auto.balance_learned_ and auto.balance_from_votes_
    np.testing.assert_array_equal(auto.class_balance_, fixed.class_balance_)
    np.testing.assert_array_equal(auto.predict_proba(L), fixed.predict_proba(L))


def test_auto_needs_three_lfs_voting_several_classes():
    L, _ = confusable_three_classes()
    two = np.where(L == 0, 0, -1).astype(L.dtype)
    two[:, :2] = L[:, :2]
    auto = DawidSkene(3).fit(two)  # two LFs vote several classes, the others class 0 only
    assert not auto.balance_learned_
    fixed = DawidSkene(3, learn_class_balance=False).fit(two)
    np.testing.assert_array_equal(auto.predict_proba(two), fixed.predict_proba(two))


def test_auto_refits_when_the_learned_balance_disagrees_with_the_votes(monkeypatch, caplog):
    from labelwright.models import dawid_skene

    L, _ = confusable_three_classes()
    fixed = DawidSkene(3, learn_class_balance=False).fit(L)
    monkeypatch.setattr(dawid_skene, "balance_agrees", lambda votes, lfs, balance: False)
    with caplog.at_level("INFO", logger="labelwright.models.dawid_skene"):
        auto = DawidSkene(3).fit(L)
    assert not auto.balance_learned_
    np.testing.assert_array_equal(auto.class_balance_, fixed.class_balance_)
    np.testing.assert_array_equal(auto.predict_proba(L), fixed.predict_proba(L))
    assert "fit again without learning it" in caplog.text
    # one fit's warnings, not two: a one-sided LF under abstain="ignore" is named once
    one_sided_lf = np.column_stack([L, np.where(L[:, 0] == 0, 0, -1)])
    caplog.clear()
    with caplog.at_level("WARNING", logger="labelwright.models"):
        DawidSkene(3, abstain="ignore").fit(one_sided_lf)
    assert caplog.text.count("vote a single class") == 1


def test_auto_keeps_a_given_or_gold_balance():
    L, y = confusable_three_classes()
    gold = np.where(np.arange(len(y)) < 40, y, -1)
    for kwargs in ({"y_dev": gold}, {"class_balance": np.array([0.5, 0.3, 0.2])}):
        auto = DawidSkene(3).fit(L, **kwargs)
        fixed = DawidSkene(3, learn_class_balance=False).fit(L, **kwargs)
        assert not auto.balance_learned_
        np.testing.assert_array_equal(auto.predict_proba(L), fixed.predict_proba(L))


@pytest.mark.parametrize("value", ["yes", 2, None])
def test_learn_class_balance_names_its_three_settings(value):
    with pytest.raises(ValueError, match="learn_class_balance must be true, false or 'auto'"):
        DawidSkene(2, learn_class_balance=value).fit(np.array([[0, 1], [1, 1]]))


def test_a_document_saved_before_balance_learned_loads_as_not_learned():
    from labelwright.models.registry import model_from_dict

    L, _ = confusable_three_classes()
    model = DawidSkene(3).fit(L)
    doc = model.to_dict()
    assert model_from_dict(doc).balance_learned_
    del doc["learned"]["balance_learned_"]
    old = model_from_dict(doc)
    assert not old.balance_learned_
    np.testing.assert_array_equal(old.predict_proba(L), model.predict_proba(L))


def test_the_run_and_the_report_say_an_auto_learned_balance_and_reviews_still_set_it():
    from types import SimpleNamespace

    from labelwright.models.class_prior import LEARNED_BALANCE_NOTE
    from labelwright.models.configured import learns_balance_always
    from labelwright.report.summary import balance_source

    record = {"class_balance": [0.6, 0.3, 0.1], "class_balance_setting": None,
              "class_balance_learned": True, "params": {"learn_class_balance": "auto"}}
    assert balance_source(record, None) == LEARNED_BALANCE_NOTE
    record["params"]["learn_class_balance"] = True  # asked for: said as before
    assert "(learn_class_balance)" in balance_source(record, None)
    # "auto" takes the reviewed labels' balance first, as False does; True learns its own
    assert not learns_balance_always(SimpleNamespace(learn_class_balance="auto"))
    assert not learns_balance_always(SimpleNamespace(learn_class_balance=False))
    assert learns_balance_always(SimpleNamespace(learn_class_balance=True))
    from labelwright.models.configured import note_class_balance

    L, _ = confusable_three_classes()
    config = SimpleNamespace(label_model=SimpleNamespace(class_balance=None))
    for model, note in ((DawidSkene(3).fit(L), LEARNED_BALANCE_NOTE),
                        (DawidSkene(3, learn_class_balance=False).fit(L), None)):
        note_class_balance(config, model, 0)  # the run's model table prints this note
        assert model.class_balance_note_ == note


def test_prepare_finds_the_blas_libraries_the_fit_limits():
    """The bench times fit after prepare(): the first fit had paid the BLAS controller's
    one-time setup (scipy.linalg's import and the libraries' search, ~0.2 s)."""
    from labelwright.models import get_model, vote_blocks

    vote_blocks.blas_controller.cache_clear()
    get_model("dawid_skene", 2).prepare()
    assert vote_blocks.blas_controller.cache_info().currsize == 1
