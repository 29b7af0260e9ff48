"""Whether gold rows are a random sample of the items, and the class balance when not."""

from __future__ import annotations

import numpy as np
import pytest

import labelwright.models.auto as auto_module
import labelwright.models.candidate_choice as candidate_choice
from labelwright.models import AutoLabelModel, get_model
from labelwright.models.gold_sample import (
    check_gold_sample,
    class_strata,
    describe_stratum,
    post_stratified_balance,
    vote_strata,
)
from labelwright.models.gold_use import balance_note


def test_strata_count_votes_and_agreement():
    L = np.array([[-1, -1, -1, -1], [0, -1, -1, -1], [0, 0, -1, -1], [0, 1, -1, -1],
                  [1, 1, 1, 0], [1, 1, 1, 1], [0, 1, 2, -1]])
    # stratum = min(votes, 4) * 4 + agreement bin (<50%, 50-75%, 75-99%, all)
    np.testing.assert_array_equal(vote_strata(L, 3), [0, 7, 11, 9, 18, 19, 12])
    assert describe_stratum(0) == "items with 0 votes"
    assert describe_stratum(9) == "items with 2 votes, 50-75% of them agreeing"
    assert describe_stratum(18) == "items with 4+ votes, 75-99% of them agreeing"


def spam_like(n=4000, seed=0):
    """15% spam; two spam LFs and two ham LFs, each firing on the other class too. The head
    of a review queue -- items whose votes disagree -- is mostly spam, unlike all items."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    fire = {0: (0.08, 0.6), 1: (0.5, 0.2), 2: (0.4, 0.15), 3: (0.05, 0.4)}  # (ham, spam)
    vote = {0: 1, 1: 0, 2: 0, 3: 1}
    L = np.full((n, 4), -1, dtype=np.int8)
    for j, (on_ham, on_spam) in fire.items():
        L[rng.random(n) < np.where(y == 1, on_spam, on_ham), j] = vote[j]
    strata = vote_strata(L, 2)
    disagree = np.flatnonzero((strata >= 8) & (strata % 4 < 3))  # 2+ votes, not all agreeing
    return L, y, disagree[:150]


def test_a_random_sample_passes_and_the_head_of_a_queue_does_not():
    L, y, head = spam_like()
    rng = np.random.default_rng(1)
    passed = [check_gold_sample(L, rng.choice(len(L), 150, replace=False), 2,
                                seed=s).representative for s in range(20)]
    assert sum(passed) >= 18  # a 1% test: random samples pass
    biased = check_gold_sample(L, head, 2)
    assert not biased.representative and biased.p_value < 0.01
    assert "agreeing" in biased.most_over and biased.distance > 0.5


def test_post_stratified_balance_recovers_all_items_balance():
    L, y, head = spam_like()
    truth = np.bincount(y, minlength=2) / len(y)
    head_mix = np.bincount(y[head], minlength=2) / len(head)
    assert head_mix[1] > 2 * truth[1]  # the head is mostly spam; all items are not
    free = get_model("default", 2).fit(L).predict_proba(L)
    once = post_stratified_balance(vote_strata(L, 2), free, vote_strata(L[head], 2),
                                   y[head], 2)
    assert once.sum() == pytest.approx(1.0)
    # strata without gold rows take the label model's mean, which its uniform prior pulls
    # toward 50/50: one step is only a little better than that prior
    assert abs(once[1] - truth[1]) < 0.5 - truth[1]
    # auto refits the model at the balance found until it settles. These LFs fire on the
    # wrong class often, so the label model cannot pin the balance down where no gold row
    # falls; the estimate still beats both the head's own mix and a uniform prior. (Strata
    # split by the votes' class cost a little here -- 0.106 -> 0.123 off at this seed, 0.102
    # -> 0.105 over four -- and gain much on a queue of one class's votes, next tests. The
    # default model's prior spread over the classes by their balance costs a little more:
    # 0.123 -> 0.144 off at this seed, 0.105 -> 0.123 over four.)
    y_dev = np.full(len(y), -1)
    y_dev[head] = y[head]
    settled = AutoLabelModel(2).fit(L, y_dev=y_dev).class_balance_
    assert abs(settled[1] - truth[1]) < abs(head_mix[1] - truth[1]) * 0.95
    assert abs(settled[1] - truth[1]) < abs(once[1] - truth[1]) * 0.6


def test_the_no_vote_stratum_is_solved_not_iterated():
    """Items no LF voted on get the model's balance as probabilities: with most items
    uncovered, a refit-and-repeat loop would crawl; the closed form lands at once."""
    rng = np.random.default_rng(2)
    n = 3000
    y = (rng.random(n) < 0.8).astype(int)
    L = np.full((n, 2), -1, dtype=np.int8)
    covered = rng.random(n) < 0.06
    L[covered, 0] = np.where(rng.random(covered.sum()) < 0.9, y[covered], 1 - y[covered])
    gold = np.flatnonzero(~covered)[:60]  # uncovered gold rows only
    probs = np.full((n, 2), 0.5)  # whatever the model says of them, they are the balance
    balance = post_stratified_balance(vote_strata(L, 2), probs, vote_strata(L[gold], 2),
                                      y[gold], 2)
    assert balance[1] == pytest.approx(np.mean(y[gold]), abs=0.05)


def test_auto_takes_a_queue_head_as_known_labels_only(monkeypatch):
    L, y, head = spam_like()
    y_dev = np.full(len(y), -1)
    y_dev[head] = y[head]
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert model.gold_sample_["representative"] is False
    assert "not a random sample" in model.chosen_["reason"]
    assert "re-weighted" in model.chosen_["reason"]
    # and names the step that gets one: the setting and the export
    assert "[triage] random_sample = N" in model.chosen_["reason"]
    assert "`labelwright review export --sample`" in model.chosen_["reason"]
    assert model.chosen_["model"] == "dawid_skene" and model.cv_scores_ == []
    assert model.calibration_["method"] == "identity" and model.decide_on_ == "model"
    np.testing.assert_array_equal(model.decision_weights_, [1.0, 1.0])
    # the gold rows still inform the fit: the same model fit on them as known labels
    same = get_model("default", 2).fit(L, y_dev=y_dev, class_balance=model.class_balance_)
    np.testing.assert_allclose(model.predict_proba(L), same.predict_proba(L))
    # a class balance the user gives is kept, and the reason does not claim otherwise
    given = AutoLabelModel(2).fit(L, y_dev=y_dev, class_balance=np.array([0.5, 0.5]))
    np.testing.assert_allclose(given.class_balance_, [0.5, 0.5])
    assert "re-weighted" not in given.chosen_["reason"]
    # a random sample of the same size is used as before: chosen by CV
    rows = np.random.default_rng(0).choice(len(y), 150, replace=False)
    y_rand = np.full(len(y), -1)
    y_rand[rows] = y[rows]
    assert AutoLabelModel(2).fit(L, y_dev=y_rand).cv_scores_
    # past CV_ROWS rows the balance's label model is fit on a sample of rows; the check
    # still counts every row, so its verdict is the same
    monkeypatch.setattr(auto_module, "CV_ROWS", 1000)
    sampled = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert sampled.gold_sample_ == model.gold_sample_
    truth, head_mix = np.mean(y), np.mean(y[head])
    assert abs(sampled.class_balance_[1] - truth) < abs(head_mix - truth)


def test_twenty_gold_rows_from_a_queue_head_set_no_class_balance():
    """Too few gold rows for auto to choose anything, enough for a class balance: the
    check runs there too."""
    L, y, head = spam_like()
    y_dev = np.full(len(y), -1)
    y_dev[head[:25]] = y[head[:25]]
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert model.gold_sample_["representative"] is False
    truth = np.mean(y)
    assert abs(model.class_balance_[1] - truth) < abs(np.mean(y[head[:25]]) - truth)


def test_a_small_but_significant_difference_is_not_called_a_biased_sample():
    """With many gold rows a harmless difference becomes significant: the check also asks
    for a total variation distance of at least MIN_DISTANCE."""
    from labelwright.models.gold_sample import MIN_DISTANCE

    rng = np.random.default_rng(3)
    n = 20_000
    L = np.full((n, 2), -1, dtype=np.int8)
    L[rng.random(n) < 0.5, 0] = 0  # half the items get one vote, half none
    voted = np.flatnonzero(L[:, 0] == 0)
    silent = np.flatnonzero(L[:, 0] < 0)
    # 5,000 gold rows, 60% with a vote where all items have 50%: distance 0.10
    gold = np.concatenate([rng.choice(voted, 3000, replace=False),
                           rng.choice(silent, 2000, replace=False)])
    result = check_gold_sample(L, gold, 2)
    assert result.p_value < 0.01 and result.distance < MIN_DISTANCE
    assert result.representative


def test_the_queue_counts_as_itself_and_the_sample_stands_for_the_rest():
    """No LF votes anywhere: post-stratification has one stratum, so the sample's mix is
    taken as is for the 90 items not reviewed from the queue."""
    L = np.full((100, 3), -1, dtype=np.int8)
    y_dev = np.full(100, -1)
    y_dev[:10] = 1  # the queue's rows: all class 1
    y_dev[10:30] = [1] * 4 + [0] * 16  # 20 sampled rows, 20% class 1
    balance = AutoLabelModel(2)._gold_policy().balance_with_sample(
        L, y_dev, np.arange(10, 30), np.arange(10), np.arange(10, 100))
    np.testing.assert_allclose(balance, (np.array([0.0, 10.0]) + 90 * np.array([0.8, 0.2]))
                               / 100, atol=1e-4)


def queue_head_and_sample(n_sampled):
    """The spam-like set's queue head (150 rows) plus ``n_sampled`` random other rows."""
    L, y, head = spam_like()
    rest = np.setdiff1d(np.arange(len(y)), head)
    drawn = np.random.default_rng(3).choice(rest, n_sampled, replace=False)
    y_dev = np.full(len(y), -1)
    y_dev[head], y_dev[drawn] = y[head], y[drawn]
    sampled = np.zeros(len(y), dtype=bool)
    sampled[drawn] = True
    return L, y, y_dev, sampled, head, drawn


