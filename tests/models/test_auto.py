"""auto: picks model and settings by CV on gold rows, calibrates, falls back to default."""

from __future__ import annotations

import json
import logging
import re

import numpy as np
import pytest

from labelwright.models import DEFAULT_MODEL, AutoLabelModel, ece, get_model, load_model
from labelwright.models.class_prior import votes_prior
from labelwright.models.gold_use import balance_note
from labelwright.models.majority import MajorityVote
from labelwright.models.synthetic import make_label_matrix

CANDIDATES = [["majority", {}], ["dawid_skene", {"abstain": "ignore"}]]


def adversarial_data(n=3000, seed=0):
    # three good LFs and three that are wrong 70% of the time: majority vote is misled,
    # a model with per-LF accuracies fit with gold is not
    acc = np.array([0.8, 0.8, 0.8, 0.3, 0.3, 0.3])
    L, y = make_label_matrix(n, acc, coverage=0.9, random_state=seed)
    y_dev = np.where(np.arange(n) % 10 == 0, y, -1)
    return L, y, y_dev


def test_picks_by_cross_validated_gold_score():
    L, y, y_dev = adversarial_data()
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] == "dawid_skene"
    assert model.chosen_["params"] == {"abstain": "ignore"}
    # majority once (the gold rows change nothing in its fit), dawid_skene with and without
    assert [(r["model"], r["gold_in_fit"]) for r in model.cv_scores_] == [
        ("majority", True), ("dawid_skene", True), ("dawid_skene", False)]
    best = max(model.cv_scores_, key=lambda r: r["score"])
    assert best["model"] == model.chosen_["model"] and len(best["fold_scores"]) == 5
    assert best["gold_in_fit"] and model.chosen_["gold_in_fit"]  # here gold helps the fit
    majority = get_model("majority", 2).fit(L)
    assert (model.predict(L) == y).mean() > (majority.predict(L) == y).mean() + 0.05


class GoldMisleads(MajorityVote):
    """Majority vote, reversed once gold rows are in its fit: a model the gold rows make
    worse, which ``auto`` must see by scoring it fit without them."""

    name = "gold_misleads"

    def _fit(self, L, y_dev, class_balance, rng):
        super()._fit(L, y_dev, class_balance, rng)
        self.misled_ = bool(y_dev is not None and (y_dev >= 0).any())

    def _predict_proba(self, L):
        probs = super()._predict_proba(L)
        return probs[:, ::-1] if self.misled_ else probs


@pytest.fixture
def gold_misleads():
    from labelwright.models import registry

    registry.register("gold_misleads", GoldMisleads)
    yield "gold_misleads"
    registry._REGISTRY.pop("gold_misleads")


def test_a_model_the_gold_rows_make_worse_is_fit_without_them(gold_misleads):
    L, y, y_dev = adversarial_data()
    L = L[:, :3]  # the three good LFs: majority vote is right, reversed it is wrong
    model = AutoLabelModel(2, candidates=[[gold_misleads, {}]]).fit(L, y_dev=y_dev)
    scores = {r["gold_in_fit"]: r["score"] for r in model.cv_scores_}
    assert scores[False] > scores[True]
    assert model.chosen_["gold_in_fit"] is False and not model.model_.misled_
    assert "fit without the gold rows inside it" in model.chosen_["reason"]
    assert (model.predict(L) == y).mean() > 0.7


def overconfident_data(n=4000, seed=3):
    # three LFs right 70% of the time, each copied four times, every copy silent on a few
    # items of its own (so no two are exact copies, which the default model counts once):
    # a model that takes the near-copies as independent evidence is far too sure of itself
    L, y = make_label_matrix(n, np.array([0.7, 0.7, 0.7]), coverage=0.8, random_state=seed)
    y_dev = np.where(np.arange(n) % 10 == 0, y, -1)
    copies = np.repeat(L, 4, axis=1)
    rng = np.random.default_rng(seed)
    copies[rng.random(copies.shape) < 0.01] = -1
    return copies, y, y_dev


def test_calibration_and_decision_weights_are_learned():
    L, y, y_dev = overconfident_data()
    candidates = [["dawid_skene", {"abstain": "ignore"}]]
    model = AutoLabelModel(2, candidates=candidates).fit(L, y_dev=y_dev)
    assert model.calibration_["method"] != "identity" and model.temperature_ > 1
    assert model.decision_weights_.shape == (2,)
    uncalibrated = AutoLabelModel(2, candidates=candidates, calibrate=False,
                                  tune_decision=False).fit(L, y_dev=y_dev)
    assert uncalibrated.temperature_ == 1.0
    assert uncalibrated.calibration_["method"] == "identity"
    np.testing.assert_array_equal(uncalibrated.decision_weights_, [1.0, 1.0])
    held_out = y_dev < 0
    before = ece(uncalibrated.predict_proba(L[held_out]), y[held_out])
    after = ece(model.predict_proba(L[held_out]), y[held_out])
    assert after < before / 2


