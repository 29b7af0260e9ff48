"""``[triage] audit_allocation``: the audit shared across predicted labels in proportion
(the default, as before) or alike per label, so a rare label's precision can be read."""

import numpy as np
import pytest

from labelwright.triage.core import triage
from labelwright.triage.draw_records import audit_strata
from labelwright.triage.draws import draw_keys, equal_quota, stratified_sample
from labelwright.triage.reasons import ACCEPTED


def _groups(sizes):
    return np.repeat(np.arange(len(sizes)), sizes)


def test_per_label_gives_a_rare_label_as_many_audit_items_as_a_common_one():
    """60,000 posts with self_harm at 0.45%: the proportional audit of 50 gave it 1 item."""
    groups = _groups([5000, 180, 27, 240])
    candidates = np.arange(len(groups))
    keys = draw_keys([f"p{i}" for i in candidates], 0, "audit")
    proportional = stratified_sample(groups, candidates, 50, keys=keys)
    per_label = stratified_sample(groups, candidates, 50, keys=keys, allocation="per_label")
    assert np.bincount(groups[proportional]).tolist()[2] == 1
    # alike; the two slots over 4 x 12 go to the largest labels
    assert np.bincount(groups[per_label]).tolist() == [13, 12, 12, 13]


def test_equal_quota_gives_a_small_group_all_its_items_and_the_rest_to_the_others():
    assert equal_quota(np.array([1000, 3, 500]), 30).tolist() == [14, 3, 13]
    assert equal_quota(np.array([10, 10]), 20).tolist() == [10, 10]
    assert equal_quota(np.array([100, 50, 20]), 2).tolist() == [1, 1, 0]  # the largest
    for sizes, size in (([7, 1, 40, 2], 31), ([5, 5, 5], 14), ([100], 9)):
        quota = equal_quota(np.array(sizes), size)
        assert quota.sum() == size and (quota <= np.array(sizes)).all()


def test_the_default_allocation_draws_as_before():
    groups = _groups([300, 40, 7])
    candidates = np.arange(len(groups))
    keys = draw_keys([str(i) for i in candidates], 3, "audit")
    assert np.array_equal(stratified_sample(groups, candidates, 20, keys=keys),
                          stratified_sample(groups, candidates, 20, keys=keys,
                                            allocation="proportional"))


def test_an_unknown_allocation_is_named_with_the_valid_ones():
    with pytest.raises(ValueError, match="'equal'; valid: proportional, per_label"):
        stratified_sample(np.zeros(3, dtype=int), np.arange(3), 2,
                          np.random.default_rng(0), allocation="equal")


def test_audit_strata_count_each_labels_accepted_items_and_audit_items():
    """The weights of the estimate: per label, the accepted items the audit drew from
    (reviewed and gold items are not among them) and how many it drew."""
    n = 400
    rng = np.random.default_rng(1)
    predicted = np.where(rng.random(n) < 0.1, 1, 0)
    probs = np.zeros((n, 2))
    probs[np.arange(n), predicted] = 0.95
    probs[np.arange(n), 1 - predicted] = 0.05
    votes = predicted[:, None].astype(np.int8)
    reviewed = np.zeros(n, dtype=bool)
    reviewed[:10] = True
    gold = np.zeros(n, dtype=bool)
    gold[10:20] = True
    tri = triage(probs, votes, predicted, threshold=0.7, audit_size=20, seed=0,
                 reviewed=reviewed, gold=gold, ids=[f"i{i}" for i in range(n)],
                 audit_allocation="per_label")
    strata = audit_strata(tri, gold, reviewed, ["a", "b"])
    pool = ~reviewed & ~gold
    assert strata == {
        "a": {"accepted": int((pool & (predicted == 0)).sum()), "audited": 10},
        "b": {"accepted": int((pool & (predicted == 1)).sum()), "audited": 10}}
    audited = np.array([r == ("audit",) for r in tri.reasons])
    assert not (audited & (reviewed | gold)).any()
    assert ((tri.status == ACCEPTED) | audited).sum() >= sum(
        s["accepted"] for s in strata.values())