def test_auto_chooses_and_calibrates_on_sampled_rows_and_keeps_the_rest_as_known(monkeypatch):
    L, y, y_dev, sampled, head, drawn = queue_head_and_sample(120)
    # without the marks the gold rows, mostly the queue's, fail the check
    plain = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert plain.gold_sample_["representative"] is False and plain.cv_scores_ == []
    scored, labels = [], []
    real = candidate_choice.held_out_proba

    def spy(make, L_, y_, rows, folds, *, class_balance=None):
        scored.append(rows.copy())
        labels.append(y_[rows])
        return real(make, L_, y_, rows, folds, class_balance=class_balance)

    monkeypatch.setattr(candidate_choice, "held_out_proba", spy)
    model = AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=sampled)
    sample = model.gold_sample_
    assert (sample["representative"], sample["source"], sample["sampled_rows"],
            sample["other_rows"]) == (True, "random sample", 120, 150)
    assert sample["p_value"] > 0.05  # checked against the rows it stands for: it passes
    assert "120 gold rows from a random sample (150 more" in model.chosen_["reason"]
    assert len(model.cv_scores_) > 1
    # every candidate is scored on the sampled rows alone
    assert all(np.array_equal(rows, np.sort(drawn)) for rows in scored)
    # the reviews' class balance: the queue's rows count as themselves, the sample stands
    # for the rest; far closer to all items' than the gold rows' own mix (mostly the
    # queue's spam)
    truth, gold_mix = np.mean(y), np.mean(y[y_dev >= 0])
    choice = sample["balance_choice"]
    assert abs(choice["balances"]["reviewed"][1] - truth) < abs(gold_mix - truth) / 2
    # the fits take the balance chosen with the model; here the votes' (its model: 0.806
    # macro-F1 on the other items, against 0.704 at the reviews' balance)
    np.testing.assert_allclose(model.class_balance_, choice["balances"][choice["chosen"]],
                               atol=1e-6)
    # past CV_ROWS rows the CV fits see a row sample: still the sampled rows are scored
    monkeypatch.setattr(auto_module, "CV_ROWS", 1000)
    scored.clear()
    AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=sampled)
    assert all(len(rows) == 120 for rows in scored)
    assert all(np.array_equal(got, y[np.sort(drawn)]) for got in labels[-len(scored):])