def test_a_well_calibrated_model_is_left_as_it_is():
    L, _, y_dev = adversarial_data(seed=1)
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert model.calibration_["method"] == "identity"
    assert model.calibration_["confidence_map"] is None
    np.testing.assert_allclose(model.predict_proba(L), model.model_.predict_proba(L), rtol=1e-12)


def test_save_and_load_keep_the_calibration(tmp_path):
    L, _, y_dev = overconfident_data()
    model = AutoLabelModel(2, candidates=[["dawid_skene", {"abstain": "ignore"}]]
                           ).fit(L, y_dev=y_dev)
    model.save(tmp_path / "auto.json")
    loaded = load_model(tmp_path / "auto.json")
    np.testing.assert_allclose(loaded.predict_proba(L), model.predict_proba(L), rtol=1e-12)
    # a model saved before auto kept calibration_ is read with its temperature alone
    doc = json.loads((tmp_path / "auto.json").read_text())
    del doc["learned"]["calibration_"]
    older = AutoLabelModel.from_dict(doc)
    z = np.log(model.model_.predict_proba(L)) / model.temperature_
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(older.predict_proba(L), expected, rtol=1e-9)
    older.save(tmp_path / "again.json")  # and it can be saved again
    np.testing.assert_allclose(load_model(tmp_path / "again.json").predict_proba(L), expected,
                               rtol=1e-9)


def test_without_gold_falls_back_to_default():
    L, y, _ = adversarial_data()
    model = AutoLabelModel(2).fit(L)
    assert model.chosen_["model"] == DEFAULT_MODEL
    assert "gold rows" in model.chosen_["reason"] and model.cv_scores_ == []
    default = get_model("default", 2).fit(L)
    np.testing.assert_allclose(model.predict_proba(L), default.predict_proba(L), rtol=1e-12)


def test_unknown_scoring():
    L, _, y_dev = adversarial_data()
    with pytest.raises(ValueError, match="unknown scoring 'auc'"):
        AutoLabelModel(2, scoring="auc").fit(L, y_dev=y_dev)


def test_the_default_model_is_kept_unless_a_candidate_is_clearly_better(monkeypatch):
    from labelwright.models import auto as auto_module
    from labelwright.models.registry import DEFAULT_PARAMS

    # good LFs, every candidate about as good: noise must not move auto off the default
    rng = np.random.default_rng(5)
    L, y = make_label_matrix(3000, rng.uniform(0.7, 0.85, 8), coverage=0.5, random_state=5)
    y_dev = np.where(np.arange(len(y)) % 50 == 0, y, -1)  # 60 gold rows
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] == DEFAULT_MODEL and model.chosen_["params"] == DEFAULT_PARAMS
    assert model.cv_scores_[0]["params"] == DEFAULT_PARAMS  # scored first, as the baseline
    # a default that is clearly worse (majority vote misled by adversarial LFs) is left
    monkeypatch.setattr(auto_module, "DEFAULT_MODEL", "majority")
    monkeypatch.setattr(auto_module, "DEFAULT_PARAMS", {})
    L, y, y_dev = adversarial_data()
    model = AutoLabelModel(2).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] != "majority"
    assert "above the default model" in model.chosen_["reason"]


def test_cross_validation_on_a_row_sample_keeps_gold_rows_aligned(monkeypatch):
    from labelwright.models import auto as auto_module

    monkeypatch.setattr(auto_module, "CV_ROWS", 500)
    L, y, y_dev = adversarial_data()  # 3000 rows, 300 gold
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] == "dawid_skene"
    majority = next(r for r in model.cv_scores_ if r["model"] == "majority")
    assert max(r["score"] for r in model.cv_scores_) > majority["score"] + 0.1
    assert (model.predict(L) == y).mean() > 0.75


def test_decision_weights_that_only_fit_noise_are_not_used():
    rng = np.random.default_rng(6)
    L, y = make_label_matrix(3000, rng.uniform(0.65, 0.8, 6), coverage=0.6, random_state=6)
    y_dev = np.where(np.arange(len(y)) % 100 == 0, y, -1)  # 30 gold rows, balanced data
    model = AutoLabelModel(2, candidates=[["dawid_skene", {}]]).fit(L, y_dev=y_dev)
    np.testing.assert_array_equal(model.decision_weights_, [1.0, 1.0])


