"""The class balance reviewed labels give a model a project names, as they give ``auto``'s."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_gold_sample import spam_like

from labelwright.config import load_config
from labelwright.models import AutoLabelModel
from labelwright.models.configured import fit_label_model
from labelwright.models.gold_use import balance_note, reviewed_class_balance

NAMED = ["snorkel", "dawid_skene", "triplet", "weighted_majority", "majority"]


def queue_head(n: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Label matrix, truth, and reviewed labels on the head of a queue: items whose votes
    disagree, 43% spam where all items are 15%."""
    L, y, head = spam_like()
    y_dev = np.full(len(y), -1)
    y_dev[head[:n]] = y[head[:n]]
    return L, y, y_dev


@pytest.fixture
def project(make_project):
    def named(model: str, extra: str = "") -> object:
        root = make_project(model=model, labels=("ham", "spam"),
                            root=make_project().parent / model, extra=extra)
        return load_config(root)

    return named


@pytest.mark.parametrize("model", NAMED)
def test_a_named_model_takes_autos_balance_from_queue_reviews_not_their_mix(project, model):
    L, y, y_dev = queue_head()
    gold = y_dev[y_dev >= 0]
    raw = (np.bincount(gold, minlength=2) + 1) / (len(gold) + 2)
    auto = AutoLabelModel(2, tie_break="first").fit(L, y_dev=y_dev, reviewed=True)
    fitted = fit_label_model(project(model), L, y_dev=y_dev)
    assert fitted.name == model
    np.testing.assert_allclose(fitted.class_balance_, auto.class_balance_)
    truth = y.mean()
    assert abs(fitted.class_balance_[1] - truth) < abs(raw[1] - truth)
    assert fitted.gold_sample_["representative"] is False
    assert fitted.class_balance_note_.startswith(
        "from 150 reviewed labels, post-stratified by vote pattern: queue reviews are not a "
        "random sample (distance ")


def with_model(config, **changes):
    return replace(config, label_model=replace(config.label_model, **changes))


def test_a_given_balance_and_a_learned_one_are_left_alone(project):
    L, _, y_dev = queue_head()
    kept = fit_label_model(with_model(project("snorkel"), class_balance=(0.3, 0.7)), L,
                           y_dev=y_dev)
    np.testing.assert_allclose(kept.class_balance_, [0.3, 0.7])
    assert kept.class_balance_note_ is None
    # EM learns this one from every item, the reviewed ones as known labels
    learned = fit_label_model(with_model(project("dawid_skene"),
                                         params={"learn_class_balance": True}), L, y_dev=y_dev)
    assert learned.learn_class_balance and learned.class_balance_note_ is None


def test_reviews_that_pass_for_a_random_sample_give_their_own_mix():
    L, y, _ = spam_like()
    rows = np.random.default_rng(0).choice(len(y), 150, replace=False)
    y_dev = np.full(len(y), -1)
    y_dev[rows] = y[rows]
    balance, record = reviewed_class_balance(L, y_dev, 2)
    assert balance is None and record["representative"]  # the model's own rule: the mix
    assert balance_note(record, 150) == ("the mix of 150 reviewed labels, which pass for a "
                                         "random sample of the items")
    assert reviewed_class_balance(L, np.full(len(y), -1), 2) == (None, None)
    assert balance_note(None, 0) is None


def _choice(score: float):
    from labelwright.models.balance_choice import Choice

    return Choice({"model": "dawid_skene", "params": {}, "score": score}, np.zeros((4, 2)),
                  "why", [])


@pytest.mark.parametrize(("scores", "share", "chosen"), [
    # 127 random-sample reviews set a 3-class project's neutral share to 12% (the votes'
    # 20%): CV over them scored that balance 0.87 macro-F1, the votes' 0.94, and the votes'
    # beat it in 98% of bootstrap resamples; with it, 23,000 labels went the wrong way
    ({"reviewed": 0.87, "votes": 0.94, "equal": 0.93}, 0.98, "votes"),
    # a higher mean that does not hold up in bootstrap resamples is noise: the reviews stay
    ({"reviewed": 0.80, "votes": 0.81, "equal": 0.79}, 0.70, "reviewed"),
    ({"reviewed": 0.85, "votes": 0.85, "equal": 0.85}, 1.0, "reviewed"),  # a tie
])
def test_auto_takes_the_reviewed_balance_only_as_far_as_cv_over_the_sample_bears_it(
        scores, share, chosen):
    from labelwright.models.balance_choice import choose_balance

    L = np.array([[0, 1], [2, 2], [2, -1], [1, -1]])
    choices = {}

    def choose(balance):
        source = "reviewed" if np.allclose(balance, [0.3, 0.12, 0.58]) else \
            "equal" if np.allclose(balance, 1 / 3) else "votes"
        choices[source] = _choice(scores[source])
        return choices[source]

    balance, kept, record = choose_balance(
        L, np.array([0.3, 0.12, 0.58]), choose, lambda best, oof: best["score"],
        lambda a, b: share, cardinality=3, scoring=AutoLabelModel(3).scoring)
    assert record["chosen"] == chosen and kept is choices[chosen]
    np.testing.assert_allclose(balance, record["balances"][chosen], atol=1e-6)
    assert record["scores"] == scores