def test_too_few_sampled_rows_leave_every_review_a_known_label():
    """12 sample reviews beside the queue's 150: too few to set the balance, so all 162 are
    post-stratified by class as the queue's are, and nothing is chosen with them."""
    L, y, y_dev, sampled, head, drawn = queue_head_and_sample(12)
    model = AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=sampled)
    sample = model.gold_sample_
    assert (sample["source"], sample["sampled_rows"], sample["other_rows"],
            sample["too_few"]) == ("random sample", 12, 150, True)
    assert model.cv_scores_ == []
    counts = np.bincount(y[drawn], minlength=2)
    fewest = int(counts.argmin())
    assert counts[fewest] < 5  # the sample's short class is named, with its count
    assert ("162 gold rows: 12 from a random sample (too few to set the class balance, below "
            f"20; need >= 20 and >= 5 per class; short: class {fewest} {counts[fewest]}) and "
            "150 from the queue, which are no random sample") in model.chosen_["reason"]
    assert ("the 12 random-sample reviews among them are too few to set it, and the other "
            "150 are the queue's") in balance_note(sample, 162)
    gold = np.flatnonzero(y_dev >= 0)
    expected = model._gold_policy().settled_balance(L, gold, y[gold], by_class=True)
    np.testing.assert_allclose(model.class_balance_, expected)
    from labelwright.report.summary import balance_source

    assert balance_source({"gold_sample": sample, "class_balance": list(expected)},
                          {"items_with_gold": 162}) == (
        "estimated from 162 reviewed labels, weighted to all items' vote patterns: 12 from a "
        "random sample, too few to set it, and the others the queue's")
    with pytest.raises(ValueError, match=r"sampled must be a bool array with one entry per "
                                         r"item \(4000\)"):
        AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=sampled[:10])