def skewed_majority_data(n=3000, seed=5):
    """85% class 0. One LF votes class 1 on a third of all items whatever their class (right
    15% of the time); two LFs are 85% right. Majority vote trusts the bad LF on its own and
    ties it against a good one, so its own argmax is often wrong; a class bias learned from
    gold (toward class 0) fixes those decisions."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    L = np.full((n, 3), -1, dtype=np.int8)
    L[rng.random(n) < 0.33, 0] = 1
    for j in (1, 2):
        fires = rng.random(n) < 0.5
        L[fires, j] = np.where(rng.random(fires.sum()) < 0.85, y[fires], 1 - y[fires])
    y_dev = np.where(np.arange(n) % 5 == 0, y, -1)
    return L, y, y_dev


def test_calibrated_decisions_replace_the_models_own_only_when_they_clearly_win():
    L, y, y_dev = skewed_majority_data()
    held_out = y_dev < 0
    model = AutoLabelModel(2, candidates=[["majority", {}]], tune_decision=False,
                           scoring="accuracy").fit(L, y_dev=y_dev)
    assert model.calibration_["method"] in ("class_bias", "coverage")
    assert model.decide_on_ == "calibrated"
    own = model.model_.predict(L[held_out])
    assert (model.predict(L[held_out]) == y[held_out]).mean() \
        > (own == y[held_out]).mean() + 0.05
    # a well-fit model whose calibration only learns noise keeps its own decisions
    L2, y2, y_dev2 = overconfident_data()
    kept = AutoLabelModel(2, candidates=[["dawid_skene", {"abstain": "ignore"}]],
                          tune_decision=False).fit(L2, y_dev=y_dev2)
    assert kept.calibration_["method"] != "identity" and kept.decide_on_ == "model"
    np.testing.assert_array_equal(kept.predict(L2), kept.model_.predict(L2))


def test_a_saved_model_keeps_what_decides_and_older_files_decide_on_calibrated(tmp_path):
    L, _, y_dev = skewed_majority_data()
    model = AutoLabelModel(2, candidates=[["majority", {}]], scoring="accuracy"
                           ).fit(L, y_dev=y_dev)
    assert model.decide_on_ == "calibrated"
    model.save(tmp_path / "auto.json")
    doc = json.loads((tmp_path / "auto.json").read_text())
    assert doc["learned"]["decide_on_"] == model.decide_on_
    np.testing.assert_array_equal(load_model(tmp_path / "auto.json").predict(L), model.predict(L))
    del doc["learned"]["decide_on_"]
    assert AutoLabelModel.from_dict(doc).decide_on_ == "calibrated"


def _sample_without_its_hard_items():
    """Votes and labels of 3,000 items, and a random sample of 400 of which 300 have a
    reviewed label, most hard items (votes that disagree) among those without:
    ``(L, y_dev, sampled, how many of the sample have none)``."""
    rng = np.random.default_rng(9)
    y = rng.choice(3, 3000)
    vote = np.where(rng.random((3000, 6)) < 0.7, y[:, None], rng.integers(0, 3, (3000, 6)))
    L = np.where(rng.random((3000, 6)) < 0.6, vote, -1)
    voted = (L >= 0).sum(axis=1)
    agree = np.array([np.bincount(r[r >= 0], minlength=3).max() if (r >= 0).any() else 0
                      for r in L])
    easy = (voted >= 2) & (agree == voted)
    pick = np.random.default_rng(1)
    drawn = pick.choice(len(L), 400, replace=False)
    kept = [i for i in drawn if easy[i] or pick.random() < 0.6][:300]  # hard items skipped
    sampled = np.zeros(len(L), dtype=bool)
    sampled[kept] = True
    return L, np.where(sampled, y, -1), sampled, len(drawn) - len(kept)


def test_a_random_sample_alone_is_checked_as_a_sample_too():
    """With no other gold rows, a marked sample went through the ordinary check (p and a
    distance floor): a sample whose hard items reviewers skipped passed it."""
    L, y_dev, sampled, _ = _sample_without_its_hard_items()
    model = get_model("auto", 3).fit(L, y_dev=y_dev, sampled=sampled)
    assert model.gold_sample_["source"] == "random sample"
    assert model.gold_sample_["representative"] is False
    assert "were hard items skipped?)" in model.chosen_["reason"]
    assert "random_sample = N" not in model.chosen_["reason"]  # it has one
    assert "the others are the queue's" not in model.chosen_["reason"]


def test_a_sample_whose_hard_items_are_unsettled_says_so_not_that_they_were_skipped():
    """A sample reviewed whole by two raters, its disagreements awaiting adjudication, was
    said to have had its hard items skipped."""
    L, y_dev, sampled, unsettled = _sample_without_its_hard_items()
    model = get_model("auto", 3).fit(L, y_dev=y_dev, sampled=sampled, reviewed=True,
                                     sample_unsettled=unsettled)
    reason = model.chosen_["reason"]
    assert model.gold_sample_["representative"] is False
    assert "skipped" not in reason
    assert (f"{unsettled} more of the sample were reviewed but have no label: their raters "
            "are tied or they await adjudication") in reason


def _three_labels():
    """1,500 items of 3 balanced classes, 6 LFs right 65% of the time (else a random
    class), each voting on 60% of the items; with the generator, for more draws."""
    rng = np.random.default_rng(7)
    y = rng.choice(3, 1500)
    vote = np.where(rng.random((1500, 6)) < 0.65, y[:, None], rng.integers(0, 3, (1500, 6)))
    return rng, y, np.where(rng.random((1500, 6)) < 0.6, vote, -1)


def test_gold_rows_picked_by_class_do_not_set_the_class_balance():
    """20 reviewed items of one class set the balance to 91% of that class; accuracy on
    the other items fell from 0.87 to 0.57."""
    rng, y, L = _three_labels()
    y_dev = np.full(len(L), -1)
    y_dev[np.flatnonzero(y == 0)[:20]] = 0
    rest = y_dev < 0
    model = get_model("auto", 3).fit(L, y_dev=y_dev)
    np.testing.assert_allclose(model.class_balance_, [1 / 3] * 3)
    assert "picked by label, not drawn at random" in model.chosen_["reason"]
    assert model.gold_sample_["classes"]["representative"] is False
    no_gold = get_model("auto", 3).fit(L).predict(L)
    assert (model.predict(L)[rest] == y[rest]).mean() >= (no_gold[rest] == y[rest]).mean() - 0.01


def _five_videos(seed):
    """3,000 items of 5 labels, 28/28/35/4.5/4.5% (comments under five videos), and per
    label a precise one-sided LF and a noisy one; a quarter of the items get a vote. With a
    random sample of 100 of them (``sampled``), whose reviews hold few of a rare label:
    ``(L, y, y_dev, sampled)``."""
    rng = np.random.default_rng(seed)
    share = np.array([28, 28, 35, 4.5, 4.5])
    y = rng.choice(5, 3000, p=share / share.sum())
    cols = []
    for c in range(5):
        for hit, miss in ((rng.uniform(0.08, 0.2), 0.001),
                          (rng.uniform(0.05, 0.15), rng.uniform(0.005, 0.02))):
            cols.append(np.where(rng.random(3000) < np.where(y == c, hit, miss), c, -1))
    L = np.column_stack(cols)
    drawn = np.random.default_rng(seed + 100).choice(3000, 100, replace=False)
    sampled = np.zeros(3000, dtype=bool)
    sampled[drawn] = True
    return L, y, np.where(sampled, y, -1), sampled


def test_a_sample_short_of_a_label_does_not_set_its_share_as_found():
    """2 reviews of a 4.5% label in a random sample of 100: the run took the balance as the
    reviews' raw mix (2.9%), unchecked, and every item whose only vote was that label's
    precise LF (right on 91% of them) went to another label."""
    L, y, y_dev, sampled = _five_videos(8)
    counts = np.bincount(y[sampled], minlength=5)
    assert counts[3] == 2 and counts.min() < 5
    model = get_model("auto", 5, random_state=0).fit(L, y_dev=y_dev, sampled=sampled,
                                                     reviewed=True)
    lone = (y_dev < 0) & ((L >= 0).sum(axis=1) == 1) & (L[:, 6] == 3)
    assert lone.sum() >= 15 and (y[lone] == 3).mean() > 0.85
    assert (model.predict(L)[lone] == 3).mean() > 0.85
    # the votes give label 3 13% (truly 3.5%): 2 of 100 shows that share wrong (their 95%
    # interval tops at 7.0%), and the sample's mix, shrunk toward the votes', stands for it
    assert model.class_balance_[3] < 0.6 * votes_prior(L, 5)[3]
    record = model.gold_sample_
    assert (record["source"], record["short"], record["sampled_rows"]) == (
        "random sample", True, 100)
    assert "the votes' balance for each label whose share there lies in the 95% interval of " \
        "its share of 100 random-sample reviews" in balance_note(record, 100)
    from labelwright.report.summary import balance_source

    shown = balance_source({"gold_sample": record, "class_balance": list(model.class_balance_)},
                           {"items_with_gold": 100})
    assert ("the sample is short of a label, so the votes' balance stands for each label it "
            "does not show wrong") in shown


def test_queue_reviews_beside_a_short_sample_never_pass_for_random():
    """100 sample reviews, short of a label, beside the queue head's 20: the 120 passed the
    ordinary check as a whole (the queue diluted), so CV chose a model on the queue's rows
    too and the balance was their raw mix. The ledger says which are the queue's: they are
    known labels, and the balance is the sample's, with the queue's rows as themselves."""
    L, y, y_dev, sampled = _five_videos(8)
    assert np.bincount(y[sampled], minlength=5).min() < 5
    no_gold = get_model("default", 5).fit(L).predict_proba(L)
    covered = (L >= 0).any(axis=1)
    head = [i for i in np.argsort(np.where(covered, no_gold.max(axis=1), 2.0), kind="stable")
            if not sampled[i]][:20]  # the queue's least sure items
    y_dev[head] = y[head]
    model = get_model("auto", 5, random_state=0).fit(L, y_dev=y_dev, sampled=sampled,
                                                     reviewed=True)
    assert model.cv_scores_ == [] and model.chosen_["model"] == DEFAULT_MODEL
    record = model.gold_sample_
    assert (record["source"], record["sampled_rows"], record["other_rows"]) == (
        "random sample", 100, 20)
    assert "100 from a random sample" in model.chosen_["reason"]
    assert "20 from the queue, which are no random sample" in model.chosen_["reason"]
    drawn, known = np.flatnonzero(sampled), np.asarray(sorted(head))
    rest = np.setdiff1d(np.arange(len(L)), known)
    expected = model._gold_policy().balance_with_sample(L, y_dev, drawn, known, rest,
                                                        against_votes=True)
    np.testing.assert_allclose(model.class_balance_, expected)


def test_a_random_sample_missing_a_rare_class_keeps_its_balance():
    """The vote shares overstate the rare class (20% vs 3%); a random sample without it is
    still a random sample (a vote-share test had called it picked: accuracy 0.97 -> 0.75)."""
    rng = np.random.default_rng(2)
    n = 5000
    y = (rng.random(n) < 0.03).astype(int)
    L = np.full((n, 4), -1)
    L[(y == 1) & (rng.random(n) < 0.8), 0] = 1
    L[(y == 0) & (rng.random(n) < 0.10), 1] = 1  # a noisy minority LF
    L[(y == 0) & (rng.random(n) < 0.3), 2] = 0
    L[(y == 0) & (rng.random(n) < 0.2), 3] = 0
    rows = rng.choice(n, 30, replace=False)
    while y[rows].sum():
        rows = rng.choice(n, 30, replace=False)
    y_dev = np.full(n, -1)
    y_dev[rows] = y[rows]
    model = get_model("auto", 2).fit(L, y_dev=y_dev)
    assert "picked by label" not in model.chosen_["reason"]
    assert (model.predict(L) == y).mean() > 0.95


@pytest.mark.parametrize("candidates, message", [
    ([["dawid_skene"]], r"candidates\[0\] is \['dawid_skene'\]; each candidate is a pair"),
    ("dawid_skene", r"candidates must be a list of \[model name, settings\] pairs"),
    (3, r"candidates must be a list"),
    ([["majority", {}], ["nope", {}]], r"candidates\[1\]: unknown label model 'nope'; "
                                       r"available: auto, dawid_skene"),
])
def test_malformed_candidates_are_named(candidates, message):
    """["dawid_skene"] gave "too many values to unpack", and an unknown candidate was
    reported as the [label_model] name."""
    from labelwright.models import UnknownModelError

    with pytest.raises(ValueError, match=message) as info:
        AutoLabelModel(2, candidates=candidates).check_params()
    assert not isinstance(info.value, UnknownModelError)


def test_cross_validation_scores_the_ties_as_predict_breaks_them():
    """auto scored candidates and tuned decision weights with ties going to the first class,
    while predict breaks them with the row hash: with 80% of items in class 0 and many 1-1
    ties the CV said 0.84 accuracy where predict reached 0.79, and weights that would have
    sent the ties to class 0 looked like no gain."""
    rng = np.random.default_rng(0)
    n = 3000
    y = (rng.random(n) < 0.2).astype(int)
    L = np.full((n, 2), -1)
    for j in range(2):
        fire = rng.random(n) < 0.7
        L[fire, j] = np.where(rng.random(n)[fire] < 0.75, y[fire], 1 - y[fire])
    gold = rng.random(n) < 0.1
    y_dev = np.where(gold, y, -1)
    model = AutoLabelModel(2, scoring="accuracy", candidates=[["majority", {}]],
                           calibrate=False, tune_decision=False).fit(L, y_dev=y_dev)
    # majority vote learns nothing in a fold: its out-of-fold decisions are predict's own,
    # so the CV score (a mean over 5 folds of near-equal size) is predict's gold accuracy
    on_gold = (model.predict(L)[gold] == y[gold]).mean()
    assert model.cv_scores_[0]["score"] == pytest.approx(on_gold, abs=0.002)
    tuned = AutoLabelModel(2, scoring="accuracy", candidates=[["majority", {}]],
                           calibrate=False).fit(L, y_dev=y_dev)
    assert tuned.decision_weights_[1] < 1  # the ties go to the common class
    assert (tuned.predict(L) == y).mean() > (model.predict(L) == y).mean() + 0.03


def test_fitting_auto_leaves_pythons_random_as_it_was():
    """The first import of scikit-learn's model selection (for auto's folds) and isotonic
    regression (its confidence map) drew from Python's random: after random.seed(5), a
    process that fit auto drew other numbers than one that did not."""
    import subprocess
    import sys

    script = (
        "import random, numpy as np\n"
        "from labelwright.models import AutoLabelModel\n"
        "from labelwright.models.synthetic import make_label_matrix\n"
        "L, y = make_label_matrix(2000, np.full(5, 0.75), coverage=0.7, random_state=1)\n"
        "y_dev = np.where(np.arange(len(y)) % 10 == 0, y, -1)\n"
        "random.seed(5)\n"
        "AutoLabelModel(2).fit(L, y_dev=y_dev)\n"
        "print(random.random())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    import random

    assert float(out.stdout.strip()) == random.Random(5).random()


def test_cross_validation_fits_leave_convergence_warnings_to_the_kept_fit(caplog):
    # auto fits every candidate once per fold; an EM candidate cut short there would warn
    # five times about fits that are thrown away. The refit it keeps still warns
    L, _, y_dev = adversarial_data()
    short = [["dawid_skene", {"max_iter": 2}]]
    with caplog.at_level("WARNING", logger="labelwright.models.dawid_skene"):
        model = AutoLabelModel(2, candidates=short, calibrate=False).fit(L, y_dev=y_dev)
    assert model.chosen_["model"] == "dawid_skene"
    assert caplog.text.count("stopped EM at max_iter") == 1
    # and it says which fit it is: the chosen model's refit, not a fold's
    (said,) = [r.getMessage() for r in caplog.records if "stopped EM" in r.getMessage()]
    assert said.startswith("auto's chosen dawid_skene, refit on all items: the label model "
                           "(dawid_skene) stopped EM at max_iter = 2"), said


@pytest.mark.parametrize(("rows", "said"), [
    (0, "no reviewed labels yet (need >= 20 and >= 5 per class): using the default model"),
    (12, "12 reviewed labels (need >= 20"),
    (300, "CV on 300 reviewed labels"),
])
def test_reviewed_labels_are_called_so_and_nothing_else_changes(rows, said):
    """In a project's run, y_dev is reviewed labels and "gold" is the dataset's held-out
    column: a reason saying "0 gold rows" was read as that column. Called with
    ``reviewed=True``, the reason says reviewed labels; the fit is the same, and without
    it (a benchmark's valid labels) the reason still says gold rows."""
    L, _, y_dev = adversarial_data()
    y_dev = np.where(np.cumsum(y_dev >= 0) <= rows, y_dev, -1)
    plain = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    reviewed = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev, reviewed=True)
    assert said in reviewed.chosen_["reason"] and "gold" not in reviewed.chosen_["reason"]
    assert "gold rows" in plain.chosen_["reason"]
    reworded = re.sub(r"\b0 gold rows", "no reviewed labels yet", plain.chosen_["reason"])
    assert reviewed.chosen_["reason"] == reworded.replace("gold rows", "reviewed labels")
    assert {k: v for k, v in reviewed.chosen_.items() if k != "reason"} == \
        {k: v for k, v in plain.chosen_.items() if k != "reason"}
    np.testing.assert_array_equal(reviewed.predict_proba(L), plain.predict_proba(L))
    assert reviewed.gold_sample_ == plain.gold_sample_