def test_auto_records_and_says_where_a_reviewed_samples_balance_went():
    """A random sample's reviews beside the queue's: the balance is chosen, recorded in
    ``gold_sample_`` and named in the reason and the balance note."""
    L, y, _ = spam_like()
    rng = np.random.default_rng(1)
    rows = rng.choice(len(y), 150, replace=False)
    y_dev = np.full(len(y), -1)
    y_dev[rows] = y[rows]
    sampled = np.zeros(len(y), bool)
    sampled[rows] = True
    model = AutoLabelModel(2, candidates=[["dawid_skene", {}], ["majority", {}]]).fit(
        L, y_dev=y_dev, sampled=sampled, reviewed=True)
    choice = model.gold_sample_["balance_choice"]
    assert choice["chosen"] in ("reviewed", "votes", "equal")
    assert set(choice["scores"]) == {"reviewed", "votes", "equal"}
    np.testing.assert_allclose(model.class_balance_, choice["balances"][choice["chosen"]],
                               atol=1e-6)
    assert f"class balance: {choice['chosen']} " in model.chosen_["reason"]
    note = balance_note(model.gold_sample_, 150)
    assert note is not None
    if choice["chosen"] == "reviewed":
        assert note.startswith("from 150 random-sample reviews, post-stratified")
    else:
        assert "it scored higher than the balance of 150 random-sample reviews" in note


def test_a_short_sample_keeps_the_votes_share_of_a_label_unless_it_shows_it_wrong():
    from labelwright.models.short_sample import SHORT_SAMPLE_VOTE_ROWS, sample_against_votes
    from labelwright.review.stats.agreement import wilson_interval

    low, high = wilson_interval(0, 29)
    assert low == 0.0 and 0.11 < high < 0.12  # 0 of 29: up to 11.7%
    assert 0.17 < wilson_interval(9, 29)[0] < 0.18  # 9 of 29: from 17.3%
    # 0 of 29 where the votes say 6.7%: the votes' share stands, and so do the others'
    votes = np.array([0.5, 0.433, 0.067])
    share = np.array([0.6, 0.39, 0.01])  # the sample's, post-stratified
    np.testing.assert_allclose(sample_against_votes(share, votes, np.array([15, 14, 0])),
                               votes)
    # 0 of 30 where the votes say 20%: the sample's mix, shrunk toward the votes'
    binary = sample_against_votes(np.array([0.99, 0.01]), np.array([0.8, 0.2]),
                                  np.array([30, 0]))
    n, r = 30, SHORT_SAMPLE_VOTE_ROWS
    shrunk = (n * np.array([0.99, 0.01]) + r * np.array([0.8, 0.2])) / (n + r)
    np.testing.assert_allclose(binary, shrunk / shrunk.sum())
    # 21 of 29 where the votes say 50% is shown wrong; 8 of 29 at 43% and 0 at 6.7% are not
    moved = sample_against_votes(share, votes, np.array([21, 8, 0]))
    assert moved[1] / moved[2] == pytest.approx(0.433 / 0.067)
    assert moved[0] / moved[2] == pytest.approx((29 * 0.6 + r * 0.5) / (29 + r) / 0.067)


def test_labels_the_sample_lacks_and_the_votes_give_many_items_are_named():
    from labelwright.models.gold_use import missing_labels_warning
    from labelwright.models.short_sample import MISSING_LABEL_ITEMS, missing_labels

    n = 400
    L = np.full((n, 3), -1)
    L[:200, 0] = 0
    L[200:200 + MISSING_LABEL_ITEMS + 30, 1] = 1  # 50 items the votes give label 1
    L[300:300 + MISSING_LABEL_ITEMS - 1, 2] = 2  # label 2: one item short
    y_drawn = np.array([0] * 29)
    missing = missing_labels(L, y_drawn, 3)
    assert missing == [[1, MISSING_LABEL_ITEMS + 30]]
    record = {"sampled_rows": 29, "missing": missing}
    text = missing_labels_warning(record, np.array([0.6, 0.3, 0.1]), ["a", "b", "c"])
    assert text is not None
    assert "29 reviewed items of the random sample hold no b (the votes give it 50" in text
    assert "class balance 30.0%" in text
    assert missing_labels_warning({"missing": []}, np.ones(3) / 3, ["a", "b", "c"]) is None


def test_a_label_the_votes_give_exactly_the_threshold_is_named_and_one_fewer_is_not():
    from labelwright.models.short_sample import MISSING_LABEL_ITEMS, missing_labels

    assert MISSING_LABEL_ITEMS == 20
    L = np.full((100, 3), -1)
    L[:50, 0] = 0
    L[50:50 + MISSING_LABEL_ITEMS, 1] = 1  # exactly 20 items
    L[80:80 + MISSING_LABEL_ITEMS - 1, 2] = 2  # 19
    assert missing_labels(L, np.zeros(29, dtype=np.int64), 3) == [[1, MISSING_LABEL_ITEMS]]


@pytest.mark.parametrize(("rare", "kept"), [(0.116, True), (0.118, False)])
def test_the_votes_share_stands_inside_the_95_percent_wilson_interval_only(rare, kept):
    """0 of 29 reviews: the 95% Wilson interval tops at 3.84 / 32.84 = 11.70% (at 90% it
    would top at 8.5%, at 99% at 18.6%): a votes' share of 11.6% stands, 11.8% is moved."""
    from labelwright.models.short_sample import sample_against_votes

    votes = np.array([0.5, 0.5 - rare, rare])
    balance = sample_against_votes(np.array([0.52, 0.47, 0.01]), votes, np.array([15, 14, 0]))
    assert np.allclose(balance, votes) is kept
    if not kept:
        assert balance[2] < rare
