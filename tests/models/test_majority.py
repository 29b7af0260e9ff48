"""Majority vote reproduces snorkel's MajorityLabelVoter; weighted majority learns weights."""

from __future__ import annotations

import itertools

import numpy as np

from labelwright.models import MajorityVote, WeightedMajorityVote
from labelwright.models.synthetic import make_label_matrix


def test_majority_matches_snorkel_including_random_ties():
    from snorkel.labeling.model import MajorityLabelVoter

    rng = np.random.default_rng(1)
    L = rng.integers(-1, 3, size=(400, 4))
    ours = MajorityVote(3, tie_break="random").fit(L).predict(L)
    theirs = MajorityLabelVoter(cardinality=3).predict(L, tie_break_policy="random")
    np.testing.assert_array_equal(ours, theirs)


def test_majority_vote_shares_and_gold_prior():
    L = np.array([[0, 0, 1], [-1, -1, -1]])
    model = MajorityVote(2).fit(L)
    np.testing.assert_allclose(model.predict_proba(L), [[2 / 3, 1 / 3], [0.5, 0.5]])
    y_dev = np.r_[np.zeros(30, int), np.ones(10, int)]
    gold = MajorityVote(2).fit(np.zeros((40, 3), int), y_dev=y_dev)
    np.testing.assert_allclose(gold.class_balance_, [31 / 42, 11 / 42])


def test_weighted_majority_recovers_accuracies():
    acc = np.array([0.55, 0.6, 0.7, 0.8, 0.9, 0.95])
    L, y = make_label_matrix(20000, acc, coverage=0.6, random_state=3)
    model = WeightedMajorityVote(2).fit(L)
    # agreement with the other (noisy) LFs under-estimates good LFs: ranks are right,
    # values are rough
    assert np.abs(model.accuracies_ - acc).max() < 0.16
    np.testing.assert_array_equal(np.argsort(model.weights_), np.arange(6))


def test_weighted_majority_uses_gold_accuracies():
    # two LFs that always disagree: without gold they look alike, gold tells them apart
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    L = np.column_stack([y, 1 - y])
    no_gold = WeightedMajorityVote(2).fit(L)
    assert no_gold.accuracies_[0] == no_gold.accuracies_[1]
    with_gold = WeightedMajorityVote(2).fit(L, y_dev=y)
    assert with_gold.accuracies_[0] > 0.9 and with_gold.accuracies_[1] < 0.1
    assert (with_gold.predict(L) == y).all()