def under_reviewed_class_data(seed=0):
    """3 balanced classes, four LFs 65-75% right on half the items each; 40 reviewed items
    of classes 1 and 2 but only 8 of class 0, and the class balance given (so the reviews
    do not set it): per-class biases fit to the reviews push class 0 down on every item."""
    L, y = make_label_matrix(3000, np.array([0.75, 0.7, 0.7, 0.65]), coverage=0.5,
                             cardinality=3, random_state=seed)
    rng = np.random.default_rng(seed)
    picked = np.concatenate([rng.choice(np.flatnonzero(y == c), n, replace=False)
                             for c, n in ((0, 8), (1, 40), (2, 40))])
    y_dev = np.full(len(y), -1)
    y_dev[picked] = y[picked]
    return L, y, y_dev


def test_probabilities_do_not_contradict_the_models_own_labels():
    L, y, y_dev = under_reviewed_class_data()
    model = AutoLabelModel(3, candidates=[["dawid_skene", {}]], tune_decision=False
                           ).fit(L, y_dev=y_dev, class_balance=np.full(3, 1 / 3))
    # the biases did not clearly win as decisions: the labels are the model's own ...
    assert model.decide_on_ == "model"
    covered = (L >= 0).any(axis=1)
    labels, probs = model.predict(L[covered]), model.predict_proba(L[covered])
    np.testing.assert_array_equal(labels, model.model_.predict(L[covered]))
    # ... and so is the top class of the probabilities published beside them (before: not
    # on a fifth of the covered items), with no per-class bias among them
    on_top = probs[np.arange(len(labels)), labels] >= probs.max(axis=1) - 1e-12
    assert on_top.all(), f"{(~on_top).sum()} of {len(labels)} labels are not the top class"
    assert model.calibration_["method"] in ("identity", "temperature")
    held_out = covered & (y_dev < 0)
    assert ece(model.predict_proba(L[held_out]), y[held_out]) < 0.05


