"""Rare labels under the default model: with >= 3 classes whose votes are 3:1 apart the
class balance is the votes' estimate, so a rare label cannot absorb a common one's items."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import DawidSkene, MajorityVote, get_model
from labelwright.models.class_prior import (
    VOTES_BALANCE_NOTE,
    uneven_votes_prior,
    votes_prior,
)
from labelwright.models.registry import model_from_dict
from labelwright.models.synthetic import CLAUSE_COUNTS, make_label_matrix, rare_label_matrix
from labelwright.report.summary import balance_source


def unvoted_labels(L: np.ndarray, pred: np.ndarray) -> int:
    """Covered items labelled a class none of their votes is for."""
    return int(((L >= 0).any(axis=1) & ~(L == pred[:, None]).any(axis=1)).sum())


@pytest.mark.parametrize("seed", [0, 1])
def test_a_rare_label_no_longer_absorbs_a_common_ones_items(seed):
    L, y = rare_label_matrix(3000, seed)
    k = len(CLAUSE_COUNTS)
    equal = DawidSkene(k, balance_from_votes=False).fit(L)
    model = DawidSkene(k).fit(L)
    majority = MajorityVote(k).fit(L).predict(L)
    before, after = equal.predict(L), model.predict(L)
    # the failure: under equal classes EM gives labels that no vote names, and the rarest
    # labels end with many times their items
    assert unvoted_labels(L, before) > 0.01 * len(L)
    rare = np.flatnonzero(np.array(CLAUSE_COUNTS) < 10)
    assert np.bincount(before, minlength=k)[rare].sum() > 2 * np.isin(y, rare).sum()
    assert np.mean(before == y) < np.mean(majority == y)
    # the votes' balance: few such labels, and majority vote's accuracy (within 0.5 point)
    assert model.balance_from_votes_
    np.testing.assert_allclose(model.class_balance_, votes_prior(L, k))
    assert unvoted_labels(L, after) < unvoted_labels(L, before) / 5
    assert np.mean(after == y) > np.mean(majority == y) - 0.005
    assert np.mean(after == y) > np.mean(before == y) + 0.02


def test_two_classes_keep_equal_classes_however_imbalanced():
    L, _ = make_label_matrix(4000, np.full(6, 0.8), coverage=0.6, class_balance=[0.9, 0.1],
                             random_state=0)
    assert uneven_votes_prior(L, 2) is None
    # without learn_class_balance="auto"'s EM (these LFs vote both classes: it would learn)
    model = DawidSkene(2, learn_class_balance=False).fit(L)
    assert not model.balance_from_votes_
    np.testing.assert_allclose(model.class_balance_, [0.5, 0.5])
    off = DawidSkene(2, learn_class_balance=False, balance_from_votes=False).fit(L)
    np.testing.assert_array_equal(model.predict_proba(L), off.predict_proba(L))


def test_votes_less_than_3_to_1_apart_keep_equal_classes():
    L, _ = make_label_matrix(4000, np.full(8, 0.75), cardinality=4, coverage=0.5,
                             class_balance=[0.4, 0.2, 0.2, 0.2], random_state=1)
    assert uneven_votes_prior(L, 4) is None
    model = DawidSkene(4, learn_class_balance=False).fit(L)  # "auto" would learn it here
    assert not model.balance_from_votes_
    np.testing.assert_allclose(model.class_balance_, np.full(4, 0.25))


def test_a_label_no_lf_votes_for_is_left_out_of_the_comparison():
    # votes for labels 0 and 1 only, evenly: label 2 (no LF votes for it) does not make
    # the shares look uneven
    L = np.array([[0, 0], [1, 1], [0, -1], [1, -1]] * 50)
    assert uneven_votes_prior(L, 3) is None
    uneven = np.array([[0, 0]] * 90 + [[1, 1]] * 10)
    prior = uneven_votes_prior(uneven, 3)
    assert prior is not None
    np.testing.assert_allclose(prior, votes_prior(uneven, 3))


def test_a_given_or_gold_balance_wins_and_learned_balances_are_left_alone():
    L, y = rare_label_matrix(1500, 0)
    k = len(CLAUSE_COUNTS)
    given = np.full(k, 1 / k)
    model = DawidSkene(k).fit(L, class_balance=given)
    assert not model.balance_from_votes_
    np.testing.assert_allclose(model.class_balance_, given)
    gold = np.where(np.arange(len(y)) < 200, y, -1)  # >= 20 gold rows set the balance
    assert not DawidSkene(k).fit(L, y_dev=gold).balance_from_votes_
    assert not DawidSkene(k, learn_class_balance=True).fit(L).balance_from_votes_


def test_the_default_and_auto_without_reviews_take_it_and_a_saved_model_keeps_it():
    L, _ = rare_label_matrix(1500, 1)
    k = len(CLAUSE_COUNTS)
    default = get_model("default", k).fit(L)
    assert default.balance_from_votes_
    auto = get_model("auto", k).fit(L)
    np.testing.assert_allclose(auto.model_.class_balance_, default.class_balance_)
    doc = default.to_dict()
    back = model_from_dict(doc)
    assert back.balance_from_votes_
    np.testing.assert_array_equal(back.predict_proba(L), default.predict_proba(L))
    # saved before the setting and the record existed: loads, as equal classes did
    del doc["params"]["balance_from_votes"], doc["learned"]["balance_from_votes_"]
    old = model_from_dict(doc)
    assert old.balance_from_votes and not old.balance_from_votes_


def test_the_report_says_where_the_balance_came_from():
    shares = list(votes_prior(rare_label_matrix(500, 0)[0], len(CLAUSE_COUNTS)))
    record = {"class_balance": shares, "class_balance_setting": None,
              "class_balance_from_votes": True, "params": {}}
    assert balance_source(record, None) == VOTES_BALANCE_NOTE
    record["class_balance_setting"] = "votes"  # asked for in the config: said as such
    assert "[label_model] class_balance = \"votes\"" in balance_source(record, None)


THREE_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN


@labeling_function()
def password(item):
    return "account" if "password" in item.text.lower() else ABSTAIN
'''


def test_a_run_records_and_says_the_votes_balance_and_does_not_warn_of_equal_classes(
        make_project):
    import json

    from labelwright.project import run_project

    texts = ["refund please"] * 45 + ["app crashes"] * 10 + ["password reset"] * 5
    rows = [{"id": f"t{i}", "text": text, "plan": "pro", "gold": ""}
            for i, text in enumerate(texts)]
    root = make_project(labels=("billing", "technical", "account"), rows=rows,
                        lfs={"three": THREE_LFS}, model="default")
    result = run_project(root, report=False)
    assert not [w for w in result.warnings if "equal classes" in w]
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    record = manifest["label_model"]
    assert record["class_balance_from_votes"] is True
    billing, technical, account = record["class_balance"]
    assert billing > technical > account
    assert balance_source(record, manifest.get("reviews")) == VOTES_BALANCE_NOTE
