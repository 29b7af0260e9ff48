"""Agreement metrics checked against published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from labelwright.percent import percent
from labelwright.review.stats import agreement


def ratings_from(columns: dict[str, list[int]], labels) -> agreement.Ratings:
    table = np.array(list(columns.values()), dtype=np.int64).T
    return agreement.Ratings(table, [f"i{k}" for k in range(len(table))], list(columns),
                             tuple(labels))


def test_cohen_kappa_wikipedia_example():
    """Wikipedia, "Cohen's kappa", first worked example: 50 grant proposals read by A and B;
    both yes 20, A yes/B no 5, A no/B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4."""
    pairs = [(0, 0)] * 20 + [(0, 1)] * 5 + [(1, 0)] * 10 + [(1, 1)] * 15
    ratings = ratings_from({"A": [a for a, _ in pairs], "B": [b for _, b in pairs]},
                           ("yes", "no"))
    (row,) = agreement.cohen_kappa_pairs(ratings).itertuples()
    assert (row.rater_a, row.rater_b, row.items) == ("A", "B", 50)
    assert row.kappa == pytest.approx(0.4)


def test_cohen_kappa_uses_only_items_both_rated():
    ratings = ratings_from({"A": [0, 1, 0, -1], "B": [0, 1, -1, 1], "C": [-1, -1, 1, 1]},
                           ("x", "y"))
    table = agreement.cohen_kappa_pairs(ratings).set_index(["rater_a", "rater_b"])
    assert table.loc[("A", "B"), "items"] == 2 and table.loc[("A", "B"), "kappa"] == 1.0
    assert table.loc[("A", "C"), "items"] == 1 and math.isnan(table.loc[("A", "C"), "kappa"])


def test_cohen_kappa_is_undefined_for_a_pair_who_used_one_label():
    """p_e = 1 when both raters used one label on every shared item: kappa is 0/0. One rater
    using one label makes p_e = p_o whatever the other did, so kappa is 0 by construction:
    a pair agreeing on 9 of 10 showed 0.000 (0.000-0.000); it is not a kappa either. Their
    observed agreement is given for every pair."""
    ratings = ratings_from({"A": [0] * 10, "B": [0] * 10, "C": [0] * 9 + [1],
                            "D": [0, 1] * 5}, ("x", "y"))
    table = agreement.cohen_kappa_pairs(ratings).set_index(["rater_a", "rater_b"])
    assert math.isnan(table.loc[("A", "B"), "kappa"]) and table.loc[("A", "B"), "one_label"]
    assert math.isnan(table.loc[("A", "C"), "kappa"]) and table.loc[("A", "C"), "one_label"]
    assert math.isnan(table.loc[("A", "C"), "ci_low"])
    assert (table.loc[("A", "C"), "agreed"], table.loc[("A", "C"), "agreement"]) == (9, 0.9)
    assert table.loc[("A", "B"), "agreement"] == 1.0
    # both used two labels: a kappa, (6/10 - 1/2) / (1 - 1/2) with C's 9:1 and D's 5:5
    assert not table.loc[("C", "D"), "one_label"]
    assert table.loc[("C", "D"), "kappa"] == pytest.approx((0.6 - 0.5) / 0.5)
    assert table.loc[("C", "D"), "agreement"] == pytest.approx(0.6)


# Wikipedia, "Fleiss' kappa", worked example: 14 raters put 10 subjects in 5 categories.
FLEISS_TABLE = np.array([
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
])


def test_fleiss_kappa_wikipedia_example():
    """Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories):
    P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210."""
    kappa, used = agreement.fleiss_kappa(FLEISS_TABLE)
    assert used == 10
    assert kappa == pytest.approx(0.20993, abs=1e-4)


def test_fleiss_kappa_keeps_items_with_the_common_number_of_ratings():
    counts = np.vstack([FLEISS_TABLE, [[1, 0, 0, 0, 0]], [[2, 1, 0, 0, 0]]])
    kappa, used = agreement.fleiss_kappa(counts)
    assert used == 10 and kappa == pytest.approx(0.20993, abs=1e-4)
    assert math.isnan(agreement.fleiss_kappa(np.array([[1, 0], [0, 1]]))[0])


def test_krippendorff_alpha_nominal_example():
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
    4 observers, 12 units, values 1-5 with missing data; nominal alpha = 0.743.
    (The same data is Wikipedia's "Krippendorff's alpha" example.)"""
    nan = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    ratings = ratings_from({f"o{k}": [-1 if v is None else v - 1 for v in obs]
                            for k, obs in enumerate(observers)}, ("1", "2", "3", "4", "5"))
    alpha = agreement.krippendorff_alpha(agreement.category_counts(ratings))
    assert alpha == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_perfect_and_undefined():
    assert agreement.krippendorff_alpha(np.array([[2, 0], [0, 2], [3, 0]])) == pytest.approx(1.0)
    assert math.isnan(agreement.krippendorff_alpha(np.array([[1, 0], [0, 1]])))  # no pairs