@pytest.mark.parametrize("decide_on", ["model", "calibrated"])
def test_a_label_a_decision_weight_moved_is_the_top_class_too(decide_on):
    L, _, y_dev = under_reviewed_class_data()
    model = AutoLabelModel(3, candidates=[["dawid_skene", {}]], tune_decision=False
                           ).fit(L, y_dev=y_dev, class_balance=np.full(3, 1 / 3))
    unweighted = model.predict_proba(L)
    model.decide_on_ = decide_on
    model.decision_weights_ = np.array([3.0, 1.0, 1.0])  # as tuning for a rare class 0 may
    labels, probs = model.predict(L), model.predict_proba(L)
    rows = np.arange(len(labels))
    on_top = probs[rows, labels] >= probs.max(axis=1) - 1e-12
    assert on_top.all(), f"{(~on_top).sum()} of {len(labels)} labels are not the top class"
    # only the label and the class it displaced trade places; every row keeps its values
    np.testing.assert_allclose(np.sort(probs, axis=1), np.sort(unweighted, axis=1))
    moved = labels != unweighted.argmax(axis=1)
    np.testing.assert_array_equal(probs[~moved], unweighted[~moved])
    assert (labels == 0).sum() > (unweighted.argmax(axis=1) == 0).sum() + 100


