"""The audit's estimates: per-label precision with exact intervals, and the accuracy of all
accepted labels weighted by label, on synthetic strata of known precision."""

import numpy as np
import pytest

from labelwright.review.stats.agreement import exact_interval
from labelwright.review.stats.audit_estimate import (
    FEW_PER_LABEL,
    label_precision,
    per_label,
    precision_note,
    stratified_accuracy,
)
from labelwright.triage.draws import equal_quota

#: accepted items per label and their precision: a common label, two rarer ones, one rare
SIZES = np.array([50_000, 1_500, 200, 2_200])
PRECISION = np.array([0.98, 0.85, 0.70, 0.99])


def _audits(size, draws, seed=0):
    """``draws`` audits shared alike per label of a fixed population of SIZES items with
    PRECISION right (each item right or wrong once, as real items are): per draw the
    per-label figures, and the population's true accuracy."""
    rng = np.random.default_rng(seed)
    population = [rng.random(n) < p for n, p in zip(SIZES, PRECISION)]
    truth = sum(p.sum() for p in population) / SIZES.sum()
    quota = equal_quota(SIZES, size)
    out = []
    for _ in range(draws):
        figures = []
        for k, (items, q) in enumerate(zip(population, quota)):
            picked = items[rng.choice(len(items), q, replace=False)]
            figures.append(label_precision(f"l{k}", int(picked.sum()), int(q),
                                           accepted=len(items), audited=int(q)))
        out.append(figures)
    return out, truth


def test_the_weighted_estimate_is_unbiased_where_the_plain_share_is_not():
    """Shared alike per label, the rare labels (less precise here) are over-represented: the
    share of right audit items is far below the accepted labels' accuracy; weighted by each
    label's accepted items, the mean estimate is the truth."""
    audits, truth = _audits(100, 600)
    weighted = [stratified_accuracy(a).accuracy for a in audits]
    plain = [sum(p.correct for p in a) / sum(p.reviewed for p in a) for a in audits]
    spread = np.std(weighted) / np.sqrt(len(weighted))
    assert abs(np.mean(weighted) - truth) < 3 * spread
    assert np.mean(plain) < truth - 0.05


def test_the_weights_are_each_labels_share_of_the_accepted_items():
    figures = [label_precision("a", 9, 10, accepted=900),
               label_precision("b", 5, 10, accepted=100)]
    assert stratified_accuracy(figures).accuracy == pytest.approx(0.9 * 0.9 + 0.1 * 0.5)
    # the plain share of right items would be 14/20 = 0.7
    assert stratified_accuracy(figures).correct == 14
    assert stratified_accuracy(figures).reviewed == 20


def test_the_stratified_interval_holds_the_truth_at_least_95_percent_of_the_time():
    for size in (50, 100):
        audits, truth = _audits(size, 400, seed=size)
        held = [f.ci_low <= truth <= f.ci_high
                for f in (stratified_accuracy(a) for a in audits)]
        assert np.mean(held) >= 0.95


def test_each_labels_exact_interval_holds_its_precision():
    audits, _ = _audits(100, 300, seed=7)
    for k, precision in enumerate(PRECISION):
        held = [a[k].ci_low <= precision <= a[k].ci_high for a in audits]
        assert np.mean(held) >= 0.93  # the population's own share differs a little


def test_a_label_audited_whole_is_known_and_one_with_no_reviews_is_said_left_out():
    whole = stratified_accuracy([label_precision("a", 3, 4, accepted=4),
                                 label_precision("b", 2, 2, accepted=2)])
    assert whole.ci_low == whole.ci_high == pytest.approx(5 / 6)
    missing = stratified_accuracy([label_precision("a", 8, 10, accepted=300),
                                   label_precision("b", 0, 0, accepted=100)])
    assert missing.not_covered == ("b",) and missing.not_covered_share == 0.25
    assert missing.accuracy == pytest.approx(0.8)
    assert stratified_accuracy([label_precision("a", 3, 4)]) is None  # no size known


def test_per_label_counts_each_label_and_keeps_the_strata_order():
    figures = per_label(["b", "a", "a", "c", "a"], [True, True, False, True, True],
                        {"a": {"accepted": 90, "audited": 3}, "b": {"accepted": 9, "audited": 1},
                         "d": {"accepted": 5, "audited": 0}})
    assert [(p.label, p.correct, p.reviewed, p.accepted) for p in figures] == [
        ("a", 2, 3, 90), ("b", 1, 1, 9), ("d", 0, 0, 5), ("c", 1, 1, None)]
    assert (figures[0].ci_low, figures[0].ci_high) == exact_interval(2, 3)
    assert precision_note(figures[2]) == "no audited item reviewed"
    assert "too few audited items" in precision_note(figures[0])
    assert precision_note(label_precision("x", FEW_PER_LABEL, FEW_PER_LABEL)) == ""


def test_the_audit_strata_are_in_the_runs_label_order():
    """The manifest stores its keys sorted by name: the precision table had Eminem before
    Psy in a project whose labels start with Psy, unlike every other per-label table."""
    from labelwright.review.stats.run_accuracy import audit_design

    manifest = {"project": {"labels": ["Psy", "Katy Perry", "Eminem"]},
                "triage": {"audit_strata": {
                    "Eminem": {"accepted": 95, "audited": 10},
                    "Katy Perry": {"accepted": 66, "audited": 7},
                    "Psy": {"accepted": 45, "audited": 4},
                    "gone": {"accepted": 1, "audited": 1}}}}
    assert list(audit_design(manifest).strata) == ["Psy", "Katy Perry", "Eminem", "gone"]
    assert audit_design(manifest).strata["Psy"] == {"accepted": 45, "audited": 4}


def test_a_label_with_no_accepted_item_gets_its_row_saying_so():
    """The run accepted no promo (every promo item went to review): its manifest's strata
    leave promo out, and the precision table listed ham and spam only, as if promo were no
    label of the run."""
    from labelwright.review.stats.audit_estimate import per_label, precision_note
    from labelwright.review.stats.run_accuracy import audit_design

    manifest = {"project": {"labels": ["ham", "promo", "spam"]},
                "triage": {"counts": {"audit": 30}, "audit_strata": {
                    "spam": {"accepted": 182, "audited": 1},
                    "ham": {"accepted": 4564, "audited": 29}}}}
    design = audit_design(manifest)
    assert list(design.strata.items()) == [("ham", {"accepted": 4564, "audited": 29}),
                                           ("promo", {"accepted": 0, "audited": 0}),
                                           ("spam", {"accepted": 182, "audited": 1})]
    rows = per_label(["ham", "ham", "spam"], [True, True, False], design.strata)
    assert [(p.label, p.accepted, p.reviewed) for p in rows] == [
        ("ham", 4564, 2), ("promo", 0, 0), ("spam", 182, 1)]
    assert precision_note(rows[1]) == "no accepted item with it to audit"
    assert precision_note(rows[2]) != precision_note(rows[1])
    # a run from before the record says nothing of its labels' strata
    assert audit_design({"project": {"labels": ["ham", "promo"]}, "triage": {}}).strata == {}