def test_a_project_passes_its_sampled_reviews_to_auto_and_only_to_auto(make_project):
    from labelwright.config import load_config
    from labelwright.models.configured import fit_label_model

    L, y, y_dev, sampled, head, drawn = queue_head_and_sample(120)
    auto = fit_label_model(load_config(make_project(model="auto")), L, y_dev=y_dev,
                           sampled=sampled)
    assert auto.gold_sample_["source"] == "random sample"
    other = fit_label_model(load_config(make_project(model="dawid_skene",
                                                     root=make_project().parent / "ds")),
                            L, y_dev=y_dev, sampled=sampled)
    assert other.name == "dawid_skene"


def test_sampled_rows_that_do_not_look_random_are_not_trusted():
    """Reviewers who skip the hard items of a sample leave one that is not random: marked
    or not, it is checked against the items it stands for, by the p-value alone (a random
    draw fails that 1 time in 100)."""
    L, y, head = spam_like()
    strata = vote_strata(L, 2)
    hard = (strata >= 8) & (strata % 4 < 3)  # 2+ votes, not all agreeing
    rest = np.setdiff1d(np.arange(len(y)), head)
    drawn = np.random.default_rng(5).choice(rest, 400, replace=False)
    skipped = drawn[~hard[drawn]]  # the hard ones left unreviewed
    y_dev = np.full(len(y), -1)
    y_dev[head], y_dev[skipped] = y[head], y[skipped]
    marked = np.zeros(len(y), dtype=bool)
    marked[skipped] = True
    assert check_gold_sample(L[rest], np.searchsorted(rest, skipped), 2).representative
    model = AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=marked)
    # the queue head and a sample that is not random: nothing left to choose or calibrate
    # with (all of them together pass the check's distance floor, 0.17 < 0.25)
    assert model.cv_scores_ == [] and model.gold_sample_["source"] == "random sample"
    assert model.gold_sample_["representative"] is False
    assert "from a random sample do not look random" in model.chosen_["reason"]
    assert "known labels" in model.chosen_["reason"]
    # the whole draw, reviewed in full, is used
    y_dev[drawn] = y[drawn]
    marked[drawn] = True
    full = AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=marked)
    assert full.gold_sample_["source"] == "random sample" and full.cv_scores_