def test_a_kept_default_model_is_named_beside_the_candidate_that_scored_higher():
    """'the default model: the best candidate, dawid_skene {...}, beat it by 0.0299' read as
    one model beating itself when both were dawid_skene."""
    rng = np.random.default_rng(0)
    n, k = 400, 6
    y = rng.integers(0, 2, n)
    L = np.where(rng.random((n, k)) < 0.6,
                 np.where(rng.random((n, k)) < 0.75, y[:, None], 1 - y[:, None]), -1)
    y_dev = np.full(n, -1)
    y_dev[:40] = y[:40]
    model = get_model("auto", cardinality=2, random_state=1).fit(L, y_dev=y_dev)
    reason = model.chosen_["reason"]
    assert reason.startswith("the default model kept (dawid_skene (abstain=fit_only"), reason
    assert "the best candidate, dawid_skene (abstain=ignore" in reason
    assert "macro_f1 higher over 5-fold CV on 40 gold rows, but was better in only" in reason


def test_too_few_per_class_names_the_short_classes_fewest_first():
    # 8 classes, three of them rare, and a random 150 items reviewed: the reason says which
    # classes are short of n_splits = 5, with their counts, fewest first
    rng = np.random.default_rng(4)
    k, n = 8, 1500
    y = rng.choice(k, n, p=[0.2, 0.2, 0.2, 0.2, 0.17, 0.015, 0.01, 0.005])
    L = np.where(rng.random((n, 6)) < 0.7, y[:, None], rng.integers(0, k, (n, 6)))
    y_dev = np.where(np.arange(n) < 150, y, -1)
    counts = np.bincount(y[:150], minlength=k)
    short = sorted((c for c in range(k) if counts[c] < 5), key=lambda c: (counts[c], c))
    assert len(short) >= 2  # the data has short classes to name
    names = [f"intent_{c}" for c in range(k)]
    model = AutoLabelModel(k, candidates=CANDIDATES).fit(L, y_dev=y_dev, reviewed=True,
                                                         labels=names)
    listed = ", ".join(f"intent_{c} {counts[c]}" for c in short)
    assert model.chosen_["reason"].startswith(
        f"150 reviewed labels (need >= 20 and >= 5 per class; short: {listed}): using the "
        "default model")
    unnamed = AutoLabelModel(k, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    assert f"short: class {short[0]} {counts[short[0]]}, " in unnamed.chosen_["reason"]
    strict = AutoLabelModel(k, candidates=CANDIDATES, n_splits=100).fit(L, y_dev=y_dev)
    assert f" and {k - 6} more below 100)" in strict.chosen_["reason"]


def test_a_rare_label_that_holds_the_choice_back_names_the_n_splits_that_would_choose():
    """A law firm's 233 reviews held 2 of one of 14 labels: the run kept the default model,
    said "short: non_solicitation 2, notices 4", and nothing said that n_splits = 2 under
    [label_model] would let auto choose."""
    rng = np.random.default_rng(5)
    k, n = 4, 1200
    y = rng.choice(k, n, p=[0.4, 0.35, 0.22, 0.03])
    L = np.where(rng.random((n, 6)) < 0.7, y[:, None], rng.integers(0, k, (n, 6)))
    reviewed = np.flatnonzero(y != 3)[:120].tolist() + np.flatnonzero(y == 3)[:3].tolist()
    y_dev = np.full(n, -1)
    y_dev[reviewed] = y[reviewed]
    names = ["confidentiality", "payment", "term", "audit_rights"]
    model = AutoLabelModel(k, candidates=CANDIDATES).fit(L, y_dev=y_dev, labels=names,
                                                         reviewed=True)
    assert ("short: audit_rights 3; n_splits = 3 under [label_model] chooses with 3 of each)"
            in model.chosen_["reason"]), model.chosen_["reason"]
    # from Python there is no [label_model] section: the parameter is named instead
    api = AutoLabelModel(k, candidates=CANDIDATES).fit(L, y_dev=y_dev, labels=names)
    assert ("short: audit_rights 3; pass n_splits=3 to auto chooses with 3 of each)"
            in api.chosen_["reason"]), api.chosen_["reason"]
    chosen = AutoLabelModel(k, candidates=CANDIDATES, n_splits=3).fit(L, y_dev=y_dev,
                                                                      labels=names)
    reason = chosen.chosen_["reason"]
    assert "short:" not in reason and "3-fold CV" in reason, reason


def test_autos_max_iter_reaches_the_class_balance_fit_too(monkeypatch):
    """auto passed max_iter to the models it chose among, but its class-balance estimate
    from gold fit the default model with its own max_iter."""
    from labelwright.models import gold_use, registry

    made = []
    real = registry.get_model

    def recording(name, cardinality, **params):
        made.append(params.get("max_iter"))
        return real(name, cardinality, **params)

    monkeypatch.setattr(registry, "get_model", recording)
    L, _ = make_label_matrix(300, [0.8, 0.75, 0.7], cardinality=2, random_state=0)
    fit_proba = AutoLabelModel(2, max_iter=7)._gold_policy().fit_proba
    fit_proba(L, np.array([0.5, 0.5]))
    gold_use.default_fit_proba(2, 0, "random")(L, np.array([0.5, 0.5]))
    assert made == [7, None]


def test_a_calibration_per_vote_pattern_is_applied_by_each_items_votes_and_saved(tmp_path):
    """auto fits its Calibrator on the gold rows' votes, so the calibration it keeps may be
    one temperature per vote pattern: predict_proba must read each item's votes to apply it,
    and a saved model must keep the temperatures."""
    from labelwright.models.calibration import at_temperature
    from labelwright.models.vote_calibration import vote_patterns

    L, _, y_dev = adversarial_data()
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    temps = {"agree": 0.5, "conflict": 3.0, "split": 2.0, "one_vote": 0.7, "no_vote": 1.0}
    model.calibration_ = {"method": "vote_pattern", "temperature": 1.0,
                          "class_bias": [0.0, 0.0], "uncovered_bias": [0.0, 0.0],
                          "pattern_temperatures": temps, "confidence_map": None}
    own, patterns = model.model_.predict_proba(L), vote_patterns(L, 2)
    probs = model.predict_proba(L)
    for pattern, temperature in temps.items():
        rows = patterns == pattern
        np.testing.assert_allclose(probs[rows], at_temperature(own[rows], temperature),
                                   rtol=1e-9)
    assert {"agree", "conflict"} <= set(patterns)
    model.save(tmp_path / "auto.json")
    np.testing.assert_allclose(load_model(tmp_path / "auto.json").predict_proba(L), probs,
                               rtol=1e-12)
    doc = json.loads((tmp_path / "auto.json").read_text())
    del doc["learned"]["calibration_"]["pattern_temperatures"]
    with pytest.raises(ValueError, match="calibration_: a 'vote_pattern' calibration needs"):
        AutoLabelModel.from_dict(doc)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("temperature", float("nan"), "'temperature' must be a finite number > 0; got nan"),
    ("temperature", 0.0, "'temperature' must be a finite number > 0; got 0.0"),
    ("class_bias", [0.5, float("nan")], "'class_bias' must be finite numbers, one per class"),
    ("uncovered_bias", [0.5], "'uncovered_bias' must be 2 finite numbers"),
    ("class_bias", "0.5", "'class_bias' must be finite numbers, one per class"),
])
def test_a_saved_calibration_with_numbers_it_cannot_use_is_refused_on_load(tmp_path, field,
                                                                           value, message):
    """A temperature of NaN or a class bias of NaN loaded and made every probability NaN; a
    temperature of 0 loaded with a numpy warning; an uncovered bias of one number for two
    classes was broadcast to both, silently. Each is now a ValueError naming the field."""
    L, _, y_dev = adversarial_data()
    model = AutoLabelModel(2, candidates=CANDIDATES).fit(L, y_dev=y_dev)
    model.calibration_ = {"method": "coverage", "temperature": 1.2, "class_bias": [0.1, -0.1],
                          "uncovered_bias": [0.3, -0.3], "pattern_temperatures": None,
                          "no_vote_probs": None, "confidence_map": None}
    model.save(tmp_path / "auto.json")
    assert np.isfinite(load_model(tmp_path / "auto.json").predict_proba(L)).all()
    doc = json.loads((tmp_path / "auto.json").read_text())
    doc["learned"]["calibration_"][field] = value
    with pytest.raises(ValueError, match=re.escape(f"calibration_: {message}")):
        AutoLabelModel.from_dict(doc)