def test_weighted_majority_without_prior_or_votes_warns_nothing():
    # LF 2 never votes; with prior_strength=0 its accuracy was 0 / 0 (RuntimeWarning, nan)
    import warnings

    L = np.array([[0, 0, -1], [1, 1, -1], [0, 1, -1], [1, -1, -1]] * 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = WeightedMajorityVote(2, prior_strength=0.0, prior_accuracy=0.7).fit(L)
        probs = model.predict_proba(L)
    assert model.accuracies_[2] == 0.7 and np.isfinite(model.weights_).all()
    assert np.isfinite(probs).all()


def test_weighted_majority_does_not_depend_on_which_class_is_called_0():
    """A tied leave-one-out vote counted as agreement for class 0 (argmax), so naming
    the classes the other way round changed the learned accuracies and labels."""
    rng = np.random.default_rng(4)
    L = rng.integers(-1, 2, size=(400, 5))
    swapped = np.where(L >= 0, 1 - L, L)
    a = WeightedMajorityVote(2, tie_break="first").fit(L)
    b = WeightedMajorityVote(2, tie_break="first").fit(swapped)
    np.testing.assert_allclose(a.accuracies_, b.accuracies_, atol=1e-9)
    np.testing.assert_allclose(a.predict_proba(L), b.predict_proba(swapped)[:, ::-1],
                               atol=1e-9)


def test_weighted_majority_never_reads_a_vote_backwards_without_gold_showing_it():
    """A ham LF seen by the others only where it conflicts with them got accuracy 0.03 and
    a negative weight: items whose only vote was ham came out spam at 0.97."""
    n = 2000
    L = np.full((n, 3), -1, dtype=np.int8)
    L[:800, :2] = 1  # two spam LFs that agree
    L[800:1800, 2] = 0  # a ham LF alone
    L[1800:, 2], L[1800:, 0] = 0, 1  # ... and in conflict with one spam LF
    model = WeightedMajorityVote(2).fit(L)
    # the agreement puts it below chance; the default model's accuracy stands in for it
    assert model.borrowed_.tolist() == [False, False, True] and (model.weights_ >= 0).all()
    assert model.predict_proba(L[1000:1001])[0, 1] <= 0.5  # never counted as spam
    # gold showing the LF wrong on >= 5 of its votes may turn it around (when they outweigh
    # the accuracy it borrowed); fewer may not
    y_dev = np.full(n, -1)
    y_dev[1800:1830] = 1  # its conflicts: the items are spam, its ham votes wrong
    assert model.fit(L, y_dev=y_dev).weights_[2] < 0
    y_dev[1804:] = -1
    assert model.fit(L, y_dev=y_dev).weights_[2] >= 0


def rows(n: int, votes: list[int]) -> list[list[int]]:
    return [list(votes)] * n


def queue_of_conflicts() -> tuple[np.ndarray, np.ndarray]:
    """A spam LF right on every vote whose other LFs are mostly a weak ham LF firing on the
    same spam items (as a "song" rule fires on "check out my song" spam): the agreement
    with the others puts it below chance."""
    S, H, _ = 1, 0, -1
    L = np.array(rows(120, [S, _, H, _]) + rows(40, [S, S, _, _]) + rows(40, [S, _, _, _])
                 + rows(30, [_, S, _, _]) + rows(70, [_, _, _, _])  # 300 spam
                 + rows(100, [_, _, H, H]) + rows(50, [_, _, H, _]) + rows(50, [_, _, _, H])
                 + rows(100, [_, _, _, _]))  # 300 ham
    return L, np.r_[np.ones(300, dtype=int), np.zeros(300, dtype=int)]


def test_weighted_majority_borrows_the_default_models_accuracy_for_an_lf_it_would_ignore():
    L, y = queue_of_conflicts()
    model = WeightedMajorityVote(2).fit(L)
    assert model.borrowed_[0] and model.weights_[0] > 1.0  # was 0: ignored
    assert (model.predict(L[160:200]) == 1).all()  # its lone votes count
    assert (model.predict(L) == y).mean() > (MajorityVote(2).fit(L).predict(L) == y).mean()
    # with gold rows the borrowed accuracy is moved by its gold votes, all right here
    y_dev = np.where(np.arange(len(y)) % 10 == 0, y, -1)
    with_gold = WeightedMajorityVote(2).fit(L, y_dev=y_dev)
    assert with_gold.borrowed_[0] and with_gold.weights_[0] > model.weights_[0]


def test_weighted_majority_borrows_per_lf_with_reviews_elsewhere():
    """One reviewed label on an item the LF never voted on switched the borrowing off for
    every LF: a rule right on every vote, with no reviewed vote of its own, went back to
    weight 0 and its items to the class balance (a 12-intent project: F1 0.89 -> 0.00)."""
    L, y = queue_of_conflicts()
    y_dev = np.full(len(y), -1)
    y_dev[500] = 0  # an item only the ham LFs voted on
    assert L[500, 0] == -1
    model = WeightedMajorityVote(2).fit(L, y_dev=y_dev)
    assert model.borrowed_[0] and model.weights_[0] > 1.0
    assert (model.predict(L[160:200]) == 1).all()  # its lone votes still count
    # its own reviewed votes move the borrowed accuracy, not the agreement's
    y_dev[[0, 1, 2, 3, 4]] = 1
    assert WeightedMajorityVote(2).fit(L, y_dev=y_dev).borrowed_[0]


def test_a_review_agreeing_with_an_lf_never_lowers_its_weight():
    """From its fifth reviewed vote on, an LF the agreement reads below chance had its
    reviews move the agreement's accuracy, not the borrowed one: a spam rule right on all
    five went from weight 4.04 to 0.07, its lone votes from 0.98 spam to 0.52."""
    L, y = queue_of_conflicts()
    weights = []
    for n in range(12):
        y_dev = np.full(len(y), -1)
        y_dev[500] = 0
        y_dev[:n] = 1  # rows 0.. are LF 0's spam votes, right
        weights.append(WeightedMajorityVote(2).fit(L, y_dev=y_dev).weights_[0])
    assert L[:12, 0].tolist() == [1] * 12 and weights[0] > 1.0
    assert all(b >= a for a, b in itertools.pairwise(weights)), weights


def test_weighted_majority_names_the_lfs_it_ignores_with_their_coverage():
    from labelwright.models.majority import ignored_lfs_warning

    L, y = queue_of_conflicts()
    rng = np.random.default_rng(0)
    wrong = np.where(rng.random(len(y)) < 0.8, 1 - y, y)
    noise = np.where(rng.random(len(y)) < 0.3, wrong, -1)
    L = np.hstack([L, noise[:, None]])  # an LF that votes the wrong class 80% of the time
    model = WeightedMajorityVote(2).fit(L)
    assert model.weights_[4] == 0
    said = ignored_lfs_warning(model, L, ["A", "B", "D", "E", "coin"])
    assert said is not None and "ignores 1 LF: 'coin' (" in said
    assert f"{100 * (noise >= 0).mean():.1f}% of the items" in said
    assert ignored_lfs_warning(MajorityVote(2).fit(L), L) is None
    assert ignored_lfs_warning(WeightedMajorityVote(2).fit(L[:, :4]), L[:, :4]) is None