def test_a_sample_is_checked_against_the_items_it_stands_for_not_all_items():
    """After a large queue is reviewed, a sample drawn from the rest lacks the queue's kind
    of item by design; against all items it would look biased."""
    L, y, _ = spam_like()
    strata = vote_strata(L, 2)
    queue = np.flatnonzero((strata >= 8) & (strata % 4 < 3))  # every disagreeing item
    rest = np.setdiff1d(np.arange(len(y)), queue)
    drawn = np.random.default_rng(6).choice(rest, 300, replace=False)
    assert not check_gold_sample(L, drawn, 2, min_distance=0.0).representative
    y_dev = np.full(len(y), -1)
    y_dev[queue], y_dev[drawn] = y[queue], y[drawn]
    marked = np.zeros(len(y), dtype=bool)
    marked[drawn] = True
    model = AutoLabelModel(2).fit(L, y_dev=y_dev, sampled=marked)
    assert model.gold_sample_["source"] == "random sample"
    assert model.gold_sample_["representative"] and model.cv_scores_


def test_rows_picked_by_class_fail_the_class_check_and_random_ones_pass():
    """20 reviews of one label look ordinary in vote counts and agreement, but their
    votes name that label far more often than all items' votes do."""
    from labelwright.models.gold_sample import check_gold_classes, check_gold_sample

    rng = np.random.default_rng(7)
    y = rng.choice(3, 1500)
    vote = np.where(rng.random((1500, 6)) < 0.65, y[:, None], rng.integers(0, 3, (1500, 6)))
    L = np.where(rng.random((1500, 6)) < 0.6, vote, -1)
    picked = np.flatnonzero(y == 0)[:20]
    assert check_gold_sample(L, picked, 3).representative  # the vote-count check misses it
    result = check_gold_classes(L, picked, 3)
    assert not result.representative and result.p_value < 0.01 and result.distance > 0.25
    assert result.most_over == "items whose votes name class 0"
    flagged = sum(not check_gold_classes(L, np.random.default_rng(s).choice(1500, 30,
                                                                            replace=False),
                                         3, seed=s).representative for s in range(50))
    assert flagged <= 2


def test_class_strata_split_vote_strata_by_the_class_the_votes_name():
    L = np.array([[-1, -1, -1], [0, -1, -1], [1, -1, -1], [-1, 1, -1], [0, 1, -1],
                  [1, 0, -1], [2, 2, 1]])
    strata = class_strata(L, 3)
    assert strata[0] == 0  # no vote: stratum 0, as in vote_strata
    assert strata[1] != strata[2] == strata[3]  # one vote: by its class, not its LF
    assert strata[4] == strata[5]  # a 1-1 tie, whichever way round
    assert len(set(strata.tolist())) == 5
    # within one vote stratum, only the class the votes name splits it
    votes = vote_strata(L, 3)
    for s in set(strata.tolist()):
        assert len(set(votes[strata == s].tolist())) == 1