def test_a_candidate_fit_without_gold_is_named_so():
    from labelwright.model_text import chosen_model

    record = {"model": "dawid_skene", "params": {"abstain": "ignore"}}
    assert chosen_model(record) == "dawid_skene (abstain=ignore)"
    assert chosen_model({**record, "gold_in_fit": True}) == "dawid_skene (abstain=ignore)"
    assert chosen_model({**record, "gold_in_fit": False}) == \
        "dawid_skene (abstain=ignore), fit without reviewed labels"


def test_a_given_class_balance_gets_no_warning_of_labels_a_short_sample_lacks(caplog):
    """The warning says the votes' share stands for a label the sample lacks; with a class
    balance given nothing of the sort happens, yet it was logged (at the given 20%)."""
    L, y, y_dev, sampled = _five_videos(8)
    lacking = sampled & (y == 3)  # the sample holds none of label 3
    y_dev[lacking], sampled[lacking] = -1, False
    found = get_model("auto", 5, random_state=0).fit(L, y_dev=y_dev, sampled=sampled,
                                                     reviewed=True)
    assert found.gold_sample_["short"] and found.gold_sample_["missing"][0][0] == 3
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        given = get_model("auto", 5, random_state=0).fit(
            L, y_dev=y_dev, sampled=sampled, reviewed=True, class_balance=np.ones(5) / 5)
    assert given.gold_sample_["short"] and "missing" not in given.gold_sample_
    assert not any("hold no" in r.getMessage() for r in caplog.records)