def test_rating_table_and_consensus_agreement():
    by_item = {"t1": {"a": "x", "b": "x", "c": "y"}, "t2": {"a": "y", "b": "y"},
               "t3": {"a": "x", "c": "y"}, "t4": {"a": "x"}}
    ratings = agreement.rating_table(by_item, ("x", "y"))
    assert ratings.raters == ["a", "b", "c"] and ratings.item_ids == ["t1", "t2", "t3", "t4"]
    assert ratings.table[2].tolist() == [0, -1, 1]
    consensus = agreement.consensus_agreement(ratings).set_index("rater")
    # each rater against the majority of the others: for a, t1's others tie (b x, c y), t2's
    # say y (agreed), t3's say y (not agreed), t4 has no other rater
    assert consensus.loc["a", "items"] == 2 and consensus.loc["a", "agreement"] == 0.5
    assert consensus.loc["b", "items"] == 1 and consensus.loc["b", "agreement"] == 1.0
    assert consensus.loc["c", "items"] == 2 and consensus.loc["c", "agreement"] == 0.0
    # each with the Wilson interval of its share
    low, high = agreement.wilson_interval(1, 2)
    assert (consensus.loc["a", "ci_low"], consensus.loc["a", "ci_high"]) == (low, high)
    assert consensus.loc["a", "agreed"] == 1 and consensus.loc["c", "ci_low"] == 0.0
    assert agreement.items_decided(ratings) == {"a": 4, "b": 2, "c": 2}


def test_with_two_raters_consensus_agreement_is_their_agreement():
    """The rater's own vote counted in the majority: two raters who disagree on 3 of 8
    items both showed 1.000 (the splits dropped out, the rest agreed by definition)."""
    a = ["x", "y", "x", "y", "x", "x", "y", "y"]
    b = ["x", "y", "x", "y", "x", "y", "x", "x"]
    by_item = {f"t{k}": {"a": la, "b": lb} for k, (la, lb) in enumerate(zip(a, b))}
    consensus = agreement.consensus_agreement(
        agreement.rating_table(by_item, ("x", "y"))).set_index("rater")
    assert consensus["items"].tolist() == [8, 8]
    assert consensus["agreement"].tolist() == [5 / 8, 5 / 8]


@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_newcombe_examples(successes, n, low, high):
    """Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity
    correction): 81/263, 15/148, 0/20 and 1/29."""
    got = agreement.wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=1e-4)


@pytest.mark.parametrize("interval", [agreement.wilson_interval, agreement.exact_interval])
@pytest.mark.parametrize("n", [7, 9, 87, 2500, 6.4])
def test_intervals_end_at_exactly_0_and_1_at_none_and_all(interval, n):
    """At 0 of n the low end is 0 and at n of n the high end is 1, exactly: rounding in the
    formula gave 87 of 87 a high end of 0.9999999999999999, printed ``>99.9%`` beside a
    share of ``100.0%`` (and 0 of 7 a low end of 3e-17, printed ``<0.1%``)."""
    assert interval(0, n)[0] == 0.0
    assert interval(n, n)[1] == 1.0
    assert percent(interval(n, n)[1]) == "100.0%"
    assert percent(interval(0, n)[0]) == "0.0%"
    low, high = interval(1, n)
    assert 0 < low < high < 1


def test_lf_accuracy_against_reviewed_labels():
    votes = np.array([[0, -1], [0, 1], [1, 1], [-1, 0], [0, 0]])
    gold = np.array([0, 1, 1, 0, -1])
    table = agreement.lf_accuracy(votes, ["a", "b"], gold).set_index("lf")
    assert table.loc["a", ["reviewed", "correct"]].tolist() == [3, 2]
    assert table.loc["b", ["reviewed", "correct"]].tolist() == [3, 3]
    assert table.loc["a", "ci_low"] < 2 / 3 < table.loc["a", "ci_high"]
    assert isinstance(table, pd.DataFrame)


def test_audit_accuracy_uses_only_reviewed_audit_items():
    predicted = np.array([0, 1, 1, 0, 1])
    gold = np.array([0, 0, 1, -1, 0])
    audited = np.array([True, True, True, True, False])
    result = agreement.audit_accuracy(predicted, gold, audited)
    assert (result.reviewed, result.correct) == (3, 2)
    assert result.accuracy == pytest.approx(2 / 3)
    assert result.ci_low < result.accuracy < result.ci_high


def test_without_raters_drops_their_columns_and_keeps_every_item():
    ratings = ratings_from({"A": [0, 1, -1], "lead": [1, -1, 0], "B": [0, 0, -1]}, ("x", "y"))
    kept = agreement.without_raters(ratings, {"lead", "nobody"})
    assert kept.raters == ["A", "B"] and kept.item_ids == ratings.item_ids
    assert kept.table.tolist() == [[0, 0], [1, 0], [-1, -1]]
    # the item only the left-out rater decided has no rating left: no figure counts it
    assert agreement.category_counts(kept).sum(axis=1).tolist() == [2, 2, 0]
    assert agreement.without_raters(ratings, ()).raters == ratings.raters