def one_vote_queue(n=6000, seed=3):
    """Half spam. A strong spam LF, a strong ham LF, and a weak spam LF that fires on a
    quarter of all items. The reviewed rows are every one-vote item voted spam (what a
    queue of low-confidence items from the weak LF plus a few others looks like), none of
    the one-vote items voted ham: mostly spam, while all one-vote items are half and half."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.5).astype(int)
    L = np.full((n, 3), -1, dtype=np.int8)
    L[(y == 1) & (rng.random(n) < 0.5), 0] = 1
    L[(y == 0) & (rng.random(n) < 0.5), 1] = 0
    L[rng.random(n) < 0.25, 2] = 1
    one_vote = (L >= 0).sum(axis=1) == 1
    gold = np.flatnonzero(one_vote & (L == 1).any(axis=1))[:300]
    return L, y, gold


def test_a_queue_picked_by_its_votes_does_not_set_the_balance_to_its_own_mix():
    """Within the one-vote stratum the reviewed rows are the spam-voted ones: taking their
    mix as the stratum's put the balance far toward spam. Strata split by the class the
    votes name compare them with the items voted alike."""
    L, y, gold = one_vote_queue()
    truth = y.mean()
    one_vote = (L >= 0).sum(axis=1) == 1
    assert y[gold].mean() > 0.75 and abs(y[one_vote].mean() - 0.5) < 0.1
    y_dev = np.full(len(y), -1)
    y_dev[gold] = y[gold]
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert "re-weighted" in model.chosen_["reason"]
    assert abs(model.class_balance_[1] - truth) < 0.08


def test_a_balance_loop_that_starves_a_class_is_stopped_by_the_gold_rows_labels():
    """A label model that reads a class's LFs as less accurate the rarer it is fit to be
    (UCI YouTube in 3 classes: spamlink 13.8% after one round, 0.7% after 50) makes the
    refit loop a feedback. The gold rows' labels, which the starved model gives ever less
    probability, keep a round before it."""
    from labelwright.models.gold_use import GoldPolicy

    rng = np.random.default_rng(0)
    n, k = 600, 3
    votes = rng.choice(k, n, p=[0.45, 0.1, 0.45])
    L = votes[:, None].astype(np.int64)
    fits = []

    def over_reacting(rows: np.ndarray, balance: np.ndarray) -> np.ndarray:
        # its mean follows the prior it is fit at more than one for one
        fits.append(balance)
        probs = np.full((len(rows), k), 0.1)
        probs[np.arange(len(rows)), rows[:, 0]] = 0.8
        probs *= (balance * k) ** 2
        return probs / probs.sum(axis=1, keepdims=True)

    policy = GoldPolicy(k, 20, 5, 0, over_reacting, max_rows=n)
    gold = np.r_[np.flatnonzero(votes == 2)[:20], np.flatnonzero(votes == 1)[:5]]
    y_gold = votes[gold]
    balance = policy.settled_balance(L, gold, y_gold, by_class=True)
    assert len(fits) > 3  # it did refit
    last = fits[-1]
    first = post_stratified_balance(class_strata(L, k), over_reacting(L, np.full(k, 1 / k)),
                                    class_strata(L[gold], k), y_gold, k)
    assert first[1] > 0.1
    assert last[1] < 0.5 * first[1]  # the loop starved it ...
    assert balance[1] > 0.5 * first[1]  # ... and that round was not kept


def test_a_balance_loop_that_settles_keeps_the_settled_balance():
    """A label model that is right (Bayes' rule at the prior it is fit at, on votes drawn
    as it assumes): the first round's pull toward equal classes is corrected by the loop,
    and the gold rows' labels keep the settled balance."""
    from labelwright.models.gold_use import GoldPolicy

    rng = np.random.default_rng(0)
    n, k = 3000, 2
    y = (rng.random(n) < 0.2).astype(np.int64)
    votes = np.where(rng.random(n) < 0.7, y, 1 - y)
    L = votes[:, None]

    def bayes(rows: np.ndarray, balance: np.ndarray) -> np.ndarray:
        probs = np.full((len(rows), k), 0.3)
        probs[np.arange(len(rows)), rows[:, 0]] = 0.7
        probs *= balance
        return probs / probs.sum(axis=1, keepdims=True)

    policy = GoldPolicy(k, 20, 5, 0, bayes, max_rows=n)
    gold = np.flatnonzero(votes == 1)[:60]  # a queue that picked items by their vote
    balance = policy.settled_balance(L, gold, y[gold], by_class=True)
    first = post_stratified_balance(class_strata(L, k), bayes(L, np.full(k, 1 / k)),
                                    class_strata(L[gold], k), y[gold], k)
    truth = y.mean()
    assert abs(balance[1] - truth) < 0.5 * abs(first[1] - truth)  # moved on from round one
